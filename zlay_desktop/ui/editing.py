"""Editing a message of one's own, in the composer, and the question asked before anything
is removed.

Nothing is removed when Edit is clicked: the message's words go into the composer, a bar
above it says what sending will do, and Cancel (or Esc) puts back what was being typed.
Only sending the edit replaces the message and what came after it; when that is more than
the one reply to it, the user is asked first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget


class EditBar(QFrame):
    """Shown above the composer while the user edits one of their messages."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Editing a message"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
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

    def show_for(self, later_messages: int) -> None:
        """`later_messages`: how many messages sending the edit removes after the edited one."""
        if later_messages <= 1:
            text = self.tr("Editing your message: sending replaces it and the answer to it.")
        else:
            text = self.tr(
                "Editing your message: sending replaces it and the %n messages after it.",
                "",
                later_messages,
            )
        self.label.setText(text)
        self.show()


def ask_before_removing(
    parent: QWidget, removed: int, action: str, proceed: Callable[[], object]
) -> QMessageBox:
    """Asks (window-modal, opened with `open()`, never `exec()`) before `removed` messages go;
    `proceed` runs only on yes. The box is returned so that the caller keeps it alive."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(action)
    if removed == 1:
        text = QCoreApplication.translate(
            "Editing", "This also removes the later message of this conversation."
        )
    else:
        text = QCoreApplication.translate(
            "Editing", "This also removes the %n later messages of this conversation.", "", removed
        )
    box.setText(text)
    box.setInformativeText(
        QCoreApplication.translate("Editing", "They cannot be brought back. Go on?")
    )
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAccessibleName(action)

    def answered() -> None:
        if box.clickedButton() is go:
            proceed()

    box.finished.connect(answered)
    box.open()
    return box
