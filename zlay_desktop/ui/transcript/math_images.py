"""``image://math/KEY``: typeset formulas for the QML transcript.

Register on the engine as ``engine.addImageProvider("math", MathImageProvider())``. KEY comes
from the HTML of :mod:`zlay_desktop.core.markdown_math`; the core registry gives back the
formula and its style, the SVG is rasterised here with QSvgRenderer.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtQml import QQmlImageProviderBase
from PySide6.QtQuick import QQuickImageProvider
from PySide6.QtSvg import QSvgRenderer

from zlay_desktop.core.math_render import MathImage, render_key

__all__ = ["MathImageProvider", "math_qimage"]

_CACHE_ENTRIES = 256


def math_qimage(
    image: MathImage, size: QSize | None = None, device_pixel_ratio: float = 1.0
) -> QImage:
    """``image`` drawn at ``size`` logical pixels (its own size when None or empty), with
    ``device_pixel_ratio`` physical pixels per logical one; transparent around the glyphs."""
    if size is None or size.isEmpty():
        size = QSize(math.ceil(image.width), math.ceil(image.height))
    ratio = max(device_pixel_ratio, 1.0)
    result = QImage(
        math.ceil(size.width() * ratio),
        math.ceil(size.height() * ratio),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    result.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(image.svg))
    painter = QPainter(result)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
    finally:
        painter.end()
    result.setDevicePixelRatio(ratio)
    return result


class MathImageProvider(QQuickImageProvider):
    """Resolves ``image://math/KEY``; a key unknown or failed gives a null image (the HTML
    already shows such a formula as code, so this only happens for a stale key)."""

    def __init__(self, device_pixel_ratio: float | None = None) -> None:
        # Asynchronous: a formula not yet typeset (evicted from the core cache) is typeset on
        # Qt's image loader thread, never on the GUI thread.
        super().__init__(
            QQuickImageProvider.ImageType.Image,
            QQmlImageProviderBase.Flag.ForceAsynchronousImageLoading,
        )
        self._ratio = device_pixel_ratio
        self._lock = threading.Lock()
        self._images: OrderedDict[tuple[str, int, int, float], QImage] = OrderedDict()

    def requestImage(self, id: str, size: QSize, requestedSize: QSize, /) -> QImage:
        ratio = self._ratio if self._ratio is not None else _screen_ratio()
        cache_key = (id, requestedSize.width(), requestedSize.height(), ratio)
        with self._lock:
            cached = self._images.get(cache_key)
            if cached is not None:
                self._images.move_to_end(cache_key)
        if cached is None:
            image = render_key(id)
            if image is None:
                return QImage()
            cached = math_qimage(image, requestedSize, ratio)
            with self._lock:
                self._images[cache_key] = cached
                while len(self._images) > _CACHE_ENTRIES:
                    self._images.popitem(last=False)
        logical = cached.deviceIndependentSize().toSize()
        size.setWidth(logical.width())
        size.setHeight(logical.height())
        return cached


def _screen_ratio() -> float:
    screen = QGuiApplication.primaryScreen()
    return screen.devicePixelRatio() if screen is not None else 1.0
