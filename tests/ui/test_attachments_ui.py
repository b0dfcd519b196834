"""Attachments through the real window: the composer's paste, drop and chips, the real
controller and session, the real SDK over a socket to the project's test server, which
decodes the content parts it receives. Files are made in the test (PDFs with QPdfWriter)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import QApplication

from tests.conftest import LoopRunner, until
from tests.harness import ChatHarness
from tests.testserver import IMAGES_REFUSED, OpenAITestServer, user_parts
from zlay_desktop.core.models import AttachmentKind, ReplyState
from zlay_desktop.core.store import SqliteHistoryStore

# Qt 6's only QDragEnterEvent constructor takes a QPoint, which PySide marks deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")


def _image_file(path: Path, size: tuple[int, int], fmt: str) -> Path:
    Image.new("RGB", size, (40, 160, 90)).save(path, fmt)
    return path


def _pdf(path: Path, *, text: str | None) -> Path:
    """A PDF made by Qt: with text (a text layer), or with only a picture (a scan)."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    painter = QPainter(writer)
    if text is not None:
        painter.drawText(QRect(200, 200, 4000, 400), 0, text)
    else:
        picture = QImage(400, 300, QImage.Format.Format_RGB32)
        picture.fill(QColor("gray"))
        painter.drawImage(QPoint(200, 200), picture)
    painter.end()
    return path


def _drop(chat: ChatHarness, paths: list[Path], *, on_window: bool = False) -> None:
    """Drags files in and drops them, as a file manager does (the enter, then the drop)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    target = chat.window if on_window else chat.window.composer.viewport()
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, event)


async def _ready(chat: ChatHarness, count: int) -> None:
    composer = chat.window.composer
    await until(
        lambda: not composer.attachments_pending and len(composer.attachments()) == count,
        what=f"{count} attachments ready",
    )


def test_dropped_files_are_sent_as_content_parts_and_kept(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner, tmp_path: Path
) -> None:
    png = _image_file(tmp_path / "diagram.png", (640, 480), "PNG")
    webp = _image_file(tmp_path / "screenshot.webp", (800, 600), "WEBP")
    jpeg = _image_file(tmp_path / "holiday.jpg", (4096, 3072), "JPEG")
    notes = tmp_path / "notes.txt"
    notes.write_text("Meeting on Thursday at noon.\n", encoding="utf-8")
    pdf = _pdf(tmp_path / "report.pdf", text="Quarterly revenue grew")

    async def scenario() -> None:
        _drop(chat, [png, webp])
        _drop(chat, [jpeg, notes, pdf], on_window=True)
        await _ready(chat, 5)
        chips = chat.window.composer.tray.chips()
        assert [c.name for c in chips] == [p.name for p in (png, webp, jpeg, notes, pdf)]
        assert "tokens" in chips[0].label.text() and "1 page" in chips[4].label.text()
        assert chips[0].remove_button.accessibleName() == "Remove diagram.png"
        chat.window.composer.setPlainText("Summarise these")
        chat.window.send_from_composer()
        assert chat.window.composer.attachments() == []  # sent: the tray is empty again
        final = await chat.finish()
        assert final.state is ReplyState.FINISHED

    qloop.run(scenario())
    (parts,) = user_parts(server.requests[-1])
    assert parts.texts[0] == "Summarise these"
    assert parts.file_names() == ("notes.txt", "report.pdf")
    assert "Meeting on Thursday" in parts.texts[1]
    assert "Quarterly revenue grew" in " ".join(parts.texts[2].split())  # (pypdf: tabs)
    assert [(i.format, i.width, i.height) for i in parts.images] == [
        ("PNG", 640, 480),
        ("PNG", 800, 600),  # WebP re-encoded
        ("JPEG", 2048, 1536),  # scaled to the long side's limit
    ]
    # Stored before the request went out, and there after a restart.
    (conversation,) = store.list_conversations(0, 10)
    user = store.messages(conversation.id)[0]
    assert [a.kind for a in user.attachments] == [AttachmentKind.IMAGE] * 3 + [AttachmentKind.DOCUMENT] * 2
    assert len(store.attachment_data(a.sha256 for a in user.attachments)) == 5


def test_a_pasted_image_and_removing_before_sending(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner, tmp_path: Path
) -> None:
    picture = QImage(300, 200, QImage.Format.Format_ARGB32)
    picture.fill(QColor(200, 10, 10, 255))
    mime = QMimeData()
    mime.setImageData(picture)
    QGuiApplication.clipboard().setMimeData(mime)
    notes = tmp_path / "draft.md"
    notes.write_text("# Draft\n", encoding="utf-8")

    async def scenario() -> None:
        chat.window.composer.setFocus()
        chat.window.composer.paste()  # what Ctrl+V does
        _drop(chat, [notes])
        await _ready(chat, 2)
        draft_chip = chat.window.composer.tray.chips()[1]
        draft_chip.remove_button.click()
        await _ready(chat, 1)
        chat.window.composer.setPlainText("What colour?")
        chat.window.send_from_composer()
        await chat.finish()

    qloop.run(scenario())
    (parts,) = user_parts(server.requests[-1])
    assert parts.file_names() == ()  # removed before sending
    assert [(i.format, i.width, i.height) for i in parts.images] == [("PNG", 300, 200)]


def test_files_that_cannot_be_attached_say_why_and_add_nothing(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner, tmp_path: Path
) -> None:
    scan = _pdf(tmp_path / "scan.pdf", text=None)
    binary = tmp_path / "program.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    broken = tmp_path / "broken.png"
    broken.write_bytes(_image_file(tmp_path / "whole.png", (500, 500), "PNG").read_bytes()[:200])
    notices: list[str] = []

    async def scenario() -> None:
        chat.window.composer.tray.failed.connect(notices.append)
        _drop(chat, [scan, binary, broken])
        await until(lambda: len(notices) == 3, what="three refusals")
        await _ready(chat, 0)

    qloop.run(scenario())
    assert "looks scanned" in notices[0]
    assert "not a text file" in notices[1]
    assert "damaged or incomplete" in notices[2]
    assert chat.window.notice.text() == notices[-1]
    assert chat.window.composer.tray.isHidden()
    assert server.requests == []


def test_a_server_refusing_images_then_retry_and_regenerate_keep_them(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner, tmp_path: Path
) -> None:
    server.set_text_only_models("test-model")
    png = _image_file(tmp_path / "chart.png", (120, 90), "PNG")

    async def scenario() -> None:
        _drop(chat, [png])
        await _ready(chat, 1)
        chat.window.composer.setPlainText("Read the chart")
        chat.window.send_from_composer()
        failed = await chat.finish()
        assert failed.state is ReplyState.FAILED and failed.error is not None
        assert IMAGES_REFUSED in failed.error.message + failed.error.detail
        # The message keeps its image; another model, then Retry.
        assert chat.session.messages[0].attachments[0].name == "chart.png"
        chat.model = "test-model-large"
        assert chat.controller.retry()
        assert (await chat.finish()).state is ReplyState.FINISHED
        assert chat.controller.regenerate(1)
        assert (await chat.finish()).state is ReplyState.FINISHED
        # An edit keeps the message's files too.
        assert chat.controller.resend_edited(0, "Read the chart, please")
        assert (await chat.finish()).state is ReplyState.FINISHED

    qloop.run(scenario())
    assert len(server.requests) == 4
    for request in server.requests:
        (parts,) = user_parts(request)
        assert [(i.width, i.height) for i in parts.images] == [(120, 90)]
    (conversation,) = store.list_conversations(0, 10)
    user, _reply = store.messages(conversation.id)
    assert user.content == "Read the chart, please" and len(user.attachments) == 1
