"""7. Memory: resident set size after streaming 1M characters in one reply, and after 500
consecutive replies of 2,000 characters, each phase in a fresh process.

Both go through the whole app path with the SQLite history on, unpaced. RSS is read with
psutil after the reply ended, the view painted and a garbage collection ran; the baseline
is the same process with the window shown and one short reply done.

The 500 replies go 50 to a conversation (then a new conversation, as a user would start
one): what stays after a conversation is left is what the replies leaked; the size of one
long transcript is what the first phase measures. ``--per-conversation 500`` keeps them all
in one conversation; that run takes minutes, most of it in the SDK preparing each request
(its cost grows with the history, see bench/README.md).
"""

from __future__ import annotations

import argparse
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
    spec,
)
from tests.waiting import until

MB = 1024 * 1024


def rss_mb() -> float:
    return round(psutil.Process().memory_info().rss / MB, 1)


async def phase(
    base_url: str, data_dir: Path, which: str, chars: int, replies: int, per_conversation: int
) -> Any:
    probe = Probe(record=False)
    stack = BenchStack(base_url, open_store(data_dir), probe)
    await stack.show()
    await stack.send("warm up: imports, connection")
    await stack.settle_paints()
    probe.reset()
    gc.collect()
    out: dict[str, Any] = {"baseline_rss_mb": rss_mb()}
    started = time.perf_counter()
    try:
        if which == "long":
            final = await stack.send(spec(chars=chars))
            out["reply_chars"] = len(final.content)
            probe.reset()
        else:
            total = 0
            samples = {}
            for i in range(replies):
                if i and i % per_conversation == 0:
                    stack.controller.new_conversation()
                final = await stack.send(spec(chars=chars))
                total += len(final.content)
                # The probe's timestamps (one per chunk) are the benchmark's, not the app's.
                probe.reset()
                if (i + 1) % 100 == 0:
                    samples[i + 1] = rss_mb()
                    print(f"  after {i + 1} replies: {samples[i + 1]} MB", flush=True)
            out["replies"] = replies
            out["replies_per_conversation"] = per_conversation
            out["chars_per_reply"] = chars
            out["total_reply_chars"] = total
            out["rss_mb_every_100_replies"] = samples
        released: list[bool] = []
        stack.window.memory_released.connect(lambda: released.append(True))
        await stack.settle_paints()
        gc.collect()
        out["rss_mb_at_reply_end"] = rss_mb()
        # As a user sees it a moment later: once idle, the window gives the memory that
        # rendering freed back to the OS (RELEASE_MEMORY_DELAY_MS after the reply ended).
        await until(lambda: bool(released), 5.0, "the window to release freed memory")
        gc.collect()
        out["rss_mb"] = rss_mb()
        out["seconds"] = round(time.perf_counter() - started, 1)
        out["transcript_rows"] = stack.view.model.rowCount()
    finally:
        await stack.close()
    return out


def run_phase(which: str, chars: int, replies: int, per_conversation: int) -> dict[str, Any]:
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
            "--per-conversation",
            str(per_conversation),
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
    args_parser.add_argument("--per-conversation", type=int, default=50)
    args = args_parser.parse_args()
    if args.phase:
        with ServerProcess() as server, tempfile.TemporaryDirectory() as tmp:
            out = run_qt(
                lambda: phase(
                    server.base_url,
                    Path(tmp),
                    args.phase,
                    args.chars,
                    args.replies,
                    args.per_conversation,
                )
            )
        print("PHASE " + json.dumps(out), flush=True)
        return
    long_chars = 200_000 if args.quick else 1_000_000
    replies = 50 if args.quick else args.replies
    reply_chars = 2_000
    long = run_phase("long", long_chars, 0, 1)
    print(f"  1 reply of {long['reply_chars']:,} chars: {long['rss_mb']} MB", flush=True)
    many = run_phase("many", reply_chars, replies, args.per_conversation)
    print(f"  {replies} replies: {many['rss_mb']} MB", flush=True)
    result = Result(
        name="memory",
        title="7. Memory (RSS)",
        params={
            "long_chars": long_chars,
            "replies": replies,
            "chars_per_reply": reply_chars,
            "replies_per_conversation": args.per_conversation,
        },
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
