"""Typeset formulas on screen: the image://math provider, QML rich text, the QTextBrowser."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtQuick import QQuickWindow, QSGRendererInterface
from PySide6.QtQuickWidgets import QQuickWidget
from pytestqt.qtbot import QtBot

from tests.ui.live_view import FedChatView
from zlay_desktop.core.markdown_math import math_inline_html
from zlay_desktop.core.markdown_render import LIGHT_THEME
from zlay_desktop.core.math_render import math_key, render_key, render_math
from zlay_desktop.core.models import Message, Role
from zlay_desktop.ui.transcript.math_images import MathImageProvider, math_qimage


def dark_pixels(image: QImage, threshold: int = 110) -> int:
    """Pixels clearly darker than a light background (opaque ones only)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            color = QColor(image.pixel(x, y))
            if color.alpha() > 128 and color.lightness() < threshold:
                count += 1
    return count


def opaque_pixels(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if QColor.fromRgba(image.pixel(x, y)).alpha() > 128
    )


def test_the_provider_gives_the_formula_at_its_size(qapp: object) -> None:
    key = math_key("x^2 + y^2", display=False, color="#000000", size_px=16)
    formula = render_math("x^2 + y^2", display=False, color="#000000", size_px=16)
    assert formula is not None
    provider = MathImageProvider(device_pixel_ratio=2.0)
    size = QSize()
    image = provider.requestImage(key, size, QSize())
    assert not image.isNull()
    assert size == QSize(math.ceil(formula.width), math.ceil(formula.height))
    assert image.size() == size * 2 and image.devicePixelRatio() == 2.0
    assert opaque_pixels(image) > 50
    assert provider.requestImage(key, QSize(), QSize()).cacheKey() == image.cacheKey()
    requested = provider.requestImage(key, QSize(), QSize(100, 40))
    assert requested.size() == QSize(200, 80)
    assert provider.requestImage("0" * 20, QSize(), QSize()).isNull()


def test_qml_rich_text_shows_the_formula(qtbot: QtBot, tmp_path: Path) -> None:
    # Qt Quick's software renderer: the offscreen platform has no OpenGL. It is chosen before
    # the first Qt Quick window exists (the session's QApplication may already exist: the
    # choice is read when a scene graph is first made).
    QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
    html = math_inline_html(
        "\\frac{a}{b} + x^2",
        display=False,
        color=LIGHT_THEME.math_color,
        size_px=LIGHT_THEME.math_size_px,
    )
    assert html is not None
    qml = tmp_path / "formula.qml"
    qml.write_text(
        "import QtQuick\n"
        "Rectangle { color: 'white'\n"
        "  Text { objectName: 'formula'; x: 10; y: 10; textFormat: Text.RichText\n"
        f"         text: {json.dumps(html)} }} }}\n",
        encoding="utf-8",
    )
    widget = QQuickWidget()
    qtbot.addWidget(widget)
    widget.engine().addImageProvider("math", MathImageProvider())
    widget.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
    widget.resize(300, 120)
    widget.setSource(QUrl.fromLocalFile(str(qml)))
    assert widget.status() == QQuickWidget.Status.Ready, widget.errors()
    widget.show()
    qtbot.waitExposed(widget)
    if widget.quickWindow().rendererInterface().graphicsApi() != (
        QSGRendererInterface.GraphicsApi.Software
    ):
        pytest.skip("Qt Quick did not take the software renderer in this session")
    qtbot.waitUntil(lambda: dark_pixels(widget.grabFramebuffer()) > 20, timeout=5000)


def test_the_transcript_shows_math_from_its_image_provider(qtbot: QtBot) -> None:
    view = FedChatView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    view.add_message(1, Message(role=Role.ASSISTANT, content="Square: $x^2$ done."))
    html = "".join(row.html for row in view.model.rows())
    [name] = re.findall(r'src="(image://math/[0-9a-f]+)"', html)
    quick = view.ensure_loaded()  # (the window loads Qt Quick once it is attached)
    provider = quick.engine().imageProvider("math")
    assert provider is not None  # the engine serves the formula's image
    typeset = render_key(name.removeprefix("image://math/"))
    assert typeset is not None
    assert opaque_pixels(math_qimage(typeset)) > 20
