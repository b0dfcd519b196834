"""What Settings shows while there is no profile: the presets as buttons, and the local
servers found running on this machine. Choosing one creates the profile."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from zlay_desktop.core.local_servers import DetectedServer, LocalServer, detect_local_servers
from zlay_desktop.core.settings import PRESETS
from zlay_desktop.ui.background import BackgroundTasks

_COLUMNS = 3


class FirstRunPage(QWidget):
    preset_chosen = Signal(str)  # a preset's name
    server_chosen = Signal(DetectedServer)
    detection_finished = Signal(list)  # list[DetectedServer]

    def __init__(self, servers: Sequence[LocalServer], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("No profiles"))
        self._servers = tuple(servers)
        self._tasks = BackgroundTasks(self)
        self._task: asyncio.Task[list[DetectedServer]] | None = None
        self.server_buttons: list[QPushButton] = []
        intro = QLabel(
            self.tr(
                "No provider yet. Pick one to set it up: OpenAI, a local server such as "
                "Ollama or LM Studio, or any OpenAI-compatible service (Custom)."
            )
        )
        intro.setWordWrap(True)
        self.detect_status = QLabel()
        self.detect_status.setAccessibleName(self.tr("Local servers"))
        self.detect_status.setWordWrap(True)
        self._found_box = QVBoxLayout()
        presets = QGridLayout()
        self.preset_buttons: list[QPushButton] = []
        for i, preset in enumerate(PRESETS):
            button = QPushButton(preset.name)
            button.setAccessibleName(self.tr("Add {0}").format(preset.name))
            button.clicked.connect(lambda _=False, name=preset.name: self.preset_chosen.emit(name))
            presets.addWidget(button, i // _COLUMNS, i % _COLUMNS)
            self.preset_buttons.append(button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.detect_status)
        layout.addLayout(self._found_box)
        layout.addLayout(presets)
        layout.addStretch(1)

    @property
    def detection_task(self) -> asyncio.Task[list[DetectedServer]] | None:
        return self._task

    def detect(self) -> None:
        """Looks for local servers in the background (once at a time)."""
        if not self._servers or (self._task is not None and not self._task.done()):
            return
        self.detect_status.setText(self.tr("Looking for servers running on this computer…"))
        self._task = self._tasks.start(
            detect_local_servers(self._servers), on_success=self._show_found
        )

    def cancel(self) -> None:
        self._tasks.cancel_all()

    def _show_found(self, found: list[DetectedServer]) -> None:
        for button in self.server_buttons:
            button.deleteLater()
        self.server_buttons = []
        if found:
            self.detect_status.setText(self.tr("Found running on this computer:"))
        else:
            self.detect_status.setText(self.tr("No local server found running."))
        for detected in found:
            server = detected.server
            button = QPushButton(
                self.tr("{0} at {1}:{2}").format(server.preset_name, server.host, server.port)
            )
            button.clicked.connect(lambda _=False, d=detected: self.server_chosen.emit(d))
            self._found_box.addWidget(button)
            self.server_buttons.append(button)
        self.detection_finished.emit(found)
