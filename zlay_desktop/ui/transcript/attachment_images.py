"""``image://attachment/SHA256``: thumbnails of sent images for the QML transcript.

The payload (the image as sent, PNG or JPEG, at most 2,048 px) comes from the attachment
store through a lookup the view gives; it is decoded straight to the size the delegate asks
for (`sourceSize`), on Qt's image loader thread, never on the GUI thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtQml import QQmlImageProviderBase
from PySide6.QtQuick import QQuickImageProvider

__all__ = ["AttachmentImageProvider", "PayloadLookup"]

PayloadLookup = Callable[[str], bytes | None]
"""An attachment's payload by sha256 (None when there is none). Called on a loader thread."""

_HASH: Final = re.compile(r"[0-9a-f]{64}")


class AttachmentImageProvider(QQuickImageProvider):
    """Resolves ``image://attachment/SHA256``; an unknown or damaged payload gives a null
    image (the delegate then shows the file's name instead)."""

    def __init__(self, lookup: PayloadLookup) -> None:
        super().__init__(
            QQuickImageProvider.ImageType.Image,
            QQmlImageProviderBase.Flag.ForceAsynchronousImageLoading,
        )
        self._lookup = lookup

    def requestImage(self, id: str, size: QSize, requestedSize: QSize, /) -> QImage:
        sha = id.split("?", 1)[0]
        data = self._lookup(sha) if _HASH.fullmatch(sha) else None
        if not data:
            return QImage()
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        reader.setAutoTransform(True)
        full = reader.size()
        if full.isValid() and requestedSize.isValid() and not requestedSize.isEmpty():
            # Decoded at the thumbnail's size, its aspect kept (never larger than it is).
            scaled = full.scaled(requestedSize, Qt.AspectRatioMode.KeepAspectRatio)
            if scaled.width() < full.width():
                reader.setScaledSize(scaled)
        image = reader.read()
        buffer.close()
        if image.isNull():
            return QImage()
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image
