"""The transcript's QML engine: the image providers it serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtQml import QQmlEngine



def prepare_engine(engine: QQmlEngine) -> None:
    """Sets the engine up before the transcript's QML loads.

    Nothing in a message is fetched: the Markdown renderer never makes an <img> of a
    model's image (a link instead), and raw HTML is shown as text; the only images are
    the app's own, from its image providers (`image://...`): typeset formulas
    (`<img src="image://math/KEY">` in a block's HTML)."""
    from zlay_desktop.ui.transcript.math_images import MathImageProvider

    engine.addImageProvider("math", MathImageProvider())
