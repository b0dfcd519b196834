"""The test server, driven through the real openai SDK over a real socket."""

from __future__ import annotations

import asyncio
import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openai
import pytest
from openai.types.chat import ChatCompletionChunk

from tests.testserver import (
    MARKDOWN_DEMO,
    ChatScript,
    Close,
    CloseAfterHeaders,
    Comment,
    Delay,
    Done,
    Finish,
    Gate,
    HttpError,
    InStreamError,
    Malformed,
    OpenAITestServer,
    Raw,
    Reasoning,
    Refusal,
    Reset,
    Stall,
    StallBeforeHeaders,
    Text,
    ToolCallPart,
    UsageChunk,
    split_words,
)

pytestmark = pytest.mark.timeout(15)

USER: Any = [{"role": "user", "content": "hi there"}]
REPO_ROOT = Path(__file__).resolve().parent.parent


def sync_client(server: OpenAITestServer, api_key: str = "sk-test") -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key=api_key, max_retries=0, timeout=5.0)


def async_client(server: OpenAITestServer) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=server.base_url, api_key="sk-test", max_retries=0, timeout=5.0
    )


def stream_chunks(server: OpenAITestServer, **extra: Any) -> list[ChatCompletionChunk]:
    with sync_client(server) as client:
        stream = client.chat.completions.create(
            model="test-model", messages=USER, stream=True, **extra
        )
        return list(stream)


def content_of(chunks: list[ChatCompletionChunk]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def raw_lines(server: OpenAITestServer, **extra: Any) -> list[str]:
    with (
        sync_client(server) as client,
        client.chat.completions.with_streaming_response.create(
            model="test-model", messages=USER, stream=True, **extra
        ) as response,
    ):
        return [line for line in response.iter_lines() if line]


# ---- streaming -------------------------------------------------------------------------------


def test_default_reply_echoes_the_last_user_message_word_by_word(
    server: OpenAITestServer,
) -> None:
    chunks = stream_chunks(server)

    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[0].choices[0].delta.content == ""
    assert [c.choices[0].delta.content for c in chunks[1:-1]] == ["You", " said:", " hi", " there"]
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_stream_has_role_chunk_text_finish_usage_and_done(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript.text("Hello streaming world"))
    server.enqueue(ChatScript.text("Hello streaming world"))

    chunks = stream_chunks(server, stream_options={"include_usage": True})
    lines = raw_lines(server, stream_options={"include_usage": True})

    assert content_of(chunks) == "Hello streaming world"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == []
    assert usage_chunk.usage is not None
    assert usage_chunk.usage.completion_tokens == 3
    assert usage_chunk.usage.total_tokens == usage_chunk.usage.prompt_tokens + 3
    assert lines[-1] == "data: [DONE]"
    assert '"choices":[]' in lines[-2]


def test_usage_chunk_only_comes_when_asked_for(server: OpenAITestServer) -> None:
    chunks = stream_chunks(server)

    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)


def test_text_can_be_split_into_fixed_size_chunks(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript.text("abcdefg", chunk_size=3, role_chunk=False))

    chunks = stream_chunks(server)

    assert [c.choices[0].delta.content for c in chunks[:-1]] == ["abc", "def", "g"]


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_reasoning_streams_in_either_field(server: OpenAITestServer, field: Any) -> None:
    server.enqueue(ChatScript([Reasoning("Let me think", field=field), Text("42")]))

    chunks = stream_chunks(server)

    extras = [c.choices[0].delta.model_extra or {} for c in chunks]
    assert [e[field] for e in extras if field in e] == ["Let me think"]
    assert content_of(chunks) == "42"


def test_refusal_streams_apart_from_content(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Refusal("I can't help with that.")]))

    chunks = stream_chunks(server)

    assert "".join(c.choices[0].delta.refusal or "" for c in chunks) == "I can't help with that."
    assert content_of(chunks) == ""


def test_tool_call_fragments_interleave_by_index(server: OpenAITestServer) -> None:
    server.enqueue(
        ChatScript(
            [
                ToolCallPart(0, id="call_a", name="get_weather", arguments=""),
                ToolCallPart(1, id="call_b", name="get_time", arguments='{"tz":'),
                ToolCallPart(0, arguments='{"city": '),
                ToolCallPart(0, arguments='"Oslo"}'),
                ToolCallPart(1, arguments=' "UTC"}'),
                Finish("tool_calls"),
            ]
        )
    )

    chunks = stream_chunks(server)

    calls: dict[int, dict[str, str]] = {}
    fragments = [tc for c in chunks for tc in (c.choices[0].delta.tool_calls or [])]
    for fragment in fragments:
        call = calls.setdefault(fragment.index, {"id": "", "name": "", "arguments": ""})
        call["id"] += fragment.id or ""
        assert fragment.function is not None
        call["name"] += fragment.function.name or ""
        call["arguments"] += fragment.function.arguments or ""
    assert calls == {
        0: {"id": "call_a", "name": "get_weather", "arguments": '{"city": "Oslo"}'},
        1: {"id": "call_b", "name": "get_time", "arguments": '{"tz": "UTC"}'},
    }
    assert fragments[0].type == "function"
    assert fragments[2].id is None and fragments[2].type is None
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_quirks_azure_prelude_and_repeated_fields(server: OpenAITestServer) -> None:
    server.enqueue(
        ChatScript(
            [ToolCallPart(0, id="call_a", name="f"), ToolCallPart(0, arguments="{}"), Text("x")],
            azure_prelude=True,
            repeat_fields=True,
            model="served-model",
        )
    )

    chunks = stream_chunks(server)

    prelude = chunks[0]
    assert prelude.choices == []
    assert (prelude.model_extra or {})["prompt_filter_results"][0]["prompt_index"] == 0
    with_choices = [c for c in chunks if c.choices]
    assert all(c.choices[0].delta.role == "assistant" for c in with_choices)
    assert all(c.model == "served-model" for c in with_choices)
    fragments = [tc for c in with_choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert [(f.id, f.function.name if f.function else None) for f in fragments] == [
        ("call_a", "f"),
        ("call_a", "f"),
    ]


def test_comments_are_sent_and_skipped_by_the_sdk(server: OpenAITestServer) -> None:
    script = ChatScript([Comment("OPENROUTER PROCESSING"), Text("hi")], role_chunk=False)
    server.enqueue(script, script)

    chunks = stream_chunks(server)
    lines = raw_lines(server)

    assert content_of(chunks) == "hi"
    assert lines[0] == ": OPENROUTER PROCESSING"


def test_raw_bytes_are_written_verbatim(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Raw(b'data: {"choices": []}\n\n'), Text("ok")], role_chunk=False))

    lines = raw_lines(server)

    assert lines[0] == 'data: {"choices": []}'


def test_in_stream_error_raises_api_error_after_the_text(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("partial "), InStreamError("Upstream overloaded", "busy")]))
    received: list[str] = []

    with (
        sync_client(server) as client,
        pytest.raises(openai.APIError, match="Upstream overloaded") as raised,
    ):
        for chunk in client.chat.completions.create(model="test-model", messages=USER, stream=True):
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received) == "partial "
    assert raised.value.body == {
        "message": "Upstream overloaded",
        "type": "server_error",
        "param": None,
        "code": "busy",
    }


def test_malformed_data_line_raises_json_decode_error(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("a"), Malformed()]))

    with pytest.raises(json.JSONDecodeError):
        stream_chunks(server)


def test_reset_raises_connection_error_after_the_text(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("before"), Reset()]))
    received: list[str] = []

    with sync_client(server) as client, pytest.raises(openai.APIConnectionError):
        for chunk in client.chat.completions.create(model="test-model", messages=USER, stream=True):
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received) == "before"
    assert server.disconnect_count == 0  # the server hung up, not the client


def test_close_ends_the_stream_silently_without_finish(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("cut "), Text("off"), Close()]))

    chunks = stream_chunks(server)

    assert content_of(chunks) == "cut off"
    assert all(c.choices[0].finish_reason is None for c in chunks)
    # The connection was not reused: the next request works.
    assert content_of(stream_chunks(server)) == "You said: hi there"


def test_close_after_headers_is_an_empty_stream(server: OpenAITestServer) -> None:
    server.enqueue(CloseAfterHeaders())

    assert stream_chunks(server) == []
    assert content_of(stream_chunks(server)) == "You said: hi there"


def test_reset_before_any_chunk_raises_connection_error(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Reset()], role_chunk=False))

    with pytest.raises(openai.APIConnectionError):
        stream_chunks(server)


def test_steps_after_done_still_reach_the_raw_stream(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("a"), Done(), Raw(b": trailing\n\n")], role_chunk=False))

    lines = raw_lines(server)

    assert lines[-2:] == ["data: [DONE]", ": trailing"]


def test_explicit_usage_chunk_is_sent_as_given(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("a"), UsageChunk(prompt=7, completion=9, reasoning=3)]))

    chunks = stream_chunks(server)

    assert chunks[-2].choices[0].finish_reason == "stop"
    usage = chunks[-1].usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (7, 9, 16)
    assert usage.completion_tokens_details is not None
    assert usage.completion_tokens_details.reasoning_tokens == 3


# ---- timing ----------------------------------------------------------------------------------


def test_gate_holds_the_next_chunk_until_set(server: OpenAITestServer) -> None:
    gate = threading.Event()
    server.enqueue(ChatScript([Text("one"), Gate(gate), Text("two")], role_chunk=False))

    async def scenario() -> tuple[str, bool, str]:
        async with async_client(server) as client:
            stream = await client.chat.completions.create(
                model="test-model", messages=USER, stream=True
            )
            iterator = stream.__aiter__()
            first = await anext(iterator)
            # Chunk one arrived while the gate is still closed: the server really streams.
            gate_was_open = gate.is_set()
            gate.set()
            second = await anext(iterator)
            await stream.close()
            return (
                first.choices[0].delta.content or "",
                gate_was_open,
                (second.choices[0].delta.content or ""),
            )

    first, gate_was_open, second = asyncio.run(scenario())

    assert (first, gate_was_open, second) == ("one", False, "two")


def test_delay_spaces_the_chunks(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("a"), Delay(0.05), Text("b")], role_chunk=False))
    arrivals: list[float] = []
    started = time.monotonic()

    with sync_client(server) as client:
        for _ in client.chat.completions.create(model="test-model", messages=USER, stream=True):
            arrivals.append(time.monotonic())

    # A lower bound only: a busy machine may deliver chunk 1 late, never chunk 2 early.
    assert arrivals[1] - started >= 0.05


def test_many_small_delays_keep_their_average_rate(server: OpenAITestServer) -> None:
    # 2,000 chunks 0.1 ms apart: far below one loop turn each (a sleep per chunk would take
    # 2 s or more), 0.2 s in total when delays are scheduled against a deadline.
    server.enqueue(ChatScript.text("x" * 2000, chunk_size=1, delay=0.0001, role_chunk=False))
    started = time.monotonic()

    lines = raw_lines(server)

    elapsed = time.monotonic() - started
    assert len(lines) == 2000 + 2  # the chunks, the finish chunk, [DONE]
    # The delays are honoured; how little they overshoot is measured in bench/, not here
    # (the bound below only catches a sleep of a whole loop turn or more per chunk).
    assert 0.19 <= elapsed < 10.0


def test_client_closing_while_the_server_writes_is_seen_as_a_disconnect(
    server: OpenAITestServer,
) -> None:
    # Far more than the socket buffers hold: the server is still writing when the client goes.
    server.enqueue(ChatScript([Text("a"), Raw(b": " + b"x" * (32 * 1024 * 1024) + b"\n\n")]))

    with (
        sync_client(server) as client,
        client.chat.completions.with_streaming_response.create(
            model="test-model", messages=USER, stream=True
        ) as response,
    ):
        first = next(response.iter_lines())

    assert first.startswith("data: ")
    assert server.wait_for_disconnect(1.0)


def test_client_closing_mid_stall_is_seen_as_a_disconnect(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("waiting"), Stall()]))

    with sync_client(server) as client:
        stream = client.chat.completions.create(model="test-model", messages=USER, stream=True)
        texts = [next(stream).choices[0].delta.content, next(stream).choices[0].delta.content]
        stream.close()

    assert texts == ["", "waiting"]
    assert server.wait_for_disconnect(1.0)
    assert server.disconnect_count == 1


def test_client_giving_up_before_headers_is_seen_as_a_disconnect(
    server: OpenAITestServer,
) -> None:
    server.enqueue(StallBeforeHeaders())
    client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0, timeout=0.2)

    with client, pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(model="test-model", messages=USER)

    assert server.wait_for_disconnect(1.0)


def test_stop_returns_promptly_during_a_stall() -> None:
    server = OpenAITestServer().start()
    server.enqueue(ChatScript([Text("a"), Stall()]))

    async def scenario() -> float:
        async with async_client(server) as client:
            stream = await client.chat.completions.create(
                model="test-model", messages=USER, stream=True
            )
            iterator = stream.__aiter__()
            await anext(iterator)
            await anext(iterator)  # "a": the server is now stalled
            started = time.monotonic()
            await asyncio.to_thread(server.stop)
            elapsed = time.monotonic() - started
            with pytest.raises(openai.APIConnectionError):
                await anext(iterator)
            return elapsed

    assert asyncio.run(scenario()) < 1.0


def test_stop_returns_promptly_while_a_request_waits_for_headers() -> None:
    server = OpenAITestServer().start()
    server.enqueue(StallBeforeHeaders())

    async def scenario() -> float:
        async with async_client(server) as client:
            request = asyncio.ensure_future(
                client.chat.completions.create(model="test-model", messages=USER)
            )
            assert await asyncio.to_thread(server.wait_for_requests, 1, 2.0)
            started = time.monotonic()
            await asyncio.to_thread(server.stop)
            elapsed = time.monotonic() - started
            with pytest.raises(openai.APIConnectionError):
                await request
            return elapsed

    assert asyncio.run(scenario()) < 1.0


# ---- whole-response errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_type", "code"),
    [
        (401, openai.AuthenticationError, "invalid_api_key"),
        (404, openai.NotFoundError, "model_not_found"),
        (500, openai.InternalServerError, None),
    ],
)
def test_http_errors_have_openai_json_shape(
    server: OpenAITestServer, status: int, error_type: type[openai.APIStatusError], code: str | None
) -> None:
    server.enqueue(HttpError(status))

    with pytest.raises(error_type) as raised:
        stream_chunks(server)

    assert raised.value.status_code == status
    assert raised.value.code == code
    assert raised.value.message


def test_rate_limit_carries_retry_after(server: OpenAITestServer) -> None:
    server.enqueue(
        HttpError(
            429,
            json_error={"message": "Slow down", "type": "requests"},
            headers={"Retry-After": "7"},
        )
    )

    with pytest.raises(openai.RateLimitError, match="Slow down") as raised:
        stream_chunks(server)

    assert raised.value.response.headers["retry-after"] == "7"


def test_proxy_html_error_page(server: OpenAITestServer) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.enqueue(HttpError(502, html=page))

    with pytest.raises(openai.InternalServerError) as raised:
        stream_chunks(server)

    assert raised.value.status_code == 502
    assert raised.value.response.headers["content-type"].startswith("text/html")
    assert raised.value.response.text == page


def test_reject_stream_options_like_older_servers(server: OpenAITestServer) -> None:
    script = ChatScript.text("fine", reject_stream_options=True)
    server.enqueue(script, script)

    with pytest.raises(openai.BadRequestError, match="Unrecognized request argument supplied"):
        stream_chunks(server, stream_options={"include_usage": True})
    assert content_of(stream_chunks(server)) == "fine"


def test_unknown_model_is_404_unless_a_script_is_queued(server: OpenAITestServer) -> None:
    with sync_client(server) as client:
        with pytest.raises(openai.NotFoundError) as raised:
            client.chat.completions.create(model="no-such-model", messages=USER)
        assert raised.value.code == "model_not_found"

        server.enqueue(ChatScript([Text("queued wins")]))
        reply = client.chat.completions.create(model="no-such-model", messages=USER)

    assert reply.choices[0].message.content == "queued wins"
    assert reply.model == "no-such-model"


def http_request(
    url: str, method: str = "POST", body: bytes | Iterator[bytes] | None = None
) -> tuple[int, Any]:
    """A plain HTTP/1.1 request with the standard library (no client of the SDK's)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        headers = {"Content-Type": "application/json"}
        chunked = body is not None and not isinstance(body, bytes)
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        conn.request(method, parts.path, body=body, headers=headers, encode_chunked=chunked)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def test_unknown_path_is_404_json(server: OpenAITestServer) -> None:
    status, body = http_request(f"{server.root_url}/v1/completions-typo", body=b"{}")
    outside, _ = http_request(f"{server.root_url}/", "GET")

    assert status == 404
    assert body["error"]["type"] == "invalid_request_error"
    assert outside == 404


def test_bad_json_body_is_400(server: OpenAITestServer) -> None:
    status, body = http_request(f"{server.base_url}/chat/completions", body=b"{not json")

    assert status == 400
    assert "JSON" in body["error"]["message"]


def test_chunked_request_bodies_are_read(server: OpenAITestServer) -> None:
    body = json.dumps({"model": "test-model", "messages": USER}).encode()

    def pieces() -> Iterator[bytes]:
        yield body[:10]
        yield body[10:]

    _, reply = http_request(f"{server.base_url}/chat/completions", body=pieces())

    assert reply["choices"][0]["message"]["content"] == "You said: hi there"
    assert server.requests[-1].headers["transfer-encoding"] == "chunked"


# ---- non-streaming ---------------------------------------------------------------------------


def test_non_streaming_reply_is_built_from_the_script(server: OpenAITestServer) -> None:
    server.enqueue(
        ChatScript(
            [
                Reasoning("hmm"),
                Text("Hello "),
                Text("there"),
                ToolCallPart(0, id="call_1", name="lookup", arguments='{"q":'),
                ToolCallPart(0, arguments=' "x"}'),
                Finish("tool_calls"),
                UsageChunk(prompt=3, completion=4),
            ]
        )
    )

    with sync_client(server) as client:
        reply = client.chat.completions.create(model="test-model-large", messages=USER)

    choice = reply.choices[0]
    assert choice.message.content == "Hello there"
    assert (choice.message.model_extra or {})["reasoning_content"] == "hmm"
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls is not None
    call = choice.message.tool_calls[0]
    assert call.id == "call_1"
    assert call.type == "function"
    assert (call.function.name, call.function.arguments) == ("lookup", '{"q": "x"}')
    assert reply.usage is not None and reply.usage.total_tokens == 7
    assert reply.model == "test-model-large"


def test_non_streaming_in_stream_error_becomes_a_500(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript([Text("x"), InStreamError("boom")]))

    with sync_client(server) as client, pytest.raises(openai.InternalServerError, match="boom"):
        client.chat.completions.create(model="test-model", messages=USER)


# ---- models, keys, recording ------------------------------------------------------------------


def test_models_endpoint_lists_the_models() -> None:
    with OpenAITestServer(models=["alpha", "beta"]) as server, sync_client(server) as client:
        listed = [m.id for m in client.models.list()]
        one = client.models.retrieve("beta")
        with pytest.raises(openai.NotFoundError):
            client.models.retrieve("gamma")

    assert listed == ["alpha", "beta"]
    assert one.id == "beta"


def test_wrong_api_key_is_401_without_echoing_any_key() -> None:
    right, wrong = "sk-right-0123456789", "sk-wrong-9876543210"
    with OpenAITestServer(api_key=right) as server:
        with (
            sync_client(server, api_key=wrong) as client,
            pytest.raises(openai.AuthenticationError) as raised,
        ):
            client.models.list()
        with sync_client(server, api_key=right) as client:
            reply = client.chat.completions.create(model="test-model", messages=USER)

    text = raised.value.response.text
    assert raised.value.code == "invalid_api_key"
    assert "Incorrect API key provided" in raised.value.message
    assert right not in text and wrong not in text
    assert reply.choices[0].message.content == "You said: hi there"
    assert right not in repr(server.requests[-1])
    assert right not in repr(server)


def test_requests_are_recorded(server: OpenAITestServer) -> None:
    with sync_client(server) as client:
        client.chat.completions.create(model="test-model", messages=USER, temperature=0.5)

    assert server.wait_for_requests(1, 1.0)
    recorded = server.requests[0]
    assert (recorded.method, recorded.path) == ("POST", "/v1/chat/completions")
    assert recorded.body is not None
    assert recorded.body["temperature"] == 0.5
    assert recorded.headers["content-type"] == "application/json"
    assert json.loads(recorded.raw_body) == recorded.body
    assert not server.wait_for_requests(2, 0.0)


def test_queued_scripts_are_used_in_order_then_the_default(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript.text("first"), ChatScript.text("second"))
    server.set_default(ChatScript.text("default"))

    replies = [content_of(stream_chunks(server)) for _ in range(3)]

    assert replies == ["first", "second", "default"]


def test_default_can_be_a_factory_of_the_request(server: OpenAITestServer) -> None:
    server.set_default(lambda request: ChatScript.text(f"{len(request.raw_body)} bytes"))

    assert content_of(stream_chunks(server)).endswith(" bytes")


# ---- helpers and the command line --------------------------------------------------------------


def test_split_words_joins_back_exactly() -> None:
    for text in ["Hello world", "  leading and trailing  ", "a\nb\n\nc", "", "one"]:
        assert "".join(split_words(text)) == text
    assert split_words("Hello big world") == ["Hello", " big", " world"]


def test_markdown_demo_has_the_usual_blocks(server: OpenAITestServer) -> None:
    server.enqueue(ChatScript.markdown_demo())

    text = content_of(stream_chunks(server))

    assert text == MARKDOWN_DEMO
    assert "## " in text and "\n1. " in text and "|---|" in text and "```python" in text


def test_port_in_use_is_reported_by_start(server: OpenAITestServer) -> None:
    with pytest.raises(OSError):
        OpenAITestServer(port=server.port).start()


def test_plain_socket_keep_alive_and_connection_close(server: OpenAITestServer) -> None:
    request = b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"
    closing = b"GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request + closing)  # pipelined
        received = b""
        while chunk := sock.recv(65536):
            received += chunk

    assert received.count(b"HTTP/1.1 200 OK") == 2


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_command_line_serves_until_interrupted() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.testserver", "--port", "0", "--delay", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            base_url = banner.split()[3]
            client = openai.OpenAI(base_url=base_url, api_key="k", max_retries=0, timeout=5.0)
            with client:
                echo = client.chat.completions.create(model="test-model", messages=USER)
                demo = client.chat.completions.create(
                    model="test-model", messages=[{"role": "user", "content": "show markdown"}]
                )
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=5) == 0
        finally:
            if process.poll() is None:
                process.kill()

    assert banner.startswith("Test server on http://127.0.0.1:")
    assert "--model test-model" in banner
    assert echo.choices[0].message.content == "You said: hi there"
    assert demo.choices[0].message.content == MARKDOWN_DEMO
