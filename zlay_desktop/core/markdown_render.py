"""Markdown to the HTML subset Qt's rich text engine understands, whole or incrementally.

Model output is untrusted: raw HTML is shown as text (``html=False``), images become plain
links (nothing is ever fetched), and markdown-it's link validation drops ``javascript:``,
``vbscript:``, ``file:`` and ``data:`` targets, and links in the app's own ``zlay:`` scheme (a
message must not carry working Copy / Regenerate / Retry links of its own): those stay text.
The view still decides what a click may open.

Qt lays out a paragraph holding a very long run of characters with no break opportunity
(base64, a hostile 1 MB "word") in time that grows with the square of the run: 0.9 s for
100,000 characters, 15 s for 400,000. Text shown here gets a break point (``WRAP_POINT``)
after every ``MAX_UNBROKEN`` characters of such a run (see :func:`break_long_runs`); code
blocks are not wrapped and need none. The Copy actions copy the source, without them; a
selection copied leaves them out (and keeps the zero-width spaces the text itself has).

Streaming (:class:`StreamingMarkdown`) keeps the cost of one update independent of how long
the reply already is:

* Complete top-level blocks are rendered once ("committed") and never again. A block is
  complete when another top-level block follows it, or when it can no longer grow: a
  heading, a rule, a closed fence, or a paragraph / table / block quote followed by a blank
  line. Decisions only look at complete lines, since a half-received line (``#``, ``-``,
  ``|``) can still turn into something else.
* The rest, the live tail, is re-rendered on each update. It is usually one block.
* A top-level fenced code block that is still open is not re-rendered at all: its lines are
  handed out as plain text to append, and the block is highlighted once, when its closing
  fence arrives (or the reply ends).
* A single block that keeps growing past ``tail_limit`` characters without ending (a long
  list, table, quote or paragraph) is committed at an inner boundary: before its last list
  item, quote child or table row (the table header is repeated on the continuation), or
  before its last line. The rendering then shows two adjacent blocks where a one-shot render
  shows one; that small difference is the price of a flat per-update cost.
* A paragraph that is one very long line is split at a space, but only where rendering the
  two parts gives exactly the HTML of the whole (no emphasis, link or code span crosses the
  cut), the first part has no unmatched ``*``, ``_``, `````, ``~`` or ``[`` that text still
  to come could close, and the second part starts with a letter (so it cannot start a new
  kind of block). A line with no usable space is cut the same way inside a run of letters
  and digits longer than ``MAX_UNBROKEN`` (base64, a hostile 1 MB "word"), which the view
  wraps anywhere in any case.
  The two parts are shown as paragraphs without a gap between them.
* Tables in the live tail are shown as their source text and become a table once complete
  (see ``_tables_as_text``).

Known limits: a fence nested in a list item or quote is part of that block, so a very long
one makes the tail grow; link reference definitions only apply to links after them.
"""

from __future__ import annotations

import html
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

# markdown-it and Pygments are imported on first use (~50-80 ms together): the app's
# window, which imports this module for its views, paints before either is needed.
if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token
    from markdown_it.utils import OptionsDict
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

__all__ = [
    "DARK_THEME",
    "DEFAULT_TAIL_LIMIT",
    "LIGHT_THEME",
    "MAX_UNBROKEN",
    "WRAP_POINT",
    "Block",
    "MarkdownUpdate",
    "OpenCodeBlock",
    "StreamingMarkdown",
    "Theme",
    "break_long_runs",
    "code_block_header_html",
    "code_blocks",
    "render_blocks",
    "render_markdown",
    "theme_for",
    "zlay_url",
]

DEFAULT_TAIL_LIMIT = 4096
"""Characters of live tail after which a still-growing block is committed at an inner boundary."""

_LIVE_LINE_KEEP = 256  # a long line split at a space keeps at least this much live
_APP_SCHEME = "zlay"
MAX_UNBROKEN = 1000
# markdown-it's guard against deep recursion (the commonmark preset's 20 cuts a ten-level list);
# each list level counts two. Past _DEEPEST the rest of a container is shown as plain text,
# where markdown-it would drop it without a trace.
_MAX_NESTING = 120
_DEEPEST = _MAX_NESTING - 4
"""Longest run shown without a break opportunity.
WORKAROUND (Qt 6.9-6.12): Qt's line breaking is quadratic in the length of such a run."""
# Characters Qt does not break a line at (everything but spaces, tabs, line ends and
# zero-width spaces; a no-break space does not count as a break either).
_LONG_RUN = re.compile(rf"[^ \t\n\r\u200b]{{{MAX_UNBROKEN}}}(?=[^ \t\n\r\u200b])")
WRAP_POINT = "\u2060\u200b"
"""What goes after every MAX_UNBROKEN characters of such a run: a zero-width space (where Qt
may break the line) after a word joiner (invisible too), which tells it from a zero-width
space of the text itself: copying a selection drops this pair, and only it."""
# Characters left as text that a later closer could still turn into markup (an emphasis,
# a code span, a link); an underscore inside a word cannot.
_PENDING_MARKUP = re.compile(r"[*`~\[$]|\\\(|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_CODE_SPAN_OR_TAG = re.compile(r"<code[^>]*>.*?</code>|<[^>]+>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours for rendered Markdown; ``pygments_style`` matches ``code_background``."""

    dark: bool
    pygments_style: str
    code_background: str
    code_foreground: str
    inline_code_background: str
    muted: str
    border: str
    error: str
    link: str
    # Typeset math: its colour is part of the image (and of its key), so it follows the theme.
    math_color: str = "#1f2328"
    math_size_px: float = 16.0


LIGHT_THEME = Theme(
    dark=False,
    pygments_style="default",
    code_background="#f6f8fa",
    code_foreground="#1f2328",
    inline_code_background="#eceff2",
    muted="#656d76",
    border="#afb8c1",
    error="#b3261e",
    link="#0969da",
)
DARK_THEME = Theme(
    dark=True,
    pygments_style="monokai",
    code_background="#272822",
    code_foreground="#f8f8f2",
    inline_code_background="#3a3d41",
    muted="#9da7b3",
    border="#4b535d",
    error="#ff7b72",
    link="#58a6ff",
    math_color="#e6edf3",
)


def theme_for(dark: bool) -> Theme:
    return DARK_THEME if dark else LIGHT_THEME


def break_long_runs(text: str) -> str:
    """``text`` with a break point (``WRAP_POINT``) after every ``MAX_UNBROKEN`` characters of
    a run that has no break opportunity; text without such runs is returned unchanged."""
    if len(text) <= MAX_UNBROKEN:
        return text
    return _LONG_RUN.sub(_add_break, text)


def _add_break(match: re.Match[str]) -> str:
    return match.group() + WRAP_POINT


def zlay_url(action: str, message_key: int, **params: int | str) -> str:
    """An internal action link, e.g. ``zlay:copy-code?message=12&block=0``."""
    query = "&".join(
        [f"message={message_key}"]
        + [f"{name}={quote(str(value), safe='')}" for name, value in params.items()]
    )
    return f"zlay:{action}?{query}"


def code_block_header_html(language: str, message_key: int, index: int, theme: Theme) -> str:
    """The small line above a code block: its language and a Copy link."""
    label = html.escape(language) if language else "code"
    href = html.escape(zlay_url("copy-code", message_key, block=index))
    return (
        f'<p style="margin-top:6px; margin-bottom:0px; font-size:small; color:{theme.muted}">'
        f'{label} · <a href="{href}">Copy</a></p>\n'
    )


def code_blocks(text: str) -> list[str]:
    """The contents of the fenced code blocks of ``text``, in order (answers a Copy click)."""
    return [token.content for token in _parser().parse(text) if token.type == "fence"]


def render_markdown(text: str, *, message_key: int, theme: Theme, first_fence: int = 0) -> str:
    """Render a whole Markdown text; fenced blocks are numbered from ``first_fence``."""
    rendered, _ = _render(text, message_key, theme, first_fence, {})
    return rendered


@dataclass(frozen=True, slots=True)
class Block:
    """One rendered top-level Markdown block (a paragraph, a list, a table, a fence…).

    ``html`` is the block as one document shows it (a fence with its header line);
    a fence also gives its highlighted code alone (``code_html``), its language and its
    number among the message's fences, for a view that draws its own header."""

    html: str
    kind: str = "text"  # "text", "code" (a fence), "table"
    language: str = ""
    fence: int = -1
    code_html: str = ""


def render_blocks(text: str, *, message_key: int, theme: Theme) -> list[Block]:
    """Render a whole Markdown text as its top-level blocks, in order.

    A paragraph far longer than a streaming tail (a 1 MB line, say) comes as several
    blocks, shown without gaps (see ``_cut_paragraph``): one block that size is one huge
    layout to whoever shows it (~45 s for an unbroken 1 MB line in Qt)."""
    blocks, _ = _render_blocks(text, message_key, theme, 0, {})
    return blocks


LONG_PARAGRAPH_HTML = 4 * DEFAULT_TAIL_LIMIT
"""A paragraph whose HTML is longer than this is cut (render_blocks); streaming never
makes one that long."""

_PIECE_CHARS = DEFAULT_TAIL_LIMIT  # of text in each piece of a paragraph cut


# --- rendering -----------------------------------------------------------------------------


@dataclass(slots=True)
class _RenderContext:
    message_key: int
    theme: Theme
    next_fence: int
    break_runs: bool = True


_CONTEXT = "zlay_render_context"

# WORKAROUND (Qt 6.9-6.12): Qt's HTML import turns a newline between block tags into a
# trailing space of the previous block.
# (Code inside <pre> never holds a block tag: it is escaped, or Pygments spans.)
_BLOCK_NEWLINE = re.compile(
    r"\n(?=<(?:p|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr|th|td|hr)[\s>/]"
    r"|</(?:p|h[1-6]|ul|ol|li|blockquote|table|thead|tbody|tr|th|td)>)"
)


def plain_text(markdown: str) -> str:
    """What a reader sees of some Markdown, as one line of text: no markers, link targets
    or fences (a search hit's snippet, shown in the sidebar)."""
    parts: list[str] = []
    for token in _parser().parse(markdown):
        if token.type in ("fence", "code_block"):
            parts.append(token.content.strip())
        elif token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        elif token.type.endswith("_close") and token.block:
            parts.append(" ")
    return " ".join("".join(parts).split())


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    class _MessageMarkdown(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            # markdown-it's own check (javascript:, vbscript:, file:, data: other than
            # images), and never the app's scheme: a message could otherwise show links
            # that act like the app's own (Regenerate, Edit, Copy…). Refused links are
            # shown as their source text.
            scheme = url.strip().lower().partition(":")[0]
            return scheme != _APP_SCHEME and super().validateLink(url)

    md = _MessageMarkdown("commonmark", {"html": False, "maxNesting": _MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.block.ruler.before("table", "too_deep", _too_deep)
    md.add_render_rule("too_deep", _render_too_deep)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("code_inline", _render_code_inline)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("html_block", _render_raw_html_as_text)
    md.add_render_rule("html_inline", _render_raw_html_as_text)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("blockquote_open", _render_blockquote_open)
    md.add_render_rule("table_source", _render_table_source)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    # $…$, $$…$$, \(…\), \[…\] as typeset images (see markdown_math).
    from zlay_desktop.core.markdown_math import add_math

    add_math(
        md,
        style=_math_style,
        inline_fallback=_math_source_inline,
        block_fallback=_math_source_block,
    )
    return md


def _math_style(env: MutableMapping[str, Any]) -> tuple[str, float]:
    theme = _context(env).theme
    return theme.math_color, theme.math_size_px


def _math_source_inline(source: str, env: MutableMapping[str, Any]) -> str:
    background = _context(env).theme.inline_code_background
    return f'<code style="background-color:{background}">{_shown(source, env)}</code>'


def _math_source_block(source: str, env: MutableMapping[str, Any]) -> str:
    return _pre_html(html.escape(source), _context(env).theme)


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.level < _DEEPEST:
        return False
    if not silent:
        token = state.push("too_deep", "p", 0)
        token.content = state.getLines(start, end, state.blkIndent, False)
        token.map = [start, end]
        token.block = True
        state.line = end
    return True


def _render_too_deep(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    content = tokens[idx].content.removesuffix("\n")
    return f'<p style="white-space:pre-wrap">{_shown(content, env)}</p>\n'


def _render(
    text: str,
    message_key: int,
    theme: Theme,
    first_fence: int,
    references: dict[str, Any],
    *,
    tables_as_text: bool = False,
    break_runs: bool = True,
) -> tuple[str, int]:
    """Render ``text``; returns the HTML and how many fenced blocks it held.

    ``references`` (link reference definitions) is read and extended in place.
    ``tables_as_text`` shows tables as their source lines (see ``_tables_as_text``).
    ``break_runs`` adds break opportunities to long unbroken runs (see ``break_long_runs``).
    """
    if not text:
        return "", 0
    md = _parser()
    context = _RenderContext(message_key, theme, first_fence, break_runs)
    env: dict[str, Any] = {"references": references, _CONTEXT: context}
    tokens = md.parse(text, env)
    if tables_as_text:
        tokens = _tables_as_text(tokens, text)
    rendered = _BLOCK_NEWLINE.sub("", md.renderer.render(tokens, md.options, env)).rstrip("\n")
    return rendered, context.next_fence - first_fence


def _render_blocks(
    text: str,
    message_key: int,
    theme: Theme,
    first_fence: int,
    references: dict[str, Any],
) -> tuple[list[Block], int]:
    """Like ``_render``, one ``Block`` per top-level block (their HTML joined is ``_render``'s)."""
    if not text:
        return [], 0
    md = _parser()
    context = _RenderContext(message_key, theme, first_fence)
    env: dict[str, Any] = {"references": references, _CONTEXT: context}
    tokens = md.parse(text, env)
    blocks: list[Block] = []
    start = 0
    depth = 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth:
            continue
        group = tokens[start : index + 1]
        start = index + 1
        first = group[0]
        if first.type == "fence":
            # What _render_fence gives, with the code highlighted once (Pygments is the
            # dearest part of a block), for the block and for its card.
            info = _unescaped(first.info).strip()
            language = info.split(maxsplit=1)[0] if info else ""
            fence = context.next_fence
            context.next_fence += 1
            code_html = _highlighted_code_html(first.content, language, theme)
            header = code_block_header_html(language, message_key, fence, theme)
            rendered = _BLOCK_NEWLINE.sub("", header + code_html).rstrip("\n")
            blocks.append(Block(rendered, "code", language, fence, code_html.rstrip("\n")))
            continue
        rendered = _BLOCK_NEWLINE.sub("", md.renderer.render(group, md.options, env)).rstrip("\n")
        if first.type == "paragraph_open" and len(rendered) > LONG_PARAGRAPH_HTML:
            blocks.extend(_cut_paragraph(group[1], md, env))
        elif rendered:
            blocks.append(Block(rendered, "table" if first.type == "table_open" else "text"))
    return blocks, context.next_fence - first_fence


def _cut_paragraph(inline: Token, md: MarkdownIt, env: MutableMapping[str, Any]) -> list[Block]:
    """A paragraph too long for one block, as paragraphs of about _PIECE_CHARS characters
    of text each, shown without gaps between them (as streaming cuts a long line). Cut
    between its inline tokens outside any markup (a link, an emphasis), or inside a long
    text: the same tokens as the whole paragraph's, so it reads the same."""
    pieces: list[list[Token]] = [[]]
    size = depth = 0
    for child in inline.children or []:
        parts = [child]
        if depth == 0 and child.type == "text" and len(child.content) > _PIECE_CHARS:
            content = child.content
            parts = [
                child.copy(content=content[at : at + _PIECE_CHARS])
                for at in range(0, len(content), _PIECE_CHARS)
            ]
        for part in parts:
            pieces[-1].append(part)
            depth += part.nesting
            size += len(part.content)
            if depth == 0 and size >= _PIECE_CHARS:
                pieces.append([])
                size = 0
    pieces = [piece for piece in pieces if piece]
    renderer = cast("RendererHTML", md.renderer)  # (the parser's: the HTML renderer)
    blocks = []
    for number, piece in enumerate(pieces):
        margins = []
        if number > 0:
            margins.append("margin-top:0px")
        if number < len(pieces) - 1:
            margins.append("margin-bottom:0px")
        inner = renderer.renderInline(piece, md.options, env).strip("\n")
        blocks.append(Block(f'<p style="{"; ".join(margins)}">{inner}</p>'))
    return blocks


def _tables_as_text(tokens: list[Token], text: str) -> list[Token]:
    """Replace each table by its source lines, shown as monospace text.

    For the live tail: every QTextTable inserted into or removed from a document makes Qt
    rescan all of the document's text fragments for frames, a cost that grows with the
    reply. A table still arriving is therefore shown as text, and becomes a table once,
    when it is complete.
    """
    from markdown_it.token import Token

    lines: list[str] | None = None
    result: list[Token] = []
    depth = 0
    for token in tokens:
        if depth:
            depth += token.nesting if token.type in ("table_open", "table_close") else 0
            continue
        if token.type == "table_open" and token.map is not None:
            if lines is None:
                lines = text.split("\n")
            start, end = token.map
            raw = Token("table_source", "pre", 0, content="\n".join(lines[start:end]))
            raw.block = True
            result.append(raw)
            depth = 1
            continue
        result.append(token)
    return result


def _context(env: MutableMapping[str, Any]) -> _RenderContext:
    context = env[_CONTEXT]
    assert isinstance(context, _RenderContext)
    return context


@cache
def _formatter(style: str) -> HtmlFormatter[str]:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(noclasses=True, nowrap=True, style=style)


@cache
def _lexer(language: str) -> Lexer | None:
    if not language:
        return None
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _pre_html(inner_html: str, theme: Theme) -> str:
    return (
        f'<pre style="background-color:{theme.code_background}; color:{theme.code_foreground};'
        f' margin-top:2px; margin-bottom:8px">{inner_html}</pre>\n'
    )


def _highlighted_code_html(code: str, language: str, theme: Theme) -> str:
    code = code.removesuffix("\n")
    lexer = _lexer(language.lower())
    if lexer is None:
        return _pre_html(html.escape(code), theme)
    from pygments import highlight

    highlighted = highlight(code, lexer, _formatter(theme.pygments_style))
    return _pre_html(highlighted.removesuffix("\n"), theme)


def _unescaped(info: str) -> str:
    from markdown_it.common.utils import unescapeAll

    return unescapeAll(info)


def _render_fence(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    context = _context(env)
    index = context.next_fence
    context.next_fence += 1
    info = _unescaped(token.info).strip()
    language = info.split(maxsplit=1)[0] if info else ""
    return code_block_header_html(
        language, context.message_key, index, context.theme
    ) + _highlighted_code_html(token.content, language, context.theme)


def _render_code_block(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    # Indented code: no language, no Copy link (only fences are numbered).
    return _pre_html(html.escape(tokens[idx].content.removesuffix("\n")), _context(env).theme)


def _shown(text: str, env: MutableMapping[str, Any]) -> str:
    """Text that is wrapped in the view: escaped, long unbroken runs given break points."""
    return html.escape(break_long_runs(text) if _context(env).break_runs else text)


def _render_text(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    return _shown(tokens[idx].content, env)


def _render_code_inline(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    background = _context(env).theme.inline_code_background
    return f'<code style="background-color:{background}">{_shown(tokens[idx].content, env)}</code>'


def _render_image(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    # Never an <img>: an image would be fetched (a tracking pixel, a local file). A link
    # with the alt text lets the user decide.
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    source = token.attrGet("src")
    if not isinstance(source, str) or not source:
        return _shown(alt, env)
    return f'<a href="{html.escape(source)}">{_shown(alt, env)}</a>'


def _render_raw_html_as_text(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    # Unreachable with html=False; kept so that a config change cannot let markup through.
    return html.escape(tokens[idx].content)


def _render_table_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    border = _context(env).theme.border
    return (
        '<table border="1" cellspacing="0" cellpadding="4"'
        f' style="border-collapse:collapse; border-color:{border};'
        ' margin-top:4px; margin-bottom:8px">\n'
    )


def _render_table_source(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    return (
        f'<pre style="margin-top:4px; margin-bottom:8px">{html.escape(tokens[idx].content)}</pre>\n'
    )


def _render_blockquote_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    # Qt draws no bar beside a quote: a muted colour sets it apart from the answer.
    return f'<blockquote style="color:{_context(env).theme.muted}">\n'


def _render_cell_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    # Qt honours the align attribute, not the text-align style markdown-it writes.
    token = tokens[idx]
    tag = "th" if token.type == "th_open" else "td"
    # A header row on a tint of its own.
    tint = f' bgcolor="{_context(env).theme.inline_code_background}"' if tag == "th" else ""
    style = token.attrGet("style")
    if isinstance(style, str) and style.startswith("text-align:"):
        align = style.removeprefix("text-align:")
        if align in ("left", "center", "right"):
            return f'<{tag}{tint} align="{align}">'
    return f"<{tag}{tint}>"


# --- streaming -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenCodeBlock:
    """The live tail became a fenced code block still waiting for its closing fence."""

    language: str
    header_html: str  # language + Copy link, to show above the code
    index: int  # its number among the message's fences


@dataclass(frozen=True, slots=True)
class MarkdownUpdate:
    """What changed since the previous update, for the view to apply in this order:

    1. if ``replaces_tail``: remove the current live tail, append ``committed`` (blocks
       that are final, one item per top-level block), then show either ``open_code`` (its
       header and an empty plain code block) or ``tail_html``;
    2. append ``code_text`` as plain text to the open code block, if any.
    """

    committed: tuple[Block, ...] = ()
    tail_html: str | None = None
    open_code: OpenCodeBlock | None = None
    code_text: str = ""

    @property
    def committed_html(self) -> str:
        """The committed blocks as one piece of HTML."""
        return "".join(block.html for block in self.committed)

    @property
    def replaces_tail(self) -> bool:
        return bool(self.committed) or self.tail_html is not None or self.open_code is not None

    def then(self, later: MarkdownUpdate) -> MarkdownUpdate:
        """This update and a later one as one (the view applies them at once: the live
        tail is laid out once, not once per update)."""
        if not later.replaces_tail:
            return replace(self, code_text=self.code_text + later.code_text)
        return replace(later, committed=self.committed + later.committed)


@dataclass(slots=True)
class _OpenFence:
    marker: str  # "`" or "~"
    length: int  # how many markers opened it
    parts: list[str] = field(default_factory=list)  # source from the opening line on
    partial: str = ""  # the line being received


def _closes_fence(line: str, marker: str, length: int) -> bool:
    """Whether ``line`` closes a top-level fence (the same test markdown-it makes)."""
    columns = 0
    start = 0
    for char in line:
        if char == " ":
            columns += 1
        elif char == "\t":
            columns += 4 - columns % 4
        else:
            break
        start += 1
    if columns >= 4:
        return False
    end = start
    while end < len(line) and line[end] == marker:
        end += 1
    return end - start >= length and not line[end:].strip(" \t")


def _line_offsets(text: str) -> list[int]:
    """Offset of the start of each line of ``text`` (plus one past the last newline)."""
    offsets = [0]
    position = text.find("\n")
    while position >= 0:
        offsets.append(position + 1)
        position = text.find("\n", position + 1)
    return offsets


class StreamingMarkdown:
    """Incremental rendering of one message's Markdown as it arrives (see the module doc).

    ``feed`` is cheap (it only stores the text); ``update`` does the work and says what changed.
    ``last_rendered_chars`` is how much Markdown source the last update parsed and rendered:
    it stays bounded however long the message grows.
    """

    def __init__(
        self, *, message_key: int, theme: Theme, tail_limit: int = DEFAULT_TAIL_LIMIT
    ) -> None:
        self._key = message_key
        self._theme = theme
        self._tail_limit = tail_limit
        self._pending: list[str] = []
        self._held_cr = False
        self._source = ""  # the live tail's source (when no fence is open)
        self._fence: _OpenFence | None = None
        self._fences_committed = 0
        self._references: dict[str, Any] = {}
        self._continued_paragraph = False  # the tail goes on with a paragraph split at a space
        self._split_retry_at = 0  # tail length before which no new split of a long line is tried
        self.last_rendered_chars = 0

    @property
    def in_code_block(self) -> bool:
        return self._fence is not None

    def open_code_text(self) -> str:
        """The code of the open fence so far (without its opening line)."""
        fence = self._fence
        if fence is None:
            return ""
        return "".join(fence.parts[1:]) + fence.partial

    def feed(self, text: str) -> None:
        self._pending.append(text)

    @property
    def pending_chars(self) -> int:
        """Characters fed and not rendered yet."""
        return sum(map(len, self._pending))

    def update(self, limit: int | None = None) -> MarkdownUpdate:
        """Renders what was fed since the last update, or its first `limit` characters
        (`pending_chars` says what is left): one huge delta is then rendered a slice at a
        time instead of all at once."""
        new = self._take_pending(final=False, limit=limit)
        if not new:
            return MarkdownUpdate()
        self.last_rendered_chars = 0
        committed: list[Block] = []
        if self._fence is not None:
            rest = self._advance_fence(new, committed)
            if rest is None:
                return MarkdownUpdate(code_text=new)
            self._source = rest
        else:
            self._source += new
        opened = self._advance(committed)
        if opened is not None:
            code, fence = opened
            return MarkdownUpdate(committed=tuple(committed), open_code=fence, code_text=code)
        self._split_long_line(committed)
        return MarkdownUpdate(committed=tuple(committed), tail_html=self._render_tail())

    def finish(self) -> MarkdownUpdate:
        """The text is complete: commit everything, closing an open fence where it stands."""
        new = self._take_pending(final=True)
        self.last_rendered_chars = 0
        committed: list[Block] = []
        if self._fence is not None:
            rest = self._advance_fence(new, committed)
            if rest is None:
                fence, self._fence = self._fence, None
                self._commit("".join(fence.parts) + fence.partial, committed)
                rest = ""
            self._source = rest
        else:
            self._source += new
        self._commit(self._source, committed)
        self._source = ""
        return MarkdownUpdate(committed=tuple(committed), tail_html="")

    # -- internals --

    def _take_pending(self, *, final: bool, limit: int | None = None) -> str:
        text = "".join(self._pending)
        self._pending.clear()
        if limit is not None and len(text) > limit:
            text, rest = text[:limit], text[limit:]
            self._pending.append(rest)
        if self._held_cr:
            text = "\r" + text
            self._held_cr = False
        if text.endswith("\r") and not final:
            # Half of a CRLF pair may still be on its way.
            self._held_cr = True
            text = text[:-1]
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")

    def _advance_fence(self, new: str, committed: list[Block]) -> str | None:
        """Feed text to the open fence; returns what follows its closing line, or None."""
        fence = self._fence
        assert fence is not None
        lines = (fence.partial + new).split("\n")
        complete, partial = lines[:-1], lines[-1]
        for number, line in enumerate(complete):
            if _closes_fence(line, fence.marker, fence.length):
                self._fence = None
                closed = "".join(fence.parts) + "\n".join(complete[: number + 1]) + "\n"
                self._commit(closed, committed)
                return "\n".join([*complete[number + 1 :], partial])
        fence.parts.extend(line + "\n" for line in complete)
        fence.partial = partial
        return None

    def _advance(self, committed: list[Block]) -> tuple[str, OpenCodeBlock] | None:
        """Commit the complete blocks of the tail; enter an open top-level fence if one starts.

        Returns the fence's code so far and its description when the tail became one.
        """
        source = self._source
        cut = source.rfind("\n") + 1
        if cut == 0:
            return None
        head = source[:cut]
        tokens = _parser().block.parse(head, _parser(), {}, []) or []
        blocks = [token for token in tokens if token.level == 0 and token.nesting >= 0]
        if not blocks or blocks[-1].map is None:
            return None
        last = blocks[-1]
        start, end = blocks[-1].map
        offsets = _line_offsets(head)
        line_count = len(offsets) - 1
        commit_line, carry = start, ""
        fence_opens = False
        if last.type == "fence":
            last_line = head[offsets[end - 1] : offsets[end]].removesuffix("\n")
            if end - start >= 2 and _closes_fence(last_line, last.markup[0], len(last.markup)):
                commit_line = end
            else:
                fence_opens = True
        elif last.type in ("heading_open", "hr"):
            commit_line = end
        elif last.type in ("paragraph_open", "table_open", "blockquote_open") and end < line_count:
            commit_line = end  # a blank line closed it
        elif len(source) - offsets[start] > self._tail_limit:
            commit_line, carry = self._inner_split(tokens, last, head, offsets)
        if commit_line > 0:
            offset = offsets[commit_line]
            self._commit(source[:offset], committed)
            source = carry + source[offset:]
        self._source = source
        if not fence_opens:
            return None
        opening_end = source.index("\n") + 1
        code = source[opening_end:]
        lines = code.split("\n")
        self._fence = _OpenFence(
            marker=last.markup[0],
            length=len(last.markup),
            parts=[source[:opening_end], *(line + "\n" for line in lines[:-1])],
            partial=lines[-1],
        )
        self._source = ""
        info = _unescaped(last.info).strip()
        language = info.split(maxsplit=1)[0] if info else ""
        index = self._fences_committed
        header = code_block_header_html(language, self._key, index, self._theme)
        return code, OpenCodeBlock(language=language, header_html=header, index=index)

    def _inner_split(
        self, tokens: list[Token], last: Token, head: str, offsets: list[int]
    ) -> tuple[int, str]:
        """Where to cut a still-open block that grew too long: (line, text to carry over)."""
        assert last.map is not None
        start, end = last.map
        inner = tokens[tokens.index(last) + 1 :]
        if last.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            # Before the last list item / the last child of the quote.
            starts = [
                token.map[0]
                for token in inner
                if token.level == 1 and token.nesting >= 0 and token.map is not None
            ]
            later = [line for line in starts if line > start]
            return (later[-1], "") if later else (0, "")
        if last.type == "table_open":
            # Before the last row; the continuation repeats the header so it stays a table.
            rows = [
                token.map[0]
                for token in inner
                if token.type == "tr_open" and token.map is not None and token.map[0] >= start + 2
            ]
            if len(rows) >= 2:
                return rows[-1], head[offsets[start] : offsets[start + 2]]
            return 0, ""
        # A paragraph or indented code: before its last line.
        return (end - 1, "") if end - 1 > start else (0, "")

    def _split_long_line(self, committed: list[Block]) -> None:
        """Commit the start of a paragraph that is one long line (see the module doc)."""
        source = self._source
        if len(source) <= self._tail_limit or len(source) < self._split_retry_at:
            return
        line_start = source.rfind("\n") + 1
        position = source.rfind(" ", line_start, len(source) - _LIVE_LINE_KEEP)
        tries = 0
        while position > line_start and tries < 3:
            if source[position + 1 : position + 2].isalpha():
                tries += 1
                if self._try_line_split(position, committed):
                    return
            position = source.rfind(" ", line_start, position)
        # No usable space: cut between two letters or digits inside a long run, if any.
        end = len(source) - _LIVE_LINE_KEEP
        run_start = source.rfind(" ", line_start, end) + 1 or line_start
        for cut in range(end, max(run_start + MAX_UNBROKEN, end - 64), -1):
            if source[cut - 1 : cut + 1].isalnum():
                if self._try_line_split(cut, committed, separator=""):
                    return
                break
        self._split_retry_at = len(source) + self._tail_limit // 2

    def _try_line_split(self, position: int, committed: list[Block], separator: str = " ") -> bool:
        source = self._source
        left_source, right_source = source[:position], source[position + len(separator) :]

        def render(text: str, break_runs: bool = False) -> str:
            args = (self._key, self._theme, self._fences_committed, dict(self._references))
            return _render(text, *args, break_runs=break_runs)[0]

        # Compared without the break points of long runs: where those fall depends on
        # where a text starts, not on its markup.
        whole, left, right = render(source), render(left_source), render(right_source)
        self.last_rendered_chars += 2 * len(source)
        if not (
            left.startswith("<p>")
            and left.endswith("</p>")
            and right.startswith("<p>")
            and whole == left[: -len("</p>")] + separator + right[len("<p>") :]
            and not _PENDING_MARKUP.search(_CODE_SPAN_OR_TAG.sub("", left))
        ):
            return False
        if len(left_source) > MAX_UNBROKEN:
            left = render(left_source, break_runs=True)
        margins = "margin-bottom:0px"
        if self._continued_paragraph:
            margins = "margin-top:0px; margin-bottom:0px"
        committed.append(Block(f'<p style="{margins}">' + left[len("<p>") :]))
        self._source = right_source
        self._continued_paragraph = True
        self._split_retry_at = 0
        return True

    def _continue_paragraph(self, rendered: str) -> str:
        """No gap above the rest of a paragraph whose start was committed separately."""
        if self._continued_paragraph and rendered.startswith("<p>"):
            return '<p style="margin-top:0px">' + rendered[len("<p>") :]
        return rendered

    def _commit(self, source: str, committed: list[Block]) -> None:
        if not source:
            return
        blocks, fences = _render_blocks(
            source, self._key, self._theme, self._fences_committed, self._references
        )
        if blocks:
            first = blocks[0]
            html_ = self._continue_paragraph(first.html)
            if html_ != first.html:
                blocks[0] = Block(html_, first.kind, first.language, first.fence, first.code_html)
        self._continued_paragraph = False
        self._fences_committed += fences
        self.last_rendered_chars += len(source)
        committed.extend(blocks)

    def _render_tail(self) -> str:
        if not self._source:
            return ""
        self.last_rendered_chars += len(self._source)
        # A copy: definitions in the tail may still change while they arrive.
        rendered, _ = _render(
            self._source,
            self._key,
            self._theme,
            self._fences_committed,
            dict(self._references),
            tables_as_text=True,
        )
        return self._continue_paragraph(rendered)
