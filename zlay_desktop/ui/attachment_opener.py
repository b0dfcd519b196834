"""Shows a sent file in the system's viewer (a click on its thumbnail or chip).

The viewer gets a copy, never the stored payload: the copy is written on a worker thread
into a private folder of this run (`core.attachment_files.write_viewable_copy`), read-only,
under the file's name made harmless and with the suffix of what the payload is (an image
as PNG or JPEG, a document as the text that was sent). So a viewer that saves cannot change
the history, and a name from an imported file cannot make the desktop run something.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from zlay_desktop.core.attachment_files import write_viewable_copy
from zlay_desktop.core.background import SerialWorker
from zlay_desktop.core.models import Attachment
from zlay_desktop.ui.background import BackgroundTasks, report_unexpected

__all__ = ["AttachmentOpener"]

log = logging.getLogger(__name__)

PayloadReader = Callable[[Iterable[str]], dict[str, bytes]]


class AttachmentOpener(QObject):
    opened = Signal(str)  # the copy's path, handed to the desktop
    failed = Signal(str)  # why nothing was opened, for the user

    def __init__(self, payloads: PayloadReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._payloads = payloads
        self._background = BackgroundTasks(self)
        self._worker: SerialWorker | None = None
        self._folder: Path | None = None

    def open(self, attachment: Attachment) -> None:
        if self._worker is None:
            worker = self._worker = SerialWorker("attachment-opener")
            self.destroyed.connect(lambda *_: worker.shutdown(wait=False))
        self._background.start_in_thread(
            self._worker,
            lambda: self._copy(attachment),
            on_success=self._show,
            on_failure=lambda exc: self._failed(attachment, exc),
        )

    def _copy(self, attachment: Attachment) -> Path | None:  # on the worker thread
        data = self._payloads([attachment.sha256]).get(attachment.sha256)
        if data is None:
            return None
        if self._folder is None:
            # Private to this user (0700), in the system's temporary folder: kept after
            # the app quits, as a viewer may still be reading its file then.
            self._folder = Path(tempfile.mkdtemp(prefix="zlay-desktop-open-"))
        return write_viewable_copy(
            self._folder, attachment.sha256, attachment.name, attachment.mime, data
        )

    def _show(self, path: Path | None) -> None:
        if path is None:
            self.failed.emit(
                self.tr("This file is no longer in the history's folder, so it cannot be shown.")
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.failed.emit(self.tr("No program to show %1 was found.").replace("%1", path.name))
            return
        self.opened.emit(str(path))

    def _failed(self, attachment: Attachment, exc: Exception) -> None:
        if not isinstance(exc, OSError | ValueError):
            report_unexpected(exc)
            return
        log.warning("could not copy an attachment to show it: %s", exc)
        self.failed.emit(
            self.tr("“%1” could not be shown: %2").replace("%1", attachment.name)
            .replace("%2", str(getattr(exc, "strerror", None) or exc))
        )

