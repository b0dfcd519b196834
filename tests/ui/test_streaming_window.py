"""End to end through the window: the real openai SDK over a real socket to the project's
test server, the real qasync loop, the real controller and chat view."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import LoopRunner, until
from tests.harness import ChatHarness
from tests.ports import closed_port
from tests.testserver import (
    ChatScript,
    Close,
    CloseAfterHeaders,
    Comment,
    Delay,
    Finish,
    Gate,
    HttpError,
    InStreamError,
    Malformed,
    OpenAITestServer,
    Reasoning,
    Refusal,
    Reset,
    Stall,
    Text,
    ToolCallPart,
    UsageChunk,
)
from zlay_desktop.core.chat_session import CONTINUE_INSTRUCTION
from zlay_desktop.core.models import ErrorKind, ReplyState, Role


@pytest.fixture
def chat(server: OpenAITestServer, qloop: LoopRunner, qtbot: Any) -> Iterator[ChatHarness]:
    harness = ChatHarness(base_url=server.base_url)
    harness.window.show()
    yield harness
    qloop.run(harness.close())


def test_first_chunk_is_on_screen_before_the_server_sends_the_second(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    gate = threading.Event()
    server.enqueue(ChatScript([Text("First words"), Gate(gate), Text(" and the rest.")]))

    async def scenario() -> None:
        assert chat.controller.send("hi")
        # The server holds chunk 2 until the view shows chunk 1: proof of real streaming.
        await until(lambda: "First words" in chat.text(), what="chunk 1 on screen")
        assert "and the rest" not in chat.text()
        gate.set()
        final = await chat.finish()
        assert final.state is ReplyState.FINISHED
        assert final.content == "First words and the rest."

    qloop.run(scenario())
    assert "First words and the rest." in chat.text()
    assert "hi" in chat.text()


def test_request_carries_system_prompt_history_and_usage_option(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    async def scenario() -> None:
        await chat.send("one")
        await chat.send("two")

    qloop.run(scenario())
    body = server.requests[-1].body
    assert body is not None
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert [m["content"] for m in body["messages"]] == ["one", "You said: one", "two"]
    assert server.requests[-1].headers["authorization"] == "Bearer sk-test-key-0123456789"


def test_status_shows_time_to_first_token_speed_and_usage(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    # Paced (as a real server's tokens are): a reply that arrives in one burst has no speed.
    words = [step for i in range(12) for step in (Text(f" word{i}"), Delay(0.01))]
    server.enqueue(ChatScript([*words, Finish("stop"), UsageChunk(prompt=7, completion=12)], auto_usage=False))
    final = qloop.run(chat.send("hi"))
    assert final.usage is not None and final.usage.total_tokens == 19
    assert final.timings is not None and final.timings.first_token_s is not None
    footer = chat.text().splitlines()[-1]
    assert "first token" in footer and "tokens/s" in footer and "7 in / 12 out tokens" in footer


def test_no_speed_is_shown_for_a_reply_of_two_tokens(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(ChatScript([Text("Hello"), Text(" there"), Finish("stop"), UsageChunk(prompt=7, completion=2)], auto_usage=False))
    qloop.run(chat.send("hi"))
    footer = chat.text().splitlines()[-1]
    assert "first token" in footer and "7 in / 2 out tokens" in footer
    assert "tokens/s" not in footer


def test_stop_closes_the_connection_and_keeps_the_partial_text(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(ChatScript([Text("Partial answer"), Stall()]))

    async def scenario() -> None:
        assert chat.controller.send("go")
        await until(lambda: "Partial answer" in chat.text(), what="partial text")
        assert chat.window.stop_button.isEnabled()
        QTest.keyClick(chat.window.composer, Qt.Key.Key_Escape)  # Esc stops
        final = await chat.finish()
        assert final.state is ReplyState.STOPPED
        assert final.content == "Partial answer"

    qloop.run(scenario())
    assert server.wait_for_disconnect(1.0), "the server did not see the client go within 1 s"
    assert "Partial answer" in chat.text()
    assert "Stopped" in chat.text()
    assert not chat.window.stop_button.isEnabled()


def test_stop_button_stops_too(chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner) -> None:
    server.enqueue(ChatScript([Text("Some"), Stall()]))

    async def scenario() -> None:
        assert chat.controller.send("go")
        await until(lambda: "Some" in chat.text())
        chat.window.stop_button.click()
        assert (await chat.finish()).state is ReplyState.STOPPED

    qloop.run(scenario())
    assert server.wait_for_disconnect(1.0)


ERROR_CASES: list[tuple[str, object, ErrorKind, str]] = [
    ("401", HttpError(401), ErrorKind.AUTH, "API key was rejected"),
    ("403", HttpError(403), ErrorKind.AUTH, "Access was denied"),
    ("404", HttpError(404), ErrorKind.NOT_FOUND, "does not exist"),
    ("429", HttpError(429, headers={"Retry-After": "7"}), ErrorKind.RATE_LIMITED, "Try again in 7 s"),
    ("500", HttpError(500), ErrorKind.SERVER, "HTTP 500"),
    ("502-html", HttpError(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"), ErrorKind.NOT_AN_API, "web page"),
    ("close-after-headers", CloseAfterHeaders(), ErrorKind.INCOMPLETE, "ended before the answer was complete"),
]


@pytest.mark.parametrize(("name", "script", "kind", "shown"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_http_errors_become_clear_messages_with_retry(
    chat: ChatHarness,
    server: OpenAITestServer,
    qloop: LoopRunner,
    name: str,
    script: Any,
    kind: ErrorKind,
    shown: str,
) -> None:
    server.enqueue(script)
    final = qloop.run(chat.send("hello"))
    assert final.state is ReplyState.FAILED
    assert final.error is not None and final.error.kind is kind, final.error
    assert shown in chat.text()
    assert "Retry" in chat.text()
    assert "Traceback" not in chat.text()
    # Retry works: the server answers normally now.
    assert chat.controller.retry()
    again = qloop.run(chat.finish())
    assert again.state is ReplyState.FINISHED
    assert "You said: hello" in chat.text()
    assert len([m for m in chat.session.messages if m.role.value == "assistant"]) == 1


MID_STREAM_CASES: list[tuple[str, list[Any], ErrorKind, str]] = [
    ("reset", [Text("Half of it"), Reset()], ErrorKind.CONNECTION, "connection"),
    ("in-stream-error", [Text("Half of it"), InStreamError("The model is overloaded")], ErrorKind.STREAM_ERROR, "The model is overloaded"),
    ("malformed", [Text("Half of it"), Malformed()], ErrorKind.MALFORMED, "could not be read"),
    ("no-done", [Text("Half of it"), Close()], ErrorKind.INCOMPLETE, "ended before the answer was complete"),
]


@pytest.mark.parametrize(("name", "steps", "kind", "shown"), MID_STREAM_CASES, ids=[c[0] for c in MID_STREAM_CASES])
def test_mid_stream_failures_keep_the_partial_text(
    chat: ChatHarness,
    server: OpenAITestServer,
    qloop: LoopRunner,
    name: str,
    steps: list[Any],
    kind: ErrorKind,
    shown: str,
) -> None:
    server.enqueue(ChatScript(steps, auto_finish=False))
    final = qloop.run(chat.send("hello"))
    assert final.state is ReplyState.FAILED
    assert final.error is not None and final.error.kind is kind, final.error
    assert final.content == "Half of it"
    text = chat.text()
    assert "Half of it" in text and shown.lower() in text.lower()
    # The app still works for the next message.
    assert qloop.run(chat.send("again")).state is ReplyState.FINISHED
    assert "You said: again" in chat.text()


def test_connection_refused_says_nothing_is_listening(qloop: LoopRunner, qtbot: Any) -> None:
    chat = ChatHarness(base_url=f"http://127.0.0.1:{closed_port()}/v1")
    final = qloop.run(chat.send("hello"))
    assert final.error is not None and final.error.kind is ErrorKind.CONNECTION
    assert "Nothing is listening at 127.0.0.1" in chat.text()
    qloop.run(chat.close())


def test_idle_stall_times_out_with_no_data_message(
    server: OpenAITestServer, qloop: LoopRunner, qtbot: Any
) -> None:
    chat = ChatHarness(base_url=server.base_url, idle_timeout_s=0.5)
    server.enqueue(ChatScript([Comment("keep-alive"), Text("Slow"), Stall()]))
    final = qloop.run(chat.send("hello"))
    assert final.error is not None and final.error.kind is ErrorKind.TIMEOUT
    assert "No data from the server for 0.5 s" in chat.text()
    assert final.content == "Slow"
    qloop.run(chat.close())


def test_server_that_rejects_stream_options_is_asked_again_without(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(ChatScript.text("Works anyway", reject_stream_options=True))
    server.enqueue(ChatScript.text("Works anyway", reject_stream_options=True))
    final = qloop.run(chat.send("hi"))
    assert final.state is ReplyState.FINISHED and final.content == "Works anyway"
    assert "stream_options" not in (server.requests[-1].body or {})


def test_cut_reply_offers_continue(chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner) -> None:
    server.enqueue(ChatScript([Text("A long answer that"), Finish("length")]))
    final = qloop.run(chat.send("write a lot"))
    assert final.was_cut
    assert "cut" in chat.text() and "Continue" in chat.text()
    server.enqueue(ChatScript([Text(" goes on and on."), Finish("stop")]))
    chat.view.action_requested.emit("continue", 1)
    final = qloop.run(chat.finish())
    # One message, its text continued: no "Continue." message, no second reply.
    assert final.state is ReplyState.FINISHED
    assert final.content == "A long answer that goes on and on."
    assert [m.role for m in chat.session.messages] == [Role.USER, Role.ASSISTANT]
    assert "A long answer that goes on and on." in chat.text()
    assert "Continue." not in chat.text() and "cut" not in chat.text()
    # The model was shown its cut reply and asked to go on from there.
    sent = server.requests[-1].body["messages"]  # type: ignore[index]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert sent[1]["content"] == "A long answer that"
    assert sent[2]["content"] == CONTINUE_INSTRUCTION


def test_reasoning_tool_calls_and_refusal_are_shown_and_kept(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(
        ChatScript(
            [
                Reasoning("Let me think about the weather."),
                ToolCallPart(0, id="call_1", name="get_weather", arguments='{"city": '),
                ToolCallPart(0, arguments='"Oslo"}'),
                Finish("tool_calls"),
            ]
        )
    )
    final = qloop.run(chat.send("weather?"))
    assert final.reasoning == "Let me think about the weather."
    assert [(c.id, c.name, c.arguments) for c in final.tool_calls] == [("call_1", "get_weather", '{"city": "Oslo"}')]
    assert "get_weather" in chat.text()
    assert "Let me think" in chat.text()
    server.enqueue(ChatScript([Refusal("I can't help with that.")]))
    final = qloop.run(chat.send("something bad"))
    assert final.refusal == "I can't help with that."
    assert "refused" in chat.text()


def test_twenty_thousand_chunks_through_the_real_loop(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    pieces = [f"w{i} " for i in range(20_000)]
    server.enqueue(ChatScript([Text(p) for p in pieces]))
    final = qloop.run(chat.send("lots"), timeout=120)
    expected = "".join(pieces)
    assert final.state is ReplyState.FINISHED
    assert final.content == expected
    assert final.timings is not None and final.timings.chunks == 20_000
    assert chat.text().count("w19999") == 1


def test_enter_sends_and_shift_enter_adds_a_line(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    composer = chat.window.composer
    QTest.keyClicks(composer, "line one")
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(composer, "line two")
    assert composer.toPlainText() == "line one\nline two"
    QTest.keyClick(composer, Qt.Key.Key_Return)
    assert composer.toPlainText() == ""
    qloop.run(chat.finish())
    assert "You said: line one\nline two" in chat.session.messages[-1].content


def test_accessible_names(chat: ChatHarness) -> None:
    w = chat.window
    assert w.composer.accessibleName() == "Message composer"
    assert w.send_button.accessibleName() == "Send"
    assert w.stop_button.accessibleName() == "Stop"
    assert w.chat_view.accessibleName() == "Conversation"


def test_new_conversation_clears_the_view(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    qloop.run(chat.send("first"))
    assert "You said: first" in chat.text()
    chat.window.new_action.trigger()
    assert "You said: first" not in chat.text()
    assert chat.session.messages == []



def test_once_a_reply_has_ended_the_window_gives_freed_memory_back(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    released: list[bool] = []
    chat.window.memory_released.connect(lambda: released.append(True))
    server.enqueue(ChatScript([Text("A reply "), Text("to render.")]))
    qloop.run(chat.send("hi"))
    assert not released  # not while the reply is being finished and painted
    qloop.run(until(lambda: bool(released), timeout=5.0, what="memory released"))
    assert "A reply to render." in chat.text()  # the reply itself is untouched
