"""One conversation's own model, temperature and system prompt ("edited from <assistant>"):
a small panel above the message box, not a dialog. It shows what the conversation runs
with now; what differs from its assistant's settings when Apply is pressed becomes the
conversation's override."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.assistants import ParamsOverride
from zlay_desktop.core.models import ChatParams
from zlay_desktop.ui.styles import ERROR_STYLE

_MARGIN = 6


class ConversationSettingsPanel(QFrame):
    # The conversation's override (a ParamsOverride), or None: its assistant's settings.
    override_chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Conversation settings"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._base = ChatParams(model="")
        self._anchor: QWidget | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.model_edit = QLineEdit()
        self.model_edit.setAccessibleName(self.tr("Conversation model"))
        self.temperature_edit = QLineEdit()
        self.temperature_edit.setAccessibleName(self.tr("Conversation temperature"))
        self.temperature_edit.setPlaceholderText(self.tr("the server's default"))
        self.system_prompt_edit = QPlainTextEdit()
        self.system_prompt_edit.setAccessibleName(self.tr("Conversation system prompt"))
        self.system_prompt_edit.setPlaceholderText(self.tr("No system prompt"))
        self.system_prompt_edit.setMaximumHeight(110)
        self.system_prompt_edit.setTabChangesFocus(True)  # keyboard only: Tab moves on
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(False)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.reset_button = QPushButton(self.tr("Use the assistant's"))
        self.reset_button.clicked.connect(self.reset)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.dismiss)
        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model_edit)
        form.addRow(self.tr("Temperature"), self.temperature_edit)
        form.addRow(self.tr("System prompt"), self.system_prompt_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)
        for edit in (self.model_edit, self.temperature_edit, self.system_prompt_edit):
            edit.installEventFilter(self)
        self.hide()

    def show_for(
        self, assistant_name: str, base: ChatParams, override: ParamsOverride | None
    ) -> None:
        """Shows what the conversation runs with: its assistant's settings (`base`) with
        its override, if it has one."""
        self._base = base
        now = override.apply(base) if override is not None else base
        self.title.setText(
            self.tr("This conversation only — from the assistant “{name}”").format(
                name=assistant_name
            )
        )
        self.model_edit.setText(now.model)
        self.model_edit.setPlaceholderText(base.model)
        self.temperature_edit.setText("" if now.temperature is None else f"{now.temperature:g}")
        self.system_prompt_edit.setPlainText(now.system_prompt)
        self.problem_label.setVisible(False)
        self.show()
        self.place()
        self.model_edit.setFocus()

    def dismiss(self) -> None:
        """Closes the panel unchanged; the focus goes back to the message box (else it is
        left on a hidden field and what is typed next goes nowhere)."""
        self.hide()
        if self._anchor is not None:
            self._anchor.setFocus()

    def float_above(self, anchor: QWidget) -> None:
        self._anchor = anchor

    def place(self) -> None:
        anchor, parent = self._anchor, self.parentWidget()
        if anchor is None or parent is None:
            return
        top_left = anchor.mapTo(parent, QPoint(0, 0))
        width = max(anchor.width(), 360)
        height = self.sizeHint().height()
        x = max(_MARGIN, min(top_left.x(), parent.width() - width - _MARGIN))
        self.setGeometry(x, max(_MARGIN, top_left.y() - height - _MARGIN), width, height)
        self.raise_()

    def read(self) -> ParamsOverride | None:
        """What differs from the assistant's settings; None with a problem shown when the
        temperature is not a number from 0 to 2."""
        text = self.temperature_edit.text().strip().replace(",", ".")
        temperature: float | None = None
        if text:
            try:
                temperature = float(text)
            except ValueError:
                temperature = -1.0
            if not 0 <= temperature <= 2:
                self.problem_label.setText(self.tr("Temperature must be a number from 0 to 2."))
                self.problem_label.setVisible(True)
                self.place()
                return None
        base = self._base
        model = self.model_edit.text().strip()
        prompt = self.system_prompt_edit.toPlainText()
        return ParamsOverride(
            model=model if model and model != base.model else "",
            temperature=temperature if temperature != base.temperature else None,
            system_prompt=prompt if prompt != base.system_prompt else None,
        )

    def apply(self) -> None:
        override = self.read()
        if override is None:
            return
        self.override_chosen.emit(None if override.is_empty else override)
        self.hide()

    def reset(self) -> None:
        self.override_chosen.emit(None)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Esc closes the panel (and stops no reply); Enter in a one-line field applies.
        if isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Escape and event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if key == Qt.Key.Key_Escape and event.type() == QEvent.Type.KeyPress:
                self.dismiss()
                return True
            if (
                key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.type() == QEvent.Type.KeyPress
                and watched is not self.system_prompt_edit
            ):
                self.apply()
                return True
        return False
