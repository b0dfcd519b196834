"""A sent message's files in the transcript: image thumbnails (decoded off the GUI thread
by the attachment image provider) and document chips, there again when the conversation is
opened from the history; a click shows a copy of the file in the desktop's viewer. Through
the real window, controller and session, with the project's test server."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSize, QUrl
from PySide6.QtGui import QColor
from PySide6.QtQuick import QQuickItem

from tests.conftest import AppFactory, LoopRunner, until
from tests.harness import ChatHarness
from tests.security.support import recorded_desktop_opens
from tests.testserver import OpenAITestServer, user_parts
from tests.transcript_driver import press, settle
from tests.ui.test_attachments_ui import _drop, _image_file, _pdf, _ready
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.ui.transcript import TranscriptView
from zlay_desktop.ui.transcript.payload_images import PayloadImageProvider

# Qt 6's only QDragEnterEvent constructor takes a QPoint, which PySide marks deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")

GREEN = (40, 160, 90)  # what _image_file paints


def _items(item: QQuickItem) -> list[QQuickItem]:
    found = [item]
    for child in item.childItems():
        found += _items(child)
    return found


def _item(view: TranscriptView, object_name: str) -> QQuickItem | None:
    root = view.root_item()
    assert root is not None
    return next((i for i in _items(root) if i.objectName() == object_name), None)


def _thumbnail(view: TranscriptView, key: int, index: int) -> QQuickItem | None:
    """The Image inside a file's button, once it has decoded its picture."""
    button = _item(view, f"attachment-{key}-{index}")
    if button is None:
        return None
    loader = next((c for c in button.childItems() if c.objectName() == "preview"), None)
    image = loader.property("item") if isinstance(loader, QQuickItem) else None
    if not isinstance(image, QQuickItem) or image.property("progress") != 1.0:
        return None
    if image.property("paintedWidth") <= 0:  # (an image that could not be decoded)
        return None
    return image


def _pixel_at_centre(view: TranscriptView, item: QQuickItem) -> tuple[int, int, int]:
    quick = view.quick
    assert quick is not None
    frame = quick.grabFramebuffer()
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    ratio = frame.devicePixelRatio()
    colour = QColor(frame.pixel(int(centre.x() * ratio), int(centre.y() * ratio)))
    return colour.red(), colour.green(), colour.blue()


def _near(colour: tuple[int, int, int], expected: tuple[int, int, int] = GREEN) -> bool:
    """The colour drawn, give or take what scaling does to it."""
    return all(abs(a - b) <= 6 for a, b in zip(colour, expected, strict=True))


async def _thumbnail_shown(view: TranscriptView, key: int) -> QQuickItem:
    view.scroll_to_message(key)

    def shown() -> bool:
        settle(view, rounds=1)
        return _thumbnail(view, key, 0) is not None

    await until(shown, what="the thumbnail decoded")
    image = _thumbnail(view, key, 0)
    assert image is not None
    return image


def test_sent_files_show_as_a_thumbnail_and_a_chip_also_after_reopening(
    chat: ChatHarness,
    server: OpenAITestServer,
    store: SqliteHistoryStore,
    qloop: LoopRunner,
    tmp_path: Path,
) -> None:
    photo = _image_file(tmp_path / "garden.webp", (1600, 800), "WEBP")
    pdf = _pdf(tmp_path / "report.pdf", text="Quarterly revenue grew")
    view = chat.view

    async def scenario() -> None:
        _drop(chat, [photo, pdf])
        await _ready(chat, 2)
        chat.window.composer.setPlainText("Look at these")
        chat.window.send_from_composer()
        await chat.finish()
        image = await _thumbnail_shown(view, 0)
        # Small, its aspect kept (2:1), decoded at the size shown.
        assert (image.width(), image.height()) == (220, 110)
        assert image.property("sourceSize") == QSize(220, 110)
        assert _near(_pixel_at_centre(view, image))
        # Reopened from the history (the session's payloads are gone: read from the files).
        (conversation,) = store.list_conversations(0, 10)
        chat.controller.new_conversation()
        assert "garden" not in chat.text()
        chat.controller.open_conversation(conversation.id)
        image = await _thumbnail_shown(view, 0)
        assert _near(_pixel_at_centre(view, image))

    qloop.run(scenario())
    text = chat.text()
    assert "Attached: garden.webp (image, 1600 × 800), report.pdf (1 page," in text
    chip = _item(view, "attachment-0-1")
    assert chip is not None and chip.isVisible()


def test_clicking_a_sent_file_shows_a_read_only_copy_in_the_desktop_viewer(
    chat: ChatHarness, server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner, tmp_path: Path
) -> None:
    photo = _image_file(tmp_path / "chart.png", (300, 200), "PNG")
    notes = tmp_path / "notes.txt"
    notes.write_text("Meeting on Thursday at noon.\n", encoding="utf-8")
    view = chat.view

    with recorded_desktop_opens() as desktop:

        async def scenario() -> None:
            _drop(chat, [photo, notes])
            await _ready(chat, 2)
            chat.window.composer.setPlainText("Here")
            chat.window.send_from_composer()
            await chat.finish()
            press(view, "Open chart.png", 0, object_name="attachment-0-0")
            await until(lambda: len(desktop.opened) == 1, what="the image handed to the desktop")
            press(view, "Open notes.txt", 0, object_name="attachment-0-1")
            await until(lambda: len(desktop.opened) == 2, what="the text handed to the desktop")

        qloop.run(scenario())

    image_path, text_path = (Path(QUrl(url).toLocalFile()) for url in desktop.opened)
    (conversation,) = store.list_conversations(0, 10)
    stored = store.messages(conversation.id)[0].attachments
    # Copies of what was stored (and sent), never the stored files themselves.
    assert image_path.name == "chart.png" and text_path.name == "notes.txt"
    assert image_path.read_bytes() == store.attachment_data([stored[0].sha256])[stored[0].sha256]
    assert text_path.read_text(encoding="utf-8") == "Meeting on Thursday at noon.\n"
    assert store.attachments.folder not in image_path.parents
    assert not image_path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    # Keyboard focus went back to the composer.
    assert chat.window.composer.hasFocus() or not chat.window.isActiveWindow()


def test_the_thumbnail_provider_decodes_at_the_size_asked_from_the_stored_file(
    store: SqliteHistoryStore, tmp_path: Path
) -> None:
    from zlay_desktop.core.attachments import prepare_file

    prepared = prepare_file(_image_file(tmp_path / "wide.png", (2000, 500), "PNG"))
    store.attachments.put(prepared.data)
    provider = PayloadImageProvider(lambda sha: store.attachment_data([sha]).get(sha))
    size = QSize()
    image = provider.requestImage(prepared.ref.sha256, size, QSize(200, 200))
    assert (image.width(), image.height()) == (200, 50) == (size.width(), size.height())
    colour = QColor(image.pixel(100, 25))
    assert _near((colour.red(), colour.green(), colour.blue()))
    # Unknown, or not a hash at all: nothing (the delegate shows the name instead).
    assert provider.requestImage("0" * 64, QSize(), QSize(10, 10)).isNull()
    assert provider.requestImage("../../etc/passwd", QSize(), QSize(10, 10)).isNull()


def test_documents_too_long_for_the_models_context_are_said_before_sending(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    # About 10,000 tokens, for a model not known by name (8,192 assumed).
    book = tmp_path / "book.txt"
    book.write_text("A long chapter about lighthouses. " * 1200, encoding="utf-8")
    window = chat.window

    def question() -> QMessageBox | None:
        box = window.question
        return box if isinstance(box, QMessageBox) and box.isVisible() else None

    async def scenario() -> None:
        _drop(chat, [book])
        await _ready(chat, 1)
        window.composer.setPlainText("Summarise the book")
        window.send_from_composer()
        box = question()
        assert box is not None, "no question before sending"
        assert "about 10," in box.text() and "8,192 tokens test-model can take" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()
        await until(lambda: question() is None, what="the question to close")
        await until(lambda: not window.findChildren(QMessageBox), what="the question freed")
        # Nothing sent; the file is still there to be removed.
        assert server.requests == [] and len(window.composer.attachments()) == 1
        assert "remove a file" in window.notice.text()

        window.send_from_composer()
        box = question()
        assert box is not None
        (anyway,) = [b for b in box.buttons() if b.text() == "Send anyway"]
        anyway.click()
        await until(lambda: chat.controller.task is not None, what="the message to go")
        await chat.finish()

    qloop.run(scenario())
    (parts,) = user_parts(server.requests[-1])
    assert parts.file_names() == ("book.txt",) and "lighthouses" in parts.texts[1]
    assert window.composer.attachments() == []


def test_copies_shown_in_a_viewer_live_in_the_apps_folder_and_go_a_day_later(
    make_app: AppFactory, server: OpenAITestServer, qloop: LoopRunner, tmp_path: Path
) -> None:
    import os
    import time

    from zlay_desktop.core.paths import AppPaths

    folder = AppPaths.portable(tmp_path / "data").viewer_copies_dir
    old = folder / ("a" * 16) / "old.png"
    young = folder / ("b" * 16) / "young.txt"
    for path in (old, young):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"shown before")
        path.chmod(0o400)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))

    app = make_app(base_url=server.base_url, model="test-model")
    app.window.show()
    opener = app.window.attachment_opener
    notes = tmp_path / "notes.txt"
    notes.write_text("Meeting on Thursday.\n", encoding="utf-8")
    cleaned: list[bool] = []
    opener.cleaned.connect(lambda: cleaned.append(True))

    with recorded_desktop_opens() as desktop:

        async def scenario() -> None:
            # At the start, on the opener's thread: the copy of two days ago is gone (with
            # its folder), the young one stays (a viewer may have it open).
            await until(lambda: not old.exists(), what="the old copy removed")
            await until(lambda: bool(cleaned), what="the clean-up done")
            assert young.read_bytes() == b"shown before" and not old.parent.exists()
            app.window.composer.add_files([notes])
            await until(lambda: len(app.window.composer.attachments()) == 1, what="ready")
            app.window.composer.setPlainText("Here")
            app.window.send_from_composer()
            await until(
                lambda: server.requests != [] and not app.controller.busy, what="the reply"
            )
            press(app.window.chat_view, "Open notes.txt", 0, object_name="attachment-0-0")
            await until(lambda: len(desktop.opened) == 1, what="the copy handed to the desktop")

        qloop.run(scenario())

    (opened,) = (Path(QUrl(url).toLocalFile()) for url in desktop.opened)
    assert folder in opened.parents and opened.read_text(encoding="utf-8") == (
        "Meeting on Thursday.\n"
    )
