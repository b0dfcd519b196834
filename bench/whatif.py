"""What-if measurements: the gain of a change, measured on the app's own classes with the
change applied (or undone) from outside — a subclass or a patch in this process only. These
are NOT the app's path: the benchmarks are. Most of the changes measured here are now in the
app (bench/README.md says which); the comparison stays, so the gain can be checked again.

    .venv/bin/python -m bench.whatif send-history       SDK transform vs extra_body

(The experiments that measured the transcript's old single QTextDocument went with it.)
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

from bench.common import median

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


async def _send_history(base_url: str, messages: int) -> None:
    import openai

    from bench.content import markdown_text

    history = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": markdown_text(1000)}
        for i in range(messages)
    ]
    client = openai.AsyncOpenAI(base_url=base_url, api_key="k", max_retries=0)
    results: dict[str, list[float]] = {"messages=history": [], "extra_body": []}
    try:
        for _ in range(3):
            for how in results:
                kwargs: dict[str, Any] = {"model": "test-model", "stream": True}
                if how == "extra_body":
                    # The SDK merges extra_body into the JSON as is: no per-message transform.
                    kwargs.update(messages=[], extra_body={"messages": history})
                else:
                    kwargs["messages"] = history
                cpu = time.thread_time()
                start = time.perf_counter()
                async with client.chat.completions.with_streaming_response.create(
                    **kwargs
                ) as response:
                    headers = time.perf_counter() - start
                    busy = time.thread_time() - cpu
                    async for _line in response.iter_lines():
                        pass
                results[how].append(busy * 1000)
                del headers
    finally:
        await client.close()
    for how, cpu_ms in results.items():
        print(
            f"  {messages} messages of ~1k chars, {how}: {median(cpu_ms):.0f} ms of GUI-thread "
            "CPU before the response starts"
        )


def send_history(messages: int) -> None:
    """Each Send passes the whole history through the SDK's TypedDict transform on the GUI
    thread (~180 µs a message); passed as extra_body it is sent as is."""
    from bench.common import ServerProcess, run_qt

    with ServerProcess() as server:
        run_qt(lambda: _send_history(server.base_url, messages))


EXPERIMENTS: dict[str, Callable[[argparse.Namespace], None]] = {
    "send-history": lambda a: send_history(a.messages),
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("experiment", choices=list(EXPERIMENTS))
    p.add_argument("--messages", type=int, default=1_000)
    args = p.parse_args()
    print(f"== what if: {args.experiment}")
    EXPERIMENTS[args.experiment](args)


if __name__ == "__main__":
    main()
