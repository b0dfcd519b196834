"""The transcript's rows as a Qt list model: one row per Markdown block or message part.

A row is data only: what kind of piece it is, which message it belongs to, its HTML or
plain text, and a few details for its delegate (`Row.extra`). The view replaces rows
(`set_rows`) and the model tells Qt exactly which rows changed: a finished block is
inserted once and never touched again, so streaming changes only the live tail's row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex

__all__ = ["Row", "TranscriptModel"]

_Index = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class Row:
    """One item of the list.

    kinds: "header" (an assistant message's icon, role and model), "user" (a user's
    bubble), "reasoning", "block" (rendered Markdown), "code" (a code card), "toolcard" (a
    tool call, see tool_cards.py), "notice" (a refusal), "footer" (status, figures,
    actions), "waiting".
    """

    kind: str
    key: int  # the message's index in the conversation
    html: str = ""
    text: str = ""  # plain text (code, a user's words, reasoning, tool arguments)
    extra: dict[str, Any] = field(default_factory=dict)


# Qt.ItemDataRole's values, written out: fetching the `Qt` namespace builds ~90 Python enums
# (~20 ms), which the window's first paint does not wait for (see ui.startup).
_DISPLAY_ROLE = 0
_USER_ROLE = 0x0100
_ROLE_NAMES = {
    _USER_ROLE + 1: b"kind",
    _USER_ROLE + 2: b"messageKey",
    _USER_ROLE + 3: b"html",
    _USER_ROLE + 4: b"plain",
    _USER_ROLE + 5: b"extra",
}
_FIELDS = {
    _USER_ROLE + 1: "kind",
    _USER_ROLE + 2: "key",
    _USER_ROLE + 3: "html",
    _USER_ROLE + 4: "text",
    _USER_ROLE + 5: "extra",
}


class TranscriptModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._quiet = False

    # -- QAbstractListModel -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name) for role, name in _ROLE_NAMES.items()}

    def data(self, index: _Index, role: int = _DISPLAY_ROLE) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        name = _FIELDS.get(role)
        if name is None:
            return row.text if role == _DISPLAY_ROLE else None
        return getattr(row, name)

    # -- for the view -------------------------------------------------------------------

    def rows(self) -> list[Row]:
        """The rows (read-only: change them through the methods below)."""
        return self._rows

    def row(self, at: int) -> Row:
        return self._rows[at]

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many changes as one reset (opening a conversation: one signal, not thousands)."""
        self.beginResetModel()
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False
            self.endResetModel()

    def set_rows(self, at: int, count: int, rows: list[Row]) -> None:
        """Replace the `count` rows from `at` by `rows`: rows kept in place that are equal
        stay untouched; the others change, and the difference is inserted or removed."""
        if self._quiet:
            self._rows[at : at + count] = rows
            return
        same = min(count, len(rows))
        changed = [i for i in range(same) if self._rows[at + i] != rows[i]]
        for i in changed:
            self._rows[at + i] = rows[i]
        if changed:
            first, last = self.index(at + changed[0]), self.index(at + changed[-1])
            self.dataChanged.emit(first, last)
        if len(rows) > count:
            start = at + count
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - count - 1)
            self._rows[start:start] = rows[count:]
            self.endInsertRows()
        elif count > len(rows):
            start = at + len(rows)
            self.beginRemoveRows(QModelIndex(), start, at + count - 1)
            del self._rows[start : at + count]
            self.endRemoveRows()
