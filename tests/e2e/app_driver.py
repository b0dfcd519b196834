"""Runs the real app in its own process and drives it like a person would, for the
end-to-end tests; it reports on stdout, one line per fact.

    python -m tests.e2e.app_driver stream --data-dir DIR --base-url URL --model NAME \
        --message TEXT [--every N] [--regenerate]

Sends TEXT through the composer and the Send button, then keeps running until it is killed.
With --regenerate, it first waits for that reply to end (``FIRST <state>``), then presses
its Regenerate button: what streams then is a new version of the reply.
Prints ``CONVERSATION <id>`` once the conversation is stored, ``CHUNKS <n>`` every N chunks
shown, and ``ENDED <state>`` if the reply ends (it is not meant to).

    python -m tests.e2e.app_driver tools --data-dir DIR --base-url URL --model NAME \
        --message TEXT --mcp-config FILE

Sends TEXT and allows each tool call the model makes by clicking Allow on its approval
card; prints ``RUNNING <call id>`` when a call runs and ``RESULT <call id>`` when its result
is stored; then keeps running until it is killed.

    python -m tests.e2e.app_driver reopen --data-dir DIR --base-url URL --model NAME

Starts, opens the newest conversation by clicking it in the sidebar, and prints
``REPORT <json>``: what the chat view shows (transcript, action links, notice) and what the
store holds. Then prints ``WAITING`` and reads one command from stdin: ``retry`` clicks the
Retry link of the last reply, waits for the new reply and prints a second ``REPORT``;
``send TEXT`` sends TEXT through the composer, waits for the reply, prints ``SENT <state>``
and a second ``REPORT``; anything else (or end of input) quits. The exit status is 0 unless something failed
(``ERROR <what>`` is printed then).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.security.support import anchors, click_anchor
from tests.transcript_driver import press, settle
from zlay_desktop.app import Application, Options
from zlay_desktop.core.models import Message
from zlay_desktop.ui.event_loop import close_event_loop, create_event_loop
from zlay_desktop.ui.startup import qt_application

# Nothing in a run takes this long; a driver that hangs must not hang the test with it.
SCENARIO_TIMEOUT_S = 90.0
STEP_TIMEOUT_S = 30.0


class DriverError(Exception):
    """Something the scenario needed did not happen; the message says what."""


def say(*words: object) -> None:
    # Flushed at once: the test reads these lines while the process runs, and a kill -9
    # would lose anything still buffered.
    print(*words, flush=True)


def message_dict(message: Message) -> dict[str, Any]:
    return {
        "role": message.role.value,
        "state": message.state.value,
        "content": message.content,
        "finish_reason": message.finish_reason,
        "tool_call_id": message.tool_call_id,
        "tool_calls": [call.id for call in message.tool_calls],
    }


def report(app: Application) -> dict[str, Any]:
    """What the window shows and what the store holds for the open conversation."""
    view = app.window.chat_view
    view.flush()
    conversation = app.session.conversation
    stored: list[dict[str, Any]] = []
    if app.store is not None and conversation is not None:
        stored = [message_dict(m) for m in app.store.messages(conversation.id)]
    notice = app.window.notice
    return {
        "conversation_id": None if conversation is None else conversation.id,
        "transcript": view.transcript_text(),
        "links": [[link.text, link.href] for link in anchors(view)],
        "notice": notice.text() if notice.isVisible() else "",
        "stored": stored,
    }


def signal_future(signal: Any) -> asyncio.Future[tuple[Any, ...]]:
    """A future resolved with the arguments of the signal's next emission."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def settle(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(settle)
    return future


async def stream(app: Application, message: str, every: int, regenerate: bool) -> int:
    controller = app.controller
    chunks = 0
    counting = not regenerate

    def on_chunk(_key: str, _text: str) -> None:
        nonlocal chunks
        if not counting:
            return
        chunks += 1
        if chunks % every == 0:
            say("CHUNKS", chunks)

    controller.chunk_received.connect(on_chunk)
    controller.conversation_saved.connect(
        lambda conversation_id: say("CONVERSATION", conversation_id)
    )
    controller.reply_finished.connect(lambda _key, final: say("ENDED", final.state.value))
    controller.reply_failed.connect(lambda _key, final: say("ENDED", final.state.value))

    await asyncio.sleep(0)  # let the window map
    app.window.composer.setPlainText(message)
    QTest.mouseClick(app.window.send_button, Qt.MouseButton.LeftButton)
    if controller.task is None:
        raise DriverError(f"Send was refused: {app.window.notice.text()!r}")
    if regenerate:
        first: Message = await asyncio.wait_for(controller.task, STEP_TIMEOUT_S)
        say("FIRST", first.state.value)
        counting = True
        press(app.window.chat_view, "Regenerate", 1)
        if controller.task is None:
            raise DriverError("pressing Regenerate started no reply")
    say("SENT")
    await asyncio.Event().wait()  # until killed
    return 0


async def tools(app: Application, message: str) -> int:
    controller = app.controller
    view = app.window.chat_view

    async def allow() -> None:
        settle(view)
        card = next(
            (r for r in view.model.rows() if r.kind == "toolcard" and r.extra["status"] == "approval"),
            None,
        )
        if card is None:
            say("ERROR", "no approval card in the transcript")
            return
        press(view, "Allow", object_name=f"allow-tool-{card.key}-{card.extra['index']}")

    asked: list[asyncio.Task[None]] = []  # (kept: a task no one holds may be collected)
    controller.tool_approval_requested.connect(
        lambda _request: asked.append(asyncio.ensure_future(allow()))
    )
    controller.tool_call_started.connect(lambda _key, call_id: say("RUNNING", call_id))
    controller.tool_message_added.connect(lambda _key, result: say("RESULT", result.tool_call_id))
    controller.reply_failed.connect(lambda _key, final: say("ENDED", final.state.value))
    await asyncio.sleep(0)  # let the window map
    app.window.composer.setPlainText(message)
    QTest.mouseClick(app.window.send_button, Qt.MouseButton.LeftButton)
    if controller.task is None:
        raise DriverError(f"Send was refused: {app.window.notice.text()!r}")
    say("SENT")
    await asyncio.Event().wait()  # until killed
    return 0


async def reopen(app: Application) -> int:
    await asyncio.sleep(0)  # let the window map
    sidebar = app.sidebar
    model = sidebar.model
    if model.rowCount() == 0:
        raise DriverError("the sidebar lists no conversation")
    newest = model.index(0, 0)
    loaded = signal_future(app.controller.conversation_loaded)
    rect = sidebar.list_view.visualRect(newest)
    QTest.mouseClick(
        sidebar.list_view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier(0),
        rect.center(),
    )
    await asyncio.wait_for(loaded, STEP_TIMEOUT_S)
    say("REPORT", json.dumps(report(app)))

    say("WAITING")
    loop = asyncio.get_running_loop()
    command = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
    if command == "retry":
        retry = [link for link in anchors(app.window.chat_view) if link.text == "Retry"]
        if not retry:
            raise DriverError("no Retry button is shown")
        click_anchor(app.window.chat_view, retry[-1])
        task = app.controller.task
        if task is None:
            raise DriverError("clicking Retry started no reply")
        final: Message = await asyncio.wait_for(task, STEP_TIMEOUT_S)
        say("RETRIED", final.state.value)
        say("REPORT", json.dumps(report(app)))
    elif command.startswith("send "):
        app.window.composer.setPlainText(command.removeprefix("send "))
        QTest.mouseClick(app.window.send_button, Qt.MouseButton.LeftButton)
        task = app.controller.task
        if task is None:
            raise DriverError(f"Send was refused: {app.window.notice.text()!r}")
        final = await asyncio.wait_for(task, STEP_TIMEOUT_S)
        say("SENT", final.state.value)
        say("REPORT", json.dumps(report(app)))
    return 0


async def scenario(app: Application, ns: argparse.Namespace) -> int:
    try:
        if ns.mode == "stream":
            return await stream(app, ns.message, ns.every, ns.regenerate)
        if ns.mode == "tools":
            return await tools(app, ns.message)
        return await reopen(app)
    except (DriverError, TimeoutError) as exc:
        say("ERROR", str(exc) or type(exc).__name__)
        return 1
    finally:
        await app.shutdown()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.app_driver")
    parser.add_argument("mode", choices=("stream", "tools", "reopen"))
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", default="test-model")
    parser.add_argument("--message", default="Tell me a long story, please.")
    parser.add_argument("--every", type=int, default=25, help="print CHUNKS every N chunks")
    parser.add_argument("--mcp-config", type=Path, default=None)
    parser.add_argument(
        "--regenerate", action="store_true", help="stream a new version of a first reply"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    ns = parse_args(argv)
    qt_app = qt_application()
    loop = create_event_loop(qt_app)
    try:
        options = Options(
            base_url=ns.base_url, model=ns.model, data_dir=ns.data_dir, mcp_config=ns.mcp_config
        )
        app = Application(options)
        app.start()
        try:
            return loop.run_until_complete(asyncio.wait_for(scenario(app, ns), SCENARIO_TIMEOUT_S))
        except TimeoutError:
            say("ERROR", f"the scenario took more than {SCENARIO_TIMEOUT_S:.0f} s")
            return 2
    finally:
        close_event_loop(loop)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
