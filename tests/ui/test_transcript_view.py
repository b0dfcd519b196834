"""The transcript: streaming into rows of Markdown blocks, actions, links, selection, light
and dark, virtualization, follow mode."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QAccessible, QGuiApplication, QImage
from PySide6.QtQuick import QQuickImageProvider, QQuickItem, QSGRendererInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.transcript_driver import (
    accessible_tree,
    anchors,
    click_anchor,
    delegate_count,
    find_button,
    press,
    settle,
)
from tests.ui.live_view import FedChatView, shown_view
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

> quoted

---

Done.
"""


@pytest.fixture
def view(qtbot: QtBot) -> FedChatView:
    return shown_view(qtbot)


def assistant(content: str, **changes: object) -> Message:
    fields: dict[str, object] = {"role": Role.ASSISTANT, "content": content, "model": "m-1"}
    fields.update(changes)
    return Message(**fields)  # type: ignore[arg-type]


def stream(view: FedChatView, key: int, text: str, *, seed: int = 0) -> None:
    rnd = random.Random(seed)
    position = 0
    while position < len(text):
        size = rnd.randint(1, 15)
        view.append_text(key, text[position : position + size])
        position += size
        if rnd.random() < 0.5:
            view.flush()


def answer_rows(view: FedChatView, key: int) -> list[tuple[str, str]]:
    return [
        (row.kind, row.html)
        for row in (view.model.row(i) for i in view.message_rows(key))
        if row.kind in ("block", "code")
    ]


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
    view.end_reply(1, assistant("".join(pieces)))
    paragraphs = [" ".join(f"w{i}" for i in range(s, s + 100)) for s in range(0, 20_000, 100)]
    assert view.answer_text(1) == "\n".join(paragraphs)
    assert view.transcript_text().count("w19999") == 1


def test_a_reply_that_arrives_in_one_huge_delta_is_shown_a_slice_at_a_time(
    view: FedChatView, qtbot: QtBot
) -> None:
    text = MARKDOWN * 40  # ~3× what one timed flush renders
    at_once = FedChatView()
    qtbot.addWidget(at_once)
    at_once.add_message(1, assistant(text))
    flushes: list[int] = []
    view.flushed.connect(lambda: flushes.append(view.model.rowCount()))
    view.begin_reply(1, "m-1")
    view.append_text(1, text)
    view.end_reply(1, assistant(text))
    assert view.rendering  # the reply ended; its text is still being shown
    qtbot.waitUntil(lambda: not view.rendering, timeout=20_000)
    assert len(flushes) > 1 and flushes == sorted(flushes)  # it grew over several frames
    assert answer_rows(view, 1) == answer_rows(at_once, 1)
    kinds = [view.model.row(i).kind for i in view.message_rows(1)]
    assert kinds[-1] == "footer" and kinds.count("footer") == 1  # ended once, at the end


@pytest.mark.parametrize("seed", range(4))
def test_a_streamed_reply_has_the_rows_of_the_same_reply_shown_at_once(
    qtbot: QtBot, seed: int
) -> None:
    at_once = FedChatView()
    qtbot.addWidget(at_once)
    at_once.add_message(1, assistant(MARKDOWN))
    streamed = FedChatView()
    qtbot.addWidget(streamed)
    streamed.begin_reply(1, "m-1")
    stream(streamed, 1, MARKDOWN, seed=seed)
    streamed.end_reply(1, assistant(MARKDOWN))
    assert answer_rows(streamed, 1) == answer_rows(at_once, 1)
    assert [kind for kind, _ in answer_rows(at_once, 1)] == [
        "block", "block", "code", "block", "block", "block", "block", "block"
    ]  # fmt: skip


def test_only_the_live_tail_row_changes_while_streaming(view: FedChatView) -> None:
    view.add_message(0, Message(role=Role.USER, content="question"))
    view.begin_reply(1, "m-1")
    view.append_text(1, "First paragraph.\n\nSecond")
    view.flush()
    changed: list[tuple[int, int]] = []
    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    model = view.model
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    first_rows = [model.row(i) for i in range(model.rowCount() - 1)]
    for word in ["one", "two", "three", "four", "five", "six", "seven"]:
        changed.clear()
        view.append_text(1, f" {word}")
        view.flush()
        tail = model.rowCount() - 1
        assert changed == [(tail, tail)] and inserted == [] and removed == []
    assert [model.row(i) for i in range(len(first_rows))] == first_rows  # never touched
    changed.clear()
    view.append_text(1, ".\n\nThird")  # the second paragraph is finished: one row more
    view.flush()
    assert len(inserted) == 1 and removed == []
    assert [model.row(i) for i in range(len(first_rows))] == first_rows


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
    assert view.transcript_text() == ""
    assert view.message_keys() == [] and view.model.rowCount() == 0


def test_an_open_code_block_grows_as_plain_text_then_is_highlighted(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "```python\nx = 1\n")
    view.flush()
    tail = view.model.row(view.model.rowCount() - 1)
    assert tail.kind == "code" and tail.extra["live"] and "<span" not in tail.html
    view.append_text(1, "y = 2\n```\n")
    view.end_reply(1, assistant("```python\nx = 1\ny = 2\n```\n"))
    (code,) = [row for row in view.model.rows() if row.kind == "code"]
    assert "<span" in code.html and code.extra["language"] == "python"
    assert "x = 1\ny = 2" in view.answer_text(1)


# --- the look ------------------------------------------------------------------------------


def test_a_user_message_is_shown_as_written_in_a_bubble(view: FedChatView) -> None:
    view.add_message(0, Message(role=Role.USER, content="a <b>tag</b> and *stars*"))
    (row,) = view.model.rows()
    assert row.kind == "user" and row.text == "a <b>tag</b> and *stars*"


def test_light_and_dark_follow_the_palette_or_the_choice(view: FedChatView, qtbot: QtBot) -> None:
    view.add_message(1, assistant("```python\nx = 1\n```\n"))
    assert view.theme == LIGHT_THEME
    view.set_dark(True)
    assert view.theme == DARK_THEME
    (code,) = [row for row in view.model.rows() if row.kind == "code"]
    assert DARK_THEME.pygments_style and "x" in code.html
    quick = view.quick
    assert quick is not None
    settle(view)
    api = quick.quickWindow().rendererInterface().graphicsApi()
    assert api == QSGRendererInterface.GraphicsApi.Software  # as ui/startup.py chose
    dark = quick.grabFramebuffer()
    assert dark.pixelColor(5, 5).lightness() < 80
    view.set_dark(None)
    settle(view)
    assert view.theme == LIGHT_THEME
    assert quick.grabFramebuffer().pixelColor(5, 5).lightness() > 200


def test_a_theme_change_while_a_reply_streams_shows_its_text_once(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "Hello there. ")
    view.flush()
    view.set_dark(True)
    view.append_text(1, "And more.")
    view.flush()
    assert view.answer_text(1) == "Hello there. And more."


def test_a_new_user_is_told_what_to_do(view: FedChatView) -> None:
    settle(view)
    names = [node.text(QAccessible.Text.Name) for node in accessible_tree(view)]
    assert "Start a conversation" in names


def test_footer_figures_speed_only_for_more_than_a_few_tokens(view: FedChatView) -> None:
    message = assistant(
        "Long answer",
        finish_reason="length",
        usage=Usage(prompt_tokens=12, completion_tokens=300, total_tokens=312),
        timings=ReplyTimings(first_token_s=0.8, duration_s=3.8, chunks=100),
    )
    view.add_message(1, message)
    text = view.transcript_text()
    assert "The answer was cut at the token limit. · Copy · Regenerate · Continue" in text
    assert "first token 800 ms · 100.0 tokens/s · 12 in / 300 out tokens" in text
    short = assistant(
        "Hi",
        usage=Usage(prompt_tokens=12, completion_tokens=2, total_tokens=14),
        timings=ReplyTimings(first_token_s=0.5, duration_s=0.6, chunks=2),
    )
    view.add_message(2, short)
    assert "first token 500 ms · 12 in / 2 out tokens" in view.transcript_text()


def test_a_failed_reply_keeps_its_text_and_offers_continue_and_retry(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "Partial answer")
    view.flush()
    error = ChatError(ErrorKind.RATE_LIMITED, "The server is rate limiting.", retry_after=12)
    view.end_reply(1, assistant("Partial answer", state=ReplyState.FAILED, error=error))
    text = view.transcript_text()
    assert (
        "Partial answer\nThe server is rate limiting. (retry in 12 s) · Copy · Continue · Retry"
        in text
    )


def test_a_stopped_reply_is_marked(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.append_text(1, "Half")
    view.end_reply(1, assistant("Half", state=ReplyState.STOPPED))
    assert "Half\nStopped. · Copy · Continue · Retry" in view.transcript_text()


def test_reasoning_is_shown_while_thinking_then_folds_and_toggles(
    view: FedChatView, qtbot: QtBot
) -> None:
    view.begin_reply(1, "m-1")
    view.append_reasoning(1, "Let me think")
    view.append_reasoning(1, " about it.")
    view.flush()
    assert "Thinking\nLet me think about it." in view.transcript_text()
    find_button(view, "Thinking…")
    view.append_text(1, "The answer.")
    view.flush()
    assert "Let me think" not in view.transcript_text()
    (row,) = [row for row in view.model.rows() if row.kind == "reasoning"]
    assert row.extra["seconds"] >= 0  # "Thought for N s"
    press(view, "Thought for 1 s")
    assert "Let me think about it." in view.transcript_text()
    view.end_reply(1, assistant("The answer.", reasoning="Let me think about it."))
    assert "Let me think about it." in view.transcript_text()  # the user's choice stays


def test_reasoning_without_an_answer_stays_visible(view: FedChatView) -> None:
    view.add_message(1, assistant("", reasoning="Only thoughts."))
    assert "Only thoughts." in view.transcript_text()
    view.add_message(2, assistant("An answer.", reasoning="Hidden thoughts."))
    assert "Hidden thoughts." not in view.transcript_text()


def test_tool_calls_and_refusals(view: FedChatView) -> None:
    view.begin_reply(1, "m-1")
    view.set_tool_calls(1, (ToolCall("c1", "get_weather", '{"city": '),))
    view.flush()
    assert 'Tool get_weather · Waiting\nArguments\n{"city": ' in view.transcript_text()
    view.set_tool_calls(1, (ToolCall("c1", "get_weather", '{"city": "Oslo"}'),))
    view.flush()
    assert 'Tool get_weather · Waiting\nArguments\n{\n  "city": "Oslo"\n}' in view.transcript_text()
    view.begin_reply(2, "m-1")
    view.append_refusal(2, "I can't ")
    view.append_refusal(2, "help with that.")
    view.flush()
    assert "The model refused: I can't help with that." in view.transcript_text()


# --- buttons, links, selection -------------------------------------------------------------


def test_copy_puts_the_messages_markdown_on_the_clipboard(view: FedChatView, qtbot: QtBot) -> None:
    view.add_message(1, assistant("Some **bold** words"))
    with qtbot.waitSignal(view.copied), qtbot.waitSignal(view.done_acting):
        press(view, "Copy", 1)
    assert QGuiApplication.clipboard().text() == "Some **bold** words"


def test_copy_code_puts_that_block_on_the_clipboard(view: FedChatView, qtbot: QtBot) -> None:
    view.add_message(7, assistant("```sh\nls -l\n```\n\nthen\n\n```py\nx = 1\n```\n"))
    view.scroll_to_message(7)
    settle(view)
    with qtbot.waitSignal(view.copied) as copied:
        find_button(view, "Copy code")  # reachable by its name
        press(view, "Copy code", 7, object_name="copy-code-7-1")
    assert copied.args == ["x = 1\n"]


def test_copy_code_of_a_block_still_arriving(view: FedChatView, qtbot: QtBot) -> None:
    view.begin_reply(3, "m-1")
    view.append_text(3, "Look:\n\n```sh\nls -l\n")
    view.flush()
    with qtbot.waitSignal(view.copied):
        press(view, "Copy code", 3)
    assert QGuiApplication.clipboard().text() == "ls -l\n"


@pytest.mark.parametrize(
    ("message", "name", "action"),
    [
        (Message(role=Role.USER, content="question"), "Edit", "edit"),
        (assistant("answer"), "Regenerate", "regenerate"),
        (
            assistant("partial", state=ReplyState.FAILED, error=ChatError(ErrorKind.SERVER, "x")),
            "Retry",
            "retry",
        ),
        (assistant("cut", finish_reason="length"), "Continue", "continue"),
    ],
)
def test_action_buttons_emit_action_requested(
    view: FedChatView, qtbot: QtBot, message: Message, name: str, action: str
) -> None:
    view.add_message(5, message)
    with qtbot.waitSignal(view.action_requested) as requested:
        press(view, name, 5)
    assert requested.args == [action, 5]


def test_web_links_are_handed_over_and_other_schemes_refused(
    view: FedChatView, qtbot: QtBot
) -> None:
    view.add_message(
        1, assistant("[site](https://example.org/page) [ftp](ftp://example.org/f) [app](myapp:x)")
    )
    links = {anchor.href: anchor for anchor in anchors(view)}
    with qtbot.waitSignal(view.link_activated) as activated:
        click_anchor(view, links["https://example.org/page"])
    assert activated.args == [QUrl("https://example.org/page")]
    for href in ("ftp://example.org/f", "myapp:x"):
        with qtbot.waitSignal(view.link_refused) as refused:
            click_anchor(view, links[href])
        assert refused.args == [QUrl(href)]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,x",
        "relative/path",
        "zlay:retry?message=1",
    ],
)
def test_a_click_on_a_dangerous_scheme_opens_nothing(
    view: FedChatView, qtbot: QtBot, url: str
) -> None:
    activated: list[QUrl] = []
    view.link_activated.connect(activated.append)
    view.action_requested.connect(lambda *args: activated.append(QUrl("action")))
    with qtbot.waitSignal(view.link_refused):
        view.activate_link(QUrl(url))
    assert activated == []


# (Selecting text with the mouse and copying it: test_transcript_selection.py.)


# --- virtualization and scrolling ------------------------------------------------------------


def test_only_the_rows_near_the_view_have_delegates(view: FedChatView, qtbot: QtBot) -> None:
    items = [
        (
            i,
            Message(role=Role.USER, content=f"question {i}")
            if i % 2 == 0
            else assistant(f"## Answer {i}\n\nSome words.\n\n- a\n- b\n"),
        )
        for i in range(2_000)
    ]
    view.show_messages(items)
    qtbot.waitUntil(lambda: not view.history_pending(), timeout=30_000)
    settle(view)
    assert view.model.rowCount() > 5_000
    counts = [delegate_count(view)]
    for key in range(0, 2_000, 250):
        view.scroll_to_message(key)
        settle(view)
        counts.append(delegate_count(view))
    view.scroll_to_end()
    settle(view)
    counts.append(delegate_count(view))
    assert max(counts) < 150, counts


def _transcript_list(view: FedChatView) -> QQuickItem:
    root = view.root_item()
    assert root is not None
    list_view = root.findChild(QQuickItem, "transcriptList")
    assert list_view is not None
    return list_view


def _questions_and_answers(pairs: int, answer: str) -> list[tuple[int, Message]]:
    """A conversation of `pairs` questions, each answered with `answer` (numbered)."""
    items: list[tuple[int, Message]] = []
    for key in range(0, 2 * pairs, 2):
        items.append((key, Message(role=Role.USER, content=f"Question {key}?")))
        items.append((key + 1, assistant(f"Answer {key}. {answer}")))
    return items


def _rows_above_the_view(view: FedChatView) -> list[int]:
    """The rows that have a delegate now but lie wholly above what the view shows (but
    the list's current row, whose delegate a ListView always keeps)."""
    settle(view)
    list_view = _transcript_list(view)
    content = list_view.property("contentItem")
    assert isinstance(content, QQuickItem)
    above = []
    for delegate in content.childItems():
        row = delegate.property("index")
        if not isinstance(row, int) or delegate.property("kind") is None:
            continue
        if row == list_view.property("currentIndex"):
            continue
        if delegate.mapToItem(list_view, QPointF(0, 0)).y() + delegate.height() < 0:
            above.append(row)
    return above


def test_rows_a_followed_stream_leaves_behind_are_made_again_only_once_it_ends(
    view: FedChatView, qtbot: QtBot
) -> None:
    view.begin_reply(1, "m-1")
    for line in range(60):
        view.append_text(1, f"Paragraph {line} of a long answer.\n\n")
        view.flush()
        settle(view, rounds=1)
    assert view.model.rowCount() > 40
    # While the view follows the stream, the rows it scrolled past are not kept made.
    assert _rows_above_the_view(view) == []
    text = "".join(f"Paragraph {line} of a long answer.\n\n" for line in range(60))
    view.end_reply(1, assistant(text))
    # Once it ended, the rows just above the view are made ahead of a scroll up.
    qtbot.waitUntil(lambda: len(_rows_above_the_view(view)) >= 2, timeout=5000)


def test_a_short_reply_keeps_the_rows_made_ahead(view: FedChatView) -> None:
    list_view = _transcript_list(view)
    view.show_messages(_questions_and_answers(15, "\n\nIt has two paragraphs."))
    settle(view)
    buffer = list_view.property("cacheBuffer")
    assert buffer > 0
    # Taking the rows made ahead away and making them again would cost more than a reply
    # shorter than the view saves.
    view.begin_reply(30, "m-1")
    for word in ("A ", "short ", "answer."):
        view.append_text(30, word)
        view.flush()
        settle(view, rounds=1)
    assert list_view.property("cacheBuffer") == buffer
    # A reply that goes on past a screenful: its rows pass by, none are made ahead.
    for line in range(40):
        view.append_text(30, f"\n\nParagraph {line}.")
        view.flush()
        settle(view, rounds=1)
    assert list_view.property("cacheBuffer") == 0


def test_a_streaming_reply_shown_whole_gives_the_rows_made_ahead_back(
    view: FedChatView, qtbot: QtBot
) -> None:
    list_view = _transcript_list(view)
    view.begin_reply(1, "m-1")
    text = "".join(f"Paragraph {line} of a long answer.\n\n" for line in range(60))
    for line in range(60):
        view.append_text(1, f"Paragraph {line} of a long answer.\n\n")
        view.flush()
        settle(view, rounds=1)
    assert list_view.property("cacheBuffer") == 0
    view.add_message(1, assistant(text))
    qtbot.waitUntil(lambda: list_view.property("cacheBuffer") > 0, timeout=5000)


def test_older_messages_shown_above_a_short_reply_leave_its_rows_made_ahead(
    view: FedChatView, qtbot: QtBot
) -> None:
    list_view = _transcript_list(view)
    view.show_messages(_questions_and_answers(200, "A paragraph long. " * 5))
    assert view.history_pending()  # the older messages go in above, a batch at a time
    view.begin_reply(400, "m-1")
    view.append_text(400, "A short answer.")
    view.flush()
    qtbot.waitUntil(lambda: not view.history_pending(), timeout=10000)
    settle(view)
    assert list_view.property("cacheBuffer") > 0


def test_follow_mode_keeps_up_at_the_bottom_until_the_user_scrolls_up(
    view: FedChatView, qtbot: QtBot
) -> None:
    root = view.root_item()
    assert root is not None
    list_view = root.findChild(QQuickItem, "transcriptList")
    assert list_view is not None
    view.begin_reply(1, "m-1")
    for line in range(80):
        view.append_text(1, f"Line {line}\n\n")
    view.flush()
    settle(view)
    qtbot.waitUntil(lambda: bool(list_view.property("atYEnd")), timeout=2000)
    assert root.property("follow") is True
    find_button(view, "Jump to latest")  # exists, hidden
    # The user scrolls up (Home): no more following, and the button shows.
    quick = view.quick
    assert quick is not None
    quick.setFocus()
    list_view.forceActiveFocus()
    QTest.keyClick(quick.quickWindow(), Qt.Key.Key_Home)
    settle(view)
    assert root.property("follow") is False and view.follow is False
    for line in range(80, 120):
        view.append_text(1, f"Line {line}\n\n")
    view.flush()
    settle(view)
    assert not list_view.property("atYEnd")
    jump = root.findChild(QQuickItem, "jumpToLatest")
    assert jump is not None and jump.isVisible()
    press(view, "Jump to latest")
    settle(view)
    qtbot.waitUntil(lambda: bool(list_view.property("atYEnd")), timeout=2000)


def test_a_printable_key_in_the_transcript_goes_to_the_composer(
    view: FedChatView, qtbot: QtBot
) -> None:
    view.add_message(0, Message(role=Role.USER, content="hi"))
    settle(view)
    root, quick = view.root_item(), view.quick
    assert root is not None and quick is not None
    list_view = root.findChild(QQuickItem, "transcriptList")
    assert list_view is not None
    list_view.forceActiveFocus()
    with qtbot.waitSignal(view.typed) as typed:
        QTest.keyClick(quick.quickWindow(), Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    assert typed.args == ["a"]


# --- images from a provider ----------------------------------------------------------------


class RedSquares(QQuickImageProvider):
    """A tiny provider: every key is a red square (what the math provider will serve)."""

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.asked: list[str] = []

    def requestImage(self, id: str, size: QSize, requested: QSize) -> QImage:
        self.asked.append(id)
        image = QImage(24, 24, QImage.Format.Format_ARGB32)
        image.fill(0xFFFF0000)
        return image


def test_rich_text_shows_images_from_an_image_provider(view: FedChatView, qtbot: QtBot) -> None:
    provider = RedSquares()
    quick = view.quick
    assert quick is not None
    quick.engine().addImageProvider("test", provider)
    view.add_message(1, assistant("placeholder"))
    first = next(i for i in view.message_rows(1) if view.model.row(i).kind == "block")
    row = view.model.row(first)
    view.model.set_rows(
        first,
        1,
        [
            type(row)(
                "block", 1, html='<p>x <img src="image://test/k1" width="24" height="24"> y</p>'
            )
        ],
    )
    settle(view)
    qtbot.waitUntil(lambda: "k1" in provider.asked, timeout=3000)
    image = quick.grabFramebuffer()
    red = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, min(image.height(), 200), 2)
        if image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).green() < 50
    )
    assert red > 20


# --- accessibility and the window ------------------------------------------------------------


def test_each_message_tells_its_role_and_text_to_screen_readers(view: FedChatView) -> None:
    view.add_message(0, Message(role=Role.USER, content="What is two and two?"))
    view.add_message(1, assistant("It is **four**."))
    settle(view)
    nodes = {
        node.text(QAccessible.Text.Name): node.text(QAccessible.Text.Description)
        for node in accessible_tree(view)
        if node.role() == QAccessible.Role.ListItem
    }
    assert nodes == {"You": "What is two and two?", "Assistant": "It is **four**."}
    quick = view.quick
    assert quick is not None and quick.accessibleName() == "Conversation"
    assert view.accessibleName() == "Conversation"


def test_after_an_action_the_composer_has_the_keyboard_and_the_chat_menu_copies_it_all(
    qtbot: QtBot,
) -> None:
    from zlay_desktop.ui.main_window import MainWindow

    window = MainWindow(transcript=FedChatView)
    qtbot.addWidget(window)
    window.allow_close()
    window.show()
    qtbot.waitExposed(window)
    view = window.chat_view
    view.ensure_loaded()
    view.done_acting.connect(window.composer.setFocus)  # as MainWindow._wire does
    view.add_message(0, Message(role=Role.USER, content="hi"))
    view.add_message(1, assistant("Hello **there**."))
    view.run_action("copy", 1)
    qtbot.waitUntil(window.composer.hasFocus)
    window.copy_conversation_action.trigger()
    assert QGuiApplication.clipboard().text() == (
        "**You**\n\nhi\n\n---\n\n**Assistant**\n\nHello **there**.\n"
    )
    menus = [a.text() for a in window.menuBar().actions()]
    chat_menu = window.menuBar().actions()[menus.index("&Chat")].menu()
    assert isinstance(chat_menu, QMenu)
    assert "&Copy conversation as Markdown" in [a.text() for a in chat_menu.actions()]


def test_tab_reaches_the_message_actions(view: FedChatView) -> None:
    view.add_message(0, Message(role=Role.USER, content="hi"))
    view.add_message(1, assistant("hello"))
    settle(view)
    root, quick = view.root_item(), view.quick
    assert root is not None and quick is not None
    list_view = root.findChild(QQuickItem, "transcriptList")
    assert list_view is not None
    list_view.forceActiveFocus()
    reached = set()
    for _ in range(4):
        QTest.keyClick(quick.quickWindow(), Qt.Key.Key_Tab)
        focused = quick.quickWindow().activeFocusItem()
        if focused is not None:
            reached.add(focused.objectName())
    assert {"copy-1", "regenerate-1", "copy-0", "edit-0"} <= reached


def test_only_the_last_reply_offers_retry_and_continue(view: FedChatView) -> None:
    failed = Message(
        role=Role.ASSISTANT,
        content="Half an ans",
        state=ReplyState.FAILED,
        error=ChatError(ErrorKind.CONNECTION, "The connection dropped."),
    )
    view.add_message(0, Message(role=Role.USER, content="First?"))
    view.add_message(1, failed)
    assert "Continue · Retry" in view.transcript_text()
    view.add_message(2, Message(role=Role.USER, content="Second?"))
    view.add_message(3, assistant("Second answer."))
    text = view.transcript_text()
    # The earlier reply offers Regenerate (which asks first), not a Retry that cannot act.
    first_footer = text[text.index("The connection dropped.") : text.index("Second?")]
    assert "Retry" not in first_footer and "Continue" not in first_footer
    assert "Regenerate" in first_footer
