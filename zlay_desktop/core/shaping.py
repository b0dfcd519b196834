"""Which text needs a shaping engine to be drawn right.

Qt runs every piece of text through HarfBuzz unless its font asks for no shaping
(``QFont.PreferNoShaping``), and Qt 6.11-6.12 keeps ~40 bytes per character of what that
used for as long as the text stays laid out: measured, 2,000 standalone layouts of 1,000
characters held 89 MB shaped and 6.7 MB not; in the transcript a million characters of
Markdown held ~75 MB more shaped than not. Text in the Latin, Greek, Cyrillic and CJK
scripts, digits, punctuation, symbols and single-code-point emoji is drawn with the same
glyphs without shaping, but for kerning pairs and ligatures such as "ffi". The rest needs
shaping to be right at all: the scripts whose letters join or reorder (Arabic, the Indic
scripts, Thai, Tibetan, Hangul jamo…), combining marks, and emoji sequences (families
joined by ZWJ, flags, skin tones, variation selectors, keycaps). ``needs_shaping`` says
whether a text holds any of those; the transcript shapes the paragraphs that do.
"""

from __future__ import annotations

import re

__all__ = ["needs_shaping"]

_NEEDS_SHAPING = re.compile(
    "["
    "\u0300-\u036f"  # combining diacritical marks
    "\u0483-\u0489"  # Cyrillic combining marks
    # Hebrew, Arabic, Syriac, Thaana, N'Ko, the Indic scripts, Sinhala, Thai, Lao,
    # Tibetan, Myanmar, Hangul jamo, Khmer, Mongolian, Balinese… up to the Vedic marks
    # (some scripts in between, such as Georgian, would do without; they are rare).
    "\u0590-\u1cff"
    "\u1dc0-\u1dff"  # combining marks (supplement)
    "\u200c\u200d"  # zero-width non-joiner and joiner
    "\u20d0-\u20ff"  # combining marks for symbols (the keycap)
    "\u2cef-\u2cf1\u2d7f\u2de0-\u2dff"  # Coptic, Tifinagh and Cyrillic combining marks
    "\u302a-\u302f\u3099\u309a"  # ideographic tone marks, kana voicing marks
    "\ua66f-\ua69f\ua6f0\ua6f1"  # Cyrillic and Bamum combining marks
    "\ua800-\uabff"  # Syloti Nagri … Meetei Mayek (Indic-like scripts, Hangul jamo)
    "\ud7b0-\ud7ff"  # Hangul jamo extended-B
    "\ufb1d-\ufdff"  # Hebrew and Arabic presentation forms
    "\ufe00-\ufe0f"  # variation selectors (text or emoji presentation)
    "\ufe20-\ufe2f"  # combining half marks
    "\ufe70-\ufeff"  # Arabic presentation forms-B
    "\U00010000-\U0001efff"  # historic and minority scripts (shaped, to be safe)
    "\U0001f1e6-\U0001f1ff"  # regional indicators: flags are pairs of them
    "\U0001f3fb-\U0001f3ff"  # skin-tone modifiers
    "\U000e0000-\U000e0fff"  # tags (subdivision flags), variation selectors supplement
    "]"
)


def needs_shaping(text: str) -> bool:
    """True when the text holds anything drawn wrong without a shaping engine."""
    return _NEEDS_SHAPING.search(text) is not None
