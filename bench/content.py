"""Deterministic reply text for the benchmarks: Markdown the way models write it."""

from __future__ import annotations

from tests.testserver import split_words

_PHRASE = (
    "the stream arrives chunk by chunk and every piece should be on screen before the next "
    "one comes while the window stays responsive however long the answer grows with tables "
    "lists quotes and code that a careful reader wants to copy"
)
_WORDS = _PHRASE.split(" ")


def _prose(seed: int, words: int) -> str:
    return " ".join(_WORDS[(seed * 7 + i * 3) % len(_WORDS)] for i in range(words))


def _section(n: int) -> str:
    """One section of a long answer: a heading, prose, a list, a table, code, a quote."""
    parts = [
        f"## Part {n}: {_prose(n, 4).capitalize()}\n\n",
        f"{_prose(n, 40).capitalize()}. Use `value_{n}` with **care**, and *check* it.\n\n",
        "".join(f"- {_prose(n + i, 9).capitalize()}.\n" for i in range(4)),
        "\n",
        "".join(f"{i}. Step {i}: {_prose(n * 3 + i, 7)}.\n" for i in range(1, 4)),
        "\n| Name | Value | Notes |\n|---|---|---|\n",
        "".join(f"| item_{n}_{i} | {n * 10 + i} | {_prose(n + i, 5)} |\n" for i in range(3)),
        "\n```python\n",
        f"def part_{n}(values: list[int]) -> int:\n",
        '    """Sum the values, skipping negatives."""\n',
        "    total = 0\n",
        "    for value in values:\n",
        "        if value >= 0:\n",
        f"            total += value * {n % 9 + 1}\n",
        "    return total\n",
        "```\n\n",
        f"> **Note:** {_prose(n * 5, 14)}.\n\n",
    ]
    return "".join(parts)


def markdown_text(chars: int) -> str:
    """About ``chars`` characters of Markdown (cut at a line end, never inside a line)."""
    out: list[str] = []
    size = 0
    n = 1
    while size < chars:
        section = _section(n)
        out.append(section)
        size += len(section)
        n += 1
    text = "".join(out)
    if len(text) > chars:
        cut = text.rfind("\n", 0, chars)
        text = text[: cut + 1] if cut > 0 else text[:chars]
    return text


def markdown_chunks(chars: int) -> list[str]:
    """The Markdown of ``markdown_text`` split the way tokens stream (about 5 chars each)."""
    return split_words(markdown_text(chars))


def markdown_chunk_count(count: int) -> list[str]:
    """Exactly ``count`` chunks of the same Markdown (the text is as long as it takes)."""
    chars = count * 6
    while True:
        chunks = markdown_chunks(chars)
        if len(chunks) >= count:
            return chunks[:count]
        chars = chars * 3 // 2
