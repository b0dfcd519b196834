"""Traps a new user fell into in the first hour, each reproduced through the real window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import LoopRunner, until
from tests.harness import ChatHarness
from tests.testserver import ChatScript, OpenAITestServer, Stall, Text
from zlay_desktop.core.models import ReplyState
from zlay_desktop.core.store import SqliteHistoryStore


def test_a_new_conversation_while_a_reply_streams_ends_that_reply_as_stopped(
    chat: ChatHarness,
    server: OpenAITestServer,
    store: SqliteHistoryStore,
    qloop: LoopRunner,
    caplog: Any,
) -> None:
    server.enqueue(ChatScript([Text("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 "), Stall()]))

    async def scenario() -> None:
        assert chat.controller.send("a table please")
        await until(lambda: "3" in chat.text(), what="the table to stream in")
        QTest.keyClick(chat.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: not chat.controller.busy, what="the reply to end")
        await until(lambda: chat.text().strip() == "", what="the new conversation")

    qloop.run(scenario())
    assert server.wait_for_disconnect(1.0), "the stream was not closed"
    conversation = store.list_conversations(0, 10)[0]
    reply = store.messages(conversation.id)[-1]
    # Stopped, with its text: never left "streaming" (nor later called an app crash).
    assert reply.state is ReplyState.STOPPED
    assert reply.content.startswith("| a | b |")
    assert "Traceback" not in caplog.text and "IndexError" not in caplog.text

    chat.window.open_conversation(conversation.id)
    assert "Stopped" in chat.text() and "Continue" in chat.text() and "Retry" in chat.text()
