"""The prompt library in the message box: "/" at the start of a line opens a list of saved
prompts above the box, filtered by what follows the "/" as it is typed. Up and Down move,
Enter (or Tab) chooses, Esc closes; the keys go on to the box otherwise, so typing never
stops. A prompt with `{{placeholders}}` is filled in first, in a small form in the same
place (Enter goes to the next field and, on the last, inserts; Esc leaves the box as it was).

It watches the composer from outside (an event filter and its text changes), so the
composer itself knows nothing of prompts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.prompts import SavedPrompt, fill, matching, placeholders

_SLASH_QUERY = re.compile(r"^/(\S*)$")
_MARGIN = 6
_MAX_ROWS = 8
_PREVIEW_CHARS = 80


def _float_above(panel: QWidget, anchor: QWidget) -> None:
    """Places `panel` (a child of the window) just above `anchor`, as wide as it."""
    parent = panel.parentWidget()
    if parent is None:
        return
    top_left = anchor.mapTo(parent, QPoint(0, 0))
    width = max(anchor.width(), 320)
    height = panel.sizeHint().height()
    x = max(_MARGIN, min(top_left.x(), parent.width() - width - _MARGIN))
    y = max(_MARGIN, top_left.y() - height - _MARGIN)
    panel.setGeometry(x, y, width, height)
    panel.raise_()


class PlaceholderForm(QFrame):
    """One field per placeholder, Insert and Cancel: a panel, not a dialog (no exec())."""

    filled = Signal(str)  # the prompt's text with the values typed
    cancelled = Signal()

    def __init__(self, prompt: SavedPrompt, parent: QWidget) -> None:
        super().__init__(parent)
        self.prompt = prompt
        self.setAccessibleName("Prompt placeholders")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        title = QLabel(self.tr("Fill in “{name}”").format(name=prompt.name))
        title.setStyleSheet("font-weight: bold;")
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in placeholders(prompt.text):
            edit = QLineEdit()
            edit.setAccessibleName(name)
            edit.returnPressed.connect(lambda edit=edit: self._next(edit))
            edit.installEventFilter(self)
            self.fields[name] = edit
            form.addRow(name, edit)
        self.insert_button = QPushButton(self.tr("Insert"))
        self.insert_button.clicked.connect(self.insert)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancelled)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.insert_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def focus_first(self) -> None:
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.setFocus()

    def insert(self) -> None:
        values = {name: edit.text() for name, edit in self.fields.items()}
        self.filled.emit(fill(self.prompt.text, values))

    def _next(self, edit: QLineEdit) -> None:
        edits = list(self.fields.values())
        at = edits.index(edit)
        if at + 1 < len(edits):
            edits[at + 1].setFocus()
        else:
            self.insert()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Esc in a field leaves the form (and must not stop a reply: claimed before the
        # window's Esc shortcut sees it).
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.cancelled.emit()
                return True
        return False


class PromptPicker(QObject):
    """Watches a composer for "/" and offers the saved prompts."""

    prompt_inserted = Signal(str)  # the text put in the box (placeholders filled)

    def __init__(self, composer: QPlainTextEdit, window: QWidget) -> None:
        super().__init__(composer)
        self.composer = composer
        self._window = window
        self._prompts: tuple[SavedPrompt, ...] = ()
        self._query_start = -1  # where the "/" is, in the box, while the list is open
        self._dismissed_at = -1  # a "/" whose list Esc closed: not offered again while typed
        self.form: PlaceholderForm | None = None

        self.panel = QFrame(window)
        self.panel.setAccessibleName("Prompts")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel.setAutoFillBackground(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Prompt list")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the box
        self.list.itemClicked.connect(lambda _item: self.choose_current())
        self.hint = QLabel(self.tr("↑↓ to move, Enter to insert, Esc to close"))
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.panel.hide()

        composer.installEventFilter(self)
        window.installEventFilter(self)
        composer.textChanged.connect(self._text_changed)
        composer.cursorPositionChanged.connect(self._text_changed)

    def set_prompts(self, prompts: Sequence[SavedPrompt]) -> None:
        self._prompts = tuple(prompts)
        if self.is_open:
            self._text_changed()

    # -- state, for the window and tests ---------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.panel.isVisible()

    def shown_names(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    # -- the list --------------------------------------------------------------------------

    def _query(self) -> tuple[int, str] | None:
        """Where the "/" is and what follows it, when the cursor ends a "/word" that starts
        its line; else None."""
        cursor = self.composer.textCursor()
        if cursor.hasSelection():
            return None
        block = cursor.block()
        before = block.text()[: cursor.positionInBlock()]
        found = _SLASH_QUERY.match(before)
        if found is None:
            return None
        return block.position(), found.group(1)

    def _text_changed(self) -> None:
        if self.form is not None:
            return
        query = self._query() if self._prompts else None
        if query is None or query[0] != self._dismissed_at:
            self._dismissed_at = -1
        shown = matching(self._prompts, query[1]) if query is not None else []
        if query is None or not shown or self._dismissed_at >= 0:
            self.close()
            return
        self._query_start = query[0]
        current = self.current_name()
        self.list.clear()
        for prompt in shown[:50]:
            preview = " ".join(prompt.text.split())
            if len(preview) > _PREVIEW_CHARS:
                preview = preview[: _PREVIEW_CHARS - 1] + "…"
            item = QListWidgetItem(f"{prompt.name}  —  {preview}")
            item.setData(Qt.ItemDataRole.UserRole, prompt.name)
            item.setData(Qt.ItemDataRole.UserRole + 1, prompt.id)
            item.setToolTip(prompt.text)
            self.list.addItem(item)
        names = self.shown_names()
        self.list.setCurrentRow(names.index(current) if current in names else 0)
        rows = min(len(shown), _MAX_ROWS)
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), 1) + 6)
        self.panel.show()
        _float_above(self.panel, self.composer)

    def close(self) -> None:
        self.panel.hide()
        self._query_start = -1

    def move_selection(self, step: int) -> None:
        count = self.list.count()
        if count:
            self.list.setCurrentRow((self.list.currentRow() + step) % count)

    def choose_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        prompt_id = item.data(Qt.ItemDataRole.UserRole + 1)
        prompt = next((p for p in self._prompts if p.id == prompt_id), None)
        if prompt is not None:
            self.choose(prompt)

    def choose(self, prompt: SavedPrompt) -> None:
        """Inserts the prompt in place of the "/word"; asks for its placeholders first."""
        start = self._query_start
        self.close()
        if start < 0:
            query = self._query()
            if query is None:
                return
            start = query[0]
        end = self.composer.textCursor().position()
        if not prompt.placeholders:
            self._insert(start, end, prompt.text)
            return
        form = PlaceholderForm(prompt, self._window)
        form.filled.connect(lambda text: self._form_done(start, end, text))
        form.cancelled.connect(self._form_cancelled)
        self.form = form
        form.show()
        _float_above(form, self.composer)
        form.focus_first()

    def _form_done(self, start: int, end: int, text: str) -> None:
        self._drop_form()
        self._insert(start, end, text)

    def _form_cancelled(self) -> None:
        self._drop_form()
        self.composer.setFocus()

    def _drop_form(self) -> None:
        form, self.form = self.form, None
        if form is not None:
            form.hide()
            form.deleteLater()

    def _insert(self, start: int, end: int, text: str) -> None:
        """Replaces the "/word" with `text` (one undo step), the cursor after it."""
        cursor = self.composer.textCursor()
        cursor.setPosition(min(start, len(self.composer.toPlainText())))
        cursor.setPosition(
            min(end, len(self.composer.toPlainText())), QTextCursor.MoveMode.KeepAnchor
        )
        cursor.insertText(text)
        self.composer.setTextCursor(cursor)
        self.composer.setFocus()
        self.prompt_inserted.emit(text)

    # -- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window:
            if event.type() == QEvent.Type.Resize:
                for panel in (self.panel, self.form):
                    if panel is not None and panel.isVisible():
                        _float_above(panel, self.composer)
            return False
        if event.type() == QEvent.Type.FocusOut and self.is_open:
            self.close()  # the user went elsewhere (the list itself never takes the focus)
            return False
        if not self.is_open or not isinstance(event, QKeyEvent):
            return False
        keys = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Return: 0,
            Qt.Key.Key_Enter: 0,
            Qt.Key.Key_Tab: 0,
            Qt.Key.Key_Escape: 0,
        }
        key = Qt.Key(event.key())
        if key not in keys:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # these keys are the list's while it is open (Esc stops no reply)
            return True
        if event.type() != QEvent.Type.KeyPress:
            return False
        if key == Qt.Key.Key_Escape:
            self._dismissed_at = self._query_start
            self.close()
        elif keys[key]:
            self.move_selection(keys[key])
        else:
            self.choose_current()
        return True
