"""2. Throughput: 50,000 small chunks through the whole app path versus the SDK alone.

Same server stream (Markdown, ~5 characters a chunk, unpaced), same process, same qasync
loop, alternating A-B-B-A so that drift on a shared machine hits both sides:

* baseline: ``async for chunk in await client.chat.completions.create(stream=True): pass``
  (typed chunk objects, the SDK's own parsing);
* full path: ChatController.send -> ChatSession (SQLite history on) -> OpenAIChatBackend
  (``with_streaming_response`` + the app's SSE parse) -> one Qt signal per chunk -> TranscriptView,
  until the whole reply is in the view's document.

For context only, the baseline also runs once on a stdlib asyncio loop in a worker thread.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    BenchStack,
    Probe,
    Result,
    ServerProcess,
    Target,
    bare_sdk_stream,
    median,
    open_store,
    parser,
    profiling,
    run_qt,
    spec,
)


async def measure(
    base_url: str, data_dir: Path, chunks: int, reps: int, profile: bool
) -> dict[str, Any]:
    probe = Probe()
    stack = BenchStack(base_url, open_store(data_dir), probe)
    await stack.show()
    await stack.send("warm up: imports, connection")
    await bare_sdk_stream(base_url, spec(chunks=100))
    request = spec(chunks=chunks)
    bare: list[tuple[int, float, float]] = []
    full: list[tuple[int, float, float, float]] = []
    reply_chars = 0
    try:
        for rep in range(reps):
            for kind in ("bare", "full") if rep % 2 == 0 else ("full", "bare"):
                if kind == "bare":
                    bare.append(await bare_sdk_stream(base_url, request))
                    print(f"  bare SDK loop: {bare[-1][1]:.2f} s", flush=True)
                    continue
                stack.controller.new_conversation()
                await stack.next_paint(1.0)
                probe.reset()
                with profiling(profile and rep == 0, "throughput-full"):
                    wall, cpu = time.perf_counter(), time.thread_time()
                    final = await stack.send(request)
                    # send() returns after end_reply: the whole reply is in the document.
                    in_doc = time.perf_counter() - wall
                    doc_cpu = time.thread_time() - cpu
                    await stack.settle_paints()
                    painted = (probe.painted[-1] if probe.painted else float("nan")) - wall
                reply_chars = len(final.content)
                if probe.received != chunks or final.state.value != "finished":
                    raise RuntimeError(
                        f"full path delivered {probe.received} of {chunks} chunks "
                        f"({final.state.value})"
                    )
                full.append((probe.received, in_doc, doc_cpu, painted))
                print(f"  full path:     {in_doc:.2f} s", flush=True)
        # Context: the same baseline on a plain asyncio loop (no Qt), in a worker thread.
        loop = asyncio.get_running_loop()
        stdlib = await loop.run_in_executor(
            None, lambda: asyncio.run(bare_sdk_stream(base_url, request))
        )
    finally:
        await stack.close()
    bare_wall = median([b[1] for b in bare])
    full_wall = median([f[1] for f in full])
    return {
        "chunks": chunks,
        "reply_chars": reply_chars,
        "bare_sdk": {
            "wall_s": [round(b[1], 3) for b in bare],
            "chunks_per_s": round(bare[0][0] / bare_wall),
            "cpu_us_per_chunk": round(median([b[2] for b in bare]) / bare[0][0] * 1e6, 1),
        },
        "full_path": {
            "wall_s": [round(f[1], 3) for f in full],
            "chunks_per_s": round(chunks / full_wall),
            "gui_thread_cpu_us_per_chunk": round(median([f[2] for f in full]) / chunks * 1e6, 1),
            "to_final_paint_s": round(median([f[3] for f in full]), 3),
        },
        "bare_sdk_stdlib_asyncio_s": round(stdlib[1], 3),
        "ratio_full_over_bare_throughput": round(bare_wall / full_wall, 3),
    }


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--chunks", type=int, default=50_000)
    args_parser.add_argument("--reps", type=int, default=2, help="runs of each side (A-B-B-A)")
    args = args_parser.parse_args()
    chunks = 5_000 if args.quick else args.chunks
    reps = 1 if args.quick else args.reps
    with ServerProcess() as server, tempfile.TemporaryDirectory() as tmp:
        metrics = run_qt(lambda: measure(server.base_url, Path(tmp), chunks, reps, args.profile))
    result = Result(
        name="throughput",
        title="2. Throughput: full path vs bare SDK loop",
        params={"chunks": chunks, "reps": reps, "history_store": True},
        metrics=metrics,
    )
    result.targets.append(
        Target(
            "throughput vs bare SDK loop",
            "≥ 3×",
            3.0,
            metrics["ratio_full_over_bare_throughput"],
            "×",
            higher_is_better=True,
        )
    )
    result.notes.append(
        "Ratio = bare SDK wall time ÷ full-path wall time (request sent → whole reply in the "
        "view's document), medians of the runs."
    )
    result.finish()


if __name__ == "__main__":
    main()
