"""The chat transcript widget: streaming, Markdown, links, actions, footers, follow mode."""

from __future__ import annotations

import ctypes
import gc
import random
import sys
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFragment,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.live_view import FedChatView
from zlay_desktop.core.markdown_render import DARK_THEME, LIGHT_THEME
from zlay_desktop.core.models import (
    ChatError,
    ErrorKind,
    Message,
    ReplyState,
    ReplyTimings,
    Role,
    ToolCall,
    Usage,
)

MARKDOWN = """# Title

Some *text* and `code`, a [site](https://example.org/page).

```python
print("first")
```

| Name | Value |
|------|------:|
| a    | 1     |

- one
- two
  - nested

1. Step:

   ```bash
   echo second
   ```

2. Next

> quoted

---

Done.
"""


@pytest.fixture
def view(qtbot: QtBot) -> FedChatView:
    widget = FedChatView()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def assistant(content: str, **changes: object) -> Message:
    fields: dict[str, object] = {"role": Role.ASSISTANT, "content": content, "model": "m-1"}
    fields.update(changes)
    return Message(**fields)  # type: ignore[arg-type]


def blocks(document: QTextDocument) -> Iterator[QTextBlock]:
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def fragments(block: QTextBlock) -> Iterator[QTextFragment]:
    iterator = block.begin()
    while not iterator.atEnd():
        yield iterator.fragment()
        iterator += 1


def block_with_text(view: FedChatView, text: str) -> QTextBlock:
    for block in blocks(view.document()):
        if block.text() == text:
            return block
    raise AssertionError(f"no block {text!r} in {view.transcript_text()!r}")


def click_link(view: FedChatView, href: str) -> None:
    """Click the first link to ``href`` with the mouse, like a user."""
    for block in blocks(view.document()):
        for fragment in fragments(block):
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position())
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                rect = view.cursorRect(cursor)
                point = QPoint(rect.left() + 3, rect.center().y())
                QTest.mouseClick(
                    view.viewport(),
                    Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier,
                    point,
                )
                return
    raise AssertionError(f"no link to {href}")


def stream(view: FedChatView, key: int, text: str, *, seed: int = 0, flush_share: float = 0.5) -> None:
    rnd = random.Random(seed)
    position = 0
    while position < len(text):
        size = rnd.randint(1, 15)
        view.append_text(key, text[position : position + size])
        position += size
        if rnd.random() < flush_share:
            view.flush()


# --- streaming -----------------------------------------------------------------------------


def test_streamed_text_appears_within_a_frame_without_an_explicit_flush(
    view: FedChatView, qtbot: QtBot
) -> None:
    view.add_message(0, Message(role=Role.USER, content="hi"))
    view.begin_reply(1, "m-1")
    assert "Waiting for first token…" in view.transcript_text()
    view.set_waiting(1, 3.4)
    assert "Waiting for first token… 3 s" in view.transcript_text()
    view.append_text(1, "Hello")
    view.append_text(1, " world")
    qtbot.waitUntil(lambda: "Hello world" in view.transcript_text(), timeout=1000)
    assert "Waiting for first token" not in view.transcript_text()


def test_twenty_thousand_chunks_end_with_the_exact_text(view: FedChatView) -> None:
    pieces = [f"w{i}" + ("\n\n" if i % 100 == 99 else " ") for i in range(20_000)]
    view.begin_reply(1, "m-1")
    for number, piece in enumerate(pieces):
        view.append_text(1, piece)
        if number % 50 == 0:
            view.flush()
    view.end_reply(1, assistant("".join(pieces), state=ReplyState.FINISHED))
    paragraphs = [
        " ".join(f"w{i}" for i in range(start, start + 100)) for start in range(0, 20_000, 100)
    ]
    assert view.answer_text(1) == "\n".join(paragraphs)
    assert view.transcript_text().count("w19999") == 1


def format_signature(view: FedChatView, key: int) -> list[tuple[object, ...]]:
    """What the answer looks like, block by block: text, list, block and character formats."""
    answer = view.answer_text(key)
    start = view.transcript_text().index(answer)
    end = start + len(answer)
    signature: list[tuple[object, ...]] = []
    for block in blocks(view.document()):
        if not start <= block.position() <= end:
            continue
        block_format = block.blockFormat()
        text_list = block.textList()
        signature.append(
            (
                block.text(),
                text_list.format().style() if text_list else None,
                block_format.nonBreakableLines(),
                block_format.topMargin(),
                block_format.bottomMargin(),
                block_format.hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth),
                block_format.background().color().name(),
                tuple(
                    (
                        fragment.text(),
                        fragment.charFormat().fontWeight(),
                        tuple(fragment.charFormat().fontFamilies() or ()),
                        fragment.charFormat().foreground().color().name(),
                        fragment.charFormat().anchorHref(),
                    )
                    for fragment in fragments(block)
                ),
            )
        )
    return signature


@pytest.mark.parametrize("seed", range(4))
def test_a_streamed_reply_looks_like_the_same_reply_shown_at_once(qtbot: QtBot, seed: int) -> None:
    at_once = FedChatView()
    qtbot.addWidget(at_once)
    at_once.add_message(1, assistant(MARKDOWN))
    streamed = FedChatView()
    qtbot.addWidget(streamed)
    streamed.begin_reply(1, "m-1")
    stream(streamed, 1, MARKDOWN, seed=seed)
    streamed.end_reply(1, assistant(MARKDOWN))
    assert streamed.answer_text(1) == at_once.answer_text(1)
    assert format_signature(streamed, 1) == format_signature(at_once, 1)


def test_appending_at_200k_characters_touches_only_the_end_of_the_document(
    view: FedChatView,
) -> None:
    unit = (
        "## Part {k}\n\nSome **text** with `code` and a [link](https://example.org/{k}).\n"
        "A second line.\n\n```python\ndef f_{k}():\n    return {k}\n```\n\n"
        "- a\n- b\n  - c\n\n| x | y |\n|---|---|\n| {k} | 2 |\n\n"
    )
    text = "".join(unit.format(k=k) for k in range(1400))
    view.begin_reply(1, "m-1")
    position = 0
    chunk = 40
    while position < 200_000:
        for _ in range(100):
            view.append_text(1, text[position : position + chunk])
            position += chunk
        view.flush()
    changes: list[tuple[int, int, int]] = []
    document = view.document()
    document.contentsChange.connect(lambda at, removed, added: changes.append((at, removed, added)))
    bound = 6_000  # a few blocks: the live tail and what one update commits
    updates_seen = 0
    for _ in range(300):
        view.append_text(1, text[position : position + chunk])
        position += chunk
        changes.clear()
        view.flush()
        length = document.characterCount()
        updates_seen += len(changes)
        for at, removed, added in changes:
            assert at >= length - bound, "an update reached back into earlier blocks"
            assert removed <= bound and added <= bound
    assert updates_seen >= 300
    assert position > 200_000 and length > 100_000


def test_end_reply_shows_the_final_text_when_it_differs_from_what_streamed(
    view: FedChatView,
) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "Partial")
    view.flush()
    view.end_reply(1, assistant("The whole answer."))
    assert view.answer_text(1) == "The whole answer."


def test_begin_reply_on_an_existing_message_replaces_it_in_place(view: FedChatView) -> None:
    view.add_message(0, Message(role=Role.USER, content="question"))
    view.add_message(1, assistant("Old answer"))
    view.add_message(2, Message(role=Role.USER, content="later"))
    view.begin_reply(1, "m-1")
    view.append_text(1, "New answer")
    view.end_reply(1, assistant("New answer"))
    text = view.transcript_text()
    assert "Old answer" not in text
    assert text.index("question") < text.index("New answer") < text.index("later")


def test_clear_conversation_empties_the_view(view: FedChatView) -> None:
    view.add_message(0, Message(role=Role.USER, content="question"))
    view.begin_reply(1, None)
    view.append_text(1, "words")
    view.clear_conversation()
    view.flush()
    assert view.transcript_text().strip() == ""
    assert view.message_keys() == []


# --- rendering -----------------------------------------------------------------------------


def test_markdown_is_rendered_headings_large_and_code_monospace(view: FedChatView) -> None:
    view.add_message(1, assistant(MARKDOWN))
    title = block_with_text(view, "Title")
    title_format = next(fragments(title)).charFormat()
    assert title_format.fontWeight() >= 700
    assert int(title_format.property(QTextFormat.Property.FontSizeAdjustment)) > 0
    code = block_with_text(view, 'print("first")')
    assert code.blockFormat().nonBreakableLines()
    assert all("monospace" in f.charFormat().fontFamilies() for f in fragments(code))
    assert block_with_text(view, "nested").textList() is not None
    assert "Some text and code, a site." in view.transcript_text()


def test_a_user_message_is_shown_as_written(view: FedChatView) -> None:
    view.add_message(0, Message(role=Role.USER, content="<b>hi</b> **not bold**\n  two"))
    assert "<b>hi</b> **not bold**\n  two" in view.transcript_text()
    for block in blocks(view.document()):
        for fragment in fragments(block):
            assert fragment.charFormat().fontWeight() < 700 or fragment.text() == "You"


def test_an_open_code_block_grows_as_plain_text_then_is_highlighted(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "```python\ndef f():\n")
    view.flush()
    view.append_text(1, "    return 1\n")
    view.flush()
    growing = block_with_text(view, "    return 1")
    assert growing.blockFormat().nonBreakableLines()
    colours = {f.charFormat().foreground().color().name() for f in fragments(growing)}
    assert len(colours) == 1  # plain while open
    view.append_text(1, "```\n")
    view.flush()
    closed = block_with_text(view, "    return 1")
    colours = {f.charFormat().foreground().color().name() for f in fragments(closed)}
    assert len(colours) > 1  # highlighted once closed


def test_the_palette_decides_light_or_dark_rendering(view: FedChatView) -> None:
    view.add_message(1, assistant("```python\nx = 1\n```\n"))
    code = block_with_text(view, "x = 1")
    assert code.blockFormat().background().color() == QColor(LIGHT_THEME.code_background)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#dddddd"))
    view.setPalette(palette)
    code = block_with_text(view, "x = 1")
    assert code.blockFormat().background().color() == QColor(DARK_THEME.code_background)
    assert "x = 1" in view.transcript_text()


def test_no_resource_is_ever_loaded(view: FedChatView) -> None:
    for url in ("http://tracker.example/pixel.gif", "file:///etc/passwd", "data:image/png,xx"):
        resource = view.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl(url))
        assert resource is None


# --- copy ----------------------------------------------------------------------------------


def test_copy_code_puts_that_block_on_the_clipboard(view: FedChatView, qtbot: QtBot) -> None:
    view.add_message(7, assistant(MARKDOWN))
    with qtbot.waitSignal(view.copied) as copied:
        click_link(view, "zlay:copy-code?message=7&block=1")
    assert copied.args == ["echo second\n"]
    assert QGuiApplication.clipboard().text() == "echo second\n"


def test_copy_code_of_a_block_still_arriving(view: FedChatView, qtbot: QtBot) -> None:
    view.begin_reply(3, "m-1")
    view.append_text(3, "Look:\n\n```sh\nls -l\n")
    view.flush()
    with qtbot.waitSignal(view.copied):
        click_link(view, "zlay:copy-code?message=3&block=0")
    assert QGuiApplication.clipboard().text() == "ls -l\n"


def test_copy_message_copies_its_markdown(view: FedChatView, qtbot: QtBot) -> None:
    view.add_message(1, assistant("Some **bold** words"))
    with qtbot.waitSignal(view.copied):
        click_link(view, "zlay:copy?message=1")
    assert QGuiApplication.clipboard().text() == "Some **bold** words"


# --- actions and links ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "action"),
    [
        (Message(role=Role.USER, content="question"), "edit"),
        (assistant("answer"), "regenerate"),
        (
            assistant("partial", state=ReplyState.FAILED, error=ChatError(ErrorKind.SERVER, "x")),
            "retry",
        ),
        (assistant("cut", finish_reason="length"), "continue"),
    ],
)
def test_action_links_emit_action_requested(
    view: FedChatView, qtbot: QtBot, message: Message, action: str
) -> None:
    view.add_message(5, message)
    with qtbot.waitSignal(view.action_requested) as requested:
        click_link(view, f"zlay:{action}?message=5")
    assert requested.args == [action, 5]


def test_web_links_are_handed_over_and_other_schemes_refused(view: FedChatView, qtbot: QtBot) -> None:
    view.add_message(
        1, assistant("[site](https://example.org/page) [ftp](ftp://example.org/f) [app](myapp:x)")
    )
    with qtbot.waitSignal(view.link_activated) as activated:
        click_link(view, "https://example.org/page")
    assert activated.args == [QUrl("https://example.org/page")]
    for href in ("ftp://example.org/f", "myapp:x"):
        with qtbot.waitSignal(view.link_refused) as refused:
            click_link(view, href)
        assert refused.args == [QUrl(href)]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "relative/path"]
)
def test_a_click_on_a_dangerous_scheme_opens_nothing(
    view: FedChatView, qtbot: QtBot, url: str
) -> None:
    # Markdown never produces these links; the policy holds even if a document did.
    activated: list[QUrl] = []
    view.link_activated.connect(activated.append)
    with qtbot.waitSignal(view.link_refused):
        view.anchorClicked.emit(QUrl(url))
    assert activated == []


# --- footers -------------------------------------------------------------------------------


def test_a_failed_reply_keeps_its_text_and_offers_retry(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "Partial answer")
    view.flush()
    error = ChatError(ErrorKind.RATE_LIMITED, "The server is rate limiting.", retry_after=12)
    view.end_reply(1, assistant("Partial answer", state=ReplyState.FAILED, error=error))
    text = view.transcript_text()
    assert "Partial answer" in text
    assert "The server is rate limiting. · Continue · Retry (retry in 12 s)" in text
    error_block = next(b for b in blocks(view.document()) if "rate limiting" in b.text())
    assert next(fragments(error_block)).charFormat().foreground().color() == QColor(
        LIGHT_THEME.error
    )


def test_a_stopped_reply_is_marked(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "Half")
    view.end_reply(1, assistant("Half", state=ReplyState.STOPPED))
    assert "Half\nStopped." in view.transcript_text()


def test_a_cut_reply_offers_continue_and_shows_its_numbers(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "Long answer")
    message = assistant(
        "Long answer",
        finish_reason="length",
        usage=Usage(prompt_tokens=12, completion_tokens=300, total_tokens=312),
        timings=ReplyTimings(first_token_s=0.8, duration_s=3.8, chunks=100),
    )
    view.end_reply(1, message)
    text = view.transcript_text()
    assert "The answer was cut at the token limit. · Continue" in text
    assert "first token 800 ms · 100.0 tokens/s · 12 in / 300 out tokens" in text


def test_a_finished_reply_gets_its_actions(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    assert "Regenerate" not in view.transcript_text()
    view.append_text(1, "Done")
    view.end_reply(1, assistant("Done", finish_reason="stop"))
    assert "Assistant · m-1 · Copy · Regenerate\nDone" in view.transcript_text()


# --- reasoning, tool calls, refusal --------------------------------------------------------


def test_reasoning_is_shown_while_thinking_then_folds_and_toggles(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_reasoning(1, "Let me think")
    view.append_reasoning(1, " about it.")
    view.flush()
    assert "▾ Thinking\nLet me think about it." in view.transcript_text()
    view.append_text(1, "The answer.")
    view.flush()
    assert "Let me think" not in view.transcript_text()
    assert "▸ Thinking" in view.transcript_text()
    click_link(view, "zlay:toggle-reasoning?message=1")
    assert "Let me think about it." in view.transcript_text()
    view.end_reply(1, assistant("The answer.", reasoning="Let me think about it."))
    assert "Let me think about it." in view.transcript_text()  # the user's choice stays
    click_link(view, "zlay:toggle-reasoning?message=1")
    assert "Let me think" not in view.transcript_text()
    assert "The answer." in view.transcript_text()


def test_reasoning_without_an_answer_stays_visible(view: FedChatView) -> None:
    view.add_message(1, assistant("", reasoning="Only thoughts."))
    assert "Only thoughts." in view.transcript_text()
    view.add_message(2, assistant("An answer.", reasoning="Hidden thoughts."))
    assert "Hidden thoughts." not in view.transcript_text()


def test_tool_calls_and_refusals(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.set_tool_calls(1, (ToolCall("c1", "get_weather", '{"city": '),))
    view.flush()
    assert 'Tool call get_weather\n{"city": ' in view.transcript_text()
    view.set_tool_calls(1, (ToolCall("c1", "get_weather", '{"city": "Oslo"}'),))
    view.flush()
    assert 'Tool call get_weather\n{\n  "city": "Oslo"\n}' in view.transcript_text()
    view.begin_reply(2, "m-1")
    view.append_refusal(2, "I can't ")
    view.append_refusal(2, "help with that.")
    view.flush()
    assert "The model refused: I can't help with that." in view.transcript_text()


# --- follow mode ---------------------------------------------------------------------------


def test_follow_mode_keeps_up_at_the_bottom_and_stays_put_when_scrolled_up(
    view: FedChatView, qtbot: QtBot
) -> None:
    bar = view.verticalScrollBar()
    view.begin_reply(1, "m-1")
    for line in range(60):
        view.append_text(1, f"Line {line}\n\n")
    view.flush()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=2000)

    bar.setValue(0)  # the user scrolls up to read
    old_maximum = bar.maximum()
    for line in range(60, 120):
        view.append_text(1, f"Line {line}\n\n")
    view.flush()
    qtbot.waitUntil(lambda: bar.maximum() > old_maximum, timeout=2000)
    assert bar.value() == 0

    bar.setValue(bar.maximum())  # back at the bottom: following again
    old_maximum = bar.maximum()
    for line in range(120, 180):
        view.append_text(1, f"Line {line}\n\n")
    view.flush()
    qtbot.waitUntil(lambda: bar.maximum() > old_maximum, timeout=2000)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=2000)


# --- shaping -------------------------------------------------------------------------------

MIXED_SCRIPTS = (
    "Plain office text.\n\n"
    "مرحبا بالعالم\n\n"
    "Family: \U0001f468\u200d\U0001f469\u200d\U0001f467 at home\n\n"
    "| a | b |\n|---|---|\n| x | \u2764\ufe0f |\n\n"
    "```\nname = 'Zoe\u0308'\n```\n"
)


def shaped(block: QTextBlock) -> bool:
    """Whether Qt shapes the block's text (every fragment's resolved font allows it)."""
    return all(
        not fragment.charFormat().font().styleStrategy() & QFont.StyleStrategy.PreferNoShaping
        for fragment in fragments(block)
    )


@pytest.mark.parametrize("streamed", [False, True])
def test_only_paragraphs_that_need_shaping_are_shaped(view: FedChatView, streamed: bool) -> None:
    if streamed:
        view.begin_reply(1, "m-1")
        stream(view, 1, MIXED_SCRIPTS, seed=3)
        view.end_reply(1, assistant(MIXED_SCRIPTS))
    else:
        view.add_message(1, assistant(MIXED_SCRIPTS))
    assert shaped(block_with_text(view, "مرحبا بالعالم"))
    assert shaped(block_with_text(view, "Family: \U0001f468\u200d\U0001f469\u200d\U0001f467 at home"))
    assert shaped(block_with_text(view, "\u2764\ufe0f"))  # a table cell
    assert shaped(block_with_text(view, "name = 'Zoe\u0308'"))  # highlighted code
    assert not shaped(block_with_text(view, "Plain office text."))
    assert not shaped(block_with_text(view, "x"))


def test_a_new_application_font_keeps_text_unshaped(view: FedChatView, qtbot: QtBot) -> None:
    app_font = QGuiApplication.font()
    bigger = QFont(app_font)
    bigger.setPointSizeF(app_font.pointSizeF() + 3)
    QApplication.setFont(bigger)
    try:
        qtbot.waitUntil(lambda: view.font().pointSizeF() == bigger.pointSizeF(), timeout=2000)
        view.add_message(1, assistant("Plain text after the change."))
        block = block_with_text(view, "Plain text after the change.")
        assert not shaped(block)
        assert next(fragments(block)).charFormat().font().pointSizeF() == bigger.pointSizeF()
    finally:
        QApplication.setFont(app_font)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            *("arena", "ordblks", "smblks", "hblks", "hblkhd"),
            *("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"),
        )
    ]


def _heap_bytes_in_use() -> int:
    """Bytes the C heap has handed out and not got back (glibc's own count)."""
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "mallinfo2"):
        pytest.skip("needs glibc's mallinfo2")
    libc.mallinfo2.restype = _MallInfo2
    gc.collect()
    info = libc.mallinfo2()
    return int(info.uordblks + info.hblkhd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts glibc's heap")
def test_laid_out_prose_costs_a_few_bytes_per_character(view: FedChatView) -> None:
    # Shaped, Qt 6.11-6.12 keeps ~40 bytes a character of shaping buffers for as long as
    # the text is laid out (~49 bytes a character in all, measured); without, ~5.
    words = ["the", "stream", "arrives", "chunk", "by", "chunk", "and", "every", "piece", "is"]
    text = "\n\n".join(
        f"Paragraph {i}: " + " ".join(words[(i + j) % len(words)] for j in range(70))
        for i in range(300)
    )
    view.add_message(0, assistant("A *first* reply, to warm up the renderer."))
    view.document().documentLayout().documentSize()
    before = _heap_bytes_in_use()
    view.add_message(1, assistant(text))
    view.document().documentLayout().documentSize()
    QApplication.processEvents()
    assert view.document().documentLayout().documentSize().height() > 5_000  # laid out
    per_character = (_heap_bytes_in_use() - before) / len(text)
    assert per_character < 15


# --- long answers: what is far above is set aside ------------------------------------------

LONG_UNIT = (
    "## Part {k}\n\nSome **text** with `code` and a [link](https://example.org/{k}), then more"
    " words to make a paragraph of a few lines in the view.\n\n"
    "- a list item {k}\n- another one\n  - nested\n\n1. first\n2. second\n\n"
    "| x | y |\n|---|---|\n| {k} | 2 |\n| 3 | 4 |\n\n"
    "```python\ndef f_{k}():\n    return {k}\n```\n\n> A quote {k}.\n\n"
)


@pytest.fixture
def small_budget(view: FedChatView) -> None:
    view.shown_answer_chars = 12_000  # the reference views keep the default


@pytest.fixture
def set_aside_answer(view: FedChatView, qtbot: QtBot, small_budget: None) -> str:
    """A long answer (~60k characters) streamed into ``view``, its start now set aside."""
    text = long_answer(200)
    stream_long_answer(view, qtbot, text)
    wait_until_set_aside(view, qtbot, text)
    return text


def long_answer(parts: int) -> str:
    return "".join(LONG_UNIT.format(k=k) for k in range(parts))


def reference_view(qtbot: QtBot, text: str, width: int = 700) -> FedChatView:
    """The same answer shown at once, never set aside."""
    reference = FedChatView()
    qtbot.addWidget(reference)
    reference.resize(width, 500)
    reference.show()
    qtbot.waitExposed(reference)
    reference.add_message(1, assistant(text))
    return reference


def document_height(view: FedChatView) -> float:
    return view.document().documentLayout().documentSize().height()


def every_block_drawn(view: FedChatView) -> bool:
    layout = view.document().documentLayout()
    return all(
        layout.blockBoundingRect(block).height() > 0
        for block in blocks(view.document())
        if block.text()
    )


def wait_until_smaller(view: FedChatView, qtbot: QtBot, characters: float) -> None:
    qtbot.waitUntil(lambda: view.document().characterCount() < characters, timeout=5000)


def wait_until_set_aside(view: FedChatView, qtbot: QtBot, text: str) -> None:
    """Until most of the answer is out of the document (the budget is much smaller)."""
    wait_until_smaller(view, qtbot, len(text) // 2)


def stream_long_answer(view: FedChatView, qtbot: QtBot, text: str, *, final: str | None = None) -> None:
    """Stream ``text``: its first half, until the view has set its start aside, then the
    rest with the spacer in place; end the reply with ``final`` (by default, the text)."""
    view.begin_reply(1, "m-1")
    half = len(text) // 2
    for start in range(0, len(text), 400):
        view.append_text(1, text[start : start + 400])
        view.flush()
        if start < half <= start + 400:
            wait_until_smaller(view, qtbot, view.document().characterCount() * 0.7)
    view.end_reply(1, assistant(text if final is None else final))


def test_a_long_answer_keeps_only_what_is_near_the_screen(
    view: FedChatView, qtbot: QtBot, set_aside_answer: str
) -> None:
    text = set_aside_answer
    reference = reference_view(qtbot, text)
    # Nothing is lost, nothing moved: the same text, the same height, the end in view.
    assert view.transcript_text() == reference.transcript_text()
    assert document_height(view) == pytest.approx(document_height(reference), abs=1)
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()
    assert "A quote 199." in view.document().toPlainText()
    assert every_block_drawn(view)


def test_scrolling_up_brings_back_what_was_set_aside(
    view: FedChatView, qtbot: QtBot, set_aside_answer: str
) -> None:
    text = set_aside_answer
    reference = reference_view(qtbot, text)
    bar = view.verticalScrollBar()
    bar.setValue(0)
    # Near the top the start of the answer is back, laid out and drawn.
    qtbot.waitUntil(lambda: "Part 0" in view.document().toPlainText(), timeout=5000)
    assert view.document().toPlainText() == reference.document().toPlainText()
    assert document_height(view) == pytest.approx(document_height(reference), abs=1)
    assert every_block_drawn(view)
    bar.setValue(bar.maximum())  # and back at the end, it is set aside again
    wait_until_set_aside(view, qtbot, text)
    assert view.transcript_text() == reference.transcript_text()


def test_what_was_set_aside_comes_back_right_at_another_width(
    view: FedChatView, qtbot: QtBot, set_aside_answer: str
) -> None:
    text = set_aside_answer
    view.resize(450, 500)
    view.verticalScrollBar().setValue(0)
    reference = reference_view(qtbot, text, width=450)
    qtbot.waitUntil(
        lambda: view.document().toPlainText() == reference.document().toPlainText(), timeout=5000
    )
    assert document_height(view) == pytest.approx(document_height(reference), abs=1)
    assert every_block_drawn(view)


def test_copying_across_what_is_set_aside_copies_it(
    view: FedChatView, qtbot: QtBot, set_aside_answer: str
) -> None:
    text = set_aside_answer
    reference = reference_view(qtbot, text)
    reference.selectAll()
    expected = reference.createMimeDataFromSelection().text()
    view.selectAll()
    view.copy()
    assert QGuiApplication.clipboard().text() == expected
    assert "Part 0" in expected and "A quote 199." in expected


@pytest.mark.usefixtures("small_budget")
def test_a_long_answer_replaced_at_its_end_leaves_no_spacer(view: FedChatView, qtbot: QtBot) -> None:
    # The final text is not what streamed (a chunk never reached the view): shown instead.
    stream_long_answer(view, qtbot, long_answer(200), final="A short final text.")
    assert view.answer_text(1) == "A short final text."
    assert view.transcript_text() == reference_view(qtbot, "A short final text.").transcript_text()


def arranged(view: FedChatView, qtbot: QtBot, action: Callable[[], object]) -> None:
    """Do ``action`` (a scroll, a resize…), then wait until the view has set aside and
    brought back all it would for where it now is."""
    with qtbot.waitSignal(view.long_answers_arranged, timeout=5000):
        action()


def top_line(view: FedChatView) -> str:
    """The text of the block at the top of what the view shows."""
    return view.cursorForPosition(QPoint(20, 3)).block().text()


@pytest.mark.usefixtures("small_budget")
def test_an_answer_below_the_view_stays_set_aside(view: FedChatView, qtbot: QtBot) -> None:
    first, second = long_answer(200), long_answer(200).replace("Part", "Section")
    stream_long_answer(view, qtbot, first)
    view.add_message(1, Message(role=Role.USER, content="And again?"))
    view.begin_reply(2, "m-1")
    for start in range(0, len(second), 400):
        view.append_text(2, second[start : start + 400])
        view.flush()
    view.end_reply(2, assistant(second))
    qtbot.waitUntil(lambda: "Section 0" not in view.document().toPlainText(), timeout=5000)
    bar = view.verticalScrollBar()
    # Reading the first answer, well above the second: the second stays set aside.
    position = view.document().find("A quote 170.").position()
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    arranged(view, qtbot, lambda: bar.setValue(round(view.cursorRect(cursor).top()) + bar.value()))
    assert "A quote 170." in view.document().toPlainText()
    assert "Section 0" not in view.document().toPlainText()
    assert "Section 0" in view.transcript_text()


@pytest.mark.usefixtures("set_aside_answer")
def test_a_selection_is_never_set_aside(view: FedChatView, qtbot: QtBot) -> None:
    bar = view.verticalScrollBar()
    arranged(view, qtbot, lambda: bar.setValue(0))
    qtbot.waitUntil(lambda: "Part 0" in view.document().toPlainText(), timeout=5000)
    # The user selects a paragraph, then scrolls to the end.
    block = block_with_text(view, "A quote 100.")
    selection = QTextCursor(block)
    selection.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(selection)
    arranged(view, qtbot, lambda: bar.setValue(bar.maximum()))
    assert view.textCursor().selectedText() == "A quote 100."
    view.copy()
    assert QGuiApplication.clipboard().text() == "A quote 100."
    assert "Part 0" not in view.document().toPlainText()  # what lies before it went


def test_a_click_far_above_does_not_become_a_selection_of_all_set_aside(
    view: FedChatView, qtbot: QtBot, set_aside_answer: str
) -> None:
    text = set_aside_answer
    bar = view.verticalScrollBar()
    arranged(view, qtbot, lambda: bar.setValue(0))
    qtbot.waitUntil(lambda: "Part 0" in view.document().toPlainText(), timeout=5000)
    view.setTextCursor(QTextCursor(block_with_text(view, "A quote 5.")))  # a click there
    arranged(view, qtbot, lambda: bar.setValue(bar.maximum()))
    wait_until_set_aside(view, qtbot, text)
    # A shift-click at the end selects from where the click was kept: not from the start.
    cursor = view.textCursor()
    cursor.setPosition(view.document().characterCount() - 1, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.copy()
    copied = QGuiApplication.clipboard().text()
    assert copied.endswith("A quote 199.")
    assert "Part 0" not in copied and "A quote 5." not in copied


@pytest.mark.usefixtures("small_budget")
def test_one_long_table_is_set_aside_and_brought_back_in_steps(
    view: FedChatView, qtbot: QtBot
) -> None:
    rows = "".join(f"| row {k} | value {k} | a few words of notes for row {k} |\n" for k in range(1500))
    text = "| name | value | notes |\n|---|---|---|\n" + rows + "\nThe end.\n"
    stream_long_answer(view, qtbot, text)
    wait_until_set_aside(view, qtbot, text)
    # Streamed, a long table is shown as several (the header repeated): the reference is
    # the same answer streamed into a view that sets nothing aside.
    reference = reference_view(qtbot, "")
    reference.begin_reply(1, "m-1")
    for start in range(0, len(text), 400):  # in the same updates
        reference.append_text(1, text[start : start + 400])
        reference.flush()
    reference.end_reply(1, assistant(text))
    assert view.transcript_text() == reference.transcript_text()
    bar = view.verticalScrollBar()
    arranged(view, qtbot, lambda: bar.setValue(0))
    qtbot.waitUntil(lambda: "row 0\n" in view.document().toPlainText(), timeout=5000)
    assert view.document().toPlainText() == reference.document().toPlainText()
    assert every_block_drawn(view)


def test_a_long_answer_shown_again_in_the_other_theme_is_set_aside_too(
    view: FedChatView, qtbot: QtBot, set_aside_answer: str
) -> None:
    text = set_aside_answer
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    view.setPalette(palette)  # rendered again, dark
    wait_until_set_aside(view, qtbot, text)
    assert view.transcript_text() == reference_view(qtbot, text).transcript_text()


def test_scrolling_up_after_the_view_got_narrower_keeps_the_text_in_place(
    view: FedChatView, qtbot: QtBot, set_aside_answer: str
) -> None:
    text = set_aside_answer
    arranged(view, qtbot, lambda: view.resize(260, 500))  # everything is taller now
    bar = view.verticalScrollBar()
    while bar.value() >= 300:
        # What is at the top of the view, followed through the edits.
        seen = view.cursorForPosition(QPoint(20, 3))
        before = view.cursorRect(seen).top()
        arranged(view, qtbot, lambda: bar.setValue(bar.value() - 300))
        # Pieces came back above it: it moved by the scroll, and only by the scroll.
        assert view.cursorRect(seen).top() - before == pytest.approx(300, abs=2)
    arranged(view, qtbot, lambda: bar.setValue(0))
    qtbot.waitUntil(lambda: "Part 0" in view.document().toPlainText(), timeout=5000)
    reference = reference_view(qtbot, text, 260)
    assert view.document().toPlainText() == reference.document().toPlainText()
