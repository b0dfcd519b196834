"""1. Arrival → on screen: for each chunk, the time from its line being parsed in the client
to its text being in the view's document, and to the end of the paint that showed it.

Streams Markdown paced at 100, 1,000 and 5,000 chunks/s from the test server (own process)
through the real SDK, backend, session (with the SQLite history), controller and chat view.
The session's first Markdown reply (one-time costs: see the stalls benchmark) is sent
before the measured ones. Also reports "schedule → document": the chunk's time in the document minus the time the
server was due to send it (first arrival + i / rate), which also counts the time a chunk
waits in the socket while the GUI thread is busy (the parse stamp cannot see that wait).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.common import (
    FRAME_MS,
    BenchStack,
    Probe,
    Result,
    ServerProcess,
    Target,
    open_store,
    parser,
    profiling,
    run_qt,
    spec,
    summary_ms,
)


def analyse(probe: Probe, rate: float) -> dict[str, Any]:
    n = min(len(probe.arrivals), len(probe.in_doc))
    arrivals, in_doc = probe.arrivals[:n], probe.in_doc[:n]
    to_doc = [d - a for a, d in zip(arrivals, in_doc, strict=True)]
    p = min(n, len(probe.painted))
    to_paint = [probe.painted[i] - arrivals[i] for i in range(p)]
    start = arrivals[0] if arrivals else 0.0
    scheduled = [max(0.0, d - (start + i / rate)) for i, d in enumerate(in_doc)]
    span = arrivals[-1] - arrivals[0] if n > 1 else 0.0
    return {
        "chunks": n,
        "achieved_rate": round((n - 1) / span, 1) if span > 0 else None,
        "arrival_to_document_ms": summary_ms(to_doc),
        "arrival_to_painted_ms": summary_ms(to_paint),
        "schedule_to_document_ms": summary_ms(scheduled),
        "document_updates": len(probe.flush_s),
        "document_update_ms": summary_ms(probe.flush_s),
        "paints": len(probe.paint_s),
        "paint_ms": summary_ms(probe.paint_s),
    }


async def measure(
    base_url: str, data_dir: Path, rates: list[float], seconds: float, profile: bool
) -> dict[str, Any]:
    probe = Probe()
    stack = BenchStack(base_url, open_store(data_dir), probe)
    await stack.show()
    await stack.send("warm up: imports, connection")  # echoed back
    # One reply with every kind of block: the session's first code block pays one-time
    # costs (Pygments lexers, the monospace font) that the stalls benchmark reports apart.
    await stack.send(spec(chars=3000))
    out: dict[str, Any] = {}
    try:
        for rate in rates:
            stack.controller.new_conversation()
            await stack.next_paint(1.0)
            probe.reset()
            chunks = max(50, int(rate * seconds))
            with profiling(profile, f"latency-{int(rate)}"):
                final = await stack.send(spec(chunks=chunks, rate=rate))
                await stack.settle_paints()
            result = analyse(probe, rate)
            result["reply_chars"] = len(final.content)
            result["state"] = final.state.value
            out[f"{int(rate)}/s"] = result
            doc, paint = result["arrival_to_document_ms"], result["arrival_to_painted_ms"]
            print(
                f"  {int(rate):>5} chunks/s ({result['chunks']} chunks, achieved "
                f"{result['achieved_rate']}/s): in document p50 {doc.get('p50')} p99 "
                f"{doc.get('p99')} max {doc.get('max')} ms; painted p50 {paint.get('p50')} "
                f"p99 {paint.get('p99')} max {paint.get('max')} ms",
                flush=True,
            )
    finally:
        await stack.close()
    return out


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--rates", default="100,1000,5000", help="chunks/s, comma-separated")
    args_parser.add_argument("--seconds", type=float, default=3.0, help="stream length per rate")
    args = args_parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    seconds = 1.0 if args.quick else args.seconds
    with ServerProcess() as server, tempfile.TemporaryDirectory() as tmp:
        runs = run_qt(lambda: measure(server.base_url, Path(tmp), rates, seconds, args.profile))
    result = Result(
        name="latency",
        title="1. Arrival → in document / painted",
        params={"rates": rates, "seconds_per_rate": seconds, "history_store": True},
        metrics=runs,
    )
    at_1000 = runs.get("1000/s", {}).get("arrival_to_document_ms", {})
    result.targets.append(
        Target(
            "arrival → in document, p99 at 1,000 chunks/s",
            "≤ 16.7 ms",
            FRAME_MS,
            at_1000.get("p99"),
            "ms",
        )
    )
    result.notes.append(
        "Arrival is stamped as the backend yields the parsed chunk; 'in document' when the "
        "view's flush (its coalescing timer) has applied it; 'painted' at the end of the "
        "view's paintEvent that followed (offscreen platform: painting into a backing store)."
    )
    result.finish()


if __name__ == "__main__":
    main()
