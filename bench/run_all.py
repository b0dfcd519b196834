"""Runs every benchmark, each in a fresh process, then prints the summary table.

    .venv/bin/python bench/run_all.py                   all of them, full sizes
    .venv/bin/python bench/run_all.py --quick           smaller sizes (a smoke run)
    .venv/bin/python bench/run_all.py --only latency,stalls
    .venv/bin/python bench/run_all.py --update-readme   also put the table in bench/README.md

Each benchmark writes bench/results/<name>.json; the table is built from those files, so
``--table-only`` prints it again without running anything.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "bench" / "README.md"
BENCHMARKS = (
    "latency",
    "throughput",
    "flatness",
    "stalls",
    "startup",
    "history",
    "memory",
    "app_stalls",
)
START, END = "<!-- results:start -->", "<!-- results:end -->"


def run(name: str, extra: list[str]) -> tuple[int, float]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"\n##### {name}", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", f"bench.{name}", *extra], cwd=ROOT, env=env)
    return code, time.monotonic() - started


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _measured(target: dict[str, Any]) -> str:
    value = target.get("measured")
    if value is None:
        return "—"
    return f"{value:g} {target.get('unit', '')}".strip()


def _verdict(target: dict[str, Any]) -> str:
    if target.get("met"):
        return "yes"
    value, limit = target.get("measured"), target.get("limit")
    if value is None or not limit:
        return "no (not measured)"
    if target.get("higher_is_better"):
        return f"no ({limit / value:.2f}× short)"
    return f"no ({value / limit:.2f}× over)"


def table(names: tuple[str, ...]) -> tuple[str, str]:
    """The markdown table of every target, and a line naming the machine."""
    rows = ["| # | metric | target | measured | met? |", "|---|---|---|---|---|"]
    machine = ""
    loads: list[float] = []
    dates: list[str] = []
    for number, name in enumerate(names, start=1):
        data = load(name)
        if data is None:
            rows.append(f"| {number} | {name}: not run | | | |")
            continue
        m = data.get("machine", {})
        loads.append(float(m.get("load_average_1min", 0.0)))
        dates.append(str(data.get("written_at", ""))[:10])
        machine = machine or (
            f"{m.get('cpu')}, {m.get('usable_cores')} cores, {m.get('memory_mb')} MB RAM; "
            f"{m.get('os')}; Python {m.get('python')}, PySide6 {m.get('pyside6')} "
            f"(Qt {m.get('qt')}), openai {m.get('openai')}, qasync {m.get('qasync')}; "
            f"QT_QPA_PLATFORM={m.get('qpa_platform')}; commit {m.get('commit')}"
        )
        quick = " (quick sizes)" if data.get("params", {}).get("quick") else ""
        for target in data.get("targets", []):
            rows.append(
                f"| {number} | {target['metric']}{quick} | {target['target']} | "
                f"{_measured(target)} | {_verdict(target)} |"
            )
    if loads:
        machine += (
            f".\nRun {max(dates)}; 1-minute load average as each benchmark ended: "
            f"{min(loads):.2f} to {max(loads):.2f} (on 2 cores, above ~1 means other work shared the "
            "machine)"
        )
    return "\n".join(rows), machine


def update_readme(text: str) -> None:
    content = README.read_text()
    if START not in content or END not in content:
        raise SystemExit(f"{README} has no {START} … {END} section")
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller sizes")
    p.add_argument("--profile", action="store_true", help="also write profiles")
    p.add_argument("--only", default="", help="comma-separated names: " + ",".join(BENCHMARKS))
    p.add_argument("--update-readme", action="store_true", help="write the table to README")
    p.add_argument("--table-only", action="store_true", help="print the last results' table")
    args = p.parse_args()
    names = tuple(n for n in args.only.split(",") if n) or BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(unknown)}")
    failed: list[str] = []
    durations: dict[str, float] = {}
    if not args.table_only:
        extra = [flag for flag, on in (("--quick", args.quick), ("--profile", args.profile)) if on]
        for name in names:
            code, seconds = run(name, extra)
            durations[name] = seconds
            if code != 0:
                failed.append(name)
    rows, machine = table(BENCHMARKS if args.table_only else names)
    text = f"Machine: {machine}.\n\n{rows}"
    print("\n" + text)
    if durations:
        print("\nseconds per benchmark: " + ", ".join(f"{k} {v:.0f}" for k, v in durations.items()))
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
    if args.update_readme:
        update_readme(text)
        print(f"\nwritten: {README.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
