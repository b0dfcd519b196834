"""The transcript's colours, light or dark, from the window's palette and the Markdown theme."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from zlay_desktop.core.markdown_render import Theme

__all__ = ["colors_for"]


def colors_for(theme: Theme, palette: QPalette) -> dict[str, str]:
    """Named colours for the QML (a calm set: the palette's own, and soft tints of it)."""
    role = QPalette.ColorRole
    base = palette.color(role.Base)
    text = palette.color(role.Text)
    accent = palette.color(role.Highlight)
    if theme.dark != (base.lightness() < 128):  # forced light or dark: not the palette's
        base = QColor("#1e1f22") if theme.dark else QColor("#ffffff")
        text = QColor("#e6e6e6") if theme.dark else QColor("#1f2328")
    return {
        "background": base.name(),
        "text": text.name(),
        "muted": theme.muted,
        "link": theme.link,
        "error": theme.error,
        "accent": accent.name(),
        "bubble": _mix(base, accent, 0.16 if theme.dark else 0.10),
        "card": _mix(base, text, 0.06),
        "cardBorder": _mix(base, text, 0.16),
        "code": theme.code_background,
        "codeText": theme.code_foreground,
        "hover": _mix(base, text, 0.10),
        "dark": "true" if theme.dark else "",
    }


def _mix(a: QColor, b: QColor, share: float) -> str:
    """`a` with `share` of `b` in it."""
    mixed = QColor.fromRgbF(
        a.redF() * (1 - share) + b.redF() * share,
        a.greenF() * (1 - share) + b.greenF() * share,
        a.blueF() * (1 - share) + b.blueF() * share,
    )
    return mixed.name()
