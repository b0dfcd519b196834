"""The transcript's QML engine: the image providers it serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtQml import QQmlEngine


def prepare_engine(
    engine: QQmlEngine, attachment_payload: Callable[[str], bytes | None] | None = None
) -> None:
    """Sets the engine up before the transcript's QML loads.

    Nothing in a message is fetched: the Markdown renderer never makes an <img> of a
    model's image (a link instead), and raw HTML is shown as text; the only images are
    the app's own, from its image providers (`image://...`): typeset formulas
    (`<img src="image://math/KEY">` in a block's HTML), and thumbnails of the files the user
    sent (`image://attachment/SHA256`, from `attachment_payload`)."""
    from zlay_desktop.ui.transcript.attachment_images import AttachmentImageProvider
    from zlay_desktop.ui.transcript.math_images import MathImageProvider

    engine.addImageProvider("math", MathImageProvider())
    engine.addImageProvider(
        "attachment", AttachmentImageProvider(attachment_payload or (lambda _sha: None))
    )
