"""TextParts: a reply's chunks kept compactly, the text whole on demand."""

from __future__ import annotations

import tracemalloc

from zlay_desktop.core.text_parts import BATCH, TextParts


def test_text_is_every_piece_in_order_across_batches() -> None:
    parts = TextParts()
    pieces = [f"w{i} " for i in range(BATCH * 3 + 7)]
    for piece in pieces:
        parts.append(piece)
    assert parts.text() == "".join(pieces)
    parts.append("end")
    assert parts.text() == "".join(pieces) + "end"
    assert parts.text() == "".join(pieces) + "end"  # asking again gives the same text


def test_starts_from_given_text() -> None:
    parts = TextParts("Hello")
    parts.append(", world")
    assert parts.text() == "Hello, world"


def test_truth_says_whether_anything_was_appended() -> None:
    parts = TextParts()
    assert not parts
    assert parts.text() == ""
    parts.append("")
    assert parts  # as a list of the pieces would be: an empty piece still arrived
    assert TextParts("x")


def test_a_long_reply_kept_costs_little_more_than_its_characters() -> None:
    # 200,000 word-sized chunks (a million characters): as a list of them, ~12 MB.
    tracemalloc.start()
    try:
        parts = TextParts()
        for i in range(200_000):
            parts.append(f"{i % 10}abcd")
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept < 1_500_000
    assert len(parts.text()) == 1_000_000
