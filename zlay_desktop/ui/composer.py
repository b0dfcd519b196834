"""The message input: multi-line, Enter sends, Shift+Enter starts a new line.

A very large paste (a log, a whole file) is not put into the text box: Qt lays out a long
paragraph all at once, about half a second a megabyte, and a paragraph with no break
opportunity in time that grows with the square of its length (40 s for 1 MB), all on the
GUI thread. Such a paste is kept aside instead, and a bar above the box says how big it is,
with Send and Remove. The message is then the pasted text followed by whatever is typed in
the box. ``toPlainText()``, ``setPlainText()`` and ``clear()`` work on that whole message, so
callers need not know about the bar. Text longer than ``MAX_MESSAGE_CHARS`` is refused: no
model takes that much, and the user is told so.

Files come in by the paperclip button (a file picker), by dropping them on the composer or
the window, and by pasting (Ctrl+V) copied files or an image; they show as chips above the
box (`AttachmentTray`), read off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from zlay_desktop.core.markdown_render import break_long_runs
from zlay_desktop.ui.i18n import data_size, number

if TYPE_CHECKING:
    from zlay_desktop.core.attachments import PreparedAttachment
    from zlay_desktop.ui.attachment_tray import AttachmentTray

MIN_LINES = 3
"""The box's height when it holds a line or two."""
MAX_SHARE = 0.4
"""The box grows with its text up to this share of the window's height, then scrolls."""

LARGE_PASTE_CHARS = 100_000
"""A paste longer than this is kept out of the text box (shown as a bar with its size)."""

MAX_MESSAGE_CHARS = 20_000_000
"""Longer text is refused: far beyond any model's context window."""


def describe_size(text: str) -> str:
    """E.g. "10.5 MB (10,485,760 characters)": the size a person thinks of, and the count."""
    size = len(text.encode("utf-8", "surrogatepass"))
    return QCoreApplication.translate("Composer", "{0} ({1} characters)").format(
        data_size(size), number(len(text))
    )


class Composer(QPlainTextEdit):
    submitted = Signal(str)  # the whole message, when the user pressed Enter or the bar's Send
    stop_requested = Signal()  # Esc
    large_text_held = Signal(int)  # characters of a large paste kept out of the box
    large_text_removed = Signal()  # the user removed it (or the message was sent and cleared)
    # what the message holds changed: typed text, or a large paste held aside (a draft to keep)
    content_changed = Signal()
    attachment_failed = Signal(str)  # why a file was not attached

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Message composer"))
        self.setPlaceholderText(self.tr("Message  (Enter to send, Shift+Enter for a new line)"))
        self.setTabChangesFocus(True)
        self._held = ""  # a large paste, sent before the box's text
        self._default_wrap = self.wordWrapMode()

        self.paste_bar = QFrame(self)
        self.paste_bar.setAccessibleName(self.tr("Large paste"))
        self.paste_bar.setAutoFillBackground(True)
        self.paste_label = QLabel(self.paste_bar)
        self.paste_label.setAccessibleName(self.tr("Large paste size"))
        self.paste_label.setWordWrap(True)
        self.paste_send_button = QPushButton(self.tr("Send"), self.paste_bar)
        self.paste_send_button.setAccessibleName(self.tr("Send with the pasted text"))
        self.paste_send_button.clicked.connect(self._send_clicked)
        self.paste_remove_button = QPushButton(self.tr("Remove"), self.paste_bar)
        self.paste_remove_button.setAccessibleName(self.tr("Remove the pasted text"))
        self.paste_remove_button.clicked.connect(self.remove_held_text)
        bar = QHBoxLayout(self.paste_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.paste_label, 1)
        bar.addWidget(self.paste_send_button)
        bar.addWidget(self.paste_remove_button)
        self.paste_bar.setVisible(False)

        self._tray: AttachmentTray | None = None  # made with the first attachment
        # The paperclip: the window places it (beside Send); the picker opens with open().
        self.attach_button = QToolButton()
        self.attach_button.setText("📎")
        self.attach_button.setAccessibleName(self.tr("Attach files"))
        self.attach_button.setToolTip(self.tr("Attach images, PDFs or text files"))
        self.attach_button.clicked.connect(self.choose_files)
        self.file_dialog: QFileDialog | None = None

        # The box grows with its text, from MIN_LINES up to MAX_SHARE of the window's
        # height, then scrolls: the transcript gets the rest.
        margins = self.contentsMargins()
        self._line_height = self.fontMetrics().lineSpacing()
        self._chrome_height = (
            int(self.document().documentMargin() * 2)
            + margins.top()
            + margins.bottom()
            + 2 * self.frameWidth()
        )
        self._box_height = self._height_for(MIN_LINES)
        self._bar_height = 0  # the large-paste bar's, while it shows
        self._watched_window: QWidget | None = None
        self.setFixedHeight(self._box_height)
        self.textChanged.connect(self._on_text_changed)
        self.textChanged.connect(self.content_changed)

    # -- the whole message ---------------------------------------------------------------

    @property
    def held_text(self) -> str:
        """A large paste kept out of the box ("" when there is none)."""
        return self._held

    def box_text(self) -> str:
        """Only what is in the text box."""
        return super().toPlainText()

    def toPlainText(self) -> str:
        """The whole message: a large paste held aside, then the box's text."""
        typed = super().toPlainText()
        if not self._held:
            return typed
        return f"{self._held}\n\n{typed}" if typed.strip() else self._held

    def setPlainText(self, text: str) -> None:
        """Replace the whole message (a large text is held aside, as a paste would be)."""
        self._drop_held()
        if len(text) > LARGE_PASTE_CHARS:
            super().setPlainText("")
            self._hold(text)
        else:
            self._wrap_for(text)
            super().setPlainText(text)

    def content(self) -> tuple[str, str]:
        """The message in its two parts: a large paste held aside, and the typed text."""
        return self._held, super().toPlainText()

    def set_content(self, content: tuple[str, str]) -> None:
        """Puts back what `content` returned (the paste stays held, the typed text typed)."""
        held, typed = content
        self.setPlainText(typed)
        if held:
            self._hold(held)

    def clear(self) -> None:
        """Empties the whole message: text, a held paste, attachments."""
        self._drop_held()
        if self._tray is not None:
            self._tray.clear()
        super().clear()

    # -- attachments -----------------------------------------------------------------------

    @property
    def tray(self) -> AttachmentTray:
        """The attachments' chips. Made when first needed: its modules (Pillow's callers,
        the worker thread) are not worth importing before the window's first paint."""
        if self._tray is None:
            from zlay_desktop.ui.attachment_tray import AttachmentTray

            self._tray = AttachmentTray(self)
            self._tray.changed.connect(self._layout_bars)
            self._tray.failed.connect(self.attachment_failed)
        return self._tray

    def attachments(self) -> list[PreparedAttachment]:
        """The files ready to send with the message."""
        return [] if self._tray is None else self._tray.attachments()

    @property
    def attachments_pending(self) -> bool:
        """A file is still being read: sending now would leave it behind."""
        return self._tray is not None and self._tray.pending

    def add_files(self, paths: list[Path]) -> None:
        self.tray.add_files(paths)

    def choose_files(self) -> None:
        """The paperclip: a file picker (opened, never run modally)."""
        if self.file_dialog is not None:
            self.file_dialog.close()
        dialog = QFileDialog(
            self.window(),
            self.tr("Attach files"),
            "",
            self.tr(
                "Images, PDFs, Word and text (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.pdf "
                "*.docx *.txt "
                "*.md *.csv *.json *.py *.js *.ts *.html *.css *.xml *.yaml *.yml *.log);;"
                "All files (*)"
            ),
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda files: self.add_files([Path(f) for f in files]))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.file_dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: QFileDialog) -> None:
        if self.file_dialog is dialog:
            self.file_dialog = None
        dialog.deleteLater()

    def take_files(self, source: QMimeData) -> bool:
        """Attaches what a drop or paste carries (files, or an image); False if nothing."""
        files = local_files(source)
        if files:
            self.add_files(files)
            return True
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.tray.add_image(image)
                return True
        return False

    def remove_held_text(self) -> None:
        """The bar's Remove: the large paste is dropped; typed text stays."""
        self._drop_held()
        self.setFocus()

    # -- Qt events -----------------------------------------------------------------------

    def canInsertFromMimeData(self, source: QMimeData, /) -> bool:
        return (
            bool(local_files(source)) or source.hasImage() or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData, /) -> None:
        # Pasted or dropped: files and images are attached, not inserted as text (a file's
        # URL would otherwise land in the box).
        if self.take_files(source):
            return
        if not source.hasText():
            super().insertFromMimeData(source)
            return
        text = source.text()
        if len(text) > LARGE_PASTE_CHARS:
            # One large paste at a time: a second one goes after the first.
            self._hold(self._held + text)
            return
        self._wrap_for(text)
        super().insertFromMimeData(source)

    def dragEnterEvent(self, e: QDragEnterEvent, /) -> None:
        if local_files(e.mimeData()):
            e.acceptProposedAction()
            return
        super().dragEnterEvent(e)

    def dragMoveEvent(self, e: QDragMoveEvent, /) -> None:
        if local_files(e.mimeData()):
            e.acceptProposedAction()
            return
        super().dragMoveEvent(e)

    def dropEvent(self, e: QDropEvent, /) -> None:
        # Files are attached wherever they are dropped (not inserted at the drop point).
        if self.take_files(e.mimeData()):
            e.acceptProposedAction()
            return
        super().dropEvent(e)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Imported here: fetching `Qt` builds its ~90 Python enums (~20 ms), which the
        # window's first paint of the composer need not wait for.
        from PySide6.QtCore import Qt

        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit(self.toPlainText())
            return
        if key == Qt.Key.Key_Escape:
            self.stop_requested.emit()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, e: QResizeEvent, /) -> None:
        super().resizeEvent(e)
        self._place_bar()

    def showEvent(self, e: QShowEvent, /) -> None:
        super().showEvent(e)
        window = self.window()
        if window is not self and window is not self._watched_window:
            # The largest height is a share of the window's: follow the window's resizes.
            window.installEventFilter(_WindowResizes(self))
            window.setAcceptDrops(True)  # files dropped anywhere on the window attach
            self._watched_window = window
        self.fit_height()

    def fit_height(self) -> None:
        """As tall as the text (MIN_LINES at least), at most MAX_SHARE of the window."""
        lines = max(MIN_LINES, int(self.document().size().height()))
        wanted = self._height_for(lines)
        window = self._watched_window
        if window is not None:
            wanted = min(wanted, max(self._height_for(MIN_LINES), int(window.height() * MAX_SHARE)))
        if wanted != self._box_height:
            self._box_height = wanted
            self.setFixedHeight(wanted + self._bar_height)
            self.ensureCursorVisible()

    def _height_for(self, lines: int) -> int:
        return self._line_height * lines + self._chrome_height

    # -- internals -----------------------------------------------------------------------

    def _hold(self, text: str) -> None:
        if len(text) > MAX_MESSAGE_CHARS:
            self._show_bar(
                self.tr(
                    "The pasted text is {0}: too long to send (the limit is {1} characters). "
                    "It was not added."
                ).format(describe_size(text), number(MAX_MESSAGE_CHARS)),
                can_send=False,
            )
            return
        self._held = text
        self._show_bar(
            self.tr(
                "Pasted text: {0}. It is sent before what you type below;"
                " it is not shown in the box, to keep the window quick."
            ).format(describe_size(text)),
            can_send=True,
        )
        self.large_text_held.emit(len(text))
        self.content_changed.emit()

    def _drop_held(self) -> None:
        had = bool(self._held) or not self.paste_bar.isHidden()
        self._held = ""
        if not self.paste_bar.isHidden():
            self.paste_bar.setVisible(False)
            self._layout_bars()
        if had:
            self.large_text_removed.emit()
            self.content_changed.emit()

    def _show_bar(self, text: str, *, can_send: bool) -> None:
        from PySide6.QtCore import Qt

        self.paste_label.setTextFormat(Qt.TextFormat.PlainText)
        self.paste_label.setText(text)
        self.paste_send_button.setVisible(can_send)
        self.paste_remove_button.setText(self.tr("Remove") if can_send else self.tr("Dismiss"))
        self.paste_bar.setVisible(True)
        self._layout_bars()

    def _layout_bars(self) -> None:
        """The attachments' chips, then the large-paste bar, above the text."""
        frame = self.frameWidth()
        top = 0
        for bar in (self._tray, self.paste_bar):
            if bar is None or bar.isHidden():
                continue
            height = bar.sizeHint().height()
            bar.setGeometry(frame, frame + top, self.width() - 2 * frame, height)
            top += height
        if top != self._bar_height:
            self.setViewportMargins(0, top, 0, 0)
            self._bar_height = top
            self.setFixedHeight(self._box_height + top)

    def _place_bar(self) -> None:
        self._layout_bars()

    def _send_clicked(self) -> None:
        self.submitted.emit(self.toPlainText())

    def _wrap_for(self, text: str) -> None:
        # A long run with no break opportunity (base64, minified code) costs Qt time that
        # grows with the square of its length when it may wrap only at word boundaries.
        if break_long_runs(text) != text:
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)

    def _on_text_changed(self) -> None:
        if self.document().isEmpty() and self.wordWrapMode() != self._default_wrap:
            self.setWordWrapMode(self._default_wrap)
        self.fit_height()


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drop or a paste carries (dragged, or copied in a file manager)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class _WindowResizes(QObject):
    """Refits the composer when its window is resized (the composer's own event filter
    would also see every event of its viewport)."""

    def __init__(self, composer: Composer) -> None:
        super().__init__(composer)
        self._composer = composer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize:
            self._composer.fit_height()
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDropEvent
        ):
            if local_files(event.mimeData()):  # files dropped anywhere on the window
                event.acceptProposedAction()
                return True
        elif (
            kind == QEvent.Type.Drop
            and isinstance(event, QDropEvent)
            and self._composer.take_files(event.mimeData())
        ):
            event.acceptProposedAction()
            return True
        return False
