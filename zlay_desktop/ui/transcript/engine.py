"""The transcript's QML engine: the image providers it serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtQml import QQmlEngine


def prepare_engine(
    engine: QQmlEngine, payload: Callable[[str], bytes | None] | None = None
) -> None:
    """Sets the engine up before the transcript's QML loads.

    Nothing in a message is fetched: the Markdown renderer never makes an <img> of a
    model's image (a link instead), and raw HTML is shown as text; the only images are
    the app's own, from its image providers (`image://...`): typeset formulas
    (`<img src="image://math/KEY">` in a block's HTML), and thumbnails of stored images:
    the files the user sent and the pictures tools returned (`image://payload/SHA256`,
    from `payload`); and its icons, in the colour asked for (`image://icon/NAME/RRGGBB`)."""
    from zlay_desktop.core.paths import resources_dir
    from zlay_desktop.ui.transcript.icon_images import IconImageProvider
    from zlay_desktop.ui.transcript.math_images import MathImageProvider
    from zlay_desktop.ui.transcript.payload_images import PayloadImageProvider

    engine.addImageProvider("math", MathImageProvider())
    engine.addImageProvider("payload", PayloadImageProvider(payload or (lambda _sha: None)))
    engine.addImageProvider("icon", IconImageProvider(resources_dir() / "icons"))
