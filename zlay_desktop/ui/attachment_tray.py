"""The files attached to the message being written: chips above the composer's box.

Each file is read and prepared (`core.attachments`) on one worker thread, never on the GUI
thread: a large photo or PDF takes a while, and a hostile one must not freeze the window.
While that runs its chip says so; then it shows the name, the size and the estimated
tokens, with a remove (×) button. A file that cannot be attached is dropped with a message
(`failed`), nothing else is lost.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from zlay_desktop.core.attachments import (
    AttachmentError,
    PreparedAttachment,
    describe_bytes,
    prepare_bytes,
    prepare_file,
)
from zlay_desktop.core.background import SerialWorker
from zlay_desktop.ui.background import BackgroundTasks
from zlay_desktop.ui.i18n import number


def _png_of_pixels(pixels: bytes, width: int, height: int, stride: int) -> bytes:
    """A PNG of raw RGBA pixels (a pasted image), made on the worker thread."""
    import io

    from PIL import Image

    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", stride, 1)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _prepare_pasted(pixels: bytes, width: int, height: int, stride: int) -> PreparedAttachment:
    return prepare_bytes(_png_of_pixels(pixels, width, height, stride), "Pasted image.png")


class _Chip(QFrame):
    def __init__(self, tray: AttachmentTray, key: int, name: str) -> None:
        super().__init__(tray)
        self.key = key
        self.name = name
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(
            QCoreApplication.translate("AttachmentTray", "Attachment {name}").replace(
                "{name}", name
            )
        )
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        self.remove_button.setAccessibleName(
            QCoreApplication.translate("AttachmentTray", "Remove {name}").replace("{name}", name)
        )
        self.remove_button.setToolTip(self.remove_button.accessibleName())
        self.remove_button.clicked.connect(lambda: tray.remove(key))
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 1, 2, 1)
        row.addWidget(self.label)
        row.addWidget(self.remove_button)
        self.show_reading()

    def show_reading(self) -> None:
        self.label.setText(
            QCoreApplication.translate("AttachmentTray", "{name} · reading…").replace(
                "{name}", self.name
            )
        )

    def show_ready(self, prepared: PreparedAttachment) -> None:
        ref = prepared.ref
        details = [describe_bytes(ref.size)]
        if ref.width:
            details.append(f"{ref.width} × {ref.height}")
        if ref.pages:
            details.append(
                QCoreApplication.translate("AttachmentTray", "%n page(s)", None, ref.pages)
            )
        details.append(
            QCoreApplication.translate("AttachmentTray", "~{tokens} tokens").replace(
                "{tokens}", number(ref.tokens)
            )
        )
        self.label.setText(f"{ref.name} · " + " · ".join(details))
        self.setToolTip(self.label.text())


class AttachmentTray(QFrame):
    changed = Signal()  # a file was added, became ready, or was removed
    failed = Signal(str)  # why a file was not attached, in plain words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(QCoreApplication.translate("AttachmentTray", "Attachments"))
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(4, 2, 4, 2)
        self._row.addStretch(1)
        self._chips: dict[int, _Chip] = {}
        self._ready: dict[int, PreparedAttachment] = {}
        self._keys = itertools.count(1)
        self._background = BackgroundTasks(self)
        worker = self._worker = SerialWorker("attachments")
        self.destroyed.connect(lambda *_: worker.shutdown(wait=False))
        self.setVisible(False)

    # -- state -----------------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """Some file is still being read."""
        return len(self._ready) < len(self._chips)

    def attachments(self) -> list[PreparedAttachment]:
        """The files ready to send, in the order they were added."""
        return [self._ready[key] for key in self._chips if key in self._ready]

    def chips(self) -> list[_Chip]:
        return list(self._chips.values())

    def clear(self) -> None:
        for key in list(self._chips):
            self.remove(key)

    # -- adding ----------------------------------------------------------------------------

    def add_files(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self._start(path.name, functools.partial(prepare_file, path))

    def add_image(self, image: QImage) -> None:
        """A pasted image: its pixels are copied here, encoded on the worker thread."""
        rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
        pixels = bytes(rgba.constBits())
        self._start(
            QCoreApplication.translate("AttachmentTray", "Pasted image.png"),
            functools.partial(
                _prepare_pasted, pixels, rgba.width(), rgba.height(), rgba.bytesPerLine()
            ),
        )

    def _start(self, name: str, work: Callable[[], PreparedAttachment]) -> None:
        key = next(self._keys)
        chip = _Chip(self, key, name)
        self._chips[key] = chip
        self._row.insertWidget(self._row.count() - 1, chip)
        self.setVisible(True)
        self._background.start_in_thread(
            self._worker,
            work,
            on_success=lambda prepared: self._prepared(key, prepared),
            on_failure=lambda exc: self._not_prepared(key, name, exc),
        )
        self.changed.emit()

    def _prepared(self, key: int, prepared: PreparedAttachment) -> None:
        chip = self._chips.get(key)
        if chip is None:
            return  # removed while it was read
        self._ready[key] = prepared
        chip.show_ready(prepared)
        self.changed.emit()

    def _not_prepared(self, key: int, name: str, exc: Exception) -> None:
        if key not in self._chips:
            return
        self.remove(key)
        if isinstance(exc, AttachmentError):
            self.failed.emit(exc.message)
        else:  # a bug in reading it: still a message, not a crash
            self.failed.emit(
                QCoreApplication.translate(
                    "AttachmentTray", "“{name}” could not be attached ({error})."
                )
                .replace("{name}", name)
                .replace("{error}", type(exc).__name__)
            )

    def remove(self, key: int) -> None:
        chip = self._chips.pop(key, None)
        self._ready.pop(key, None)
        if chip is None:
            return
        chip.setParent(None)
        chip.deleteLater()
        self.setVisible(bool(self._chips))
        self.changed.emit()
