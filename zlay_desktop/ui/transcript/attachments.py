"""A sent message's files in the transcript: a row of image thumbnails and document chips
under the user's bubble (`AttachmentStrip.qml`), served by `PayloadImageProvider`.

The row carries data only (names, sizes, pages, the thumbnail's size worked out here so
that the row has its height before the picture arrives); the words are in the QML.
"""

from __future__ import annotations

from typing import Any, Final

from PySide6.QtCore import QCoreApplication

from zlay_desktop.core.attachments import describe_bytes
from zlay_desktop.core.models import Attachment, AttachmentKind, Message
from zlay_desktop.ui.transcript.model import Row

__all__ = ["THUMBNAIL_BOX", "attachment_rows", "attachments_text"]

THUMBNAIL_BOX: Final = (220, 160)
"""The largest a thumbnail is shown, in logical pixels (its aspect kept)."""


def _thumbnail_size(attachment: Attachment) -> tuple[int, int]:
    width, height = attachment.width or THUMBNAIL_BOX[0], attachment.height or THUMBNAIL_BOX[1]
    scale = min(1.0, THUMBNAIL_BOX[0] / width, THUMBNAIL_BOX[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _file(index: int, attachment: Attachment) -> dict[str, Any]:
    image = attachment.kind is AttachmentKind.IMAGE
    width, height = _thumbnail_size(attachment) if image else (0, 0)
    return {
        "index": index,
        "image": image,
        "name": attachment.name,
        "sha256": attachment.sha256,
        "size": describe_bytes(attachment.size),
        "pages": attachment.pages,
        "pixels": f"{attachment.width} × {attachment.height}" if image else "",
        "thumbWidth": width,
        "thumbHeight": height,
    }


def attachment_rows(key: int, message: Message) -> list[Row]:
    """One row with every file of a message (none without files)."""
    if not message.attachments:
        return []
    files = [_file(i, a) for i, a in enumerate(message.attachments)]
    return [Row("attachments", key, extra={"files": files})]


def attachments_text(extra: dict[str, Any]) -> str:
    """The row as plain text (what `transcript_text` and screen readers get)."""
    described = []
    for file in extra["files"]:
        if file["image"]:
            details = QCoreApplication.translate("TranscriptAttachments", "image, {0}").format(
                file["pixels"]
            )
        elif file["pages"]:
            pages = QCoreApplication.translate(
                "TranscriptAttachments", "%n page(s)", None, file["pages"]
            )
            details = f"{pages}, {file['size']}"
        else:
            details = file["size"]
        described.append(f"{file['name']} ({details})")
    return QCoreApplication.translate("TranscriptAttachments", "Attached: {0}").format(
        ", ".join(described)
    )
