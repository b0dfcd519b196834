"""Run the test server in the foreground: ``python -m tests.testserver [--port 8000]``."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from tests.testserver.server import OpenAITestServer, demo_reply


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.testserver",
        description="A scriptable OpenAI-compatible server. Ask for 'markdown' to see the "
        "markdown demo; anything else is echoed back.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--delay", type=float, default=0.03, help="seconds between chunks (default: 0.03)"
    )
    parser.add_argument(
        "--api-key", default=None, help="require this key (default: accept any key)"
    )
    args = parser.parse_args(argv)

    server = OpenAITestServer(host=args.host, port=args.port, api_key=args.api_key)
    server.set_default(demo_reply(args.delay))
    try:
        server.start()
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(
        f"Test server on {server.base_url} — try: scripts/app --base-url {server.base_url} "
        "--model test-model",
        flush=True,
    )
    print("Press Ctrl+C to stop.", flush=True)
    stopped = threading.Event()
    try:
        # A bounded wait keeps Ctrl+C responsive on every platform.
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("\nStopping.", flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
