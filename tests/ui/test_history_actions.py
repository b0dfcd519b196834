"""Stored conversations in the window: interrupted replies (Continue, Retry), the actions on
each message of a reopened conversation, export to Markdown and JSON, and import of the
app's own JSON and of a ChatGPT `conversations.json` — through the real window, the real
SDK and the project's test server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu
from pytestqt.qtbot import QtBot

from tests.conftest import AppFactory, LoopRunner, until
from tests.harness import ChatHarness
from tests.security.support import recorded_desktop_opens
from tests.testserver import ChatScript, OpenAITestServer, Text
from tests.transcript_driver import find_button, press
from zlay_desktop.app import Application
from zlay_desktop.core.chat_session import CONTINUE_INSTRUCTION
from zlay_desktop.core.export import from_json
from zlay_desktop.core.models import ChatParams, Message, ReplyState, Role
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.ui.export_actions import ConversationFileActions
from zlay_desktop.ui.transcript import TranscriptView

CHATGPT_EXPORT = Path(__file__).parent.parent / "fixtures" / "chatgpt-conversations.json"


# -- helpers ---------------------------------------------------------------------------------


def click_link(view: TranscriptView, label: str, action: str, key: int) -> None:
    """Presses a message's action button, found by its accessible name, as a screen reader
    (or a test) does."""
    press(view, label, key)


def stored_conversation(store: SqliteHistoryStore, title: str, messages: list[Message]) -> int:
    conversation = store.create_conversation(title, None, ChatParams(model="test-model"))
    for message in messages:
        store.append_message(conversation.id, message)
    conversation_id: int = conversation.id
    return conversation_id


def exchange(*texts: str) -> list[Message]:
    """Alternating user and assistant messages, as stored after finished replies."""
    return [
        Message(role=Role.USER, content=text)
        if i % 2 == 0
        else Message(role=Role.ASSISTANT, content=text, finish_reason="stop", model="test-model")
        for i, text in enumerate(texts)
    ]


# -- interrupted replies ---------------------------------------------------------------------


def interrupted_conversation(store: SqliteHistoryStore) -> int:
    """A reply that was streaming when the app died, as the next start finds it."""
    conversation_id = stored_conversation(
        store,
        "A story",
        [
            Message(role=Role.USER, content="Tell me a story."),
            Message(
                role=Role.ASSISTANT,
                content="Once upon a time there was a",
                state=ReplyState.STREAMING,
                model="test-model",
            ),
        ],
    )
    assert store.mark_streaming_as_interrupted() == 1  # what the app does at start
    return conversation_id


def test_an_interrupted_reply_offers_continue_and_retry_and_retry_replaces_it(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    conversation_id = interrupted_conversation(store)
    chat.window.open_conversation(conversation_id)
    assert chat.text().splitlines()[-1] == (
        "Interrupted: the app closed while this reply was arriving. · Copy · Continue · Retry"
    )
    server.enqueue(ChatScript([Text("A whole "), Text("new story.")]))

    async def scenario() -> Message:
        click_link(chat.view, "Retry", "retry", 1)
        return await chat.finish()

    final = qloop.run(scenario())
    assert final.state is ReplyState.FINISHED
    text = chat.text()
    assert "A whole new story." in text
    assert "Once upon a time" not in text
    assert "Interrupted" not in text
    # The request carried the question only, and the store holds the new reply in its place.
    assert [m["content"] for m in server.requests[-1].body["messages"]] == ["Tell me a story."]  # type: ignore[index]
    stored = store.messages(conversation_id)
    assert [(m.role, m.content, m.state) for m in stored] == [
        (Role.USER, "Tell me a story.", ReplyState.FINISHED),
        (Role.ASSISTANT, "A whole new story.", ReplyState.FINISHED),
    ]


def test_continue_on_an_interrupted_reply_extends_it_in_place(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    conversation_id = interrupted_conversation(store)
    chat.window.open_conversation(conversation_id)
    server.enqueue(ChatScript([Text(" princess who coded.")]))

    async def scenario() -> Message:
        click_link(chat.view, "Continue", "continue", 1)
        return await chat.finish()

    final = qloop.run(scenario())
    assert final.content == "Once upon a time there was a princess who coded."
    assert final.state is ReplyState.FINISHED
    sent = [(m["role"], m["content"]) for m in server.requests[-1].body["messages"]]  # type: ignore[index]
    assert sent == [
        ("user", "Tell me a story."),
        ("assistant", "Once upon a time there was a"),
        ("user", CONTINUE_INSTRUCTION),  # asked, never stored or shown
    ]
    text = chat.text()
    assert "Once upon a time there was a princess who coded." in text
    assert "Continue." not in text and "Interrupted" not in text
    assert [(m.content, m.state) for m in store.messages(conversation_id)][1:] == [
        ("Once upon a time there was a princess who coded.", ReplyState.FINISHED),
    ]


def test_an_earlier_reply_offers_no_retry_and_a_stray_retry_changes_nothing(
    chat: ChatHarness, store: SqliteHistoryStore
) -> None:
    messages = exchange("First?", "", "Second?", "Second answer.")
    messages[1] = Message(role=Role.ASSISTANT, content="Cut sh", state=ReplyState.INTERRUPTED)
    conversation_id = stored_conversation(store, "Two", messages)
    chat.window.open_conversation(conversation_id)

    # Only the last reply offers Retry and Continue; an earlier one, Regenerate.
    with pytest.raises(AssertionError, match="no 'Retry' button on message 1"):
        click_link(chat.view, "Retry", "retry", 1)
    find_button(chat.view, "Regenerate", 1)
    # A retry asked for anyway (a keyboard path, an old link) explains and changes nothing.
    chat.view.action_requested.emit("retry", 1)
    assert "Only the last reply can be retried" in chat.window.notice.text()
    assert chat.controller.task is None
    assert "Second answer." in chat.text()
    assert len(store.messages(conversation_id)) == 4


# -- actions on a reopened conversation ------------------------------------------------------


def test_regenerate_on_a_reopened_conversation_adds_a_version_of_that_reply(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    conversation_id = stored_conversation(
        store, "Numbers", exchange("one", "Answer one.", "two", "Answer two.")
    )
    chat.window.open_conversation(conversation_id)
    server.enqueue(ChatScript([Text("A better "), Text("answer one.")]))

    async def scenario() -> Message:
        click_link(chat.view, "Regenerate", "regenerate", 1)  # nothing asked: nothing goes
        return await chat.finish()

    qloop.run(scenario())
    text = chat.text()
    assert "A better answer one." in text
    assert "Answer one." not in text and "Answer two." not in text  # one switch away
    assert "‹ 2 / 2 ›" in text
    assert chat.view.message_keys() == [0, 1]
    assert [m["content"] for m in server.requests[-1].body["messages"]] == ["one"]  # type: ignore[index]
    assert [m.content for m in store.messages(conversation_id)] == ["one", "A better answer one."]
    assert len(store.message_tree(conversation_id)) == 5


def test_edit_on_a_reopened_conversation_puts_the_words_back_and_resends(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    conversation_id = stored_conversation(
        store, "Numbers", exchange("one", "Answer one.", "two", "Answer two.")
    )
    chat.window.open_conversation(conversation_id)

    async def scenario() -> Message:
        click_link(chat.view, "Edit", "edit", 2)
        assert chat.window.composer.toPlainText() == "two"
        # Nothing is removed before the edit is sent.
        assert "Answer two." in chat.text()
        assert chat.controller.task is None
        assert len(store.messages(conversation_id)) == 4
        assert chat.window.edit_bar.isVisible()
        chat.window.composer.setPlainText("three")
        chat.window.send_from_composer()
        return await chat.finish()

    assert qloop.run(scenario()).content == "You said: three"
    assert [m["content"] for m in server.requests[-1].body["messages"]] == [  # type: ignore[index]
        "one",
        "Answer one.",
        "three",
    ]
    assert [m.content for m in store.messages(conversation_id)] == [
        "one",
        "Answer one.",
        "three",
        "You said: three",
    ]


def test_copy_on_a_reopened_conversation_copies_the_markdown(
    chat: ChatHarness, store: SqliteHistoryStore
) -> None:
    conversation_id = stored_conversation(store, "Copy", exchange("hi", "Some **bold** words."))
    chat.window.open_conversation(conversation_id)
    click_link(chat.view, "Copy", "copy", 1)
    assert QGuiApplication.clipboard().text() == "Some **bold** words."
    assert chat.window.reply_status.text() == "Copied"  # it says it worked, for a moment


def test_actions_on_an_older_page_use_positions_in_the_whole_conversation(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner
) -> None:
    long_answer = "A long answer with many words in it. " * 60
    texts: list[str] = []
    for i in range(60):
        texts += [f"Question {i}", f"Answer {i}. {long_answer}"]
    conversation_id = stored_conversation(store, "Long", exchange(*texts))
    chat.window.open_conversation(conversation_id)

    async def scenario() -> None:
        await until(lambda: 2 in chat.view.message_keys(), what="the conversation")
        click_link(chat.view, "Edit", "edit", 2)  # scrolled to, far above
        assert chat.window.composer.toPlainText() == "Question 1"
        assert len(store.messages(conversation_id)) == 120  # nothing removed yet
        chat.window.send_from_composer()  # a new version: nothing asked, nothing removed
        await chat.finish()

    qloop.run(scenario())
    assert [m.content for m in store.messages(conversation_id)] == [
        *texts[:2],
        "Question 1",
        "You said: Question 1",
    ]
    assert len(store.message_tree(conversation_id)) == 122


# -- export ----------------------------------------------------------------------------------


def choose_file(actions: ConversationFileActions, path: Path) -> None:
    """The user picks `path` in the file dialog that is open."""
    dialog = actions.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.fileSelected.emit(str(path))
    dialog.reject()  # (accept() would also emit fileSelected; the dialog just closes here)


def test_the_file_menu_offers_export_and_import(chat: ChatHarness) -> None:
    menu = chat.window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    labels = [a.text().replace("&", "") for a in menu.actions()]
    assert "Export conversation as Markdown…" in labels
    assert "Export conversation as JSON…" in labels
    assert "Import conversations…" in labels


def test_export_as_markdown_writes_the_transcript(
    chat: ChatHarness, store: SqliteHistoryStore, qloop: LoopRunner, tmp_path: Path
) -> None:
    conversation_id = interrupted_conversation(store)
    chat.window.open_conversation(conversation_id)
    actions = chat.window.file_actions
    target = tmp_path / "out" / "story.md"
    target.parent.mkdir()

    async def scenario() -> None:
        actions.export_markdown_action.trigger()
        dialog = actions.dialog
        assert dialog is not None
        assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
        assert dialog.selectedFiles()[0].endswith("A story.md")  # the title, suggested
        choose_file(actions, target)
        await until(lambda: "Exported to" in chat.window.notice.text(), what="the export")

    qloop.run(scenario())
    assert chat.window.notice.text() == f"Exported to {target}."
    # Where it went, one click away.
    with recorded_desktop_opens() as desktop:
        assert chat.window.notice_action.isVisible()
        assert chat.window.notice_action.text() == "Show in folder"
        chat.window.notice_action.click()
    assert desktop.opened == [QUrl.fromLocalFile(str(target.parent)).toString()]
    markdown = target.read_text(encoding="utf-8")
    assert markdown.startswith("# A story\n")
    assert "## You\n\nTell me a story." in markdown
    assert "## Assistant (test-model)\n\nOnce upon a time there was a" in markdown
    assert "Interrupted: the app closed while this reply was arriving." in markdown


def test_export_as_json_writes_every_message_losslessly(
    chat: ChatHarness, store: SqliteHistoryStore, qloop: LoopRunner, tmp_path: Path
) -> None:
    conversation_id = stored_conversation(
        store, "Numbers", exchange("one", "Answer **one**.", "two", "Answer two.")
    )
    chat.window.open_conversation(conversation_id)
    actions = chat.window.file_actions
    target = tmp_path / "numbers.json"

    async def scenario() -> None:
        actions.export_json_action.trigger()
        choose_file(actions, target)
        await until(lambda: target.exists() and not actions.busy)

    qloop.run(scenario())
    (item,) = from_json(target.read_text(encoding="utf-8"))
    assert item.conversation.title == "Numbers"
    assert [(m.role, m.content) for m in item.messages] == [
        (m.role, m.content) for m in store.messages(conversation_id)
    ]
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "zlay-desktop"


def test_an_export_that_cannot_be_written_is_explained(
    chat: ChatHarness, store: SqliteHistoryStore, qloop: LoopRunner, tmp_path: Path
) -> None:
    chat.window.open_conversation(stored_conversation(store, "X", exchange("a", "b")))
    actions = chat.window.file_actions
    target = tmp_path / "no such folder" / "x.md"

    async def scenario() -> None:
        actions.export_markdown_action.trigger()
        choose_file(actions, target)
        await until(lambda: "Could not" in chat.window.notice.text(), what="the failure")

    qloop.run(scenario())
    assert chat.window.notice.text() == f"Could not save {target}: No such file or directory."
    assert not target.parent.exists()


def test_exporting_an_empty_conversation_says_there_is_nothing(chat: ChatHarness) -> None:
    chat.window.file_actions.export_json_action.trigger()
    assert chat.window.file_actions.dialog is None
    assert chat.window.notice.text() == (
        "There is nothing to export yet: this conversation is empty."
    )


# -- import, in the whole app ----------------------------------------------------------------


@pytest.fixture
def app(make_app: AppFactory, qtbot: QtBot) -> Application:
    application = make_app()
    application.window.show()
    qtbot.waitExposed(application.window)
    return application


def sidebar_titles(app: Application) -> list[str]:
    model = app.sidebar.model
    return [str(model.data(model.index(row))) for row in range(model.rowCount())]


def test_importing_a_chatgpt_export_shows_its_conversations_in_the_sidebar(
    app: Application, qloop: LoopRunner, tmp_path: Path
) -> None:
    actions = app.window.file_actions
    assert actions.import_action.isEnabled()
    assert sidebar_titles(app) == []

    async def scenario() -> None:
        actions.import_action.trigger()
        dialog = actions.dialog
        assert dialog is not None
        assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptOpen
        choose_file(actions, CHATGPT_EXPORT)
        await until(lambda: "Arithmetic" in sidebar_titles(app), what="the imported list")

    qloop.run(scenario())
    assert sidebar_titles(app) == ["Imported conversation", "Arithmetic"]
    assert app.window.notice.text() == "Imported 2 conversations from chatgpt-conversations.json."
    # Opened from the sidebar like any other conversation.
    app.sidebar.list_view.setCurrentIndex(app.sidebar.model.index(1))
    text = app.window.chat_view.transcript_text()
    assert "What is 2+2?" in text and "5+5 is 10." in text


def test_the_apps_own_json_imports_back(
    app: Application, qloop: LoopRunner, tmp_path: Path
) -> None:
    actions = app.window.file_actions
    exported = tmp_path / "arithmetic.json"

    async def scenario() -> None:
        actions.import_action.trigger()
        choose_file(actions, CHATGPT_EXPORT)
        await until(lambda: len(sidebar_titles(app)) == 2, what="the first import")
        app.sidebar.list_view.setCurrentIndex(app.sidebar.model.index(1))
        actions.export_json_action.trigger()
        choose_file(actions, exported)
        await until(lambda: exported.exists() and not actions.busy)
        actions.import_action.trigger()
        choose_file(actions, exported)
        await until(lambda: len(sidebar_titles(app)) == 3, what="the second import")

    qloop.run(scenario())
    assert sorted(sidebar_titles(app)) == ["Arithmetic", "Arithmetic", "Imported conversation"]
    assert app.window.notice.text() == "Imported 1 conversation from arithmetic.json."


def test_a_file_that_is_not_an_export_is_refused_with_a_reason(
    app: Application, qloop: LoopRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text("{ not json", encoding="utf-8")
    actions = app.window.file_actions

    async def scenario() -> None:
        actions.import_action.trigger()
        choose_file(actions, bad)
        await until(lambda: "Could not" in app.window.notice.text(), what="the refusal")

    qloop.run(scenario())
    assert app.window.notice.text().startswith(
        "Could not import notes.json: The file is not valid JSON"
    )
    assert sidebar_titles(app) == []
