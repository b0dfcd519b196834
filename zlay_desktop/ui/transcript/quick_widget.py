"""The transcript's QQuickWidget, which says when the keyboard was moved into it on purpose.

Imported when the transcript's Qt Quick part is built (not before the first paint)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtQuickWidgets import QQuickWidget

__all__ = ["TranscriptQuickWidget"]


class TranscriptQuickWidget(QQuickWidget):
    tabbed_in = Signal()  # the user moved the keyboard focus here with Tab or Shift+Tab

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.tabbed_in.emit()
