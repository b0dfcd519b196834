"""What the window remembers between runs: its place and size, the splitter, the open
conversation, and a draft per conversation (so that text typed for one conversation never
follows the user to another, one Enter from being sent to the wrong chat).

Drafts are saved a moment after typing pauses, on the history's writer thread; everything
is saved once more when the app quits.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from PySide6.QtCore import QByteArray, QObject, QTimer, Signal

from zlay_desktop.core.app_state import AppState, AppStateFile, draft_key
from zlay_desktop.core.background import SerialWorker
from zlay_desktop.ui.background import BackgroundTasks, report_unexpected
from zlay_desktop.ui.controller import ChatController
from zlay_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DRAFT_SAVE_DELAY_MS = 800


class RememberedState(QObject):
    save_failed = Signal(str)  # why the state could not be saved, for the user

    def __init__(
        self,
        file: AppStateFile,
        worker: SerialWorker,
        window: MainWindow,
        controller: ChatController,
    ) -> None:
        super().__init__(window)
        self._file = file
        self._worker = worker
        self._window = window
        self._controller = controller
        self._background = BackgroundTasks(self)
        self.state = file.load()
        self._key = draft_key(None)  # the conversation on show: a new one at start
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(DRAFT_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._save_later)
        window.composer.content_changed.connect(self._save_timer.start)
        # Saves run on the writer thread and the last one on quit on this thread: the
        # newest snapshot must win, whichever is written last.
        self._write_lock = threading.Lock()
        self._snapshots = 0
        self._written = 0
        controller.current_conversation_changed.connect(self._conversation_changed)
        controller.conversation_saved.connect(self._conversation_stored)

    # -- start -------------------------------------------------------------------------------

    def restore_window(self) -> None:
        """The window's place and size and the splitter, as the user left them."""
        window = self._window
        if self.state.window_geometry:
            window.restoreGeometry(QByteArray.fromBase64(self.state.window_geometry.encode()))
        if len(self.state.splitter_sizes) == window.splitter.count():
            window.splitter.setSizes(list(self.state.splitter_sizes))
            window.sidebar_resized()  # (a hidden sidebar stays hidden, its menu unticked)
        self._show_draft(self._key)

    @property
    def last_conversation_id(self) -> int | None:
        return self.state.last_conversation_id

    # -- drafts ------------------------------------------------------------------------------

    def _conversation_changed(self, conversation_id: int) -> None:
        self._keep_draft()
        self._key = draft_key(conversation_id)
        self._show_draft(self._key)
        self.state = replace(self.state, last_conversation_id=conversation_id or None)
        self._save_timer.start()

    def _conversation_stored(self, conversation_id: int) -> None:
        # The new conversation got its id: its draft (what is typed next) goes under it.
        self.state = self.state.with_draft(self._key, "")
        self._key = draft_key(conversation_id)
        self.state = replace(self.state, last_conversation_id=conversation_id)

    def _keep_draft(self) -> None:
        self.state = self.state.with_draft(self._key, self._window.draft())

    def forget_draft(self, conversation_id: int) -> None:
        """A conversation deleted for good: its draft goes too (its id may come back)."""
        self.state = self.state.with_draft(draft_key(conversation_id), "")
        self._save_timer.start()

    def _show_draft(self, key: str) -> None:
        self._window.composer.setPlainText(self.state.drafts.get(key, ""))

    # -- saving ------------------------------------------------------------------------------

    def _snapshot(self) -> AppState:
        self._keep_draft()
        window = self._window
        self.state = replace(
            self.state,
            window_geometry=bytes(window.saveGeometry().toBase64().data()).decode(),
            splitter_sizes=tuple(window.splitter.sizes()),
            close_to_tray=window.close_to_tray_action.isChecked(),
        )
        return self.state

    def _write(self, state: AppState, number: int) -> None:
        with self._write_lock:
            if number > self._written:  # an older snapshot never overwrites a newer one
                self._file.save(state)
                self._written = number

    def _save_later(self) -> None:
        self._snapshots += 1
        state, number = self._snapshot(), self._snapshots
        self._background.start_in_thread(
            self._worker, lambda: self._write(state, number), on_failure=self._report
        )

    def save_now(self) -> None:
        """On quit: everything, at once (the writer thread may already be gone)."""
        self._save_timer.stop()
        self._snapshots += 1
        try:
            self._write(self._snapshot(), self._snapshots)
        except OSError as exc:
            log.warning("app state not saved: %s", exc)

    def _report(self, exc: Exception) -> None:
        if not isinstance(exc, OSError):
            report_unexpected(exc)
            return
        log.warning("app state not saved: %s", exc)
        self.save_failed.emit(
            self.tr("Drafts and the window's layout could not be saved: {0}").format(
                exc.strerror or exc
            )
        )
