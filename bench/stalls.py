"""4. Stalls: a 5 ms heartbeat QTimer on the GUI loop while Markdown streams at ~2,000
chunks/s through the whole app path with the SQLite history on.

A gap between two heartbeats longer than 5 ms is time the GUI thread could not react
(a key press or a resize would have waited as long). Three phases in one process:

* idle: the window shown, nothing streaming (the baseline of this machine and loop);
* first reply: the first Markdown reply of the session (a few thousand characters): it pays
  one-time costs, such as loading Pygments lexers for the first code block;
* long reply: 200,000 characters.

Each gap over a frame (16.7 ms) is broken down into the document updates and paints of the
chat view that ran inside it; the rest is everything else (parsing, signals, the loop).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer

from bench.common import (
    FRAME_MS,
    BenchStack,
    Probe,
    Result,
    ServerProcess,
    Target,
    open_store,
    parser,
    percentile,
    profiling,
    run_qt,
    spec,
)
from tests.waiting import until


class Heartbeat(QObject):
    def __init__(self, interval_ms: int) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.cpu: list[float] = []  # GUI thread CPU time at each tick
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.cpu.append(time.thread_time())

    def start(self) -> None:
        self.ticks.clear()
        self.cpu.clear()
        self._timer.start()

    def stop(self) -> tuple[list[float], list[float]]:
        self._timer.stop()
        return list(self.ticks), list(self.cpu)


def _inside(starts: list[float], durations: list[float], t0: float, t1: float) -> float:
    return sum(d for s, d in zip(starts, durations, strict=True) if t0 <= s < t1)


def analyse(beats: tuple[list[float], list[float]], probe: Probe | None) -> dict[str, Any]:
    ticks, cpu = beats
    gaps = [(ticks[i + 1] - ticks[i], i) for i in range(len(ticks) - 1)]
    if not gaps:
        return {}
    ms = [g[0] * 1000 for g in gaps]
    # GUI-thread CPU inside each gap: the app's own work, apart from time the OS gave
    # other processes (on a loaded machine a gap can be long while the app did little).
    busy = [(cpu[i + 1] - cpu[i]) * 1000 for i in range(len(cpu) - 1)]
    out: dict[str, Any] = {
        "heartbeats": len(ticks),
        "longest_gap_ms": round(max(ms), 2),
        "p99_gap_ms": round(percentile(ms, 99), 2),
        "p50_gap_ms": round(percentile(ms, 50), 2),
        "gaps_over_frame": sum(1 for m in ms if m > FRAME_MS),
        "most_gui_cpu_in_one_gap_ms": round(max(busy), 2),
        "p99_gui_cpu_per_gap_ms": round(percentile(busy, 99), 2),
        "gaps_with_over_a_frame_of_gui_cpu": sum(1 for b in busy if b > FRAME_MS),
    }
    if probe is not None:
        long_gaps = sorted((g for g in gaps if g[0] * 1000 > FRAME_MS), reverse=True)
        out["longest_gaps"] = [
            {
                "gap_ms": round(g * 1000, 1),
                "gui_cpu_ms": round(busy[i], 1),
                "at_s": round(ticks[i] - ticks[0], 3),
                "document_updates_ms": round(
                    _inside(probe.flush_at, probe.flush_s, ticks[i], ticks[i + 1]) * 1000, 1
                ),
                "paints_ms": round(
                    _inside(probe.paint_at, probe.paint_s, ticks[i], ticks[i + 1]) * 1000, 1
                ),
            }
            for g, i in long_gaps[:8]
        ]
        if probe.flush_s:
            out["document_update_max_ms"] = round(max(probe.flush_s) * 1000, 2)
            out["document_update_p99_ms"] = round(percentile(probe.flush_s, 99) * 1000, 2)
        if probe.paint_s:
            out["paint_max_ms"] = round(max(probe.paint_s) * 1000, 2)
            out["paint_p99_ms"] = round(percentile(probe.paint_s, 99) * 1000, 2)
    return out


async def measure(
    base_url: str,
    data_dir: Path,
    first_chars: int,
    chars: int,
    rate: float,
    idle_s: float,
    profile: bool,
) -> dict[str, Any]:
    probe = Probe()
    stack = BenchStack(base_url, open_store(data_dir), probe)
    heartbeat = Heartbeat(5)
    await stack.show()
    await stack.send("warm up: imports, connection")
    out: dict[str, Any] = {}
    try:
        heartbeat.start()
        started = time.perf_counter()
        await until(lambda: time.perf_counter() - started > idle_s, idle_s + 5)
        out["idle"] = analyse(heartbeat.stop(), None)
        for phase, size in (("first_reply", first_chars), ("long_reply", chars)):
            stack.controller.new_conversation()
            await stack.next_paint(1.0)
            probe.reset()
            heartbeat.start()
            with profiling(profile and phase == "long_reply", "stalls-long"):
                final = await stack.send(spec(chars=size, rate=rate))
            out[phase] = analyse(heartbeat.stop(), probe)
            out[phase]["reply_chars"] = len(final.content)
            print(
                f"  {phase}: longest gap {out[phase]['longest_gap_ms']} ms, p99 "
                f"{out[phase]['p99_gap_ms']} ms; most GUI CPU in one gap "
                f"{out[phase]['most_gui_cpu_in_one_gap_ms']} ms",
                flush=True,
            )
    finally:
        await stack.close()
    return out


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--chars", type=int, default=200_000)
    args_parser.add_argument("--first-chars", type=int, default=5_000)
    args_parser.add_argument("--rate", type=float, default=2_000.0, help="chunks/s")
    args_parser.add_argument("--idle", type=float, default=2.0, help="idle baseline, seconds")
    args = args_parser.parse_args()
    chars = 40_000 if args.quick else args.chars
    with ServerProcess() as server, tempfile.TemporaryDirectory() as tmp:
        metrics = run_qt(
            lambda: measure(
                server.base_url,
                Path(tmp),
                args.first_chars,
                chars,
                args.rate,
                args.idle,
                args.profile,
            )
        )
    result = Result(
        name="stalls",
        title="4. GUI stalls while streaming (5 ms heartbeat)",
        params={
            "chars": chars,
            "first_chars": args.first_chars,
            "rate": args.rate,
            "history_store": True,
        },
        metrics=metrics,
    )
    longest = max(
        (metrics[p].get("longest_gap_ms", 0.0) for p in ("first_reply", "long_reply")),
        default=None,
    )
    result.targets.append(
        Target("longest GUI stall while streaming", "≤ 16.7 ms", FRAME_MS, longest, "ms")
    )
    result.targets.append(
        Target(
            "most GUI-thread CPU in one heartbeat gap (machine load taken out)",
            "≤ 16.7 ms",
            FRAME_MS,
            max(
                metrics[p].get("most_gui_cpu_in_one_gap_ms", 0.0)
                for p in ("first_reply", "long_reply")
            ),
            "ms",
        )
    )
    result.notes.append(
        "A gap is the time between two 5 ms heartbeats (PreciseTimer); a stall of N ms "
        "shows as a gap of about N + 5 ms."
    )
    result.finish()


if __name__ == "__main__":
    main()
