"""Math in Markdown: ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]`` as typeset images.

Parsing: mdit-py-plugins' dollarmath rules for dollars (a ``$`` followed by a space, or a
closing ``$`` preceded by one or followed by a digit, is not math, so "$5 and $10" stays
text), and small rules of our own for ``\\(`` / ``\\[`` (texmath's copy the rest of the text
for every opener, quadratic on hostile input). Every closing delimiter is looked for within
``MAX_TEX_CHARS`` of its opener, so the parse stays linear. A formula still open (streaming)
is plain text until it closes: the rules only match complete formulas.

Rendering: ``<img src="image://math/KEY" width=W height=H>`` whose KEY the image provider
resolves through :mod:`zlay_desktop.core.math_render`; a formula that does not typeset shows
as its source, in inline code or a code block.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from zlay_desktop.core.math_render import MAX_TEX_CHARS, math_key, render_math

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.ruler import RuleOptionsType
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from markdown_it.utils import OptionsDict

__all__ = ["add_math", "math_block_html", "math_inline_html"]

_CLOSERS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
# Blocks that a display formula may interrupt ("text\n$$\nx\n$$" is common in answers).
_INTERRUPTS: RuleOptionsType = {"alt": ["paragraph", "reference", "blockquote", "list"]}
_WINDOW = MAX_TEX_CHARS + 8  # how far a closing delimiter is looked for
_DOLLARS_AT_LINE_END = re.compile(r"\$\$[ \t]*(?:\n|$)")
_BRACKET_AT_LINE_END = re.compile(r"(?<!\\)\\\][ \t]*(?:\n|$)")

BlockRule = Callable[["StateBlock", int, int, bool], bool]
Style = Callable[[MutableMapping[str, Any]], tuple[str, float]]  # env -> (colour, size in px)
Fallback = Callable[[str, MutableMapping[str, Any]], str]  # (source, env) -> HTML
RenderRule = Callable[
    ["RendererHTML", Sequence["Token"], int, "OptionsDict", MutableMapping[str, Any]], str
]


def add_math(
    md: MarkdownIt, *, style: Style, inline_fallback: Fallback, block_fallback: Fallback
) -> None:
    """Add the math rules to ``md``. ``style`` gives a render's formula colour and size;
    the fallbacks give the HTML of a formula's source (with its delimiters) when it does
    not typeset: inline code and a code block."""
    from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar

    md.inline.ruler.before(
        "escape",
        "math_inline",
        math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True),
    )
    md.inline.ruler.before("escape", "math_inline_tex", _inline_tex)
    dollar_block = math_block_dollar(allow_labels=False, allow_blank_lines=False)
    md.block.ruler.before("fence", "math_block", _bounded(dollar_block), _INTERRUPTS)
    md.block.ruler.before("fence", "math_block_tex", _block_tex, _INTERRUPTS)
    render_inline, render_block = _render_rules(style, inline_fallback, block_fallback)
    md.add_render_rule("math_inline", render_inline)
    md.add_render_rule("math_inline_double", render_inline)
    md.add_render_rule("math_block", render_block)


def math_inline_html(tex: str, *, display: bool, color: str, size_px: float) -> str | None:
    """``<img>`` for a formula in running text; None when it does not typeset."""
    image = render_math(tex, display=display, color=color, size_px=size_px)
    if image is None:
        return None
    key = math_key(tex, display=display, color=color, size_px=size_px)
    return (
        f'<img src="image://math/{key}" width="{math.ceil(image.width)}"'
        f' height="{math.ceil(image.height)}" style="vertical-align: middle">'
    )


def math_block_html(tex: str, *, color: str, size_px: float) -> str | None:
    """A centered paragraph holding a display formula; None when it does not typeset."""
    image = render_math(tex, display=True, color=color, size_px=size_px)
    if image is None:
        return None
    key = math_key(tex, display=True, color=color, size_px=size_px)
    return (
        f'<p align="center"><img src="image://math/{key}" width="{math.ceil(image.width)}"'
        f' height="{math.ceil(image.height)}"></p>\n'
    )


# --- parsing -------------------------------------------------------------------------------


def _closing_line(state: StateBlock, start: int, end: int, closer: re.Pattern[str]) -> int | None:
    """The line, from ``start`` on, that ends with a closing delimiter found by ``closer``
    within the window (a regex search, so a hostile text of openers stays linear); None when
    there is none before ``end``, a blank line or the end of the container."""
    begin = state.bMarks[start] + state.tShift[start]
    found = closer.search(state.src, begin + 2, min(len(state.src), begin + _WINDOW))
    if found is None:
        return None
    line = start
    while state.eMarks[line] < found.start():
        line += 1
        if line >= end or state.isEmpty(line) or state.sCount[line] < state.blkIndent:
            return None
    return line


def _bounded(rule: BlockRule) -> BlockRule:
    """dollarmath's block rule, made safe as a paragraph terminator and bounded in reach."""

    def bounded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        begin = state.bMarks[start] + state.tShift[start]
        if not state.src.startswith("$$", begin):
            return False
        last = _closing_line(state, start, end, _DOLLARS_AT_LINE_END)
        if last is None:
            return False
        line, count = state.line, len(state.tokens)
        found = rule(state, start, last + 1, False)
        if silent:
            # The rule pushes a token even when only asked whether it would match.
            del state.tokens[count:]
            state.line = line
        return found

    return bounded


def _block_tex(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``\\[`` at the start of a line, ``\\]`` at the end of the same or a later line, no
    blank line between."""
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("\\[", begin):
        return False
    line = _closing_line(state, start, end, _BRACKET_AT_LINE_END)
    if line is None:
        return False
    if silent:
        return True
    first = begin + 2
    close = state.src.rindex("\\]", first, state.eMarks[line])
    content = "\n".join(
        state.src[
            (first if number == start else state.bMarks[number] + state.tShift[number]) : (
                close if number == line else state.eMarks[number]
            )
        ]
        for number in range(start, line + 1)
    )
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = content
    token.markup = "\\["
    token.map = [start, line + 1]
    state.line = line + 1
    return True


def _inline_tex(state: StateInline, silent: bool) -> bool:
    """``\\(…\\)`` inline, ``\\[…\\]`` inside a paragraph as display math."""
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in "([":
        return False
    opener = src[pos : pos + 2]
    closer = _CLOSERS[opener]
    end = src.find(closer, pos + 2, min(state.posMax, pos + 2 + _WINDOW))
    if end < 0 or not src[pos + 2 : end].strip():
        return False  # not (yet) math: the escape rule shows "(" / "["
    if not silent:
        token = state.push("math_inline" if opener == "\\(" else "math_inline_double", "math", 0)
        token.content = src[pos + 2 : end]
        token.markup = opener
    state.pos = end + 2
    return True


# --- rendering -----------------------------------------------------------------------------


def _source(token: Token) -> str:
    markup = token.markup or "$"
    return markup + token.content + _CLOSERS.get(markup, markup)


def _render_rules(
    style: Style, inline_fallback: Fallback, block_fallback: Fallback
) -> tuple[RenderRule, RenderRule]:
    def render_inline(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: MutableMapping[str, Any],
    ) -> str:
        token = tokens[idx]
        color, size_px = style(env)
        display = token.type == "math_inline_double"
        rendered = math_inline_html(token.content, display=display, color=color, size_px=size_px)
        return rendered if rendered is not None else inline_fallback(_source(token), env)

    def render_block(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: MutableMapping[str, Any],
    ) -> str:
        token = tokens[idx]
        color, size_px = style(env)
        rendered = math_block_html(token.content, color=color, size_px=size_px)
        if rendered is not None:
            return rendered
        return block_fallback(_source(token).strip("\n"), env)

    return render_inline, render_block
