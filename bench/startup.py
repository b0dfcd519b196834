"""5. Startup: process start → main window painted, the real app versus a bare PySide6
main window, each in fresh processes, alternating, several times; medians.

The app runs as ``zlay_desktop.app.main(["--data-dir", DIR])`` (see
bench/startup_driver.py); its process ends itself after the first paint. Two cases:

* returning user: DIR holds a settings file with one provider profile (a local server,
  no key) and an empty history: the usual start;
* first run: DIR is empty: the app also opens its Settings dialog to guide the user.
 The time is taken
from just before the process is spawned to the driver's ``time.monotonic()`` stamp (the
same clock in both processes). One more run of the app under ``python -X importtime``
lists the imports that cost the most before the window showed.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, Result, Target, median, parser

_IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    return env


def _data_dir(home: Path, kind: str) -> Path:
    data_dir = Path(tempfile.mkdtemp(dir=home))
    if kind == "app":
        from zlay_desktop.core.paths import AppPaths
        from zlay_desktop.core.settings import Settings, SettingsFile, preset_named

        profile = dataclasses.replace(preset_named("Ollama").new_profile(), model="llama3")
        paths = AppPaths.portable(data_dir)
        paths.ensure()
        SettingsFile(paths.settings_file).save(
            Settings(profiles=(profile,), active_profile_id=profile.id)
        )
    return data_dir


def launch(kind: str, home: Path, extra: list[str] | None = None) -> tuple[float, str]:
    """Seconds from spawn to the first paint of the main window, and the stderr text.

    kind: "bare", "app" (returning user) or "first-run".
    """
    data_dir = _data_dir(home, kind)
    driver_kind = "bare" if kind == "bare" else "app"
    command = [
        sys.executable,
        *(extra or []),
        "-m",
        "bench.startup_driver",
        driver_kind,
        str(data_dir),
    ]
    start = time.monotonic()
    done = subprocess.run(
        command, cwd=ROOT, env=_env(home), capture_output=True, text=True, timeout=120
    )
    match = re.search(r"^SHOWN (\S+)$", done.stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{kind} never showed its window:\n{done.stdout}\n{done.stderr}")
    return float(match.group(1)) - start, done.stderr


def import_profile(stderr: str, top: int = 15) -> list[dict[str, Any]]:
    """The top-level imports (and their cumulative cost) from ``-X importtime`` output."""
    rows: list[tuple[int, int, int, str]] = []
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)))
    # Depth 1 entries: what the driver itself (or the app's modules) imported.
    shallow = [r for r in rows if r[2] <= 3]
    shallow.sort(key=lambda r: r[1], reverse=True)
    return [{"module": r[3], "cumulative_ms": round(r[1] / 1000, 1)} for r in shallow[:top]]


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--reps", type=int, default=7)
    args = args_parser.parse_args()
    reps = 3 if args.quick else args.reps
    times: dict[str, list[float]] = {"bare": [], "app": [], "first-run": []}
    kinds = list(times)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        # One untimed run of each: the OS file cache then holds every library, as it would
        # for a user who started the app before.
        for kind in kinds:
            launch(kind, home)
        for rep in range(reps):
            for kind in kinds if rep % 2 == 0 else reversed(kinds):
                seconds, _ = launch(kind, home)
                times[kind].append(seconds)
                print(f"  {kind:9}: {seconds * 1000:.0f} ms", flush=True)
        _, stderr = launch("app", home, ["-X", "importtime"])
    app_s, bare_s, first_s = times["app"], times["bare"], times["first-run"]
    app_ms = median(app_s) * 1000
    bare_ms = median(bare_s) * 1000
    first_ms = median(first_s) * 1000
    result = Result(
        name="startup",
        title="5. Startup: app vs bare PySide6 window",
        params={"reps": reps},
        metrics={
            "app_ms": [round(s * 1000, 1) for s in app_s],
            "first_run_ms": [round(s * 1000, 1) for s in first_s],
            "bare_pyside6_ms": [round(s * 1000, 1) for s in bare_s],
            "app_median_ms": round(app_ms, 1),
            "first_run_median_ms": round(first_ms, 1),
            "bare_median_ms": round(bare_ms, 1),
            "ratio_app_over_bare": round(app_ms / bare_ms, 3),
            "ratio_first_run_over_bare": round(first_ms / bare_ms, 3),
            "slowest_imports_before_shown": import_profile(stderr),
        },
    )
    result.targets.append(
        Target(
            "startup vs bare PySide6 window (returning user)",
            "≤ 1.2×",
            1.2,
            result.metrics["ratio_app_over_bare"],
            "×",
        )
    )
    result.targets.append(
        Target(
            "startup vs bare PySide6 window (first run, Settings opens)",
            "≤ 1.2×",
            1.2,
            result.metrics["ratio_first_run_over_bare"],
            "×",
        )
    )
    result.notes.append(
        "Both are `python -m bench.startup_driver …` processes: interpreter start, imports, "
        "QApplication, a 1100×760 main window, first paint (offscreen). The import list "
        "comes from one extra run under -X importtime (which itself slows imports)."
    )
    result.finish()


if __name__ == "__main__":
    main()
