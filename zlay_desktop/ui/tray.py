"""The system-tray icon, where the desktop has a tray: New conversation, Quick ask,
Show/Hide and Quit."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class Tray(QObject):
    new_conversation_requested = Signal()
    quick_ask_requested = Signal()
    show_hide_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = QMenu()
        self.menu.addAction(self.tr("New conversation"), self.new_conversation_requested.emit)
        self.menu.addAction(self.tr("Quick ask"), self.quick_ask_requested.emit)
        self.menu.addAction(self.tr("Show/Hide"), self.show_hide_requested.emit)
        self.menu.addSeparator()
        self.menu.addAction(self.tr("Quit"), self.quit_requested.emit)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("Zlay Desktop")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_hide_requested.emit()
