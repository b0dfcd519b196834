"""3. Flatness: what one chunk costs when the reply is 2k characters long versus 200k.

Markdown (headings, prose, lists, tables, fenced code, quotes) paced at ~2,000 chunks/s
through the whole app path (SQLite history on). The cost of a chunk is the CPU time the
process spends between chunk arrivals (parse, signal, view buffer, document updates,
layout, paint, history saves), divided by the chunks:

* small: a 2,000-character reply, from its 10th percentile of characters to its end
  (the median of several replies);
* large: the last 10,000 characters (190k → 200k) of a 200,000-character reply.

The JSON also has the cost per 20k-character stretch of the long reply (the curve).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.common import (
    BenchStack,
    Probe,
    Result,
    ServerProcess,
    Target,
    median,
    open_store,
    parser,
    profiling,
    run_qt,
    spec,
)


def window_cost(probe: Probe, first_char: int, last_char: int) -> dict[str, float] | None:
    """CPU per chunk between the first chunks at or past first_char and last_char."""
    chars = probe.chars
    start = next((i for i, c in enumerate(chars) if c >= first_char), None)
    end = next((i for i, c in enumerate(chars) if c >= last_char), len(chars) - 1)
    if start is None or end <= start:
        return None
    n = end - start
    return {
        "chunks": n,
        "process_cpu_us": round((probe.process_cpu[end] - probe.process_cpu[start]) / n * 1e6, 2),
        "gui_thread_cpu_us": round((probe.cpu[end] - probe.cpu[start]) / n * 1e6, 2),
        "wall_s": round(probe.arrivals[end] - probe.arrivals[start], 3),
    }


async def measure(
    base_url: str,
    data_dir: Path,
    small: int,
    large: int,
    tail: int,
    rate: float,
    reps: int,
    profile: bool,
) -> dict[str, Any]:
    probe = Probe(sample_cpu=True)
    stack = BenchStack(base_url, open_store(data_dir), probe)
    await stack.show()
    await stack.send("warm up: imports, connection")
    # One untimed reply with every kind of block: the first code block pays Pygments'
    # lexer import and regex compilation (measured apart, see the stalls benchmark).
    await stack.send(spec(chars=3000))
    smalls: list[dict[str, float]] = []
    try:
        for _ in range(reps):
            stack.controller.new_conversation()
            await stack.next_paint(1.0)
            probe.reset()
            final = await stack.send(spec(chars=small, rate=rate))
            cost = window_cost(probe, len(final.content) // 10, len(final.content))
            if cost is not None:
                smalls.append(cost)
        stack.controller.new_conversation()
        await stack.next_paint(1.0)
        probe.reset()
        with profiling(profile, "flatness-large"):
            final = await stack.send(spec(chars=large, rate=rate))
        length = len(final.content)
        large_cost = window_cost(probe, length - tail, length)
        curve = {
            f"{start // 1000}k-{(start + 20_000) // 1000}k": window_cost(
                probe, start, start + 20_000
            )
            for start in range(0, length, 20_000)
        }
    finally:
        await stack.close()
    small_cost = {
        key: round(median([s[key] for s in smalls]), 2)
        for key in ("process_cpu_us", "gui_thread_cpu_us", "chunks")
    }
    ratio = None
    if large_cost is not None and small_cost["process_cpu_us"] > 0:
        ratio = round(large_cost["process_cpu_us"] / small_cost["process_cpu_us"], 3)
    return {
        "small_reply_chars": small,
        "large_reply_chars": length,
        "per_chunk_small": small_cost,
        "per_chunk_large_tail": large_cost,
        "ratio_large_over_small": ratio,
        "curve_per_chunk": curve,
    }


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--small", type=int, default=2_000)
    args_parser.add_argument("--large", type=int, default=200_000)
    args_parser.add_argument("--tail", type=int, default=10_000, help="window at the end")
    args_parser.add_argument("--rate", type=float, default=2_000.0, help="chunks/s")
    args_parser.add_argument("--reps", type=int, default=5, help="small replies")
    args = args_parser.parse_args()
    large = 40_000 if args.quick else args.large
    reps = 2 if args.quick else args.reps
    with ServerProcess() as server, tempfile.TemporaryDirectory() as tmp:
        metrics = run_qt(
            lambda: measure(
                server.base_url,
                Path(tmp),
                args.small,
                large,
                args.tail,
                args.rate,
                reps,
                args.profile,
            )
        )
    result = Result(
        name="flatness",
        title="3. Flatness: per-chunk cost, 200k vs 2k characters",
        params={
            "small": args.small,
            "large": large,
            "tail": args.tail,
            "rate": args.rate,
            "reps": reps,
            "history_store": True,
        },
        metrics=metrics,
    )
    result.targets.append(
        Target(
            "per-chunk cost 200k ÷ 2k",
            "≤ 1.3",
            1.3,
            metrics["ratio_large_over_small"],
            "×",
        )
    )
    result.finish()


if __name__ == "__main__":
    main()
