"""What-if measurements: the gain of a change, measured on the app's own classes with the
change applied (or undone) from outside — a subclass or a patch in this process only. These
are NOT the app's path: the benchmarks are. Most of the changes measured here are now in the
app (bench/README.md says which); the comparison stays, so the gain can be checked again.

    .venv/bin/python -m bench.whatif end-reply          one edit block vs two, at the end
    .venv/bin/python -m bench.whatif first-code-block   cold vs warmed Pygments and font
    .venv/bin/python -m bench.whatif send-history       SDK transform vs extra_body
    .venv/bin/python -m bench.whatif open-history       all messages vs the newest page
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import ROOT, median

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    instance = QApplication.instance()
    return instance if instance is not None else QApplication(sys.argv[:1])


def _view() -> Any:
    from zlay_desktop.ui.chat_view import ChatView

    _app()
    view = ChatView()
    view.resize(840, 600)
    view.show()
    _app().processEvents()
    return view


def _stream_into(view: Any, key: int, chunks: list[str]) -> None:
    from zlay_desktop.core.chat_session import ReplyAccumulator
    from zlay_desktop.core.events import TextDelta

    reply = ReplyAccumulator("m")  # the session's part: the view reads the text from it
    view.begin_reply(key, "m", reply)
    for i in range(0, len(chunks), 64):
        for chunk in chunks[i : i + 64]:
            reply.add(TextDelta(chunk))
            view.append_text(key, chunk)
        view.flush()
    _app().processEvents()


def end_reply(chars: int) -> None:
    """ChatView.end_reply updates header (top) and footer (bottom) in one edit block; Qt
    then lays out the whole reply again. The variant puts the header in its own block."""
    from PySide6.QtGui import QTextCursor

    from bench.content import markdown_chunks
    from zlay_desktop.core.models import Message, ReplyState, Role
    from zlay_desktop.ui.chat_view import ChatView

    class SplitEndReply(ChatView):
        def end_reply(self, key: int, message: Message) -> None:
            entry = self._entries[key]
            self._dirty.discard(key)
            self._flush_entry(entry)
            live = entry.live
            assert live is not None
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            self._apply_markdown(cursor, entry, live.markdown.finish())
            entry.live = None
            entry.message = message
            self._render_tools(cursor, entry, message.tool_calls)
            self._render_refusal(cursor, entry, message.refusal)
            self._set_section_html(cursor, entry, "footer", self._footer_html(key, message))
            cursor.endEditBlock()
            cursor.beginEditBlock()
            self._render_reasoning(cursor, entry)
            self._set_header(cursor, entry)
            cursor.endEditBlock()

    _app()
    chunks = markdown_chunks(chars)
    final = Message(
        role=Role.ASSISTANT,
        content="".join(chunks),
        state=ReplyState.FINISHED,
        finish_reason="stop",
        model="m",
    )
    for name, cls in (("as is", ChatView), ("header apart", SplitEndReply)):
        times = []
        for rep in range(3):
            view = cls()
            view.resize(840, 600)
            view.show()
            _stream_into(view, rep, chunks)
            start = time.perf_counter()
            view.end_reply(rep, final)
            times.append((time.perf_counter() - start) * 1000)
            view.close()
        print(f"  end_reply of a {len(final.content):,}-char reply, {name}: {median(times):.1f} ms")


def first_code_block(child: str | None) -> None:
    """The session's first code block pays for Pygments (lexer import, regex compilation)
    and Qt (the monospace font); warmed after the window is shown, it does not."""
    if child is None:
        for variant in ("cold", "warmed", "cold", "warmed"):
            out = subprocess.run(
                [sys.executable, "-m", "bench.whatif", "first-code-block", "--child", variant],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            print("  " + out.strip().splitlines()[-1])
        return
    app = _app()
    view = _view()
    if child == "warmed":
        # What the app could do once its window is shown (on an idle turn).
        from PySide6.QtGui import QTextCursor, QTextDocument

        from zlay_desktop.core.markdown_render import render_markdown, theme_for

        start = time.perf_counter()
        render_markdown("```python\nx = 1\n```\n", message_key=0, theme=theme_for(False))
        # Lay out a line in the code block's formats once: loads the monospace font.
        scratch = QTextDocument()
        block_format, char_format = view._code_formats()
        QTextCursor(scratch).insertBlock(block_format, char_format)
        QTextCursor(scratch).insertText("x = 1", char_format)
        scratch.documentLayout().documentSize()
        print(f"  (warm-up took {(time.perf_counter() - start) * 1000:.0f} ms)")
    pieces = ["Some text.\n\n", "```python\n", "def f(x):\n    return x\n", "```\n\n", "done\n"]
    from zlay_desktop.core.chat_session import ReplyAccumulator
    from zlay_desktop.core.events import TextDelta

    reply = ReplyAccumulator("m")
    view.begin_reply(0, "m", reply)
    took = []
    for piece in pieces:
        reply.add(TextDelta(piece))
        view.append_text(0, piece)
        start = time.perf_counter()
        view.flush()
        took.append(round((time.perf_counter() - start) * 1000, 1))
        app.processEvents()
    print(f"{child}: document updates while the first code block arrives (ms): {took}")


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


def open_history(messages: int, page: int) -> None:
    """Opening renders every message; the newest page alone (the store has messages_page)
    in one edit block is what a paged open would cost."""
    from PySide6.QtGui import QTextCursor

    from bench.content import markdown_text
    from zlay_desktop.core.models import Message, ReplyState, Role

    history = [
        Message(role=Role.USER, content="Please explain this in more detail. " * 4)
        if i % 2 == 0
        else Message(
            role=Role.ASSISTANT,
            content=markdown_text(800),
            state=ReplyState.FINISHED,
            finish_reason="stop",
            model="m",
        )
        for i in range(messages)
    ]
    for name, shown, one_block in (
        ("warm-up (not timed)", history[:4], False),
        (f"all {messages}, as show_messages does", history, False),
        (f"all {messages}, one edit block", history, True),
        (f"newest {page}, as show_messages does", history[-page:], False),
        (f"newest {page}, one edit block", history[-page:], True),
    ):
        times = []
        for _ in range(1 if len(shown) > page else 3):
            view = _view()
            start = time.perf_counter()
            outer = QTextCursor(view.document())
            if one_block:
                outer.beginEditBlock()
            for index, message in enumerate(shown):
                view.add_message(str(index), message)
            if one_block:
                outer.endEditBlock()
            view.viewport().repaint()
            times.append((time.perf_counter() - start) * 1000)
            view.close()
        if not name.startswith("warm-up"):
            print(f"  open → painted, {name}: {median(times):.0f} ms", flush=True)


EXPERIMENTS: dict[str, Callable[[argparse.Namespace], None]] = {
    "end-reply": lambda a: end_reply(a.chars),
    "first-code-block": lambda a: first_code_block(a.child),
    "send-history": lambda a: send_history(a.messages),
    "open-history": lambda a: open_history(a.messages, a.page),
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("experiment", choices=list(EXPERIMENTS))
    p.add_argument("--chars", type=int, default=200_000)
    p.add_argument("--messages", type=int, default=1_000)
    p.add_argument("--page", type=int, default=30)
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.experiment == "open-history" and "--messages" not in sys.argv:
        args.messages = 2_000
    print(f"== what if: {args.experiment}")
    EXPERIMENTS[args.experiment](args)


if __name__ == "__main__":
    main()
