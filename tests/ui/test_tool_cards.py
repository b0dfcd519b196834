"""The tool cards of a conversation opened from the history (no server needed): a call the
app never answered shows as interrupted, a tool's words stay plain text, long arguments
fold, long results are capped on screen (Copy copies the whole)."""

from __future__ import annotations

import json

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from tests.transcript_driver import press, settle
from zlay_desktop.core.models import Message, ReplyState, Role, ToolCall
from zlay_desktop.ui.transcript import TranscriptView
from zlay_desktop.ui.transcript.tool_cards import SHOWN_RESULT_CHARS


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
