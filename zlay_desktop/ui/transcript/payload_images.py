"""``image://payload/SHA256``: the transcript's pictures of stored images, by content hash:
thumbnails of the images a user sent (`AttachmentStrip.qml`) and of those tools returned
(`ToolCard.qml`). Both are payloads of the attachments' store (content-addressed).

The payload comes from the store through a lookup the view gives; it is decoded straight to
the size the delegate asks for (`sourceSize`), on Qt's image loader thread, never on the GUI
thread. Imported when the transcript's Qt Quick part is built (not before the first paint).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtQml import QQmlImageProviderBase
from PySide6.QtQuick import QQuickImageProvider

__all__ = ["PayloadImageProvider", "PayloadLookup"]

PayloadLookup = Callable[[str], bytes | None]
"""A stored payload by sha256 (None when there is none). Called on a loader thread."""

log = logging.getLogger(__name__)

_HASH: Final = re.compile(r"[0-9a-f]{64}")


class PayloadImageProvider(QQuickImageProvider):
    """Resolves ``image://payload/SHA256``; an unknown, unreadable or damaged payload gives
    a null image (the delegate then shows the file's name instead)."""

    def __init__(self, lookup: PayloadLookup) -> None:
        super().__init__(
            QQuickImageProvider.ImageType.Image,
            QQmlImageProviderBase.Flag.ForceAsynchronousImageLoading,
        )
        self._lookup = lookup

    def requestImage(self, id: str, size: QSize, requestedSize: QSize, /) -> QImage:
        sha = id.split("?", 1)[0]
        try:
            data = self._lookup(sha) if _HASH.fullmatch(sha) else None
        except Exception:
            log.warning("a stored image could not be read", exc_info=True)
            data = None
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
