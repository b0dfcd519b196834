"""The transcript's QML engine: the image providers it serves."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtQml import QQmlEngine

log = logging.getLogger(__name__)

MATH_PROVIDER_MODULE = "zlay_desktop.ui.transcript.math_images"


def prepare_engine(engine: QQmlEngine) -> None:
    """Sets the engine up before the transcript's QML loads.

    Nothing in a message is fetched: the Markdown renderer never makes an <img> of a
    model's image (a link instead), and raw HTML is shown as text; the only images are
    the app's own, from its image providers (`image://...`)."""
    add_math_images(engine)


def add_math_images(engine: QQmlEngine) -> None:
    """MATH: typeset formulas come from the "math" image provider
    (`<img src="image://math/KEY">` in a block's HTML), made by `MathImageProvider()` of
    MATH_PROVIDER_MODULE. Until that module exists the transcript runs without it."""
    try:
        module = importlib.import_module(MATH_PROVIDER_MODULE)
    except ModuleNotFoundError:
        return
    try:
        engine.addImageProvider("math", module.MathImageProvider())
    except Exception:  # a broken provider must not take the transcript with it
        log.exception("the math image provider could not be added")
