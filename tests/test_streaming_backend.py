"""The streaming core against the test server: real SDK, real socket, plain asyncio."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.ports import closed_port
from tests.testserver import (
    ChatScript,
    Close,
    CloseAfterHeaders,
    Gate,
    HttpError,
    InStreamError,
    Malformed,
    OpenAITestServer,
    Reasoning,
    Reset,
    StallBeforeHeaders,
    Text,
    ToolCallPart,
)
from zlay_desktop.core.chat_session import ChatSession, ReplyTarget
from zlay_desktop.core.events import StreamEvent, StreamFailed, StreamFinished, TextDelta
from zlay_desktop.core.models import (
    ChatParams,
    ChatRequest,
    Endpoint,
    ErrorKind,
    Message,
    ReplyState,
    Role,
)
from zlay_desktop.core.streaming import OpenAIChatBackend

KEY = "sk-test-abcdefghijklmnop"


def request(base_url: str, text: str = "hi", **endpoint: float) -> ChatRequest:
    return ChatRequest(
        endpoint=Endpoint(base_url=base_url, api_key=KEY, **endpoint),  # type: ignore[arg-type]
        params=ChatParams(model="test-model", system_prompt="Be brief."),
        messages=(Message(role=Role.USER, content=text),),
    )


async def collect(req: ChatRequest) -> list[StreamEvent]:
    backend = OpenAIChatBackend()
    try:
        return [e async for e in backend.stream(req)]
    finally:
        await backend.aclose()


def test_events_arrive_in_order_and_end_once(server: OpenAITestServer) -> None:
    events = asyncio.run(collect(request(server.base_url, "hello there")))
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "You said: hello there"
    assert events[-1] == StreamFinished("stop")
    assert sum(isinstance(e, StreamFinished | StreamFailed) for e in events) == 1
    body = server.requests[-1].body
    assert body is not None and body["messages"][0] == {"role": "system", "content": "Be brief."}


@pytest.mark.parametrize(
    ("script", "kind", "words"),
    [
        (HttpError(401), ErrorKind.AUTH, "API key was rejected"),
        (HttpError(404), ErrorKind.NOT_FOUND, "'test-model'"),
        (HttpError(429, headers={"Retry-After": "3"}), ErrorKind.RATE_LIMITED, "3 s"),
        (HttpError(503), ErrorKind.SERVER, "HTTP 503"),
        (HttpError(502, html="<!DOCTYPE html><html><body>Bad gateway</body></html>"), ErrorKind.NOT_AN_API, "web page"),
        (HttpError(400, json_error={"message": "context too long"}), ErrorKind.BAD_REQUEST, "context too long"),
        (CloseAfterHeaders(), ErrorKind.INCOMPLETE, "before the answer was complete"),
        (ChatScript([Text("a"), Reset()], auto_finish=False), ErrorKind.CONNECTION, "was lost"),
        (ChatScript([Text("a"), InStreamError("boom")], auto_finish=False), ErrorKind.STREAM_ERROR, "boom"),
        (ChatScript([Text("a"), Malformed()], auto_finish=False), ErrorKind.MALFORMED, "not valid JSON"),
        (ChatScript([Text("a"), Close()], auto_finish=False), ErrorKind.INCOMPLETE, "before the answer"),
    ],
)
def test_failures_become_one_clear_error(server: OpenAITestServer, script: object, kind: ErrorKind, words: str) -> None:
    server.enqueue(script)  # type: ignore[arg-type]
    events = asyncio.run(collect(request(server.base_url)))
    last = events[-1]
    assert isinstance(last, StreamFailed), events
    assert last.error.kind is kind, last.error
    assert words in last.error.message
    assert KEY not in repr(events)


def test_rate_limit_carries_the_wait(server: OpenAITestServer) -> None:
    server.enqueue(HttpError(429, headers={"Retry-After": "7"}))
    last = asyncio.run(collect(request(server.base_url)))[-1]
    assert isinstance(last, StreamFailed) and last.error.retry_after == 7


def test_connection_refused_and_dns_failure() -> None:
    port = closed_port()
    last = asyncio.run(collect(request(f"http://127.0.0.1:{port}/v1")))[-1]
    assert isinstance(last, StreamFailed) and last.error.kind is ErrorKind.CONNECTION
    assert f"Nothing is listening at 127.0.0.1:{port}" in last.error.message
    last = asyncio.run(collect(request("http://no-such-host.invalid/v1")))[-1]
    assert isinstance(last, StreamFailed) and last.error.kind is ErrorKind.CONNECTION
    assert "could not be found" in last.error.message


def test_stall_before_headers_times_out(server: OpenAITestServer) -> None:
    server.enqueue(StallBeforeHeaders())
    last = asyncio.run(collect(request(server.base_url, idle_timeout_s=0.3)))[-1]
    assert isinstance(last, StreamFailed) and last.error.kind is ErrorKind.TIMEOUT
    assert "0.3 s" in last.error.message


def test_session_keeps_partial_text_and_ends_in_exactly_one_state(server: OpenAITestServer) -> None:
    gate = threading.Event()
    server.enqueue(ChatScript([Reasoning("hmm"), ToolCallPart(0, id="c1", name="f", arguments="{}"), Text("part"), Gate(gate, timeout=30)]))
    seen: list[StreamEvent] = []

    async def scenario() -> Message:
        session = ChatSession(OpenAIChatBackend())
        target = ReplyTarget(Endpoint(server.base_url, KEY), ChatParams(model="test-model"))

        def on_event(event: StreamEvent) -> None:
            seen.append(event)
            if isinstance(event, TextDelta):
                session.stop()

        try:
            return await session.send("x", target, on_event)
        finally:
            await session.aclose()

    final = asyncio.run(scenario())
    assert final.state is ReplyState.STOPPED
    assert (final.content, final.reasoning) == ("part", "hmm")
    assert final.tool_calls[0].name == "f"
    assert server.wait_for_disconnect(1.0)


@pytest.mark.parametrize("proxy", ["http://user:pw@127.0.0.1:3128", "socks5://127.0.0.1:1080"])
def test_clients_are_built_for_http_and_socks_proxies(proxy: str) -> None:
    from zlay_desktop.core.streaming import make_client

    client = make_client(Endpoint(base_url="http://127.0.0.1:1/v1", api_key=KEY, proxy=proxy))
    assert str(client.base_url).startswith("http://127.0.0.1:1/v1")
    asyncio.run(client.close())
