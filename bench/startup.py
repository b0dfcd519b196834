"""5. Startup: process start → main window painted, the real app versus a bare PySide6
main window, each in fresh processes, alternating, several times; medians.

The app starts as a desktop launcher starts it: ``zlay_desktop.app.run`` with no
arguments, its folders from the XDG variables (a fresh set for each run; see
bench/startup_driver.py); its process ends itself once started. Two cases:

* returning user: the config folder holds a settings file with one provider profile (a
  local server, no key) and the history is empty: the usual start;
* first run: nothing saved: the app also opens its Settings dialog to guide the user.

Three moments of the app's start: the main window's first paint (shown: the target's
measure; menus and toolbar), its composer's first paint (complete: the transcript and
composer too), and the end of ``Application.start`` (ready: the controller is attached, a
message can be sent). For the bare window the three are one. Bytecode is cached (in a
temp folder, ``PYTHONPYCACHEPREFIX``) as for an installed app; the first, untimed run of
each kind writes it. The time is taken from just before the process is spawned to the
driver's ``time.monotonic()`` stamps (the same clock in both processes). One more run of
the app under ``python -X importtime`` lists the imports that cost the most before the
window showed.
"""

from __future__ import annotations

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
MOMENTS = ("SHOWN", "COMPLETE", "READY")


def _env(home: Path, pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    # As an installed app: its modules' bytecode is cached (pip and the package do that).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    return env


def _save_profile(home: Path) -> None:
    """A returning user's settings, where the app looks for them under `home`'s XDG dirs."""
    import dataclasses

    from zlay_desktop import APP_ID
    from zlay_desktop.core.settings import Settings, SettingsFile, preset_named

    profile = dataclasses.replace(preset_named("Ollama").new_profile(), model="llama3")
    config_dir = home / "xdg_config_home" / APP_ID
    config_dir.mkdir(parents=True, exist_ok=True)
    SettingsFile(config_dir / "settings.json").save(
        Settings(profiles=(profile,), active_profile_id=profile.id)
    )


def launch(kind: str, root: Path, extra: list[str] | None = None) -> tuple[dict[str, float], str]:
    """Seconds from spawn to each moment (SHOWN, COMPLETE, READY), and the stderr text.

    kind: "bare", "app" (returning user) or "first-run".
    """
    home = Path(tempfile.mkdtemp(dir=root))
    if kind == "app":
        _save_profile(home)
    command = [sys.executable, *(extra or []), "-m", "bench.startup_driver", kind]
    start = time.monotonic()
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=_env(home, root / "pycache"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds: dict[str, float] = {}
    for moment in MOMENTS:
        match = re.search(rf"^{moment} (\S+)$", done.stdout, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"{kind} never reached {moment}:\n{done.stdout}\n{done.stderr}")
        seconds[moment] = float(match.group(1)) - start
    return seconds, done.stderr


def import_profile(stderr: str, top: int = 12) -> dict[str, list[dict[str, Any]]]:
    """The top-level imports (and their cumulative cost) from ``-X importtime`` output,
    before the window's first paint and between it and the app being ready."""
    phases: dict[str, list[tuple[int, int, str]]] = {"before_shown": [], "shown_to_ready": []}
    phase = "before_shown"
    for line in stderr.splitlines():
        if line.strip() == "-- SHOWN":
            phase = "shown_to_ready"
        m = _IMPORT_LINE.match(line)
        if m:
            phases[phase].append((int(m.group(2)), len(m.group(3)), m.group(4)))
    listed: dict[str, list[dict[str, Any]]] = {}
    for name, rows in phases.items():
        # Shallow entries: what the driver itself (or the app's modules) imported.
        shallow = sorted((r for r in rows if r[1] <= 3), reverse=True)[:top]
        listed[name] = [{"module": r[2], "cumulative_ms": round(r[0] / 1000, 1)} for r in shallow]
    return listed


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--reps", type=int, default=7)
    args = args_parser.parse_args()
    reps = 3 if args.quick else args.reps
    kinds = ("bare", "app", "first-run")
    times: dict[str, dict[str, list[float]]] = {k: {m: [] for m in MOMENTS} for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # One untimed run of each: bytecode is then cached and the OS file cache holds
        # every library, as for a user who started the app before.
        for kind in kinds:
            launch(kind, root)
        for rep in range(reps):
            for kind in kinds if rep % 2 == 0 else tuple(reversed(kinds)):
                seconds, _ = launch(kind, root)
                for moment, value in seconds.items():
                    times[kind][moment].append(value * 1000)
                print(
                    f"  {kind:9}: "
                    + ", ".join(f"{m.lower()} {seconds[m] * 1000:.0f} ms" for m in MOMENTS),
                    flush=True,
                )
        _, stderr = launch("app", root, ["-X", "importtime"])
    bare_ms = median(times["bare"]["SHOWN"])
    metrics: dict[str, Any] = {"bare_pyside6_ms": [round(v, 1) for v in times["bare"]["SHOWN"]]}
    metrics["bare_median_ms"] = round(bare_ms, 1)
    for kind, label in (("app", "app"), ("first-run", "first_run")):
        for moment in MOMENTS:
            values = times[kind][moment]
            metrics[f"{label}_{moment.lower()}_ms"] = [round(v, 1) for v in values]
            metrics[f"{label}_{moment.lower()}_median_ms"] = round(median(values), 1)
            metrics[f"ratio_{label}_{moment.lower()}_over_bare"] = round(
                median(values) / bare_ms, 3
            )
    metrics["slowest_imports"] = import_profile(stderr)
    result = Result(
        name="startup",
        title="5. Startup: app vs bare PySide6 window",
        params={"reps": reps},
        metrics=metrics,
    )
    for label, case in (("app", "returning user"), ("first_run", "first run, Settings opens")):
        result.targets.append(
            Target(
                f"startup vs bare PySide6 window ({case}): main window shown",
                "≤ 1.2×",
                1.2,
                metrics[f"ratio_{label}_shown_over_bare"],
                "×",
            )
        )
    result.notes.append(
        "All are `python -m bench.startup_driver …` processes: interpreter start, imports, "
        "QApplication, a 1100×760 main window, first paint (offscreen). Shown: the main "
        "window's first paint (menus, toolbar); complete: its composer painted too; ready: "
        "the app started (a message can be sent). The import lists come from one extra run "
        "under -X importtime (which itself slows imports)."
    )
    result.finish()


if __name__ == "__main__":
    main()
