"""Math in Markdown: delimiters, prices, failures as code, streaming, cache, hostile input."""

from __future__ import annotations

import re
import time

import pytest

from zlay_desktop.core import math_render
from zlay_desktop.core.markdown_render import (
    DARK_THEME,
    LIGHT_THEME,
    StreamingMarkdown,
    Theme,
    render_markdown,
)
from zlay_desktop.core.math_render import (
    MAX_TEX_CHARS,
    TIME_LIMIT_S,
    cache_info,
    clear_cache,
    math_key,
    render_key,
    render_math,
    resolve_key,
)

IMG = re.compile(r'<img src="image://math/([0-9a-f]+)" width="(\d+)" height="(\d+)"([^>]*)>')


def render(text: str, theme: Theme = LIGHT_THEME) -> str:
    return render_markdown(text, message_key=1, theme=theme)


def images(html: str) -> list[tuple[str, int, int, str]]:
    return [(key, int(w), int(h), rest) for key, w, h, rest in IMG.findall(html)]


@pytest.fixture(autouse=True)
def warm() -> None:
    # The first formula imports ziamath and loads its font: not part of any timing here.
    math_render.warm_up()


def test_inline_dollar_math_is_an_image_in_the_line() -> None:
    html = render("Area $\\pi r^2$ of a disc.")
    assert html.startswith("<p>Area <img ")
    [(key, width, height, rest)] = images(html)
    assert rest == ' style="vertical-align: middle"'
    assert width > 10 and height > 10
    spec = resolve_key(key)
    assert spec is not None and spec.tex == "\\pi r^2" and not spec.display
    assert spec.color == LIGHT_THEME.math_color


def test_inline_paren_math_is_an_image_too() -> None:
    html = render("Let \\(\\alpha + \\beta\\) be.")
    [(key, _, _, _)] = images(html)
    assert resolve_key(key) is not None
    assert "\\(" not in html


def test_display_math_both_styles_is_a_centered_paragraph() -> None:
    for source in ("$$\n\\int_0^1 x\\,dx\n$$", "\\[\n\\int_0^1 x\\,dx\n\\]", "$$\\int_0^1 x\\,dx$$"):
        html = render(source)
        assert html.startswith('<p align="center"><img src="image://math/'), source
        [(key, _, _, rest)] = images(html)
        assert rest == ""
        spec = resolve_key(key)
        assert spec is not None and spec.display and "\\int_0^1" in spec.tex


def test_display_math_right_after_a_line_of_text_interrupts_the_paragraph() -> None:
    html = render("The sum:\n$$\nx+y\n$$\nafter")
    assert html.startswith("<p>The sum:</p><p align=\"center\"><img ")
    assert html.endswith("<p>after</p>")


def test_prices_and_lone_dollars_are_not_math() -> None:
    for text in (
        "It costs $5 and $10.",
        "Between $5-$10 a month",
        "I have $ 20 and you $ 30",
        "Pay $3.50, or $4 with tax",
        "Escaped \\$x\\$ stays",
        "`$x$` in code",
    ):
        assert "<img" not in render(text), text
    assert "$5 and $10" in render("It costs $5 and $10.")


def test_a_formula_that_fails_shows_as_code_with_its_source() -> None:
    inline = render("Broken $\\frac{$ here")
    assert "<img" not in inline
    assert '<code style="background-color:#eceff2">$\\frac{$</code>' in inline
    block = render("$$\n\\frac{a}{\n$$")
    assert block.startswith("<pre ") and "$$\n\\frac{a}{\n$$" in block
    paren = render("x \\(\\frac{\\) y")
    assert "<code" in paren and "\\(\\frac{\\)" in paren


def test_the_colour_follows_the_theme_and_is_part_of_the_key() -> None:
    [(light, *_)] = images(render("$x$"))
    [(dark, *_)] = images(render("$x$", DARK_THEME))
    assert light != dark
    light_image, dark_image = render_key(light), render_key(dark)
    assert light_image is not None and dark_image is not None
    assert LIGHT_THEME.math_color.encode() in light_image.svg
    assert DARK_THEME.math_color.encode() in dark_image.svg


def test_render_math_gives_svg_with_size_and_baseline() -> None:
    image = render_math("x_i^2", display=False, color="#000000", size_px=16)
    assert image is not None
    assert image.svg.startswith(b"<svg") and b"xlink" in image.svg  # SVG 1.1 for QtSvg
    assert 10 < image.width < 40 and 10 < image.height < 40
    assert 0 < image.baseline < image.height


def test_keys_are_stable_and_resolve_back() -> None:
    key = math_key("a+b", display=True, color="#123456", size_px=16)
    assert key == math_key("a+b", display=True, color="#123456", size_px=16.0)
    assert key != math_key("a+b", display=False, color="#123456", size_px=16)
    assert re.fullmatch(r"[0-9a-f]{20}", key)
    spec = resolve_key(key)
    assert spec is not None and (spec.tex, spec.display, spec.color) == ("a+b", True, "#123456")
    assert resolve_key("0" * 20) is None and render_key("nope") is None


def test_the_cache_answers_a_formula_seen_before() -> None:
    clear_cache()
    first = render_math("\\sqrt{2}", display=False, color="#000000", size_px=16)
    again = render_math("\\sqrt{2}", display=False, color="#000000", size_px=16)
    assert first is again
    failed = render_math("\\frac{", display=False, color="#000000", size_px=16)
    assert failed is None and render_math("\\frac{", display=False, color="#000000", size_px=16) is None
    assert cache_info()["hits"] == 2 and cache_info()["misses"] == 2


def test_hostile_formulas_end_quickly_as_code() -> None:
    hostile = {
        "long": "x+" * (MAX_TEX_CHARS // 2 + 10),
        "just under the length limit": "x+" * (MAX_TEX_CHARS // 2 - 10),
        "nested braces": "{" * 500 + "x" + "}" * 500,
        "nested fractions": "\\frac{" * 11 + "x" + "}{y}" * 11,
        "nested delimiters": "\\left(" * 11 + "x" + "\\right)" * 11,
    }
    for name, tex in hostile.items():
        started = time.perf_counter()
        html = render(f"Look: ${tex}$ end")
        elapsed = time.perf_counter() - started
        assert elapsed < TIME_LIMIT_S + 0.3, (name, elapsed)
        assert "<img" not in html and "<code" in html, name


def test_hostile_delimiters_parse_in_linear_time() -> None:
    # Twice the text takes about twice as long (four times if the parse were quadratic);
    # a ratio, not a time: the machine's speed does not matter, each size is best of two.
    def seconds(text: str) -> float:
        times = []
        for _ in range(2):
            started = time.perf_counter()
            render(text)
            times.append(time.perf_counter() - started)
        return min(times)

    for unit, count in (("\\(", 10_000), ("$a ", 10_000), ("\\[x\n", 4_000), ("$$a\n", 4_000)):
        ratio = seconds(unit * count * 2) / seconds(unit * count)
        assert ratio < 3.0, (unit, ratio)


def stream(text: str, pieces: list[str] | None = None) -> list[str]:
    """The tail HTML after each piece, and finally the whole committed HTML."""
    markdown = StreamingMarkdown(message_key=1, theme=LIGHT_THEME)
    shown: list[str] = []
    committed = ""
    for piece in pieces or list(text):
        markdown.feed(piece)
        update = markdown.update()
        committed += update.committed_html
        if update.tail_html is not None:
            shown.append(committed + update.tail_html)
    final = markdown.finish()
    shown.append(committed + final.committed_html)
    return shown


def test_streaming_shows_an_open_display_formula_as_source_until_it_closes() -> None:
    for text in ("Intro\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nAfter.", "Intro\n\n\\[\n\\sum_i i\n\\]\n\nAfter."):
        shown = stream(text)
        closes = text.index("\n", text.index("x\n" if "$$" in text else "i\n") + 2)
        for state in shown:
            # Never a broken image: either no image yet, or a complete one.
            for key, *_ in images(state):
                assert render_key(key) is not None
        first_image = next(i for i, state in enumerate(shown) if "<img" in state)
        assert first_image >= closes - 2, (first_image, closes)
        before = shown[first_image - 1]
        assert "\\int" in before or "\\sum" in before
        assert shown[-1] == render(text)


def test_streaming_inline_formula_is_source_then_image() -> None:
    text = "Energy is $E = mc^2$ and \\(a^2\\) too."
    shown = stream(text)
    assert "$E = mc" in shown[len("Energy is $E = mc")]
    assert "<img" not in shown[len("Energy is $E = mc^2") - 1]
    assert shown[-1] == render(text)
    assert len(images(shown[-1])) == 2


def test_streaming_in_big_chunks_gives_the_one_shot_html() -> None:
    text = "A $x$ b\n\n$$\ny\n$$\n\nC \\(z\\) d\n\n\\[\nw\n\\]\n"
    for size in (1, 3, 7, 50):
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        assert stream(text, pieces)[-1] == render(text)
