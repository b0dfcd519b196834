"""`image://toolimage/SHA256`: the images tools returned, for the tool cards' thumbnails.

Imported when the transcript's Qt Quick part is built (not before the first paint)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtQml import QQmlImageProviderBase
from PySide6.QtQuick import QQuickImageProvider

__all__ = ["ToolImageProvider"]


class ToolImageProvider(QQuickImageProvider):
    """`image://toolimage/SHA256`: an image a tool returned, from the attachments' store,
    read and scaled on Qt's image loader thread (never on the GUI thread)."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        super().__init__(
            QQuickImageProvider.ImageType.Image,
            QQmlImageProviderBase.Flag.ForceAsynchronousImageLoading,
        )
        self._read = read
        self._lock = threading.Lock()

    def requestImage(self, id: str, size: QSize, requestedSize: QSize, /) -> QImage:
        try:
            with self._lock:
                data = self._read(id)
        except Exception:  # noqa: BLE001 - a file gone or unreadable: no thumbnail
            data = None
        image = QImage.fromData(data) if data else QImage()
        if (
            not image.isNull()
            and requestedSize.isValid()
            and not requestedSize.isEmpty()
            and (image.width() > requestedSize.width() or image.height() > requestedSize.height())
        ):  # (a thumbnail: smaller pictures keep their size)
            image = image.scaled(
                requestedSize,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        if not image.isNull():
            size.setWidth(image.width())
            size.setHeight(image.height())
        return image
