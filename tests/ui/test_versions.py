"""Versions through the real window: Regenerate and Edit add a version of a message instead
of deleting it, the switcher ("‹ 2 / 3 ›") and Alt+Left/Right show another, Delete this
version hides one with an undo, and what is sent is always the path on show. The real SDK
talks to the project's test server; the store is a real database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.conftest import AppFactory, LoopRunner, until
from tests.harness import ChatHarness
from tests.testserver import ChatScript, OpenAITestServer, Text
from tests.transcript_driver import accessible_tree, find_button, press, settle
from zlay_desktop.core.models import Message
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.ui.transcript import TranscriptView


def sent(server: OpenAITestServer) -> list[tuple[str, str]]:
    """The messages of the last request the server received."""
    body: Any = server.requests[-1].body
    return [(m["role"], m["content"]) for m in body["messages"]]


def version_labels(view: TranscriptView) -> list[str]:
    """The switchers' labels as a screen reader finds them ("2 / 3")."""
    settle(view)
    return [
        node.text(QAccessible.Text.Name)
        for node in accessible_tree(view)
        if (owner := node.object()) is not None and owner.objectName().startswith("version-")
    ]


def answers(chat: ChatHarness) -> list[str]:
    """The words of each message shown, in order."""
    return [chat.view.answer_text(key) for key in chat.view.message_keys()]


async def regenerate(chat: ChatHarness, key: int) -> Message:
    press(chat.view, "Regenerate", key)
    return await chat.finish()


async def switch(chat: ChatHarness, name: str, key: int) -> None:
    """Presses a switcher's button and waits for the version to be on show."""
    press(chat.view, name, key)
    task = chat.controller.task
    assert task is not None, f"{name} did nothing"
    await task


def test_regenerate_twice_then_switch_between_the_versions(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    server.enqueue(
        ChatScript([Text("One.")]),
        ChatScript([Text("Two.")]),
        ChatScript([Text("Three.")]),
        ChatScript([Text("Four.")]),
    )

    async def scenario() -> None:
        await chat.send("Pick a number")
        assert version_labels(chat.view) == []  # one version: no switcher
        await regenerate(chat, 1)
        assert sent(server) == [("user", "Pick a number")]
        await regenerate(chat, 1)
        assert sent(server) == [("user", "Pick a number")]
        assert answers(chat) == ["Pick a number", "Three."]
        assert version_labels(chat.view) == ["3 / 3"]
        assert "‹ 3 / 3 ›" in chat.text()

        await switch(chat, "Previous version", 1)
        assert answers(chat) == ["Pick a number", "Two."]
        assert version_labels(chat.view) == ["2 / 3"]
        # What is sent is the path on show: "Two." and not the newest version.
        await chat.send("One more")
        assert sent(server) == [
            ("user", "Pick a number"),
            ("assistant", "Two."),
            ("user", "One more"),
        ]
        assert answers(chat) == ["Pick a number", "Two.", "One more", "Four."]

        await switch(chat, "Previous version", 1)
        assert answers(chat) == ["Pick a number", "One."]
        assert version_labels(chat.view) == ["1 / 3"]
        # Back to version 2: the path below it that was on show there comes back too.
        await switch(chat, "Next version", 1)
        assert answers(chat) == ["Pick a number", "Two.", "One more", "Four."]

    qloop.run(scenario())
    conversation = store.list_conversations(0, 1)[0]
    assert [m.content for m in store.messages(conversation.id)] == [
        "Pick a number",
        "Two.",
        "One more",
        "Four.",
    ]
    assert len(store.message_tree(conversation.id)) == 6  # nothing was deleted


def test_alt_left_and_right_switch_the_version_of_the_message_in_focus(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(ChatScript([Text("First.")]), ChatScript([Text("Second.")]))

    async def scenario() -> None:
        await chat.send("Say something")
        await regenerate(chat, 1)
        quick = chat.view.ensure_loaded()
        button = find_button(chat.view, "Copy", 1).object()
        assert isinstance(button, QQuickItem)
        button.forceActiveFocus()
        QTest.keyClick(quick, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        task = chat.controller.task
        assert task is not None, "Alt+Left did nothing"
        await task
        assert answers(chat) == ["Say something", "First."]
        button = find_button(chat.view, "Copy", 1).object()
        assert isinstance(button, QQuickItem)
        button.forceActiveFocus()
        QTest.keyClick(quick, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        task = chat.controller.task
        assert task is not None, "Alt+Right did nothing"
        await task
        assert answers(chat) == ["Say something", "Second."]

    qloop.run(scenario())


def test_an_edited_question_is_a_new_version_with_its_own_answer(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    server.enqueue(
        ChatScript([Text("Paris.")]), ChatScript([Text("Madrid.")]), ChatScript([Text("Rome.")])
    )

    async def scenario() -> None:
        await chat.send("Capital of France?")
        await chat.send("And of Spain?")
        press(chat.view, "Edit", 0)
        assert chat.window.edit_bar.isVisible()
        chat.window.composer.setPlainText("Capital of Italy?")
        chat.window.send_from_composer()
        await chat.finish()
        assert sent(server) == [("user", "Capital of Italy?")]
        assert answers(chat) == ["Capital of Italy?", "Rome."]
        assert version_labels(chat.view) == ["2 / 2"]  # on the question
        await switch(chat, "Previous version", 0)
        assert answers(chat) == ["Capital of France?", "Paris.", "And of Spain?", "Madrid."]
        assert version_labels(chat.view) == ["1 / 2"]

    qloop.run(scenario())
    conversation = store.list_conversations(0, 1)[0]
    assert len(store.message_tree(conversation.id)) == 6


def test_delete_this_version_hides_it_with_undo_then_for_good(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    server.enqueue(
        ChatScript([Text("Keep me.")]),
        ChatScript([Text("Drop me.")]),
        ChatScript([Text("Below it.")]),
    )
    undo_bar = chat.window.version_undo

    async def scenario() -> None:
        await chat.send("Two answers please")
        await regenerate(chat, 1)
        await chat.send("More")
        await switch(chat, "Previous version", 1)
        await switch(chat, "Next version", 1)
        assert answers(chat) == ["Two answers please", "Drop me.", "More", "Below it."]

        await switch(chat, "Delete this version", 1)
        assert answers(chat) == ["Two answers please", "Keep me."]
        assert version_labels(chat.view) == []
        assert undo_bar.isVisible() and "Undo within" in undo_bar.label.text()
        # Ctrl+Z in the transcript, where it was deleted (a click on the button leaves the
        # focus there), brings it back.
        quick = chat.view.quick
        assert quick is not None
        quick.setFocus()
        await until(quick.hasFocus, what="the transcript's focus")
        QTest.keyClick(quick, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        task = chat.controller.task
        assert task is not None, "Ctrl+Z did nothing"
        await task
        assert answers(chat) == ["Two answers please", "Drop me.", "More", "Below it."]
        assert version_labels(chat.view) == ["2 / 2"]
        assert not undo_bar.isVisible()

        # Deleted again, and the time for undo runs out: gone from the history.
        await switch(chat, "Delete this version", 1)
        assert undo_bar.pending is not None
        undo_bar.finish()
        await until(
            lambda: len(store.message_tree(store.list_conversations(0, 1)[0].id)) == 2,
            what="the deleted version to be purged",
        )
        assert answers(chat) == ["Two answers please", "Keep me."]

    qloop.run(scenario())


def test_the_versions_shown_come_back_after_a_restart_and_a_search_opens_a_hidden_one(
    make_app: AppFactory, qloop: LoopRunner, qtbot: QtBot, server: OpenAITestServer
) -> None:
    server.enqueue(
        ChatScript([Text("A walrus answer.")]),
        ChatScript([Text("A penguin answer.")]),
    )
    first = make_app(base_url=server.base_url, model="test-model")
    first.window.show()
    qtbot.waitExposed(first.window)

    async def make_versions() -> None:
        first.window.composer.setPlainText("An animal, please")
        first.window.send_from_composer()
        assert first.controller.task is not None
        await first.controller.task
        press(first.window.chat_view, "Regenerate", 1)
        assert first.controller.task is not None
        await first.controller.task
        press(first.window.chat_view, "Previous version", 1)  # the walrus, on show at quit
        assert first.controller.task is not None
        await first.controller.task

    qloop.run(make_versions())
    make_app.close(first)

    second = make_app(base_url=server.base_url, model="test-model")
    second.start()
    view = second.window.chat_view

    async def reopened() -> None:
        await until(lambda: "A walrus answer." in view.transcript_text(), what="the restart")
        assert version_labels(view) == ["1 / 2"]
        # The penguin is in the version not shown: the search finds it, and opening the hit
        # shows the path that contains it.
        second.sidebar.search_field.setText("penguin")
        await until(lambda: second.sidebar.results_view.model().rowCount() == 1)
        second.sidebar.results_view.setCurrentIndex(second.sidebar.results_view.model().index(0, 0))
        await until(lambda: "A penguin answer." in view.transcript_text(), what="the hit")
        assert "A walrus answer." not in view.transcript_text()
        store = second.store
        assert store is not None
        conversation = store.list_conversations(0, 1)[0]
        # The path through the hit is the one remembered from now on.
        await until(
            lambda: store.messages(conversation.id)[-1].content == "A penguin answer.",
            what="the path through the hit to be remembered",
        )
        assert version_labels(view) == ["2 / 2"]

    qloop.run(reopened())
