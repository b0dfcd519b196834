"""7. Memory: resident set size after streaming 1M characters in one reply, and after 500
consecutive replies (one conversation), each in a fresh process.

Both go through the whole app path with the SQLite history on, unpaced. RSS is read with
psutil after the reply ended, the view painted and a garbage collection ran; the baseline
is the same process with the window shown and one short reply done.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from bench.common import (
    ROOT,
    BenchStack,
    Probe,
    Result,
    ServerProcess,
    Target,
    open_store,
    parser,
    run_qt,
)
from bench.server import spec

MB = 1024 * 1024


def rss_mb() -> float:
    return round(psutil.Process().memory_info().rss / MB, 1)


async def phase(base_url: str, data_dir: Path, which: str, chars: int, replies: int) -> Any:
    probe = Probe()
    stack = BenchStack(base_url, open_store(data_dir), probe)
    await stack.show()
    await stack.send("warm up: imports, connection")
    await stack.settle_paints()
    gc.collect()
    out: dict[str, Any] = {"baseline_rss_mb": rss_mb()}
    started = time.perf_counter()
    try:
        if which == "long":
            final = await stack.send(spec(chars=chars))
            out["reply_chars"] = len(final.content)
        else:
            total = 0
            samples = {}
            for i in range(replies):
                final = await stack.send(spec(chars=chars))
                total += len(final.content)
                if (i + 1) % 100 == 0:
                    samples[i + 1] = rss_mb()
                    print(f"  after {i + 1} replies: {samples[i + 1]} MB", flush=True)
            out["replies"] = replies
            out["chars_per_reply"] = chars
            out["total_reply_chars"] = total
            out["rss_mb_every_100_replies"] = samples
        await stack.settle_paints()
        # Let deferred deletions and the loop's own cleanup run before measuring.
        await asyncio.sleep(0.2)
        gc.collect()
        out["rss_mb"] = rss_mb()
        out["seconds"] = round(time.perf_counter() - started, 1)
        out["document_chars"] = stack.view.document().characterCount()
    finally:
        await stack.close()
    return out


def run_phase(which: str, chars: int, replies: int) -> dict[str, Any]:
    """Runs one phase in a fresh process (memory from one must not count in the other)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.memory",
            "--phase",
            which,
            "--chars",
            str(chars),
            "--replies",
            str(replies),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("PHASE "):
            result: dict[str, Any] = json.loads(line[6:])
            return result
        print(line)
    raise RuntimeError(f"memory phase {which} failed:\n{done.stdout}\n{done.stderr}")


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--phase", choices=("long", "many"), help=argparse.SUPPRESS)
    args_parser.add_argument("--chars", type=int, default=0)
    args_parser.add_argument("--replies", type=int, default=500)
    args = args_parser.parse_args()
    if args.phase:
        with ServerProcess() as server, tempfile.TemporaryDirectory() as tmp:
            out = run_qt(
                lambda: phase(server.base_url, Path(tmp), args.phase, args.chars, args.replies)
            )
        print("PHASE " + json.dumps(out), flush=True)
        return
    long_chars = 200_000 if args.quick else 1_000_000
    replies = 50 if args.quick else args.replies
    reply_chars = 2_000
    long = run_phase("long", long_chars, 0)
    print(f"  1 reply of {long['reply_chars']:,} chars: {long['rss_mb']} MB", flush=True)
    many = run_phase("many", reply_chars, replies)
    print(f"  {replies} replies: {many['rss_mb']} MB", flush=True)
    result = Result(
        name="memory",
        title="7. Memory (RSS)",
        params={"long_chars": long_chars, "replies": replies, "chars_per_reply": reply_chars},
        metrics={"one_long_reply": long, "many_replies": many},
    )
    result.targets.append(
        Target(
            f"RSS after {long_chars:,} streamed characters",
            "≤ 150 MB",
            150.0,
            long["rss_mb"],
            "MB",
        )
    )
    result.targets.append(
        Target(
            f"RSS after {replies} replies (same limit)",
            "≤ 150 MB",
            150.0,
            many["rss_mb"],
            "MB",
        )
    )
    result.finish()


if __name__ == "__main__":
    main()
