"""The project's test server in a process of its own, answering benchmark requests.

``python -m bench.server`` prints ``READY <base_url>`` and serves until its standard input
closes (so it never outlives the benchmark that started it). Running it apart keeps the
server's work off the measured process's GIL, as a real provider would be.

The last user message of a request is a JSON spec of the reply to stream::

    {"chars": 200000}              Markdown of about that many characters, ~5 chars a chunk
    {"chunks": 50000}              exactly that many chunks of the same Markdown
    {"rate": 2000}                 pace the chunks (chunks per second; 0 or absent: as fast
                                   as the socket takes them)
    {"chars": 1000000, "whole": 1} that Markdown in one chunk (one huge delta)

Anything else is echoed back.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bench.content import markdown_chunk_count, markdown_chunks
from tests.testserver import (
    ChatScript,
    Delay,
    OpenAITestServer,
    RecordedRequest,
    Script,
    Step,
    Text,
    echo_reply,
    last_user_text,
)


@lru_cache(maxsize=16)
def _script(chars: int, chunks: int, rate: float, whole: bool = False) -> ChatScript:
    pieces = markdown_chunk_count(chunks) if chunks else markdown_chunks(chars)
    if whole:
        pieces = ["".join(pieces)]
    steps: list[Step] = []
    gap = Delay(1.0 / rate) if rate > 0 else None
    for i, piece in enumerate(pieces):
        if gap is not None and i:
            steps.append(gap)
        steps.append(Text(piece))
    return ChatScript(steps)


def bench_reply(request: RecordedRequest) -> Script:
    text = last_user_text(request)
    try:
        spec = json.loads(text)
    except ValueError:
        return echo_reply(request)
    if not isinstance(spec, dict):
        return echo_reply(request)
    return _script(
        int(spec.get("chars", 0)),
        int(spec.get("chunks", 0)),
        float(spec.get("rate", 0)),
        bool(spec.get("whole", 0)),
    )


class BenchServer(OpenAITestServer):
    """Keeps no request bodies: long benchmark histories would pile up here otherwise."""

    def _record(self, request: Any) -> RecordedRequest:
        recorded = super()._record(request)
        with self._lock:
            self._requests.clear()
        return recorded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = BenchServer(port=args.port)
    server.set_default(bench_reply)
    with server:
        print(f"READY {server.base_url}", flush=True)
        # Serve until the parent closes our stdin (or dies).
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
