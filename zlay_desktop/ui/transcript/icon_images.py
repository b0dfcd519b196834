"""``image://icon/NAME/RRGGBB``: the transcript's icons (resources/icons/NAME.svg) drawn in
one colour, at the size an item asks for.

The icons draw with ``currentColor``; it becomes the colour asked for before the SVG is read
(Qt's SVG image plugin, the one a plain ``Image`` uses). Qt's image cache keeps each icon,
colour and size once.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtQuick import QQuickImageProvider

__all__ = ["IconImageProvider"]

_ID = re.compile(r"([a-z0-9-]+)/([0-9a-fA-F]{6})")
_DEFAULT_SIZE = 24  # the icons' own size, when an item asks for none


class IconImageProvider(QQuickImageProvider):
    """Resolves ``image://icon/NAME/RRGGBB``; an unknown name or a malformed id gives a null
    image."""

    def __init__(self, icon_dir: Path) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._icon_dir = icon_dir
        self._sources: dict[str, bytes | None] = {}

    def requestImage(self, id: str, size: QSize, requestedSize: QSize, /) -> QImage:
        match = _ID.fullmatch(id)
        source = self._source(match.group(1)) if match else None
        if match is None or source is None:
            return QImage()
        svg = source.replace(b"currentColor", b"#" + match.group(2).encode())
        width = requestedSize.width() if requestedSize.width() > 0 else _DEFAULT_SIZE
        height = requestedSize.height() if requestedSize.height() > 0 else width
        data = QByteArray(svg)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer, QByteArray(b"svg"))
        reader.setScaledSize(QSize(width, height))
        image = reader.read()
        if image.isNull():
            return QImage()
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image

    def _source(self, name: str) -> bytes | None:
        if name not in self._sources:
            path = self._icon_dir / f"{name}.svg"
            self._sources[name] = path.read_bytes() if path.is_file() else None
        return self._sources[name]
