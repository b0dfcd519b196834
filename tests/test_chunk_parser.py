"""Parsing real-world stream shapes into events, without a network."""

from __future__ import annotations

import json

from zlay_desktop.core.events import (
    ReasoningDelta,
    RefusalDelta,
    StreamEvent,
    StreamFailed,
    StreamFinished,
    TextDelta,
    ToolCallDelta,
    UsageReported,
)
from zlay_desktop.core.models import ErrorKind
from zlay_desktop.core.streaming import ChunkParser


def feed(*lines: str) -> list[StreamEvent]:
    parser = ChunkParser(secrets=("sk-secret-value-123456",))
    events: list[StreamEvent] = []
    for line in lines:
        events += parser.feed_line(line)
        if parser.done or parser.failed:
            break
    events += parser.end()
    return events


def data(obj: object) -> str:
    return "data: " + json.dumps(obj)


def chunk(delta: dict[str, object], finish: str | None = None) -> str:
    return data({"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})


def text(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_plain_stream_with_usage_ends_finished_after_usage() -> None:
    events = feed(
        chunk({"role": "assistant", "content": ""}),
        "",
        chunk({"content": "Hel"}),
        chunk({"content": "lo"}),
        chunk({}, "stop"),
        data({"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}),
        "data: [DONE]",
    )
    assert text(events) == "Hello"
    assert isinstance(events[-2], UsageReported) and events[-2].usage.total_tokens == 5
    assert events[-1] == StreamFinished("stop")


def test_comments_empty_choices_and_missing_delta_are_ignored() -> None:
    events = feed(
        ": keep-alive",
        ": OPENROUTER PROCESSING",
        data({"choices": [], "prompt_filter_results": [{"prompt_index": 0}]}),
        data({"choices": [{"index": 0}]}),
        data({"choices": [{"index": 0, "delta": None}]}),
        "event: ping",
        chunk({"content": "ok"}, "length"),
        "data: [DONE]",
    )
    assert text(events) == "ok"
    assert events[-1] == StreamFinished("length")


def test_reasoning_in_both_field_names_and_think_tags() -> None:
    events = feed(
        chunk({"reasoning_content": "a"}),
        chunk({"reasoning": "b"}),
        chunk({"content": "answer"}, "stop"),
    )
    assert [e for e in events if isinstance(e, ReasoningDelta)] == [ReasoningDelta("a"), ReasoningDelta("b")]
    tagged = feed(
        chunk({"content": "<thi"}),
        chunk({"content": "nk>plan it</th"}),
        chunk({"content": "ink>\n\nThe answer"}, "stop"),
    )
    assert "".join(e.text for e in tagged if isinstance(e, ReasoningDelta)) == "plan it"
    assert text(tagged) == "The answer"
    plain = feed(chunk({"content": "<b>not thinking</b>"}, "stop"))
    assert text(plain) == "<b>not thinking</b>"


def test_tool_call_fragments_and_refusal() -> None:
    events = feed(
        chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city":'}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Oslo"}'}}]}),
        chunk({"refusal": "I can't help with that."}),
        chunk({}, "tool_calls"),
    )
    tools = [e for e in events if isinstance(e, ToolCallDelta)]
    assert tools[0].id == "call_1" and tools[0].name == "get_weather"
    assert "".join(t.arguments for t in tools) == '{"city":"Oslo"}'
    assert [e for e in events if isinstance(e, RefusalDelta)] == [RefusalDelta("I can't help with that.")]
    assert events[-1] == StreamFinished("tool_calls")


def test_in_stream_error_keeps_text_before_it_and_redacts_keys() -> None:
    events = feed(
        chunk({"content": "partial"}),
        data({"error": {"message": "overloaded; key sk-secret-value-123456 was used"}}),
        chunk({"content": "never seen"}),
    )
    assert text(events) == "partial"
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    assert failed.error.kind is ErrorKind.STREAM_ERROR
    assert "overloaded" in failed.error.message
    assert "sk-secret-value-123456" not in failed.error.message


def test_malformed_json_and_missing_finish_fail_clearly() -> None:
    bad = feed(chunk({"content": "a"}), 'data: {"choices": [')
    assert isinstance(bad[-1], StreamFailed) and bad[-1].error.kind is ErrorKind.MALFORMED
    cut = feed(chunk({"content": "a"}))
    assert isinstance(cut[-1], StreamFailed) and cut[-1].error.kind is ErrorKind.INCOMPLETE
    done_only = feed(chunk({"content": "a"}), "data: [DONE]")
    assert done_only[-1] == StreamFinished("stop")
