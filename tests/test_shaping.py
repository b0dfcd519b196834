"""needs_shaping: which text is drawn wrong without a shaping engine."""

from __future__ import annotations

import pytest

from zlay_desktop.core.shaping import needs_shaping


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا بالعالم",  # Arabic letters join
        "שָׁלוֹם",  # Hebrew points
        "नमस्ते",  # Devanagari conjuncts
        "สวัสดี",  # Thai
        "e\u0301",  # e + combining acute
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # a family joined by ZWJ
        "\U0001f1eb\U0001f1f7",  # a flag: two regional indicators
        "\U0001f44d\U0001f3fd",  # a skin tone
        "\u2764\ufe0f",  # emoji presentation selector
        "1\ufe0f\u20e3",  # keycap
        "\u1100\u1161",  # conjoining Hangul jamo
        "text then ع",  # one character is enough
    ],
)
def test_text_that_needs_shaping(text: str) -> None:
    assert needs_shaping(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain ASCII, digits 0123456789 and punctuation: (a) [b] {c} -> => != <=",
        "Überprüfung: naïve café, Ærøskøbing, Łódź, Vietnamese tiếng Việt",
        "Ελληνικά and Кириллица and Հայերեն",
        "日本語のテキスト, 中文, 한국어",  # precomposed Hangul syllables
        "Single emoji: \U0001f680 \u2705 \U0001f600",
        "Box ─│┌┐ and math ∑ ∫ ≤ ≥ → ⇒ ∞",
    ],
)
def test_text_drawn_right_without_shaping(text: str) -> None:
    assert not needs_shaping(text)
