"""A long conversation (2,000 messages, ~1M characters) opens at once: every message is data
in the transcript's model, and only the rows near the view have delegates however far the
user scrolls."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtQuick import QQuickItem
from pytestqt.qtbot import QtBot

from tests.conftest import LoopRunner, until
from tests.harness import ChatHarness
from tests.transcript_driver import delegate_count, settle
from tests.ui.live_view import FedChatView
from zlay_desktop.core.export import ExportedConversation
from zlay_desktop.core.history import Conversation
from zlay_desktop.core.models import (
    ChatError,
    ErrorKind,
    Message,
    ReplyState,
    Role,
    ToolCall,
)
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.ui.transcript import TranscriptView

MESSAGES = 2_000
UNUSED_SERVER = "http://127.0.0.1:9/v1"  # nothing is sent in these tests


def begins(index: int) -> str:
    return f"Message {index:04d} begins"


def ends(index: int) -> str:
    return f"message {index:04d} ends"


def message_text(index: int) -> str:
    """About 200 characters for a question, 800 for an answer (Markdown, with code)."""
    if index % 2 == 0:
        ask = "could you explain how the paging of a long history keeps the window quick? "
        return f"{begins(index)}: {ask * 2}And so the {ends(index)}."
    prose = "Rendering a page costs time in proportion to its text, so pages stay small. "
    return (
        f"## {begins(index)}\n\n{prose * 4}\n\n"
        "- the newest page is shown first\n- older pages follow on scrolling\n\n"
        "```python\ndef page(messages, end):\n    return messages[max(0, end - 40):end]\n```\n\n"
        f"{prose * 4}And so the {ends(index)}."
    )


def long_conversation() -> ExportedConversation:
    messages = tuple(
        Message(
            role=Role.USER if i % 2 == 0 else Role.ASSISTANT,
            content=message_text(i),
            model=None if i % 2 == 0 else "test-model",
            finish_reason=None if i % 2 == 0 else "stop",
            created_at=1_700_000_000.0 + i,
        )
        for i in range(MESSAGES)
    )
    return ExportedConversation(Conversation(id=0, title="A long one"), messages)


@pytest.fixture
def long_chat(tmp_path: Path, qloop: LoopRunner, qtbot: QtBot) -> Iterator[tuple[ChatHarness, int]]:
    store = SqliteHistoryStore.open(tmp_path / "history.sqlite3")
    item = long_conversation()
    assert sum(len(m.content) for m in item.messages) > 950_000
    (conversation,) = store.import_conversations([item])  # one transaction: quick
    harness = ChatHarness(base_url=UNUSED_SERVER, store=store)
    harness.window.show()
    qtbot.waitExposed(harness.window)
    try:
        yield harness, conversation.id
    finally:
        qloop.run(harness.close())
        store.close()


def list_view_at_end(view: TranscriptView) -> bool:
    settle(view)
    root = view.root_item()
    assert root is not None
    list_view = root.findChild(QQuickItem, "transcriptList")
    assert list_view is not None
    return bool(list_view.property("atYEnd"))


def test_a_long_conversation_opens_at_once_and_scrolls_with_few_delegates(
    long_chat: tuple[ChatHarness, int], qloop: LoopRunner
) -> None:
    chat, conversation_id = long_chat
    view = chat.view
    quick = view.quick
    assert quick is not None

    started = time.perf_counter()
    chat.window.open_conversation(conversation_id)
    settle(view, rounds=1)
    first_paint_ms = (time.perf_counter() - started) * 1000
    print(f"open → first paint: {first_paint_ms:.0f} ms")

    # The newest are on screen at once; the older ones go in above, batch by batch, and
    # then every message is in the model (data).
    assert view.message_keys()[-1] == MESSAGES - 1 and view.history_pending()
    assert list_view_at_end(view)
    qloop.run(until(lambda: not view.history_pending(), timeout=60, what="the older messages"))
    assert view.message_keys() == list(range(MESSAGES))
    assert len(chat.session.messages) == MESSAGES  # the whole history, for requests
    root = view.root_item()
    assert root is not None
    list_view = root.findChild(QQuickItem, "transcriptList")
    assert list_view is not None
    assert list_view.property("atYEnd")  # still at the bottom, where the conversation goes on

    # From the bottom to the top and back: only what is near the view has delegates.
    counts = [delegate_count(view)]
    slowest_s = 0.0
    for key in [*range(MESSAGES - 1, -1, -97), 0, *range(0, MESSAGES, 211), MESSAGES - 1]:
        step = time.perf_counter()
        view.scroll_to_message(key)
        settle(view, rounds=1)
        slowest_s = max(slowest_s, time.perf_counter() - step)
        counts.append(delegate_count(view))
    print(f"delegates: at most {max(counts)}; slowest jump {slowest_s * 1000:.0f} ms")
    assert max(counts) < 150

    text = chat.text()
    assert text.index(begins(0)) < text.index(ends(0)) < text.index(begins(1))
    assert text.index(begins(1998)) < text.index(ends(1999))
    assert view.answer_text(0).strip() == message_text(0)
    assert view.answer_text(1).startswith(begins(1))
    assert view.answer_text(1).rstrip().endswith(f"And so the {ends(1)}.")
    assert view.answer_text(MESSAGES - 1).rstrip().endswith(f"{ends(MESSAGES - 1)}.")


def test_opening_another_conversation_replaces_the_one_shown(
    long_chat: tuple[ChatHarness, int], qloop: LoopRunner
) -> None:
    chat, conversation_id = long_chat
    chat.window.open_conversation(conversation_id)
    chat.window.new_conversation()
    assert chat.view.message_keys() == []
    chat.window.open_conversation(conversation_id)
    assert chat.view.message_keys()[-1] == MESSAGES - 1
    qloop.run(until(lambda: not chat.view.history_pending(), timeout=60, what="the rest"))
    assert chat.view.message_keys() == list(range(MESSAGES))


def _variety() -> list[Message]:
    """Messages of every kind the view renders differently."""
    return [
        Message(role=Role.USER, content="First question,\n  with  spaces kept."),
        Message(
            role=Role.ASSISTANT,
            content="| a | b |\n|---|---|\n| 1 | 2 |\n\nA table, then text.",
            reasoning="Thinking it over.",
            model="m1",
            finish_reason="stop",
        ),
        Message(role=Role.USER, content="Call a tool."),
        Message(
            role=Role.ASSISTANT,
            tool_calls=(ToolCall(id="c1", name="lookup", arguments='{"q": 1}'),),
            finish_reason="tool_calls",
        ),
        Message(role=Role.USER, content="And now?"),
        Message(
            role=Role.ASSISTANT,
            content="Half an ans",
            state=ReplyState.FAILED,
            error=ChatError(ErrorKind.CONNECTION, "The connection dropped."),
        ),
        Message(role=Role.USER, content="Again."),
        Message(role=Role.ASSISTANT, content="1. one\n2. two\n\n---\n\n> quoted", refusal="No."),
        Message(role=Role.USER, content="Last."),
        Message(role=Role.ASSISTANT, content="```\ncode\n```", state=ReplyState.INTERRUPTED),
    ]


@pytest.mark.parametrize("split", [1, 4, 5, 9])
def test_prepending_shows_the_same_transcript_as_adding_in_order(qtbot: QtBot, split: int) -> None:
    messages = _variety()
    in_order, prepended = FedChatView(), FedChatView()
    for view in (in_order, prepended):
        qtbot.addWidget(view)
        view.resize(700, 500)
    for i, message in enumerate(messages):
        in_order.add_message(i, message)
    for i in range(split, len(messages)):
        prepended.add_message(i, messages[i])
    prepended.prepend_messages([(i, messages[i]) for i in range(split)])

    assert prepended.message_keys() == in_order.message_keys()
    assert prepended.transcript_text() == in_order.transcript_text()
    assert [r.kind for r in prepended.model.rows()] == [r.kind for r in in_order.model.rows()]
    for key in in_order.message_keys():
        assert prepended.answer_text(key) == in_order.answer_text(key)
    # The messages below keep working: a reply still streams into the last one.
    prepended.begin_reply(10, "m1")
    prepended.append_text(10, "More **text**.")
    prepended.flush()
    assert prepended.answer_text(10) == "More text."
    assert prepended.answer_text(0) == in_order.answer_text(0)


def test_prepending_a_message_already_shown_changes_nothing(qtbot: QtBot) -> None:
    view = FedChatView()
    qtbot.addWidget(view)
    view.add_message(0, Message(role=Role.USER, content="hello"))
    before = view.transcript_text()
    view.prepend_messages([(0, Message(role=Role.USER, content="other"))])
    view.prepend_messages([])
    assert view.transcript_text() == before
    assert view.message_keys() == [0]
