"""Selecting text in the transcript with the mouse, across the blocks of a message (and of
several), and copying it with Ctrl+C; links, buttons and double clicks under the same mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import LoopRunner
from tests.fresh_process import output_of
from tests.harness import ChatHarness
from tests.testserver import ChatScript, OpenAITestServer, Text
from tests.transcript_driver import (
    click,
    copy_keys,
    drag,
    find_button,
    row_delegate,
    row_text,
    settle,
    text_point,
)
from tests.ui.live_view import FedChatView, shown_view
from tests.xvfb import xvfb_display
from zlay_desktop.core.models import Message, Role
from zlay_desktop.ui.transcript import TranscriptView

ANSWER = """First paragraph with alpha words.

```python
print('middle')
```

Third paragraph with omega words.
"""

SENTINEL = "(the clipboard before)"


@pytest.fixture
def view(qtbot: QtBot) -> FedChatView:
    widget = shown_view(qtbot)
    QGuiApplication.clipboard().setText(SENTINEL)
    return widget


def assistant(content: str) -> Message:
    return Message(role=Role.ASSISTANT, content=content, model="m-1")


def text_rows(view: TranscriptView, key: int) -> list[int]:
    """The rows of message `key` that hold text to select (paragraphs, code, a bubble)."""
    return [
        i for i in view.message_rows(key) if view.model.row(i).kind in ("block", "code", "user")
    ]


def selected(view: TranscriptView, row: int) -> str:
    text = row_text(view, row).property("selectedText")
    assert isinstance(text, str)
    return text


def root_item(view: FedChatView) -> QQuickItem:
    root = view.root_item()
    assert root is not None
    return root


def shift_click(view: TranscriptView, at: QPoint) -> None:
    quick = view.quick
    assert quick is not None
    QTest.mouseClick(quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, at)
    settle(view)


def conversation(view: FedChatView) -> tuple[int, int, int]:
    """A question, an answer of a paragraph, a code block and a paragraph, and thanks."""
    view.add_message(0, Message(role=Role.USER, content="What is it?"))
    view.add_message(1, assistant(ANSWER))
    view.add_message(2, Message(role=Role.USER, content="Thanks"))
    settle(view)
    first, code, third = text_rows(view, 1)
    assert [view.model.row(i).kind for i in (first, code, third)] == ["block", "code", "block"]
    return first, code, third


@pytest.mark.parametrize("downwards", [True, False])
def test_a_drag_across_an_answers_blocks_selects_them_and_ctrl_c_copies_exactly_that(
    view: FedChatView, downwards: bool
) -> None:
    first, code, third = conversation(view)
    start, end = text_point(view, first, 21), text_point(view, third, 20)  # "alpha", " omega"
    drag(view, start, end) if downwards else drag(view, end, start)
    # Every block in between shows its part of the selection; the messages around, none.
    assert selected(view, first) == "alpha words."
    assert selected(view, code) == "print('middle')"
    assert selected(view, third) == "Third paragraph with"
    for row in (*text_rows(view, 0), *text_rows(view, 2)):
        assert selected(view, row) == ""
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == (
        "alpha words.\n\nprint('middle')\n\nThird paragraph with"
    )


def test_a_selection_may_span_messages(view: FedChatView) -> None:
    conversation(view)
    (question,) = text_rows(view, 0)
    (thanks,) = text_rows(view, 2)
    drag(view, text_point(view, question, 8), text_point(view, thanks, 5))
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == (
        "it?\n\nFirst paragraph with alpha words.\n\nprint('middle')\n\n"
        "Third paragraph with omega words.\n\nThank"
    )


def test_a_click_elsewhere_clears_the_selection(view: FedChatView) -> None:
    first, code, third = conversation(view)
    (thanks,) = text_rows(view, 2)
    # A click on other text…
    drag(view, text_point(view, first, 6), text_point(view, third, 5))
    assert selected(view, code) != ""
    click(view, text_point(view, thanks, 2))
    assert [selected(view, row) for row in (first, code, third)] == ["", "", ""]
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == SENTINEL
    # … or beside the text, where there is none.
    drag(view, text_point(view, first, 6), text_point(view, third, 5))
    assert selected(view, code) != ""
    beside = text_point(view, code, 0)
    click(view, QPoint(4, beside.y()))
    assert [selected(view, row) for row in (first, code, third)] == ["", "", ""]
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == SENTINEL


def test_shift_click_extends_the_selection(view: FedChatView) -> None:
    first, _code, third = conversation(view)
    click(view, text_point(view, first, 6))
    shift_click(view, text_point(view, third, 5))
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == (
        "paragraph with alpha words.\n\nprint('middle')\n\nThird"
    )


def test_a_double_click_selects_a_word(view: FedChatView) -> None:
    _first, _code, third = conversation(view)
    quick = view.quick
    assert quick is not None
    QTest.mouseDClick(
        quick,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        text_point(view, third, 23),
    )
    settle(view)
    assert selected(view, third) == "omega"
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "omega"


def test_a_click_on_a_link_opens_it_and_a_drag_from_it_selects(
    view: FedChatView, qtbot: QtBot
) -> None:
    view.add_message(1, assistant("Read [the docs](https://example.org/page) or [app](myapp:x)."))
    settle(view)
    (row,) = text_rows(view, 1)  # "Read the docs or app."
    opened: list[QUrl] = []
    view.link_activated.connect(opened.append)
    with qtbot.waitSignal(view.link_activated) as activated:
        click(view, text_point(view, row, 7))
    assert activated.args == [QUrl("https://example.org/page")]
    with qtbot.waitSignal(view.link_refused) as refused:  # the link rules hold for the mouse
        click(view, text_point(view, row, 18))
    assert refused.args == [QUrl("myapp:x")]
    drag(view, text_point(view, row, 6), text_point(view, row, 16))
    assert opened == [QUrl("https://example.org/page")]  # (not again)
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "he docs or"


def test_shift_click_on_a_link_extends_the_selection_and_opens_nothing(view: FedChatView) -> None:
    view.add_message(1, assistant("Read [the docs](https://example.org/page) today."))
    settle(view)
    (row,) = text_rows(view, 1)  # "Read the docs today."
    opened: list[QUrl] = []
    view.link_activated.connect(opened.append)
    click(view, text_point(view, row, 0))
    shift_click(view, text_point(view, row, 9))
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "Read the "
    assert opened == []


def test_buttons_by_the_text_still_work_with_the_mouse(view: FedChatView, qtbot: QtBot) -> None:
    conversation(view)
    for name, object_name, copied_text in [
        ("Copy code", "copy-code-1-0", "print('middle')\n"),
        ("Copy", "copy-2", "Thanks"),
    ]:
        button = find_button(view, name, object_name=object_name).object()
        assert isinstance(button, QQuickItem)
        centre = button.mapToScene(QPointF(button.width() / 2, button.height() / 2)).toPoint()
        with qtbot.waitSignal(view.copied) as copied:
            click(view, centre)
        assert copied.args == [copied_text]


def long_answer(view: FedChatView, paragraphs: int) -> list[int]:
    view.add_message(0, Message(role=Role.USER, content="Tell me a lot"))
    view.add_message(
        1, assistant("\n\n".join(f"Paragraph {i:03} of many." for i in range(paragraphs)))
    )
    settle(view)
    rows = text_rows(view, 1)
    assert len(rows) == paragraphs
    return rows


def test_a_selection_over_rows_scrolled_out_of_existence_copies_them_all(
    view: FedChatView,
) -> None:
    rows = long_answer(view, 200)
    view.scroll_to_message(1)
    quick = view.quick
    assert quick is not None
    start = text_point(view, rows[0], 14)
    QTest.mousePress(quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(quick, start + QPoint(0, 30))
    view.scroll_to_end()  # (the wheel, while the button is held)
    settle(view)
    end = text_point(view, rows[-1], 13)
    QTest.mouseMove(quick, end)
    QTest.mouseRelease(quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    settle(view)
    # The rows in the middle (and the first) have no delegate now.
    assert row_delegate(view, rows[0]) is None and row_delegate(view, rows[100]) is None
    assert selected(view, rows[-1]) == "Paragraph 199"
    copy_keys(view)
    expected = "\n\n".join(
        ["of many.", *(f"Paragraph {i:03} of many." for i in range(1, 199)), "Paragraph 199"]
    )
    assert QGuiApplication.clipboard().text() == expected


def test_dragging_past_the_bottom_scrolls_and_selects_on(view: FedChatView, qtbot: QtBot) -> None:
    rows = long_answer(view, 120)
    view.scroll_to_message(1)
    settle(view)
    root = root_item(view)
    quick = view.quick
    assert quick is not None
    start = text_point(view, rows[1], 14)
    below = QPoint(start.x(), quick.height() + 40)
    drag(view, start, below, release=False)
    qtbot.waitUntil(lambda: int(root.property("selFocusRow")) >= rows[60], timeout=10_000)
    QTest.mouseRelease(quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, below)
    settle(view)
    copy_keys(view)
    text = QGuiApplication.clipboard().text()
    assert text.startswith("of many.\n\nParagraph 002 of many.\n\n")
    assert "Paragraph 060 of many." in text and "Paragraph 000" not in text


def test_a_selection_stays_on_its_text_when_older_messages_go_in_above(
    view: FedChatView,
) -> None:
    first, code, third = conversation(view)
    drag(view, text_point(view, first, 21), text_point(view, third, 5))
    view.prepend_messages(
        [(-2, Message(role=Role.USER, content="Earlier")), (-1, assistant("Earlier answer."))]
    )
    settle(view)
    first, code, third = text_rows(view, 1)
    assert selected(view, code) == "print('middle')"
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "alpha words.\n\nprint('middle')\n\nThird"
    view.clear_conversation()
    settle(view)
    assert root_item(view).property("hasSelection") is False


def test_the_text_under_the_mouse_still_takes_hover_and_the_wheel(view: FedChatView) -> None:
    rows = long_answer(view, 100)
    view.add_message(2, assistant("A [link](https://example.org/) here."))
    view.scroll_to_message(1)
    settle(view)
    root = root_item(view)
    quick = view.quick
    assert quick is not None
    # Hover shows a message's buttons…
    root.setProperty("hoveredKey", -1)
    at = text_point(view, rows[3], 3)
    QTest.mouseMove(quick, QPoint(1, 1))  # (a move to where the last test left it is none)
    QTest.mouseMove(quick, at)
    settle(view)
    assert root.property("hoveredKey") == 1
    # … the wheel scrolls …
    listing = root.findChild(QQuickItem, "transcriptList")
    assert listing is not None
    top = float(listing.property("contentY"))
    wheel = QWheelEvent(
        QPointF(at),
        QPointF(quick.mapToGlobal(at)),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(quick, wheel)
    settle(view)
    assert float(listing.property("contentY")) > top
    # … and a link under the mouse is known as one (its pointing-hand cursor).
    view.scroll_to_end()
    (link_row,) = text_rows(view, 2)
    QTest.mouseMove(quick, text_point(view, link_row, 3))
    settle(view)
    assert row_text(view, link_row).property("hoveredLink") == "https://example.org/"


def test_in_the_window_ctrl_c_after_a_drag_over_a_streamed_answer_copies_it(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(ChatScript([Text(ANSWER[:40]), Text(ANSWER[40:])]))
    qloop.run(chat.send("explain"))
    QGuiApplication.clipboard().setText(SENTINEL)
    view = chat.view
    chat.window.composer.setFocus()
    settle(view)
    key = view.message_keys()[-1]
    first, _code, third = text_rows(view, key)
    assert QApplication.focusWidget() is not view.quick
    drag(view, text_point(view, first, 21), text_point(view, third, 20))
    # The click moved the keyboard to the transcript: Ctrl+C there is the transcript's.
    quick = view.quick
    assert quick is not None and QApplication.focusWidget() is quick
    QTest.keyClick(quick, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == (
        "alpha words.\n\nprint('middle')\n\nThird paragraph with"
    )


def selection_in_an_arriving_reply(view: FedChatView) -> int:
    """A reply arriving, a paragraph done and one growing (its live tail), selected from the
    first into the tail: the tail's row."""
    view.begin_reply(1, "m-1")
    view.append_text(1, "First paragraph here.\n\nThe tail grows")
    view.flush()
    settle(view)
    first, tail = text_rows(view, 1)
    drag(view, text_point(view, first, 6), text_point(view, tail, 8))
    assert selected(view, tail) == "The tail"
    return tail


def test_a_selection_in_a_reply_still_arriving_stays_shown(view: FedChatView) -> None:
    tail = selection_in_an_arriving_reply(view)
    view.append_text(1, " and grows")
    view.flush()
    settle(view)
    assert selected(view, tail) == "The tail"
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "paragraph here.\n\nThe tail"


def test_a_selection_in_the_arriving_paragraph_stays_on_it_when_it_ends_and_so_does_the_reply(
    view: FedChatView,
) -> None:
    tail = selection_in_an_arriving_reply(view)
    # The paragraph ends (a new one begins below it), then the reply ends.
    view.append_text(1, " on.\n\nA new paragraph begins")
    view.flush()
    settle(view)
    assert selected(view, tail) == "The tail"
    assert selected(view, text_rows(view, 1)[-1]) == ""
    view.end_reply(
        1, assistant("First paragraph here.\n\nThe tail grows on.\n\nA new paragraph begins")
    )
    settle(view)
    assert selected(view, tail) == "The tail"
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "paragraph here.\n\nThe tail"


def test_a_typeset_formula_is_copied_as_its_tex(view: FedChatView) -> None:
    view.add_message(1, assistant("Area $x^2 + y^2$ here.\n\n$$E = mc^2$$\n\nThe end."))
    settle(view)
    rows = text_rows(view, 1)
    assert "image://math/" in view.model.row(rows[0]).html  # (typeset, not shown as code)
    drag(view, text_point(view, rows[0], 2), text_point(view, rows[-1], 3))
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "ea $x^2 + y^2$ here.\n\n$$E = mc^2$$\n\nThe"


def test_identical_formulas_side_by_side_are_each_copied_as_their_tex(view: FedChatView) -> None:
    view.add_message(1, assistant("Twice $x^2$$x^2$ and $y$ $y$ here."))
    settle(view)
    (row,) = text_rows(view, 1)  # "Twice ￼￼ and ￼ ￼ here."
    assert view.model.row(row).html.count("image://math/") == 4
    drag(view, text_point(view, row, 0), text_point(view, row, 21))
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "Twice $x^2$$x^2$ and $y$ $y$ here"
    # From between the two of a pair, to between the other two.
    assert view.selected_text(row, 7, row, 14) == "$x^2$ and $y$"


def test_a_finger_taps_links_as_before(view: FedChatView, qtbot: QtBot) -> None:
    """Touch is left to the text itself (a finger drags the list, not a selection)."""
    view.add_message(1, assistant("Read [the docs](https://example.org/page) or not."))
    settle(view)
    (row,) = text_rows(view, 1)
    quick = view.quick
    assert quick is not None
    finger = QTest.createTouchDevice()
    link = text_point(view, row, 7)
    with qtbot.waitSignal(view.link_activated) as activated:
        QTest.touchEvent(quick, finger).press(0, link).commit()
        QTest.touchEvent(quick, finger).release(0, link).commit()
    assert activated.args == [QUrl("https://example.org/page")]
    assert root_item(view).property("selAnchorRow") == -1  # (not the mouse's selection)


def test_a_code_cards_scroll_bar_scrolls_it_and_selects_nothing(view: FedChatView) -> None:
    wide = "x = " + " + ".join(f"value_{i}" for i in range(60))
    view.add_message(1, assistant(f"Code:\n\n```python\n{wide}\n```\n"))
    settle(view)
    (code,) = [i for i in text_rows(view, 1) if view.model.row(i).kind == "code"]
    edit = row_text(view, code)
    flick = edit.parentItem().parentItem()  # the card's Flickable (its content item between)
    assert float(flick.property("contentWidth")) > float(flick.property("width"))
    height = float(flick.property("height"))
    start = flick.mapToScene(QPointF(20, height - 3)).toPoint()
    drag(view, start, start + QPoint(200, 0))
    assert float(flick.property("contentX")) > 0  # the bar moved the code sideways
    assert selected(view, code) == ""
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == SENTINEL


def test_a_press_on_a_code_cards_scroll_bar_keeps_the_selection_made_elsewhere(
    view: FedChatView,
) -> None:
    wide = "x = " + " + ".join(f"value_{i}" for i in range(60))
    view.add_message(1, assistant(f"Some words above.\n\n```python\n{wide}\n```\n"))
    settle(view)
    words, code = text_rows(view, 1)
    assert view.model.row(code).kind == "code"
    drag(view, text_point(view, words, 5), text_point(view, words, 10))
    assert selected(view, words) == "words"
    edit = row_text(view, code)
    flick = edit.parentItem().parentItem()  # the card's Flickable (its content item between)
    assert float(flick.property("contentWidth")) > float(flick.property("width"))
    click(view, flick.mapToScene(QPointF(20, float(flick.property("height")) - 3)).toPoint())
    assert selected(view, words) == "words"
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "words"


def test_a_copied_long_word_has_no_zero_width_spaces(view: FedChatView) -> None:
    token = "".join(f"{i % 10}" for i in range(3000))  # wrapped by the renderer's breaks
    view.add_message(1, assistant(f"Token {token} end"))
    settle(view)
    (row,) = text_rows(view, 1)
    assert view.selected_text(row, 0, row, 10**6) == f"Token {token} end"


def test_zero_width_spaces_a_model_wrote_are_copied_and_only_the_views_own_are_left_out(
    view: FedChatView,
) -> None:
    token = "".join(f"{i % 10}" for i in range(2500))  # wrapped by the renderer's breaks
    written = f"Joined\u200bwords, {token}, zero\u200b\u200bwidth\u200b"
    view.add_message(0, Message(role=Role.USER, content=written))
    view.add_message(1, assistant(written))
    settle(view)
    for row in (*text_rows(view, 0), *text_rows(view, 1)):
        assert view.selected_text(row, 0, row, 10**6) == written
        # A selection may begin or end anywhere around a break the view added.
        for start in range(1012, 1022):
            part = view.selected_text(row, start, row, start + 20)
            assert part in written and len(part) >= 18


PRIMARY_SELECTION_SCRIPT = """
import sys
from PySide6.QtCore import QEventLoop, QProcess, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication
from tests.transcript_driver import drag, settle, text_point
from tests.ui.live_view import FedChatView, shown_view
from zlay_desktop.core.models import Message, Role

PASTE = (
    "from PySide6.QtGui import QClipboard, QGuiApplication\\n"
    "app = QGuiApplication([])\\n"
    "print(repr(app.clipboard().text(QClipboard.Mode.Selection)))\\n"
)

app = QApplication([])
view = FedChatView()
view.resize(700, 500)
view.show()
view.ensure_loaded()
view.add_message(1, Message(role=Role.ASSISTANT, content="First words.\\n\\nSecond words.", model="m"))
settle(view, 20)
first, second = [i for i in view.message_rows(1) if view.model.row(i).kind == "block"]
drag(view, text_point(view, first, 6), text_point(view, second, 6))
settle(view)
# A selection that holds no text (from a paragraph's end into the footer below, say) does
# not take the primary selection away.
view.offer_selection(second, 13, second + 1, 0)
view.clear_conversation()  # (the rows selected go: what was selected stays offered)
settle(view)
# Another app pastes it (a middle click there) while this one serves it.
paster = QProcess()
loop = QEventLoop()
paster.finished.connect(loop.quit)
QTimer.singleShot(30_000, loop.quit)
paster.start(sys.executable, ["-c", PASTE])
loop.exec()
print(bytes(paster.readAllStandardOutput().data()).decode().strip())
print(repr(QGuiApplication.clipboard().text(QClipboard.Mode.Selection)))
"""


def test_on_x11_a_mouse_selection_is_the_primary_selection_a_middle_click_pastes() -> None:
    with xvfb_display() as display:
        lines = output_of(PRIMARY_SELECTION_SCRIPT, {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display})
    assert lines[-2:] == [repr("words.\n\nSecond")] * 2  # in another app, and in this one


def test_a_selection_made_while_a_search_match_is_marked_stays_when_the_mark_goes(
    view: FedChatView,
) -> None:
    view.add_message(1, assistant("Find the needle in this paragraph."))
    settle(view)
    (row,) = text_rows(view, 1)
    view.reveal_message(1, ["needle"])
    settle(view)
    assert selected(view, row) == "needle"  # the search's match, marked for a moment
    drag(view, text_point(view, row, 0), text_point(view, row, 4))
    assert selected(view, row) == "Find"
    view.end_highlight()  # (as its timer does, HIGHLIGHT_MS after the reveal)
    settle(view)
    assert view.highlighted_message() is None
    assert selected(view, row) == "Find"
    copy_keys(view)
    assert QGuiApplication.clipboard().text() == "Find"
