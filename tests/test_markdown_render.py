"""Markdown rendering: safe HTML for Qt, code blocks, and the incremental split points."""

from __future__ import annotations

import random
import re

import pytest
from markdown_it import MarkdownIt

from zlay_desktop.core.markdown_render import (
    DARK_THEME,
    LIGHT_THEME,
    LONG_PARAGRAPH_HTML,
    WRAP_POINT,
    MarkdownUpdate,
    StreamingMarkdown,
    _closes_fence,
    code_blocks,
    render_blocks,
    render_markdown,
    theme_for,
    zlay_url,
)


def render(text: str, key: int = 1) -> str:
    return render_markdown(text, message_key=key, theme=LIGHT_THEME)


def visible_words(fragment: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", fragment).split()


SAMPLE = """# Title

Some *text*, **bold**, ~~struck~~, `inline` and a [link](https://example.org).

```python
def f(x):
    return x + 1
```

| Name | Value |
|------|------:|
| a    | 1     |
| b    | 2     |

- one
- two
  - nested

3. three
4. four

> quoted
> text

---

Text with ``` inside and ```inline``` code.

````markdown
```python
nested
```
````

1. Step one:

   ```bash
   npm install
   ```

2. Step two

[ref]: https://example.org/ref

A [ref] link.

  ```
  indented fence
  ```
after

~~~
``` does not close a tilde fence
~~~

Setext
======

    indented code

    more indented code

```
unclosed at the end
"""


# --- safety --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<img src="http://tracker.example/pixel.gif">',
        "<style>body{display:none}</style>",
        '<a href="javascript:alert(1)">click</a>',
        '<iframe src="http://example.org"></iframe>',
    ],
)
def test_raw_html_is_shown_as_text(hostile: str) -> None:
    for text in (hostile, f"before\n\n{hostile}\n\nafter", f"inline {hostile} inline"):
        html = render(text)
        assert "<script" not in html
        assert "<img" not in html
        assert "<style" not in html
        assert "<iframe" not in html
        assert 'href="javascript' not in html
        assert "&lt;" in html  # the markup is there, as text


def test_images_become_links_and_nothing_is_fetched() -> None:
    html = render("![a cat](http://tracker.example/cat.png) and ![](http://x.example/i.png)")
    assert "<img" not in html
    assert '<a href="http://tracker.example/cat.png">a cat</a>' in html
    assert '<a href="http://x.example/i.png">image</a>' in html


def test_dangerous_link_targets_are_not_links() -> None:
    html = render(
        "[a](javascript:alert(1)) [b](vbscript:x) [c](file:///etc/passwd) "
        "[d](data:text/html,<script>alert(1)</script>)"
    )
    assert "<a " not in html
    assert "<script" not in html


def test_attribute_injection_through_a_link_is_escaped() -> None:
    html = render('[x](<https://example.org/" onmouseover="alert(1)>) [y](https://e.org "t\\"x")')
    assert re.findall(r"<a [^>]*>", html) == [
        '<a href="https://example.org/%22%20onmouseover=%22alert(1)">',
        '<a href="https://e.org" title="t&quot;x">',
    ]


def test_fence_info_cannot_inject_markup() -> None:
    html = render('```"><script>alert(1)</script>\ncode\n```\n')
    assert "<script" not in html
    assert "&lt;script&gt;" in html


# --- rendering -----------------------------------------------------------------------------


def test_code_blocks_are_highlighted_with_a_header_and_copy_link() -> None:
    html = render("```python\ndef f():\n    return 1\n```\n\n```\nplain\n```\n", key=42)
    assert 'href="zlay:copy-code?message=42&amp;block=0">Copy</a>' in html
    assert 'href="zlay:copy-code?message=42&amp;block=1">Copy</a>' in html
    assert "python · " in html
    assert "code · " in html  # no language given
    assert html.count("<pre") == 2
    # Pygments inline styles: colours, and the keyword in bold.
    assert re.search(r'<span style="color: #[0-9A-Fa-f]+; font-weight: bold">def</span>', html)


def test_dark_theme_uses_a_dark_code_style() -> None:
    light = render_markdown("```python\nx = 1\n```\n", message_key=0, theme=LIGHT_THEME)
    dark = render_markdown("```python\nx = 1\n```\n", message_key=0, theme=DARK_THEME)
    assert DARK_THEME.code_background in dark
    assert LIGHT_THEME.code_background in light
    assert theme_for(True) is DARK_THEME and theme_for(False) is LIGHT_THEME


def test_unknown_language_is_plain_escaped_code() -> None:
    html = render("```no-such-language\n<b>x</b> & y\n```\n")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html
    assert "no-such-language · " in html


def test_qt_subset_markup() -> None:
    html = render(SAMPLE)
    assert "<h1>Title</h1>" in html
    assert "<s>struck</s>" in html
    assert '<th bgcolor="#eceff2" align="right">Value</th>' in html  # a tinted header
    assert 'style="text-align' not in html  # Qt ignores it; align= is used instead
    assert '<table border="1"' in html
    assert '<ol start="3">' in html
    assert "<blockquote" in html
    assert "<hr" in html
    assert "<code" in html


def test_no_newline_between_block_tags() -> None:
    # Qt would turn it into a trailing space of the block before.
    html = render("# A\n\npara\n\n- x\n- y\n  - z\n")
    assert "\n<" not in html
    assert not html.endswith("\n")


def test_code_blocks_returns_fence_contents_in_order() -> None:
    blocks = code_blocks(SAMPLE)
    assert blocks == [
        "def f(x):\n    return x + 1\n",
        "```python\nnested\n```\n",
        "npm install\n",
        "indented fence\n",
        "``` does not close a tilde fence\n",
        "unclosed at the end\n",
    ]
    # The Copy links are numbered the same way.
    numbers = [int(n) for n in re.findall(r"block=(\d+)", render(SAMPLE))]
    assert numbers == list(range(len(blocks)))


def test_zlay_url_names_the_message_and_quotes_parameters() -> None:
    assert zlay_url("copy", 3) == "zlay:copy?message=3"
    assert zlay_url("copy-code", 7, block=2) == "zlay:copy-code?message=7&block=2"
    assert zlay_url("copy", 1, q="a&b c") == "zlay:copy?message=1&q=a%26b%20c"


# --- closing fences agree with markdown-it -------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "line"),
    [
        ("```", "```"),
        ("```", "````"),
        ("```", "``` "),
        ("```", "   ```"),
        ("```", "    ```"),
        ("```", "\t```"),
        ("```", "``"),
        ("```", "``` x"),
        ("````", "```"),
        ("~~~", "```"),
        ("~~~", "~~~~~"),
        ("```", " ```\t"),
        ("```", "```x"),
    ],
)
def test_closing_fence_test_matches_markdown_it(opening: str, line: str) -> None:
    tokens = MarkdownIt("commonmark").parse(f"{opening}\ncode\n{line}\nafter\n")
    closed_by_markdown_it = "after" not in tokens[0].content
    assert _closes_fence(line, opening[0], len(opening)) is closed_by_markdown_it


# --- streaming -----------------------------------------------------------------------------


def stream(
    text: str, *, seed: int = 0, max_chunk: int = 12, tail_limit: int = 10**9
) -> tuple[list[MarkdownUpdate], StreamingMarkdown]:
    rnd = random.Random(seed)
    md = StreamingMarkdown(message_key=1, theme=LIGHT_THEME, tail_limit=tail_limit)
    updates: list[MarkdownUpdate] = []
    position = 0
    while position < len(text):
        size = rnd.randint(1, max_chunk)
        md.feed(text[position : position + size])
        position += size
        if rnd.random() < 0.6:
            updates.append(md.update())
    updates.append(md.finish())
    return updates, md


def committed(updates: list[MarkdownUpdate]) -> str:
    return "".join(update.committed_html for update in updates)


@pytest.mark.parametrize("seed", range(40))
def test_streamed_blocks_equal_a_one_shot_render(seed: int) -> None:
    updates, _ = stream(SAMPLE, seed=seed)
    assert committed(updates) == render(SAMPLE)


@pytest.mark.parametrize("limit", [1, 7, 300])
def test_text_fed_at_once_and_rendered_in_slices_equals_a_one_shot_render(limit: int) -> None:
    md = StreamingMarkdown(message_key=1, theme=LIGHT_THEME)
    md.feed(SAMPLE.replace("\n", "\r\n"))  # a slice may end between \r and \n
    updates: list[MarkdownUpdate] = []
    while md.pending_chars:
        before = md.pending_chars
        updates.append(md.update(limit))
        assert md.pending_chars < before
    updates.append(md.finish())
    assert committed(updates) == render(SAMPLE)


def test_slices_merged_into_one_update_keep_every_block_and_the_last_tail() -> None:
    md = StreamingMarkdown(message_key=1, theme=LIGHT_THEME)
    closed = SAMPLE.split("Text with ```")[0]  # SAMPLE up to its tricky fences
    md.feed(closed + "```python\nprint('still open')\n")
    merged = md.update(50)
    while md.pending_chars:
        merged = merged.then(md.update(50))
    # Everything before the open fence is committed; the fence is what stays live.
    assert merged.committed_html == render(closed)
    assert merged.open_code is not None and merged.open_code.language == "python"
    assert md.open_code_text() == "print('still open')\n"


def test_a_paragraph_is_committed_once_a_blank_line_ends_it() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("First paragraph.")
    first = md.update()
    assert first.committed_html == ""
    assert first.tail_html == "<p>First paragraph.</p>"
    md.feed("\n\nSecond")
    second = md.update()
    assert second.committed_html == "<p>First paragraph.</p>"
    assert second.tail_html == "<p>Second</p>"
    assert md.update() == MarkdownUpdate()  # nothing new, nothing to do


def test_a_half_received_line_does_not_decide_anything() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("Some text\n#")
    # "#" alone would be an empty heading ending the paragraph; "#hashtag" is not.
    assert md.update().committed_html == ""
    md.feed("hashtag\n")
    update = md.update()
    assert update.committed_html == ""
    assert update.tail_html == "<p>Some text\n#hashtag</p>"


def test_a_list_stays_live_across_blank_lines() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("- one\n\n- two\n\n")
    assert md.update().committed_html == ""
    md.feed("  still item two\n\nAfter\n")
    update = md.update()
    assert "<li>" in update.committed_html and "still item two" in update.committed_html
    assert update.tail_html == "<p>After</p>"


def test_headings_and_rules_are_committed_as_soon_as_their_line_ends() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("# Title\n")
    assert md.update().committed_html == "<h1>Title</h1>"


def test_an_open_fence_streams_as_plain_text_and_is_highlighted_once_closed() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("Intro\n\n```python\nx = 1\n")
    opened = md.update()
    assert opened.committed_html == "<p>Intro</p>"
    assert opened.open_code is not None
    assert opened.open_code.language == "python"
    assert opened.open_code.index == 0
    assert "block=0" in opened.open_code.header_html
    assert opened.code_text == "x = 1\n"
    assert md.in_code_block

    md.feed("y = 2")
    growing = md.update()
    assert growing == MarkdownUpdate(code_text="y = 2")  # an append, no re-render
    assert growing.replaces_tail is False
    assert md.last_rendered_chars == 0

    md.feed("\n``")
    assert md.update().code_text == "\n``"
    md.feed("`\nAfter")
    closed = md.update()
    assert closed.replaces_tail
    assert "<pre" in closed.committed_html and "<span" in closed.committed_html
    assert closed.tail_html == "<p>After</p>"
    assert not md.in_code_block


def test_backticks_inside_text_do_not_open_a_fence() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("Type ``` to start a fence, or ```inline``` code.\nMore.\n")
    update = md.update()
    assert update.open_code is None
    assert not md.in_code_block
    assert "<code" in (update.tail_html or "")


def test_a_shorter_or_indented_closing_line_does_not_close() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("````\n```\n    ````\n")
    md.update()
    assert md.in_code_block
    md.feed("````\n")
    closed = md.update()
    assert not md.in_code_block
    assert code_blocks("````\n```\n    ````\n````\n") == ["```\n    ````\n"]
    assert "```\n    ````" in closed.committed_html


def test_an_unclosed_fence_is_committed_at_the_end() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("```js\nlet x = 1;\n")
    md.update()
    final = md.finish()
    assert final.tail_html == ""
    assert "js · " in final.committed_html
    assert "x" in final.committed_html


def test_crlf_split_across_chunks_is_one_line_break() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("para one\r")
    md.update()
    md.feed("\n\r\npara two\r\n")
    update = md.update()
    assert update.committed_html == "<p>para one</p>"
    assert update.tail_html == "<p>para two</p>"


def test_a_table_in_the_live_tail_is_text_until_complete() -> None:
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    md.feed("| a | b |\n|---|---|\n| 1 | 2 |\n")
    live = md.update()
    assert "<table" not in (live.tail_html or "")
    assert "| 1 | 2 |" in (live.tail_html or "")
    md.feed("\nAfter\n")
    done = md.update()
    assert "<table" in done.committed_html


def test_the_cost_of_an_update_stays_bounded_as_the_reply_grows() -> None:
    unit = (
        "## Part {k}\n\nSome **text** with `code`.\nA second line.\n\n"
        "```python\ndef f_{k}():\n    return {k}\n```\n\n"
        "- a\n- b\n  - c\n\n| x | y |\n|---|---|\n| {k} | 2 |\n\n"
    )
    text = "".join(unit.format(k=k) for k in range(1500))
    assert len(text) > 200_000
    md = StreamingMarkdown(message_key=0, theme=LIGHT_THEME)
    rendered: list[int] = []
    for position in range(0, len(text), 40):
        md.feed(text[position : position + 40])
        md.update()
        rendered.append(md.last_rendered_chars)
    # Each update renders at most the live tail plus what it commits: a few blocks, never
    # the reply so far.
    assert max(rendered) < 1_000
    assert max(rendered[-500:]) <= max(rendered[:500]) * 1.5


def test_a_long_list_is_committed_before_its_last_item() -> None:
    items = "".join(f"- item number {i} with some words\n" for i in range(400))
    updates, _ = stream(items, max_chunk=30, tail_limit=1_000)
    html = committed(updates)
    assert html.count("<li>") == 400
    assert html.count("<ul>") > 5  # split into several lists
    assert visible_words(html) == visible_words(render(items))


def test_a_long_table_is_split_with_its_header_repeated() -> None:
    rows = "".join(f"| r{i} | v{i} |\n" for i in range(300))
    table = "| key | value |\n|---|---|\n" + rows
    updates, _ = stream(table, max_chunk=30, tail_limit=1_000)
    html = committed(updates)
    tables = html.count("<table")
    assert tables > 2
    assert html.count('<th bgcolor="#eceff2">key</th>') == tables
    assert re.findall(r"<td>(r\d+)</td>", html) == [f"r{i}" for i in range(300)]


def test_a_long_single_line_paragraph_is_split_where_nothing_crosses_the_cut() -> None:
    words = [f"w{i}" for i in range(3000)]
    text = "Start **bold " + " ".join(words[:300]) + " end** " + " ".join(words[300:])
    updates, md = stream(text, max_chunk=20, tail_limit=2_000)
    html = committed(updates)
    assert html.count("<p") > 3
    assert html.count("<strong>") == 1  # the emphasis was never cut
    assert visible_words(html) == visible_words(render(text))
    assert md.last_rendered_chars < 2 * 2_000


def test_fence_numbers_stay_consistent_when_blocks_are_split() -> None:
    unit = "text\n\n```\ncode {k}\n```\n\n- a\n- b\n\n"
    text = "".join(unit.format(k=k) for k in range(200))
    updates, _ = stream(text, max_chunk=25, tail_limit=300)
    numbers = [int(n) for n in re.findall(r"block=(\d+)", committed(updates))]
    assert numbers == list(range(200))
    assert code_blocks(text)[150] == "code 150\n"


@pytest.mark.parametrize(
    "text",
    ["QUJD" * 60_000, "lorem ipsum dolor sit amet " * 9_000, "one line\n" * 30_000],
    ids=["unbroken", "words", "lines"],
)
def test_a_huge_paragraph_rendered_at_once_is_cut_into_blocks(text: str) -> None:
    blocks = render_blocks(text, message_key=1, theme=LIGHT_THEME)
    assert len(blocks) > 20
    assert max(len(block.html) for block in blocks) <= LONG_PARAGRAPH_HTML
    shown = "".join(visible_words("".join(block.html for block in blocks)))
    assert shown.replace(WRAP_POINT, "") == "".join(text.split())  # every character, in order


def test_a_paragraph_cut_keeps_its_links_and_what_it_refers_to() -> None:
    text = "See [the docs][d]. " + ("word " * 900 + "[a link](https://example.org/x) ") * 6
    text += "\n\n[d]: https://example.org/d\n"
    blocks = render_blocks(text, message_key=1, theme=LIGHT_THEME)
    assert len(blocks) > 1
    joined = "".join(block.html for block in blocks)
    assert joined.count('href="https://example.org/x"') == 6
    assert re.search(r'href="https://example.org/d"[^>]*>the docs</a>', joined)
    assert "[the docs]" not in joined


def test_long_code_tables_and_lists_stay_whole() -> None:
    code = "```python\n" + "value = compute(1, 2, 3)  # a comment\n" * 400 + "```\n\n"
    table = "| a | b |\n|---|---|\n" + "| one | two |\n" * 2_000 + "\n"
    bullets = "- an item of the list\n" * 2_000
    blocks = render_blocks(code + table + bullets, message_key=1, theme=LIGHT_THEME)
    assert [block.kind for block in blocks] == ["code", "table", "text"]
