"""The tool cards of a conversation opened from the history (no server needed): a call the
app never answered shows as interrupted, a tool's words stay plain text, long arguments
fold, long results are capped on screen (Copy copies the whole)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.transcript_driver import press, settle
from zlay_desktop.core.models import Message, ReplyState, Role, ToolCall
from zlay_desktop.core.tools import ApprovalDecision, ToolApprovalRequest
from zlay_desktop.ui.transcript import TranscriptView
from zlay_desktop.ui.transcript.rows import pretty_arguments
from zlay_desktop.ui.transcript.tool_cards import SHOWN_ARGUMENT_CHARS, SHOWN_RESULT_CHARS


def shown(qtbot: QtBot, messages: list[Message]) -> TranscriptView:
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    view.ensure_loaded()
    qtbot.waitExposed(view)
    view.show_messages(list(enumerate(messages)))
    settle(view)
    return view


def item_named(view: TranscriptView, object_name: str) -> QQuickItem:
    """A card's QML item on screen (delegates are the list's visual children)."""
    settle(view)
    root = view.root_item()
    assert root is not None
    stack: list[QQuickItem] = [root]
    while stack:
        item = stack.pop()
        if item.objectName() == object_name:
            return item
        stack.extend(item.childItems())
    raise AssertionError(f"no {object_name} on screen")


def cards(view: TranscriptView) -> list[dict[str, object]]:
    return [row.extra for row in view.model.rows() if row.kind == "toolcard"]


def test_calls_without_an_answer_are_interrupted_and_a_cut_reply_s_are_not_run(
    qtbot: QtBot,
) -> None:
    calls = (ToolCall("a", "echo", '{"text": "1"}'), ToolCall("b", "hang", "{}"))
    view = shown(
        qtbot,
        [
            Message(Role.USER, "go"),
            Message(Role.ASSISTANT, "", tool_calls=calls),
            Message(Role.TOOL, "echo: 1", tool_call_id="a", finish_reason="done"),
            # kill -9 here: b has no answer
            Message(Role.USER, "again"),
            Message(Role.ASSISTANT, "", tool_calls=calls[:1], state=ReplyState.INTERRUPTED),
        ],
    )
    assert [(c["name"], c["status"]) for c in cards(view)] == [
        ("echo", "done"),
        ("hang", "interrupted"),
        ("echo", "not_run"),
    ]
    assert "Tool hang · Interrupted: the app closed before it finished" in view.transcript_text()


def test_a_tool_s_words_stay_text_long_arguments_fold_and_long_results_are_capped(
    qtbot: QtBot,
) -> None:
    arguments = json.dumps({f"k{i}": i for i in range(30)})
    result = "<b>not bold</b> " + "x" * (SHOWN_RESULT_CHARS + 500)
    view = shown(
        qtbot,
        [
            Message(Role.USER, "go"),
            Message(Role.ASSISTANT, "", tool_calls=(ToolCall("a", "dump", arguments),)),
            Message(Role.TOOL, result, tool_call_id="a", finish_reason="done"),
        ],
    )
    (card,) = cards(view)
    assert card["longArguments"] is True and card["expanded"] is False
    view.scroll_to_message(1)
    press(view, "Tool dump: Done", object_name="toolcard-1-0")
    (card,) = cards(view)
    assert card["expanded"] is True and card["hidden"] == len(result) - SHOWN_RESULT_CHARS
    assert "<b>not bold</b>" in view.transcript_text()  # (plain text on screen: QML)
    press(view, "Copy result", object_name="toolresult-copy-1-0")
    assert QGuiApplication.clipboard().text() == result


def test_an_opened_card_stays_open_when_the_theme_changes(qtbot: QtBot) -> None:
    view = shown(
        qtbot,
        [
            Message(Role.USER, "go"),
            Message(Role.ASSISTANT, "", tool_calls=(ToolCall("a", "echo", "{}"),)),
            Message(Role.TOOL, "echo: 1", tool_call_id="a", finish_reason="done"),
        ],
    )
    view.scroll_to_message(1)
    press(view, "Tool echo: Done", object_name="toolcard-1-0")
    view.set_dark(not view.theme.dark)
    assert [(c["status"], c["expanded"], c["result"]) for c in cards(view)] == [
        ("done", True, "echo: 1")
    ]


def test_enter_on_show_all_arguments_shows_them_and_does_not_allow(qtbot: QtBot) -> None:
    arguments = json.dumps({f"k{i}": i for i in range(30)})
    view = shown(
        qtbot,
        [
            Message(Role.USER, "go"),
            Message(Role.ASSISTANT, "", tool_calls=(ToolCall("a", "dump", arguments),)),
        ],
    )
    decided: list[ApprovalDecision] = []
    view.tool_decided.connect(lambda _request, decision: decided.append(decision))
    request = ToolApprovalRequest("a", "tools", "dump", "Dumps.", pretty_arguments(arguments))
    view.ask_tool_approval(request)
    view.activateWindow()
    qtbot.waitActive(view)
    settle(view)
    quick = view.quick
    assert quick is not None
    quick.clearFocus()
    assert not quick.hasFocus()
    quick.setFocus(Qt.FocusReason.TabFocusReason)  # the user tabs to the card
    show_all = item_named(view, "toolarguments-all-1-0")
    qtbot.waitUntil(lambda: bool(item_named(view, "allow-tool-1-0").property("activeFocus")))
    show_all.forceActiveFocus()  # (Shift+Tab to "Show all arguments", to read them first)
    QTest.keyClick(quick, Qt.Key.Key_Return)
    settle(view)
    assert decided == []
    assert show_all.property("text") == "Show fewer arguments"
    assert view.pending_tool_approval() == request
    item_named(view, "allow-tool-1-0").forceActiveFocus()
    QTest.keyClick(quick, Qt.Key.Key_Return)
    assert decided == [ApprovalDecision.ALLOW]


def test_huge_arguments_are_capped_on_the_card_and_copied_whole(qtbot: QtBot) -> None:
    # (A model writing a file through a tool: megabytes of arguments would freeze the
    # window each time the card is laid out.)
    arguments = json.dumps({"path": "a.txt", "content": "line of text\n" * 50_000})
    whole = pretty_arguments(arguments)
    view = shown(
        qtbot,
        [
            Message(Role.USER, "go"),
            Message(Role.ASSISTANT, "", tool_calls=(ToolCall("a", "write", arguments),)),
        ],
    )
    view.ask_tool_approval(ToolApprovalRequest("a", "tools", "write", "", whole))
    settle(view)
    (row,) = [row for row in view.model.rows() if row.kind == "toolcard"]
    assert len(row.text) == SHOWN_ARGUMENT_CHARS
    view.scroll_to_message(1)
    shown_text = str(item_named(view, "toolarguments-1-0").property("text"))
    assert shown_text == whole[:SHOWN_ARGUMENT_CHARS]
    hidden = len(whole) - SHOWN_ARGUMENT_CHARS
    assert f"… and {hidden} more characters of the arguments" in view.transcript_text()
    press(view, "Copy the arguments", object_name="toolarguments-copy-1-0")
    assert QGuiApplication.clipboard().text() == whole
    assert view.pending_tool_approval() is not None  # (copying answers nothing)


def test_a_card_s_unfolded_arguments_stay_unfolded_when_scrolled_out_and_back(
    qtbot: QtBot,
) -> None:
    arguments = json.dumps({f"k{i}": i for i in range(30)})
    later = [
        Message(Role.USER if i % 2 else Role.ASSISTANT, f"Paragraph {i}.\n\n" + "words " * 400)
        for i in range(30)
    ]
    view = shown(
        qtbot,
        [
            Message(Role.USER, "go"),
            Message(Role.ASSISTANT, "", tool_calls=(ToolCall("a", "dump", arguments),)),
            Message(Role.TOOL, "dumped", tool_call_id="a", finish_reason="done"),
            *later,
        ],
    )
    qtbot.waitUntil(lambda: not view.history_pending())
    view.scroll_to_message(1)
    press(view, "Tool dump: Done", object_name="toolcard-1-0")
    press(view, "Show all arguments", object_name="toolarguments-all-1-0")
    settle(view)
    assert item_named(view, "toolarguments-all-1-0").property("text") == "Show fewer arguments"
    view.scroll_to_end()
    settle(view)
    with pytest.raises(AssertionError):  # (its delegate is gone)
        item_named(view, "toolarguments-all-1-0")
    view.scroll_to_message(1)
    settle(view)
    assert item_named(view, "toolarguments-all-1-0").property("text") == "Show fewer arguments"
