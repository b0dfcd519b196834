"""8. Stalls in the real app, as a user meets them: a 5 ms heartbeat on the GUI loop of the
whole `Application` (settings, keyring, history, sidebar, window), started as a desktop
menu starts it, its provider the benchmark server given on the command line.

Three moments the streaming benchmark (4) does not cover:

* first Send: the app's first message after launch (the user sends once the app's
  background warm-up is done, as seconds of typing would allow), from Send to the end of
  its short reply: building the client, the first request, the first save, the sidebar;
* short replies: 20 replies of a few words, one after another: what every reply costs at
  its end (saving, the footer, the sidebar refresh) with next to no streaming;
* one huge delta: a 1,000,000-character Markdown reply that arrives as one chunk.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    FRAME_MS,
    MODEL,
    Result,
    ServerProcess,
    Target,
    parser,
    run_qt,
    spec,
)
from bench.stalls import Heartbeat, analyse
from tests.waiting import until
from zlay_desktop.core.models import Message

SHORT_REPLIES = 20


async def measure(base_url: str, data_dir: Path, huge_chars: int) -> dict[str, Any]:
    from zlay_desktop.app import Application, Options

    app = Application(Options(data_dir=data_dir, base_url=base_url, model=MODEL))
    app.start()
    await until(lambda: app.warmed_up.is_set(), 60, what="the app's warm-up")
    heartbeat = Heartbeat(5)
    out: dict[str, Any] = {}

    async def send(text: str) -> str:
        app.window.composer.setPlainText(text)
        app.window.send_from_composer()
        task = app.controller.task
        assert task is not None, "the app refused to send"
        message: Message = await task
        # The sidebar refreshes once the reply is saved: part of what a reply costs.
        await until(lambda: not app.sidebar.busy, 30, what="the sidebar's refresh")
        return message.content

    try:
        heartbeat.start()
        await send("Hello! What can you do?")
        out["first_send"] = analyse(heartbeat.stop(), None)
        print(f"  first Send: longest gap {out['first_send']['longest_gap_ms']} ms", flush=True)

        heartbeat.start()
        for i in range(SHORT_REPLIES):
            await send(f"A short question, number {i + 1}.")
        out["short_replies"] = analyse(heartbeat.stop(), None)
        out["short_replies"]["replies"] = SHORT_REPLIES
        print(
            f"  {SHORT_REPLIES} short replies: longest gap "
            f"{out['short_replies']['longest_gap_ms']} ms",
            flush=True,
        )

        app.controller.new_conversation()
        heartbeat.start()
        sent_at = time.perf_counter()
        text = await send(spec(chars=huge_chars, whole=True))
        # The reply is saved; the view shows it a slice a frame until all is rendered.
        view = app.window.chat_view
        await until(lambda: not view.rendering, 60, what="the reply to be rendered")
        out["huge_delta_render_s"] = round(time.perf_counter() - sent_at, 2)
        out["huge_delta"] = analyse(heartbeat.stop(), None)
        out["huge_delta"]["reply_chars"] = len(text)
        print(
            f"  one {len(text):,}-character delta: longest gap "
            f"{out['huge_delta']['longest_gap_ms']} ms",
            flush=True,
        )
    finally:
        await app.shutdown()
    return out


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--huge-chars", type=int, default=1_000_000)
    args = args_parser.parse_args()
    huge = 200_000 if args.quick else args.huge_chars
    with ServerProcess() as server, tempfile.TemporaryDirectory() as tmp:
        metrics = run_qt(lambda: measure(server.base_url, Path(tmp), huge))
    result = Result(
        name="app_stalls",
        title="8. GUI stalls in the real app: first Send, short replies, one huge delta",
        params={"short_replies": SHORT_REPLIES, "huge_delta_chars": huge},
        metrics=metrics,
    )
    result.targets.append(
        Target(
            "first Send after launch: longest GUI stall",
            "≤ 50 ms",
            50.0,
            metrics["first_send"]["longest_gap_ms"],
            "ms",
        )
    )
    result.targets.append(
        Target(
            f"{SHORT_REPLIES} short replies: longest GUI stall",
            "≤ 16.7 ms",
            FRAME_MS,
            metrics["short_replies"]["longest_gap_ms"],
            "ms",
        )
    )
    result.targets.append(
        Target(
            f"one {huge:,}-character delta: longest GUI stall",
            "≤ 50 ms",
            50.0,
            metrics["huge_delta"]["longest_gap_ms"],
            "ms",
        )
    )
    result.notes.append(
        "A gap is the time between two 5 ms heartbeats (PreciseTimer); a stall of N ms "
        "shows as a gap of about N + 5 ms. The app runs whole: its sidebar refreshes after "
        "each reply and every reply is saved."
    )
    result.finish()


if __name__ == "__main__":
    main()
