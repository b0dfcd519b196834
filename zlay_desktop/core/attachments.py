"""Turns a file the user attached into what is sent: blocking, so run it off the GUI thread.

- Images (PNG, JPEG, GIF's first frame, WebP, BMP) are decoded with Pillow and re-encoded
  as PNG or JPEG (some servers reject WebP), the long side at most `max_image_side`. The
  pixel count is checked from the header before anything is decoded (decompression bombs).
- Text (plain, Markdown, source, CSV, JSON) is decoded with its detected encoding; a file
  that is not text is refused.
- PDFs give their text (pypdf); one without a text layer (a scan) is refused, since its
  pages would reach the model empty.
- Word documents (.docx) give their paragraphs' and tables' text, with the optional
  python-docx (without it, they are refused with a message saying what to install).

Every refusal is an `AttachmentError` whose message says what happened in plain words.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP, number, translate
from zlay_desktop.core.models import Attachment, AttachmentKind

__all__ = [
    "AttachmentError",
    "AttachmentLimits",
    "PreparedAttachment",
    "describe_bytes",
    "document_block",
    "image_tokens",
    "prepare_bytes",
    "prepare_file",
    "text_tokens",
]

MB: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class AttachmentLimits:
    max_file_bytes: int = 20 * MB
    max_image_side: int = 2048  # the long side sent, in pixels
    # Decoded at most: 80 megapixels (~320 MB of RGBA), above any camera's photos and
    # below Pillow's own bomb limit, so Pillow never warns about an image accepted here.
    max_image_pixels: int = 80_000_000
    # About 1M tokens: more than any model's context.
    max_text_chars: int = 4_000_000
    max_pdf_pages: int = 2000
    # A .docx is a zip: its document part is checked unpacked, before it is parsed.
    max_docx_xml_bytes: int = 200 * MB


class AttachmentError(Exception):
    """Why a file was not attached (`str(error)` is the message for the user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class PreparedAttachment:
    """An attachment ready to send and to store: its reference and its payload."""

    ref: Attachment
    data: bytes


def describe_bytes(size: int) -> str:
    if size >= MB:
        return translate("Attachments", "{0} MB").format(number(size / MB, 1))
    if size >= 1000:
        return translate("Attachments", "{0} kB").format(number(size / 1000))
    return translate("Attachments", "%n byte(s)", None, size)


def text_tokens(text: str) -> int:
    """The usual estimate: about four characters a token."""
    return math.ceil(len(text) / 4)


def image_tokens(width: int, height: int) -> int:
    """OpenAI's published cost of an image at detail "high" (what "auto" picks for large
    ones): scaled into 2048 × 2048, then its short side to 768, 170 a 512-px tile + 85."""
    if width <= 0 or height <= 0:
        return 0
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    scale = min(1.0, 768 / min(w, h))
    w, h = w * scale, h * scale
    return 85 + 170 * math.ceil(w / 512) * math.ceil(h / 512)


def _fence(text: str) -> str:
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def document_block(name: str, text: str) -> str:
    """How a document travels: its name, then its text in a fence no line of it closes."""
    fence = _fence(text)
    return f"File: {name}\n{fence}\n{text}\n{fence}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- entry points ---------------------------------------------------------------------------


def prepare_file(path: Path, limits: AttachmentLimits | None = None) -> PreparedAttachment:
    """Reads and prepares a file (its size is checked before it is read)."""
    limits = limits or AttachmentLimits()
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise AttachmentError(
                translate("Attachments", "“{0}” is not a file, so it was not added.").format(name)
            )
        if size > limits.max_file_bytes:
            raise AttachmentError(_too_large(name, size, limits))
        data = path.read_bytes()
    except OSError as exc:
        raise AttachmentError(
            translate("Attachments", "“{0}” could not be read ({1}), so it was not added.").format(
                name, exc.strerror or exc
            )
        ) from exc
    return prepare_bytes(data, name, limits)


def prepare_bytes(
    data: bytes, name: str, limits: AttachmentLimits | None = None
) -> PreparedAttachment:
    """Prepares a file's content (a pasted image has a made-up name)."""
    limits = limits or AttachmentLimits()
    if len(data) > limits.max_file_bytes:
        raise AttachmentError(_too_large(name, len(data), limits))
    if not data:
        raise AttachmentError(
            translate("Attachments", "“{0}” is empty, so it was not added.").format(name)
        )
    kind = _sniff(data)
    if kind == "pdf":
        return _prepare_pdf(data, name, limits)
    if Path(name).suffix.lower() == ".docx":
        return _prepare_docx(data, name, limits)
    if kind is not None:
        return _prepare_image(data, name, limits)
    if Path(name).suffix.lower() in _IMAGE_SUFFIXES | {".pdf"}:
        raise AttachmentError(
            translate(
                "Attachments",
                "“{0}” is not a valid {1} file (its content does not match its "
                "name), so it was not added.",
            ).format(name, Path(name).suffix[1:].upper())
        )
    return _prepare_text(data, name, limits)


def _too_large(name: str, size: int, limits: AttachmentLimits) -> str:
    return translate(
        "Attachments",
        "“{0}” is {1}: larger than the {2} an attachment may be, so it was not added.",
    ).format(name, describe_bytes(size), describe_bytes(limits.max_file_bytes))


_IMAGE_SUFFIXES: Final = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}


def _sniff(data: bytes) -> str | None:
    """The format by its magic bytes: an image format, "pdf", or None (maybe text)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith(b"BM") and len(data) > 26:
        return "BMP"
    if b"%PDF-" in data[:1024]:  # (a PDF may have junk before its header)
        return "pdf"
    return None


# --- images ---------------------------------------------------------------------------------

_PNG_TOO_BIG_FOR_A_PHOTO: Final = 4 * MB


def _prepare_image(data: bytes, name: str, limits: AttachmentLimits) -> PreparedAttachment:
    from PIL import Image, ImageOps

    broken = translate(
        "Attachments",
        "“{0}” could not be read as an image: it is damaged or incomplete, so it was not added.",
    ).format(name)
    try:
        opened = Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "GIF", "WEBP", "BMP"])
        width, height = opened.size
        if width <= 0 or height <= 0 or width * height > limits.max_image_pixels:
            raise AttachmentError(
                translate(
                    "Attachments",
                    "“{0}” says it is {1:,} × {2:,} pixels: too large to open safely, so "
                    "it was not added.",
                ).format(name, width, height)
            )
        source_format = opened.format or ""
        side = limits.max_image_side
        if source_format == "JPEG":
            # Decodes a large JPEG at a fraction of its size straight away: faster and
            # smaller than decoding it whole and scaling it down.
            opened.draft("RGB", (side, side))
        opened.seek(0)  # a GIF's (or animated WebP's) first frame
        opened.load()
        image = ImageOps.exif_transpose(opened)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        image = image.convert("RGBA" if has_alpha else "RGB")
        if max(image.size) > side:
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if has_alpha:
            image.save(out, "PNG", optimize=False)
        elif source_format == "JPEG":
            image.save(out, "JPEG", quality=88)
        else:
            image.save(out, "PNG")
            if out.tell() > _PNG_TOO_BIG_FOR_A_PHOTO:  # a photo: JPEG is a tenth of it
                out = io.BytesIO()
                image.save(out, "JPEG", quality=88)
    except AttachmentError:
        raise
    except Image.DecompressionBombError as exc:
        raise AttachmentError(
            translate(
                "Attachments", "“{0}” is too large an image to open safely, so it was not added."
            ).format(name)
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        # What Pillow raises for truncated or malformed data (and for unknown formats).
        raise AttachmentError(broken) from exc
    payload = out.getvalue()
    mime = "image/png" if payload.startswith(b"\x89PNG") else "image/jpeg"
    w, h = image.size
    ref = Attachment(
        kind=AttachmentKind.IMAGE,
        name=name,
        sha256=_sha256(payload),
        mime=mime,
        size=len(payload),
        tokens=image_tokens(w, h),
        width=w,
        height=h,
    )
    return PreparedAttachment(ref, payload)


# --- text -----------------------------------------------------------------------------------

_BOMS: Final = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _decode_text(data: bytes) -> str | None:
    """The text of a file, or None when it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:65536]:
        return None  # NUL bytes: a binary file (UTF-16 text has a BOM, handled above)
    try:
        return data.decode("utf-8")  # the common case, and never misdetected
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    # Western legacy files are cp1252 far more often than the code pages it cannot be told
    # apart from by statistics (cp1250 reads French as well): prefer it when as plausible.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos:
            best = match
            break
    text = str(best)
    # Many control characters: a binary file that happened to decode.
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > len(text[:65536]) // 100:
        return None
    return text


def _prepare_text(data: bytes, name: str, limits: AttachmentLimits) -> PreparedAttachment:
    text = _decode_text(data)
    if text is None:
        raise AttachmentError(
            translate(
                "Attachments",
                "“{0}” is not a text file (it looks binary), so it was not added. "
                "Images, PDFs, Word documents (.docx) and text files can be attached.",
            ).format(name)
        )
    return _document(text, name, limits, pages=0)


def _document(text: str, name: str, limits: AttachmentLimits, pages: int) -> PreparedAttachment:
    if len(text) > limits.max_text_chars:
        raise AttachmentError(
            translate(
                "Attachments",
                "“{0}” holds {1:,} characters of text: more than a model can take "
                "(the limit is {2:,}), so it was not added.",
            ).format(name, len(text), limits.max_text_chars)
        )
    payload = text.encode("utf-8", "surrogatepass")
    ref = Attachment(
        kind=AttachmentKind.DOCUMENT,
        name=name,
        sha256=_sha256(payload),
        mime="text/plain",
        size=len(payload),
        tokens=text_tokens(document_block(name, text)),
        pages=pages,
    )
    return PreparedAttachment(ref, payload)


# --- PDF ------------------------------------------------------------------------------------


def _prepare_pdf(data: bytes, name: str, limits: AttachmentLimits) -> PreparedAttachment:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    broken = translate(
        "Attachments", "“{0}” could not be read as a PDF: it is damaged, so it was not added."
    ).format(name)
    # pypdf logs every repair it makes to a damaged file; the user gets one message.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise AttachmentError(
                translate(
                    "Attachments",
                    "“{0}” is protected by a password, so its text could not be read and "
                    "it was not added.",
                ).format(name)
            )
        count = len(reader.pages)
        if count > limits.max_pdf_pages:
            raise AttachmentError(
                translate(
                    "Attachments",
                    "“{0}” has {1:,} pages: more than the {2:,} an attachment may have, "
                    "so it was not added.",
                ).format(name, count, limits.max_pdf_pages)
            )
        texts = [(page.extract_text() or "").strip() for page in reader.pages]
    except AttachmentError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # pypdf's own errors, and what a malformed object tree makes its parser raise.
        raise AttachmentError(broken) from exc
    except RecursionError as exc:  # a self-referencing page tree
        raise AttachmentError(broken) from exc
    finally:
        pypdf_log.setLevel(level)
    if count == 0:
        raise AttachmentError(
            translate("Attachments", "“{0}” has no pages, so it was not added.").format(name)
        )
    if not any(texts):
        raise AttachmentError(
            translate(
                "Attachments",
                "“{0}” ({1}) has no text layer: it looks scanned, so it was not "
                "added. Attach its pages as images instead, for a model that reads "
                "images.",
            ).format(name, _pages(count))
        )
    text = "\n\n".join(f"[Page {i}]\n{t}" for i, t in enumerate(texts, 1) if t)
    return _document(text, name, limits, pages=count)


def _pages(count: int) -> str:
    return translate("Attachments", "%n page(s)", None, count)



# --- Word (.docx) -----------------------------------------------------------------------------

DOCX_NEEDS_PACKAGE: Final = QT_TRANSLATE_NOOP(
    "Attachments",
    "Reading Word documents needs the optional python-docx package "
    "(pip install \"zlay-desktop[docx]\")",
)


def _prepare_docx(data: bytes, name: str, limits: AttachmentLimits) -> PreparedAttachment:
    import zipfile

    broken = translate(
        "Attachments",
        "“{0}” could not be read as a Word document (.docx): it is damaged "
        "or not really one, so it was not added.",
    ).format(name)
    try:
        import docx
    except ImportError as exc:
        raise AttachmentError(
            translate("Attachments", "{0}, so “{1}” was not added.").format(
                translate("Attachments", DOCX_NEEDS_PACKAGE), name
            )
        ) from exc
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise AttachmentError(broken) from exc
    if unpacked > limits.max_docx_xml_bytes:
        raise AttachmentError(
            translate(
                "Attachments",
                "“{0}” unpacks to {1}: too large to open safely, so it was not added.",
            ).format(name, describe_bytes(unpacked))
        )
    try:
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for table_row in table.rows:
                parts.append(" | ".join(cell.text for cell in table_row.cells))
    except Exception as exc:  # (python-docx and lxml raise many kinds for a bad file)
        raise AttachmentError(broken) from exc
    text = "\n".join(parts).strip()
    if not text:
        raise AttachmentError(
            translate("Attachments", "“{0}” has no text, so it was not added.").format(name)
        )
    return _document(text, name, limits, pages=0)
