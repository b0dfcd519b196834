"""Attachments' processing (core, no Qt): images re-encoded and scaled, text decoded, PDFs
read, and every bad input refused with a message."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from zlay_desktop.core.attachments import (
    AttachmentError,
    AttachmentLimits,
    document_block,
    image_tokens,
    prepare_bytes,
    prepare_file,
)
from zlay_desktop.core.models import AttachmentKind


def _image(fmt: str, size: tuple[int, int] = (120, 80), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128)[: len(mode)]).save(out, fmt)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP", "BMP"])
def test_images_are_sent_as_png_or_jpeg(fmt: str) -> None:
    prepared = prepare_bytes(_image(fmt), f"picture.{fmt.lower()}")
    ref = prepared.ref
    assert ref.kind is AttachmentKind.IMAGE
    assert ref.mime == ("image/jpeg" if fmt == "JPEG" else "image/png")
    decoded = Image.open(io.BytesIO(prepared.data))
    assert decoded.format == ("JPEG" if fmt == "JPEG" else "PNG")
    assert (ref.width, ref.height) == decoded.size == (120, 80)
    assert ref.size == len(prepared.data) and ref.tokens == image_tokens(120, 80)


def test_transparency_is_kept_as_png() -> None:
    prepared = prepare_bytes(_image("WEBP", mode="RGBA"), "clear.webp")
    assert Image.open(io.BytesIO(prepared.data)).mode == "RGBA"


def test_a_large_image_is_scaled_to_the_configured_side() -> None:
    prepared = prepare_bytes(_image("JPEG", (5000, 2500)), "big.jpg")
    assert (prepared.ref.width, prepared.ref.height) == (2048, 1024)
    small = prepare_bytes(_image("PNG", (3000, 600)), "wide.png", AttachmentLimits(max_image_side=512))
    assert Image.open(io.BytesIO(small.data)).size == (512, 102)


def test_a_gif_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (40, 40), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    prepared = prepare_bytes(out.getvalue(), "anim.gif")
    first = Image.open(io.BytesIO(prepared.data)).convert("RGB")
    assert first.getpixel((5, 5)) == (255, 0, 0)


def test_truncated_and_bomb_images_are_refused_plainly() -> None:
    with pytest.raises(AttachmentError, match="damaged or incomplete"):
        prepare_bytes(_image("PNG")[:70], "cut.png")
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IEND", b"")
    with pytest.raises(AttachmentError, match="too large"):
        prepare_bytes(bomb, "bomb.png")
    with pytest.raises(AttachmentError, match="not a valid PNG"):
        prepare_bytes(b"hello, I am text", "fake.png")


def test_text_in_other_encodings_is_decoded() -> None:
    text = (
        "Le château se dresse au-dessus du village depuis le XIIe siècle. Les habitants "
        "racontent qu'à l'époque, les seigneurs y recevaient des hôtes venus de toute la "
        "région : marchands, pèlerins et chevaliers. Aujourd'hui, les visiteurs découvrent "
        "une forêt épaisse, des jardins à la française et un musée où l'on expose des "
        "armures, des tapisseries et des manuscrits enluminés. Ça vaut le détour, même en "
        "hiver, quand la neige recouvre les tours.\n"
    )
    assert prepare_bytes(text.encode("cp1252"), "notes.txt").data.decode() == text
    assert prepare_bytes(text.encode("utf-16"), "notes.txt").data.decode() == text
    prepared = prepare_bytes(b"a,b\n1,2\n", "table.csv")
    assert prepared.ref.kind is AttachmentKind.DOCUMENT and prepared.ref.mime == "text/plain"
    assert prepared.ref.tokens > 0


def test_binary_files_are_refused() -> None:
    with pytest.raises(AttachmentError, match="not a text file"):
        prepare_bytes(bytes(range(256)) * 40, "program.bin")


def test_size_limits(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(AttachmentError, match="larger than the 1 kB"):
        prepare_file(path, AttachmentLimits(max_file_bytes=1000))
    with pytest.raises(AttachmentError, match="more than a model can take"):
        prepare_file(path, AttachmentLimits(max_text_chars=100))
    with pytest.raises(AttachmentError, match="could not be read"):
        prepare_file(tmp_path / "missing.txt")


def test_a_pdf_without_text_looks_scanned() -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(AttachmentError, match="looks scanned"):
        prepare_bytes(out.getvalue(), "scan.pdf")


def test_a_broken_pdf_is_refused() -> None:
    with pytest.raises(AttachmentError, match="damaged"):
        prepare_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nxref\n0 x\n", "bad.pdf")


def test_document_block_fence_is_never_closed_by_the_text() -> None:
    block = document_block("a.md", "```python\nx\n```")
    assert block.startswith("File: a.md\n````\n") and block.endswith("\n````")


def test_a_copy_to_show_gets_a_harmless_name_with_the_payloads_own_suffix(tmp_path: Path) -> None:
    from zlay_desktop.core.attachment_files import viewable_name, write_viewable_copy

    assert viewable_name("report.pdf", "text/plain") == "report.pdf.txt"
    assert viewable_name("notes.txt", "text/plain") == "notes.txt"
    assert viewable_name("photo.webp", "image/png") == "photo.png"
    # A name from an imported file never chooses what opens it, nor where it goes.
    assert viewable_name("run.desktop", "text/plain") == "run.desktop.txt"
    assert viewable_name("../../.bashrc", "image/jpeg") == "bashrc.jpg"
    assert viewable_name("C:\\x\\evil.exe", "image/png") == "evil.exe.png"
    assert viewable_name("a\nb|c?.png", "image/png") == "a_b_c_.png"
    assert viewable_name("", "application/x-sh") == "attachment.bin"
    sha = "ab" * 32
    path = write_viewable_copy(tmp_path, sha, "notes.txt", "text/plain", b"one")
    assert path.read_bytes() == b"one" and path.parent.parent == tmp_path
    assert write_viewable_copy(tmp_path, sha, "notes.txt", "text/plain", b"two!").read_bytes() == b"two!"


def test_the_context_of_a_model_and_the_estimate_of_a_message() -> None:
    from zlay_desktop.core.context_budget import context_tokens_for, estimate_context
    from zlay_desktop.core.models import Message, Role

    assert context_tokens_for("gpt-4o-mini") == 128_000
    assert context_tokens_for("openai/gpt-4.1") == 1_047_576
    assert context_tokens_for("llama3.2:3b") == 8192
    assert context_tokens_for("my-local-model", 32_768) == 32_768
    notes = prepare_bytes(b"x" * 4000, "notes.txt").ref
    history = [Message(Role.USER, "y" * 400, attachments=(notes,)), Message(Role.ASSISTANT, "z" * 400)]
    estimate = estimate_context(history, "w" * 40, [notes], context=2000, reply_tokens=100)
    assert estimate.tokens == 210 + 2 * notes.tokens + 100
    assert estimate.exceeded == (estimate.tokens > 2000)
