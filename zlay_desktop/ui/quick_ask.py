"""The quick-ask window: a question from anywhere on the desktop, its answer streamed in a
small always-on-top window, and "Open in Zlay" to go on in the main window.

A quick ask is a normal conversation (stored, in the sidebar), asked through a controller
of its own, so that it neither waits for nor disturbs the conversation in the main window.
Esc hides the window; an answer still arriving goes on and is kept.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from zlay_desktop.core.chat_session import LiveReply
from zlay_desktop.core.markdown_render import WRAP_POINT, render_markdown, theme_for
from zlay_desktop.core.models import Message, ReplyState
from zlay_desktop.ui.composer import Composer
from zlay_desktop.ui.controller import ChatController

RENDER_EVERY_MS = 50
"""Answers here are short: the whole answer is rendered again, at most this often."""


class _AnswerView(QTextBrowser):
    """The answer, copied as the model wrote it: without the renderer's break points."""

    def createMimeDataFromSelection(self) -> QMimeData:
        data = QMimeData()
        data.setText(self.textCursor().selection().toPlainText().replace(WRAP_POINT, ""))
        return data


class QuickAskWindow(QWidget):
    open_requested = Signal(int)  # the conversation to show in the main window

    def __init__(self, controller: ChatController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(self.tr("Quick ask"))
        self.setAccessibleName(self.tr("Quick ask"))
        self.resize(560, 380)
        self.controller = controller
        self._source: LiveReply | None = None
        self.composer = Composer()
        self.composer.setAccessibleName(self.tr("Quick question"))
        self.answer = _AnswerView()
        self.answer.setAccessibleName(self.tr("Answer"))
        self.answer.setOpenLinks(False)  # (links are not followed in this small window)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Quick ask status"))
        self.open_button = QPushButton(self.tr("Open in Zlay"))
        self.open_button.setAccessibleName(self.tr("Open in Zlay"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_in_main_window)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.composer)
        layout.addWidget(self.answer, 1)
        layout.addLayout(row)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_EVERY_MS)
        self._render_timer.timeout.connect(self._render)
        self.composer.submitted.connect(self.ask)
        self.composer.stop_requested.connect(self.hide)
        controller.reply_started.connect(self._reply_started)
        controller.chunk_received.connect(lambda _i, _t: self._render_timer.start())
        controller.first_token_received.connect(lambda _i: self.status.clear())
        controller.reply_finished.connect(self._reply_ended)
        controller.reply_failed.connect(self._reply_ended)
        controller.configuration_needed.connect(self.status.setText)

    def show_and_focus(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.composer.setFocus()

    def ask(self, text: str = "") -> bool:
        """Asks `text` (or what is in the box) in a new conversation."""
        question = text or self.composer.toPlainText()
        if not question.strip() or self.controller.busy:
            return False
        self.controller.new_conversation()
        if not self.controller.send(question):
            return False
        self.composer.clear()
        self.answer.clear()
        self.open_button.setEnabled(False)
        self.status.setText(self.tr("Waiting for the answer…"))
        return True

    @property
    def answer_text(self) -> str:
        return self.answer.toPlainText().replace(WRAP_POINT, "")

    def _reply_started(self, _index: int, _model: str, source: LiveReply) -> None:
        self._source = source

    def _render(self) -> None:
        if self._source is None:
            return
        theme = theme_for(self.palette().window().color().lightness() < 128)
        html = render_markdown(self._source.content_text(), message_key=0, theme=theme)
        self.answer.setHtml(html)
        bar = self.answer.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _reply_ended(self, _index: int, message: Message) -> None:
        self._render_timer.stop()
        self._render()
        self._source = None
        # Only now: two windows must not work on one conversation while it streams.
        self.open_button.setEnabled(True)
        if message.state is ReplyState.FAILED and message.error is not None:
            self.status.setText(message.error.message)
        else:
            self.status.clear()

    def _open_in_main_window(self) -> None:
        conversation = self.controller.session.conversation
        if conversation is not None:
            self.open_requested.emit(conversation.id)
            self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()  # nothing is lost: the answer goes on, and is stored
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.hide()
