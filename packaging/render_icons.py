"""Renders the app icon (resources/zlay-desktop.svg) into every format the installers need.

    python packaging/render_icons.py OUTPUT_DIR

writes OUTPUT_DIR/hicolor/<N>x<N>/apps/zlay-desktop.png for the freedesktop sizes,
OUTPUT_DIR/zlay-desktop.ico (Windows) and OUTPUT_DIR/zlay-desktop.icns (macOS). The SVG is
drawn with Qt's QSvgRenderer, so every machine that can build the app can draw its icon; no
PNG is kept in git.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parent.parent
SOURCE_SVG = ROOT / "resources" / "zlay-desktop.svg"
ICON_NAME = "zlay-desktop"
# The sizes hicolor themes and desktops look for.
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def render_icons(output: Path, source: Path = SOURCE_SVG) -> list[Path]:
    """Writes every icon file under `output`; returns their paths."""
    # No window is shown: rendering needs no display, on any OS.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"cannot read the icon {source}")

    def image(size: int) -> QImage:
        picture = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        return picture

    written: list[Path] = []
    for size in PNG_SIZES:
        path = output / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image(size).save(str(path)):  # PNG, from the suffix
            raise SystemExit(f"cannot write {path}")
        written.append(path)

    pngs = {size: _png_bytes(image(size)) for size in sorted({*ICO_SIZES, *ICNS_SIZES})}
    ico = output / f"{ICON_NAME}.ico"
    ico.write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    icns = output / f"{ICON_NAME}.icns"
    icns.write_bytes(icns_bytes({size: pngs[size] for size in ICNS_SIZES}))
    return [*written, ico, icns]


def _png_bytes(picture: QImage) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(picture):
        raise SystemExit(f"cannot encode a PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico with one PNG-compressed image per size (Windows Vista and later).

    Qt's own ico writer stores a single size; Windows then scales it, blurring the small
    ones that Explorer and the taskbar use.
    """
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, count
    entries = b""
    images = b""
    offset = len(header) + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(images))
        images += png
    return header + entries + images


# The icns element types that hold PNG data, by pixel size.
_ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding the PNGs (the format macOS 10.7+ reads; no iconutil needed)."""
    body = b"".join(
        _ICNS_TYPES[size] + struct.pack(">I", 8 + len(png)) + png
        for size, png in sorted(pngs.items())
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for path in render_icons(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
