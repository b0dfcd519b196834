"""Traps a new user fell into in the first hour, each reproduced through the real window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.conftest import AppFactory, LoopRunner, until
from tests.harness import ChatHarness
from tests.testserver import ChatScript, OpenAITestServer, Stall, Text
from zlay_desktop.app import Application
from zlay_desktop.core.models import ReplyState
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.ui.conversation_list import CONVERSATION_ID_ROLE


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


@pytest.fixture
def app(make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer) -> Application:
    application = make_app(base_url=server.base_url, model="test-model")
    application.window.resize(1000, 700)
    application.window.show()
    qtbot.waitExposed(application.window)
    return application


def click_sidebar_row(qtbot: QtBot, app: Application, row: int) -> None:
    view = app.sidebar.list_view
    rect = view.visualRect(app.sidebar.model.index(row))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_conversation_opens_again_after_new_conversation(
    app: Application, qloop: LoopRunner, qtbot: QtBot
) -> None:
    qloop.run(send_and_finish(app, "the only conversation"))
    assert app.sidebar.model.rowCount() == 1
    QTest.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "the only conversation" not in app.window.chat_view.transcript_text())
    assert not app.sidebar.list_view.selectionModel().hasSelection()

    click_sidebar_row(qtbot, app, 0)
    qtbot.waitUntil(lambda: "the only conversation" in app.window.chat_view.transcript_text())


def test_esc_clears_the_search_field_and_elsewhere_stops_the_reply(
    app: Application, qloop: LoopRunner, qtbot: QtBot, server: OpenAITestServer, qtlog: Any
) -> None:
    server.enqueue(ChatScript([Text("Still going"), Stall()]))

    async def scenario() -> None:
        app.window.composer.setPlainText("start")
        app.window.send_from_composer()
        await until(lambda: "Still going" in app.window.chat_view.transcript_text())
        field = app.sidebar.search_field
        field.setFocus()
        await until(field.hasFocus, what="the search field's focus")
        QTest.keyClicks(field, "abc")
        QTest.keyClick(field, Qt.Key.Key_Escape)
        assert field.text() == ""
        assert app.controller.busy, "Esc in the search field stopped the reply"
        app.window.composer.setFocus()
        await until(app.window.composer.hasFocus, what="the composer's focus")
        QTest.keyClick(app.window.composer, Qt.Key.Key_Escape)
        await until(lambda: not app.controller.busy, what="Esc to stop the reply")

    qloop.run(scenario())
    assert not [r for r in qtlog.records if "Ambiguous shortcut" in r.message]


async def send_and_finish(app: Application, text: str) -> None:
    app.window.composer.setPlainText(text)
    app.window.send_from_composer()
    task = app.controller.task
    assert task is not None
    await task
    await until(lambda: not app.sidebar.busy and app.sidebar.model.rowCount() > 0)


def test_send_with_no_provider_says_what_to_do_and_opens_the_first_run_screen(
    make_app: AppFactory, qtbot: QtBot, qloop: LoopRunner
) -> None:
    app = make_app()  # not started: no first-run Settings yet, the Send must open it
    app.window.show()
    qtbot.waitExposed(app.window)

    async def scenario() -> None:
        app.window.composer.setPlainText("hello?")
        app.window.send_from_composer()
        assert "No provider is set up yet" in app.window.notice.text()
        assert app.window.composer.toPlainText() == "hello?"  # nothing lost
        dialog = app.settings_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.reject()  # (it looks for local servers meanwhile: closing ends that)
        await until(lambda: not dialog.isVisible(), what="Settings to close")

    qloop.run(scenario())


def test_each_conversation_keeps_its_own_draft(
    app: Application, qloop: LoopRunner, qtbot: QtBot
) -> None:
    qloop.run(send_and_finish(app, "first conversation"))
    composer = app.window.composer
    QTest.keyClicks(composer, "half-written for the first")
    QTest.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "first conversation" not in app.window.chat_view.transcript_text())
    assert composer.toPlainText() == ""  # the draft did not follow to the new conversation
    QTest.keyClicks(composer, "for a new one")

    click_sidebar_row(qtbot, app, 0)
    qtbot.waitUntil(lambda: "first conversation" in app.window.chat_view.transcript_text())
    assert composer.toPlainText() == "half-written for the first"
    QTest.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: composer.toPlainText() == "for a new one")


def test_the_window_the_open_conversation_and_its_draft_come_back_on_the_next_start(
    make_app: AppFactory, qloop: LoopRunner, qtbot: QtBot, server: OpenAITestServer
) -> None:
    first = make_app(base_url=server.base_url, model="test-model")
    first.window.show()
    qtbot.waitExposed(first.window)
    first.window.resize(777, 555)
    qloop.run(send_and_finish(first, "remember me"))
    QTest.keyClicks(first.window.composer, "an unsent thought")
    first.window.splitter.setSizes([200, 577])
    sizes = first.window.splitter.sizes()
    make_app.close(first)

    second = make_app(base_url=server.base_url, model="test-model")
    second.start()

    async def reopened() -> None:
        await until(lambda: "remember me" in second.window.chat_view.transcript_text())

    qloop.run(reopened())
    assert (second.window.width(), second.window.height()) == (777, 555)
    assert second.window.splitter.sizes() == sizes
    assert second.window.composer.toPlainText() == "an unsent thought"


def test_edit_removes_nothing_until_sent_and_cancel_puts_back_what_was_typed(
    app: Application, qloop: LoopRunner, qtbot: QtBot
) -> None:
    qloop.run(send_and_finish(app, "the original question"))
    conversation_id = app.sidebar.model.index(0).data(CONVERSATION_ID_ROLE)
    store = app.store
    assert store is not None
    composer = app.window.composer
    QTest.keyClicks(composer, "something else I was typing")

    app.window.chat_view.action_requested.emit("edit", 0)
    assert composer.toPlainText() == "the original question"
    assert app.window.edit_bar.isVisible()
    assert "You said: the original question" in app.window.chat_view.transcript_text()
    assert [m.content for m in store.messages(conversation_id)] == [
        "the original question",
        "You said: the original question",
    ]
    QTest.mouseClick(app.window.edit_bar.cancel_button, Qt.MouseButton.LeftButton)
    assert composer.toPlainText() == "something else I was typing"
    assert not app.window.edit_bar.isVisible()

    # Edit, then leave for a new conversation: nothing was removed, nothing is lost.
    app.window.chat_view.action_requested.emit("edit", 0)
    QTest.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not app.window.edit_bar.isVisible())
    assert len(store.messages(conversation_id)) == 2
    click_sidebar_row(qtbot, app, 0)
    qtbot.waitUntil(lambda: "You said: the original question" in app.window.chat_view.transcript_text())


def test_settings_say_the_command_line_wins_for_this_run(
    app: Application, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    async def scenario() -> None:
        app.open_settings()
        dialog = app.settings_dialog
        assert dialog is not None and dialog.isVisible()
        label = dialog.overrides_label  # type: ignore[attr-defined]
        assert label.isVisible()
        assert f"the server {server.base_url} and the model test-model" in label.text()
        dialog.reject()
        await until(lambda: not dialog.isVisible(), what="Settings to close")

    qloop.run(scenario())


def test_a_notice_about_one_conversation_goes_when_another_is_opened(
    app: Application, qloop: LoopRunner, qtbot: QtBot
) -> None:
    qloop.run(send_and_finish(app, "first"))
    app.window.show_notice("Could not save to history: the disk is full.")
    QTest.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not app.window.notice.isVisible())


def test_the_composer_grows_with_its_text_up_to_two_fifths_of_the_window(
    app: Application, qtbot: QtBot
) -> None:
    composer = app.window.composer
    short = composer.height()
    composer.setPlainText("\n".join(f"line {i}" for i in range(8)))
    qtbot.waitUntil(lambda: composer.height() > short)
    eight_lines = composer.height()
    composer.setPlainText("\n".join(f"line {i}" for i in range(200)))
    qtbot.waitUntil(lambda: composer.height() > eight_lines)
    assert composer.height() <= 0.4 * app.window.height() + 1
    assert composer.verticalScrollBar().maximum() > 0  # the rest scrolls
    app.window.resize(1000, 500)
    qtbot.waitUntil(lambda: composer.height() <= 0.4 * 500 + 1)
    composer.clear()
    qtbot.waitUntil(lambda: composer.height() == short)


def test_one_new_button_and_a_sidebar_that_folds_away_and_stays_folded(
    make_app: AppFactory, qtbot: QtBot, qloop: LoopRunner
) -> None:
    first = make_app()
    window = first.window
    window.show()
    qtbot.waitExposed(window)
    toolbar_texts = [a.text() for a in window.toolbar.actions()]
    assert "&New conversation" not in toolbar_texts  # the sidebar's "New" is the one
    assert first.sidebar.new_button.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] == 0)
    assert not window.sidebar_action.isChecked()
    make_app.close(first)

    second = make_app()
    second.remembered.restore_window()  # as start() does
    second.window.show()
    qtbot.waitUntil(lambda: second.window.splitter.sizes()[0] == 0)
    assert not second.window.sidebar_action.isChecked()
    second.window.sidebar_action.trigger()
    assert second.window.splitter.sizes()[0] > 0


def test_sending_an_edit_puts_back_what_was_being_typed_and_never_keeps_the_edit_as_a_draft(
    app: Application, qloop: LoopRunner, qtbot: QtBot
) -> None:
    qloop.run(send_and_finish(app, "first question"))
    composer = app.window.composer
    QTest.keyClicks(composer, "half a thought")
    app.window.chat_view.action_requested.emit("edit", 0)
    assert composer.toPlainText() == "first question"
    assert app.window.draft() == "half a thought"  # what a save or a quit keeps
    app.remembered.save_now()
    assert app.remembered.state.drafts.get(str(app.session.conversation.id)) == "half a thought"  # type: ignore[union-attr]
    composer.setPlainText("a better question")

    async def resend() -> None:
        app.window.send_from_composer()
        await until(lambda: not app.controller.busy and app.controller.task is None)

    qloop.run(resend())
    assert composer.toPlainText() == "half a thought"
    assert "You said: a better question" in app.window.chat_view.transcript_text()
