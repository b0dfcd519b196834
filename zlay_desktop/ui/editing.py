"""Editing a message of one's own, in the composer; deleting a version, with undo.

Nothing is removed when Edit is clicked: the message's words go into the composer, a bar
above it says what sending will do, and Cancel (or Esc) puts back what was being typed.
Sending the edit adds a new version of the message (the one before stays, with what
followed it, one switch away). "Delete this version" hides a version at once and offers
Undo for a few seconds, as deleting a conversation does; then it is gone for good.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

UNDO_TIMEOUT_MS = 10_000


class EditBar(QFrame):
    """Shown above the composer while the user edits one of their messages."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Editing a message"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(
            self.tr(
                "Editing your message: sending adds it as a new version. The one before "
                "stays, with its answer (switch with ‹ ›)."
            ),
            self,
        )
        self.label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel edit"))
        self.cancel_button.setToolTip(self.tr("Keep the conversation as it is (Esc)"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel_button)
        self.hide()


class VersionUndoBar(QFrame):
    """After "Delete this version": Undo (the button, or Ctrl+Z in the transcript) until
    the time is up or another version is deleted; then the deletion is final."""

    undo_requested = Signal(int)  # the deleted version's message id
    expired = Signal(int)  # message id: the deletion is final (purge it)

    def __init__(self, parent: QWidget | None = None, timeout_ms: int = UNDO_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Version deleted"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setAccessibleName(self.tr("Undo delete version"))
        self.undo_button.setToolTip(self.tr("Bring the version back (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        # Added to the transcript by the window: Ctrl+Z where the deletion was made (in the
        # composer it still undoes typing). Its key is set by `set_shortcut`.
        self.undo_action = QAction(self.tr("Undo delete version"), self)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        self._pending: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.finish)
        self._tick = QTimer(self)  # the seconds left, counted down
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_offer)
        self.hide()

    def set_shortcut(self) -> None:
        """Ctrl+Z, in the widget the action is added to; set with the window's other
        shortcuts: fetching `Qt` builds PySide6's enums (~20 ms), which the first paints
        need not wait for."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence

        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    @property
    def pending(self) -> int | None:
        """The deleted version that Undo would bring back."""
        return self._pending

    def offer(self, message_id: int) -> None:
        self.finish()  # (one undo at a time: an earlier deletion becomes final)
        self._pending = message_id
        self._timer.start()
        self._tick.start()
        self._show_offer()
        self.undo_action.setEnabled(True)
        self.show()

    def undo(self) -> None:
        pending = self._pending
        self._end()
        if pending is not None:
            self.undo_requested.emit(pending)

    def finish(self) -> None:
        """Makes a pending deletion final (time up, another conversation, closing)."""
        pending = self._pending
        self._end()
        if pending is not None:
            self.expired.emit(pending)

    def _end(self) -> None:
        self._pending = None
        self._timer.stop()
        self._tick.stop()
        self.undo_action.setEnabled(False)
        self.hide()

    def _show_offer(self) -> None:
        timer = self._timer
        # (A coarse timer may report a little more than its interval just after starting.)
        seconds = max(1, math.ceil(min(timer.remainingTime(), timer.interval()) / 1000))
        self.label.setText(
            self.tr("Version deleted. Undo within %1 s (Ctrl+Z).").replace("%1", str(seconds))
        )
