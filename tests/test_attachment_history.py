"""Attachments through the core: the session stores them before the request goes out, the
request carries them as content parts (checked by the test server after decoding), a
server that refuses images leaves them on the message, and the history keeps, searches,
exports, imports and cleans them up."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from tests.testserver import IMAGES_REFUSED, OpenAITestServer, user_parts
from zlay_desktop.core.attachments import PreparedAttachment, prepare_bytes
from zlay_desktop.core.chat_session import ChatSession, ReplyTarget
from zlay_desktop.core.export import (
    ExportedConversation,
    ImportFormatError,
    attachment_file_names,
    from_json,
    to_json,
    to_markdown,
)
from zlay_desktop.core.history import Conversation
from zlay_desktop.core.models import (
    ChatParams,
    Endpoint,
    ErrorKind,
    Message,
    ReplyState,
    Role,
)
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.core.streaming import OpenAIChatBackend


def _photo(size: tuple[int, int] = (3000, 1500)) -> PreparedAttachment:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "WEBP")
    return prepare_bytes(out.getvalue(), "photo.webp")


def _notes() -> PreparedAttachment:
    return prepare_bytes(b"# Plan\n\nBuy flour on Tuesday.\n", "plan-notes.md")


def _target(server: OpenAITestServer, model: str = "test-model") -> ReplyTarget:
    return ReplyTarget(Endpoint(server.base_url, "k"), ChatParams(model=model))


def _files(store: SqliteHistoryStore) -> set[str]:
    return {p.name for p in store.attachments.folder.glob("??/*")}


def test_attachments_are_stored_then_sent_as_content_parts(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    photo, notes = _photo(), _notes()

    async def main() -> Message:
        session = ChatSession(OpenAIChatBackend(), store)
        try:
            return await session.send("What is this?", _target(server), lambda e: None, [photo, notes])
        finally:
            await session.aclose()

    reply = asyncio.run(main())
    assert reply.state is ReplyState.FINISHED
    (request,) = server.requests
    (parts,) = user_parts(request)
    assert parts.texts[0] == "What is this?"
    assert parts.file_names() == ("plan-notes.md",)
    assert "Buy flour on Tuesday." in parts.texts[1]
    (image,) = parts.images
    # WebP never goes out: it was re-encoded, and scaled to 2,048 px on its long side.
    assert (image.format, image.mime, image.width, image.height) == ("PNG", "image/png", 2048, 1024)

    (conversation,) = store.list_conversations(0, 10)
    user, _ = store.messages(conversation.id)
    assert [a.name for a in user.attachments] == ["photo.webp", "plan-notes.md"]
    assert _files(store) == {photo.ref.sha256, notes.ref.sha256}
    # Found by a file's name.
    (hit,) = store.search("notes")
    assert hit.conversation_id == conversation.id and "plan-notes.md" in hit.snippet


def test_a_server_refusing_images_keeps_them_and_retry_works_with_another_model(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.set_text_only_models("test-model")
    photo = _photo((200, 100))

    async def main() -> tuple[Message, Message, Message]:
        session = ChatSession(OpenAIChatBackend(), store)
        try:
            failed = await session.send("Describe", _target(server), lambda e: None, [photo])
            retried = await session.retry_last(_target(server, "test-model-large"), lambda e: None)
            regenerated = await session.regenerate(1, _target(server, "test-model-large"), lambda e: None)
            return failed, retried, regenerated
        finally:
            await session.aclose()

    failed, retried, regenerated = asyncio.run(main())
    assert failed.state is ReplyState.FAILED and failed.error is not None
    assert failed.error.kind is ErrorKind.BAD_REQUEST
    assert IMAGES_REFUSED in failed.error.message + failed.error.detail
    assert retried.state is ReplyState.FINISHED and regenerated.state is ReplyState.FINISHED
    assert len(server.requests) == 3
    for request in server.requests:
        (parts,) = user_parts(request)
        assert [(i.width, i.height) for i in parts.images] == [(200, 100)]
    (conversation,) = store.list_conversations(0, 10)
    user, reply = store.messages(conversation.id)
    assert user.attachments == (photo.ref,) and reply.state is ReplyState.FINISHED


def test_continue_resends_the_attachments(server: OpenAITestServer, store: SqliteHistoryStore) -> None:
    notes = _notes()

    async def main() -> None:
        session = ChatSession(OpenAIChatBackend(), store)
        try:
            await session.send("", _target(server), lambda e: None, [notes])
            # After a restart: the payload is read back from disk.
            assert session.conversation is not None
            session.open_conversation(session.conversation.id)
            await session.continue_last(_target(server), lambda e: None)
        finally:
            await session.aclose()

    asyncio.run(main())
    first, second = (user_parts(r)[0] for r in server.requests)
    assert first.file_names() == second.file_names() == ("plan-notes.md",)
    (conversation,) = store.list_conversations(0, 10)
    assert conversation.title == "plan-notes.md"  # nothing typed: named after the file


def test_export_import_round_trip_and_deletion_cleans_orphans(tmp_path: Path) -> None:
    photo, notes = _photo((300, 200)), _notes()
    with SqliteHistoryStore.open(tmp_path / "a" / "history.sqlite3") as store:
        conv = store.create_conversation("Trip", None, None)
        message = Message(Role.USER, "Look", attachments=(photo.ref, notes.ref))
        store.append_message(conv.id, message, {photo.ref.sha256: photo.data, notes.ref.sha256: notes.data})
        messages = store.messages(conv.id)
        payloads = store.attachment_data({photo.ref.sha256, notes.ref.sha256})
        exported = to_json([ExportedConversation(conv, tuple(messages), payloads)])
        # Another conversation uses the notes too: they outlive the first one's deletion.
        other = store.create_conversation("Other", None, None)
        store.append_message(other.id, Message(Role.USER, "again", attachments=(notes.ref,)), {notes.ref.sha256: notes.data})
        store.delete_conversation(conv.id)
        assert _files(store) == {photo.ref.sha256, notes.ref.sha256}  # undo is still possible
        store.purge_deleted()
        assert _files(store) == {notes.ref.sha256}
        store.delete_conversation(other.id)
        store.purge_deleted()
        assert _files(store) == set()

    document = json.loads(exported)
    assert set(document["conversations"][0]["files"]) == {photo.ref.sha256, notes.ref.sha256}
    items = from_json(exported)
    with SqliteHistoryStore.open(tmp_path / "b" / "history.sqlite3") as fresh:
        (added,) = fresh.import_conversations(items)
        (restored,) = fresh.messages(added.id)
        assert restored.attachments == (photo.ref, notes.ref)
        assert fresh.attachment_data({photo.ref.sha256}) == {photo.ref.sha256: photo.data}

    places = attachment_file_names(messages, "Trip files")
    assert places == {photo.ref.sha256: "Trip files/photo.png", notes.ref.sha256: "Trip files/plan-notes.md"}
    markdown = to_markdown(conv, messages, places)
    assert "![photo.webp](<Trip files/photo.png>)" in markdown
    assert "📎 [plan-notes.md](<Trip files/plan-notes.md>)" in markdown


def test_a_damaged_export_is_refused() -> None:
    notes = _notes()
    messages = (Message(Role.USER, "x", attachments=(notes.ref,)),)
    item = ExportedConversation(Conversation(0, "t"), messages, {notes.ref.sha256: b"tampered"})
    with pytest.raises(ImportFormatError, match="checksum"):
        from_json(to_json([item]))


def test_search_finds_words_inside_attached_documents_and_says_which_file(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    report = prepare_bytes(b"The zeppelin budget was approved in March.\n", "report.txt")
    with SqliteHistoryStore.open(path) as store:
        conv = store.create_conversation("Budget talk", None, None)
        store.append_message(
            conv.id,
            Message(Role.USER, "Summarise this", attachments=(report.ref,)),
            {report.ref.sha256: report.data},
        )
        (hit,) = store.search("zeppelin")
        assert hit.conversation_id == conv.id and hit.message_id is not None
        assert hit.in_file == "report.txt"
        assert "zeppelin budget" in hit.snippet
        start, end = hit.snippet_marks[0]
        assert hit.snippet[start:end] == "zeppelin"
        # A word in the message itself is found there, not in the file.
        (own,) = store.search("summarise")
        assert own.in_file == "" and own.snippet.startswith("Summarise")
        assert store.search("airship") == []
    # The index is derived: a database without it (stored before it existed) gets it back
    # from the payload files when opened.
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("DELETE FROM document_texts")
    with SqliteHistoryStore.open(path) as store:
        (hit,) = store.search("zeppelin")
        assert hit.in_file == "report.txt"
        # Deleted for good: the text goes with the file.
        assert store.delete_conversation(conv.id)
        store.purge_deleted()
        assert store.search("zeppelin") == []
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM document_texts").fetchone()[0] == 0


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, cells in enumerate(table):
            for c, text in enumerate(cells):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_documents_text_reaches_the_server(server: OpenAITestServer, store: SqliteHistoryStore) -> None:
    memo = prepare_bytes(
        _docx(["Budget memo", "The warehouse lease ends in June."], [["Item", "Cost"], ["Roof", "900"]]),
        "memo.docx",
    )

    async def main() -> Message:
        session = ChatSession(OpenAIChatBackend(), store)
        try:
            return await session.send("Summarise", _target(server), lambda e: None, [memo])
        finally:
            await session.aclose()

    assert asyncio.run(main()).state is ReplyState.FINISHED
    (parts,) = user_parts(server.requests[-1])
    assert parts.file_names() == ("memo.docx",)
    assert "The warehouse lease ends in June." in parts.texts[1]
    assert "Roof | 900" in parts.texts[1]


def test_a_broken_or_unreadable_word_document_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from zlay_desktop.core.attachments import AttachmentError

    whole = _docx(["Some text"])
    with pytest.raises(AttachmentError, match="could not be read as a Word document"):
        prepare_bytes(whole[: len(whole) // 2], "cut.docx")
    with pytest.raises(AttachmentError, match="could not be read as a Word document"):
        prepare_bytes(b"PK\x03\x04 not really a zip", "fake.docx")
    with pytest.raises(AttachmentError, match="has no text"):
        prepare_bytes(_docx([]), "empty.docx")
    # Without the optional package: what to install.
    monkeypatch.setitem(__import__("sys").modules, "docx", None)
    with pytest.raises(AttachmentError, match=r"needs the optional python-docx.*zlay-desktop\[docx\]"):
        prepare_bytes(whole, "memo.docx")
