"""Opening a search hit from the sidebar shows the conversation scrolled to the matching
message, highlighted for a moment with the words searched for marked in it; a word only in
an attached document's text is found too, and the hit says in which file. The real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.conftest import AppFactory, LoopRunner, until
from tests.testserver import OpenAITestServer
from tests.transcript_driver import messages_in_view
from zlay_desktop.app import Application
from zlay_desktop.core.attachments import prepare_bytes
from zlay_desktop.core.models import Message, Role
from zlay_desktop.ui.conversation_list import RESULT_HTML_ROLE


@pytest.fixture
def app(make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer) -> Application:
    application = make_app(base_url=server.base_url, model="test-model")
    application.window.resize(1000, 700)
    application.window.show()
    qtbot.waitExposed(application.window)
    return application


def _long_conversation(app: Application) -> None:
    """60 messages; the 6th mentions a zeppelin, the 9th has a document about an airship."""
    store = app.store
    assert store is not None
    report = prepare_bytes(b"Chapter 3: the airship crossed the Alps.\n", "report.txt")
    conversation = store.create_conversation("Travel notes", None, None)
    for i in range(60):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        words = f"Message {i}. " + "Ordinary words fill this paragraph. " * 12
        if i == 5:
            words = "We saw a zeppelin over the lake. " + words
        attachments = (report.ref,) if i == 8 else ()
        payloads = {report.ref.sha256: report.data} if i == 8 else None
        store.append_message(
            conversation.id, Message(role, words, attachments=attachments), payloads
        )
    app.sidebar.refresh()


async def _open_hit(app: Application, query: str) -> str:
    sidebar = app.sidebar
    sidebar.search_field.clear()
    QTest.keyClicks(sidebar.search_field, query)
    # (Awaited, not a nested event loop: a write the hit before started may finish meanwhile.)
    await until(lambda: sidebar.is_searching and sidebar.results_model.rowCount() == 1)
    html = str(sidebar.results_model.index(0).data(RESULT_HTML_ROLE))
    rect = sidebar.results_view.visualRect(sidebar.results_model.index(0))
    QTest.mouseClick(sidebar.results_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return html


def test_opening_a_search_hit_scrolls_to_the_message_and_highlights_the_match(
    app: Application, qtbot: QtBot, qloop: LoopRunner
) -> None:
    _long_conversation(app)
    view = app.window.chat_view
    marked: list[tuple[int, str]] = []
    view.match_shown.connect(lambda key, text: marked.append((key, text)))

    async def scenario() -> None:
        await _open_hit(app, "zeppelin")
        await until(lambda: view.highlighted_message() == 5, what="message 5 highlighted")
        await until(lambda: 5 in messages_in_view(view), what="message 5 in view")
        assert 59 not in messages_in_view(view)  # (not left at the end)
        await until(lambda: (5, "zeppelin") in marked, what="the word marked")
        # For a moment only.
        await until(lambda: view.highlighted_message() is None, timeout=6, what="the end of it")

        # A word only inside an attached document: the hit says which file, and its message
        # is the one shown.
        html = await _open_hit(app, "airship")
        assert "in report.txt" in html and "<b>airship</b>" in html
        await until(lambda: view.highlighted_message() == 8, what="message 8 highlighted")
        await until(lambda: 8 in messages_in_view(view), what="message 8 in view")

    qloop.run(scenario())


def test_documents_stored_before_the_index_existed_are_indexed_after_the_start_off_the_gui_thread(
    make_app: AppFactory,
    server: OpenAITestServer,
    qloop: LoopRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import contextlib
    import sqlite3
    import threading

    from zlay_desktop.core.attachment_files import AttachmentFiles
    from zlay_desktop.core.paths import AppPaths
    from zlay_desktop.core.store import SqliteHistoryStore

    paths = AppPaths.portable(tmp_path / "data")
    paths.ensure()
    report = prepare_bytes(b"Chapter 3: the airship crossed the Alps.\n", "report.txt")
    with SqliteHistoryStore.open(paths.database_file) as store:
        conversation = store.create_conversation("Travel notes", None, None)
        store.append_message(
            conversation.id,
            Message(Role.USER, "Read this", attachments=(report.ref,)),
            {report.ref.sha256: report.data},
        )
    with contextlib.closing(sqlite3.connect(paths.database_file)) as db, db:
        db.execute("DELETE FROM document_texts")  # (stored before the index existed)
    readers: list[str] = []
    read = AttachmentFiles.read

    def recorded_read(files: AttachmentFiles, sha256: str) -> bytes | None:
        if sha256 == report.ref.sha256:
            readers.append(threading.current_thread().name)
        return read(files, sha256)

    monkeypatch.setattr(AttachmentFiles, "read", recorded_read)
    app = make_app(base_url=server.base_url, model="test-model")
    history = app.store
    assert history is not None
    # The window did not wait for it: the document's file is read on the history writer's
    # thread, after the start, and then search finds its words.
    qloop.run(until(lambda: history.search("airship") != [], what="the document indexed"))
    assert readers and all(name.startswith("history-writer") for name in readers), readers

