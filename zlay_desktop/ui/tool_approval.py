"""The question before a tool runs: server, tool, description, arguments, and Allow / Deny /
Always allow. A small non-modal panel floating above the composer until the transcript gets
its own approval card; it asks one call at a time, in order."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.tools import ApprovalDecision, ToolApprovalRequest

_MARGIN = 8


class ToolApprovalPanel(QFrame):
    """Emits `decided(request_id, decision)`; Enter allows, Esc denies."""

    decided = Signal(int, ApprovalDecision)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolApprovalPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._queue: deque[ToolApprovalRequest] = deque()
        self._anchor: QWidget | None = None

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.description = QLabel()
        self.description.setTextFormat(Qt.TextFormat.PlainText)  # a server's words: untrusted
        self.description.setWordWrap(True)
        self.arguments = QPlainTextEdit()
        self.arguments.setReadOnly(True)
        self.arguments.setMaximumHeight(160)
        self.arguments.setAccessibleName(self.tr("Arguments"))
        self.allow_button = QPushButton(self.tr("Allow"))
        self.deny_button = QPushButton(self.tr("Deny"))
        self.always_button = QPushButton(self.tr("Always allow"))
        self.always_button.setToolTip(
            self.tr("Run this tool of this server without asking again (revocable in Settings)")
        )
        self.allow_button.setDefault(True)
        self.allow_button.clicked.connect(lambda: self._decide(ApprovalDecision.ALLOW))
        self.deny_button.clicked.connect(lambda: self._decide(ApprovalDecision.DENY))
        self.always_button.clicked.connect(lambda: self._decide(ApprovalDecision.ALWAYS_ALLOW))

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.deny_button, self.always_button, self.allow_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addWidget(self.arguments)
        layout.addLayout(buttons)
        self.hide()

    # -- requests --------------------------------------------------------------------------

    @property
    def current(self) -> ToolApprovalRequest | None:
        return self._queue[0] if self._queue else None

    def ask(self, request: ToolApprovalRequest) -> None:
        self._queue.append(request)
        if len(self._queue) == 1:
            self._show_current()

    def withdraw(self, request_id: int) -> None:
        """The question no longer stands (Stop): forget it, show the next one."""
        was_current = self.current is not None and self.current.request_id == request_id
        self._queue = deque(r for r in self._queue if r.request_id != request_id)
        if was_current:
            self._show_current()

    def _decide(self, decision: ApprovalDecision) -> None:
        request = self.current
        if request is None:
            return
        self._queue.popleft()
        self._show_current()
        self.decided.emit(request.request_id, decision)

    def _show_current(self) -> None:
        request = self.current
        if request is None:
            self.hide()
            return
        self.title.setText(
            self.tr("Run the tool “{tool}” of the server “{server}”?").format(
                tool=request.tool_name, server=request.server_name
            )
        )
        self.description.setText(request.description)
        self.description.setVisible(bool(request.description))
        self.arguments.setPlainText(request.arguments)
        self._place()
        self.show()
        self.raise_()
        self.setFocus()

    def event(self, event: QEvent) -> bool:
        # Esc is also the window's Stop shortcut: while the panel has focus it means Deny.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._decide(ApprovalDecision.ALLOW)
        elif event.key() == Qt.Key.Key_Escape:
            self._decide(ApprovalDecision.DENY)
        else:
            super().keyPressEvent(event)

    # -- where it floats -------------------------------------------------------------------

    def float_above(self, anchor: QWidget) -> None:
        """Keeps the panel just above `anchor` (the composer), as wide as it."""
        self._anchor = anchor
        anchor.installEventFilter(self)
        if self.parentWidget() is not None:
            self.parentWidget().installEventFilter(self)  # type: ignore[union-attr]
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        anchor, parent = self._anchor, self.parentWidget()
        if anchor is None or parent is None:
            return
        top_left = anchor.mapTo(parent, QPoint(0, 0))
        width = max(anchor.width(), 320)
        height = self.sizeHint().height()
        x = max(_MARGIN, min(top_left.x(), parent.width() - width - _MARGIN))
        y = max(_MARGIN, top_left.y() - height - _MARGIN)
        self.setGeometry(x, y, width, height)
