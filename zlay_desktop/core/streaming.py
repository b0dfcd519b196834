"""The one seam to OpenAI-compatible servers: a request in, typed stream events out.

The request goes through the real `openai` SDK (`AsyncOpenAI.chat.completions.create` with
`stream=True`, via `with_streaming_response`), which builds it, authenticates and raises its
typed errors for HTTP statuses. The SSE body is then read line by line and parsed here with
`json.loads`: the SDK's typed chunk objects cost ~250 µs a chunk, five times the parse below,
and every microsecond here is taken from painting on the GUI thread.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from zlay_desktop.core import errors
from zlay_desktop.core.attachments import document_block
from zlay_desktop.core.events import (
    ReasoningDelta,
    RefusalDelta,
    RequestSent,
    StreamEvent,
    StreamFailed,
    StreamFinished,
    TextDelta,
    ToolCallDelta,
    UsageReported,
)
from zlay_desktop.core.i18n import translate
from zlay_desktop.core.models import (
    AttachmentKind,
    ChatError,
    ChatRequest,
    Endpoint,
    ErrorKind,
    Message,
    ReplyState,
    Role,
    Usage,
)
from zlay_desktop.core.tools import TOOL_INTERRUPTED

if TYPE_CHECKING:
    from openai import AsyncOpenAI

log = logging.getLogger(__name__)


class ChatBackend(Protocol):
    """Streams one reply. Never raises for server trouble: it ends with StreamFailed instead."""

    def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]: ...

    async def aclose(self) -> None: ...


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def wire_text(text: str) -> str:
    """``text`` as it can travel in a UTF-8 request body: a lone surrogate (from a server's
    ``\\ud800`` escape, or pasted) becomes U+FFFD. The SDK encodes the body as UTF-8 and
    would fail on it, for this request and every later one of the conversation. What is
    stored and shown keeps the text exactly."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


def build_messages(request: ChatRequest) -> list[dict[str, Any]]:
    """The `messages` array: system prompt, then the history as the API expects it."""
    out: list[dict[str, Any]] = []
    if request.params.system_prompt.strip():
        out.append({"role": "system", "content": wire_text(request.params.system_prompt)})
    for m in request.messages:
        if m.role is Role.ASSISTANT:
            item: dict[str, Any] = {
                "role": "assistant",
                "content": wire_text(m.content or m.refusal),
            }
            if m.tool_calls:
                item["tool_calls"] = [
                    {
                        "id": c.id,
                        "type": c.type,
                        "function": {
                            "name": wire_text(c.name),
                            "arguments": wire_text(c.arguments),
                        },
                    }
                    for c in m.tool_calls
                ]
            out.append(item)
        elif m.role is Role.TOOL:
            out.append(
                {"role": "tool", "content": wire_text(m.content), "tool_call_id": m.tool_call_id}
            )
        elif m.attachments:
            out.append({"role": m.role.value, "content": content_parts(m, request)})
        else:
            out.append({"role": m.role.value, "content": wire_text(m.content)})
    return out


def content_parts(message: Message, request: ChatRequest) -> list[dict[str, Any]]:
    """A message with attachments as OpenAI content parts: its text, then each document
    as a text part (its name, its text fenced), then each image as a data URL. Never a
    `file` part: OpenAI-compatible gateways drop or refuse those."""
    parts: list[dict[str, Any]] = []
    if message.content:
        parts.append({"type": "text", "text": wire_text(message.content)})
    images: list[dict[str, Any]] = []
    for a in message.attachments:
        data = request.attachment_data.get(a.sha256)
        if data is None:  # its file is gone: say so rather than fail the whole request
            parts.append({"type": "text", "text": f"[The attachment “{a.name}” is missing.]"})
        elif a.kind is AttachmentKind.IMAGE:
            url = f"data:{a.mime};base64,{base64.b64encode(data).decode('ascii')}"
            images.append({"type": "image_url", "image_url": {"url": url, "detail": "auto"}})
        else:
            text = data.decode("utf-8", "surrogatepass")
            parts.append({"type": "text", "text": wire_text(document_block(a.name, text))})
    return parts + images


def build_arguments(request: ChatRequest, include_usage: bool) -> dict[str, Any]:
    p = request.params
    kwargs: dict[str, Any] = {
        "model": p.model,
        "messages": build_messages(request),
        "stream": True,
    }
    if p.temperature is not None:
        kwargs["temperature"] = p.temperature
    if p.top_p is not None:
        kwargs["top_p"] = p.top_p
    if p.max_tokens is not None:
        kwargs["max_tokens"] = p.max_tokens
    if request.tools:
        kwargs["tools"] = list(request.tools)
    if include_usage:
        kwargs["stream_options"] = {"include_usage": True}
    return kwargs


class _ThinkTagSplitter:
    """Routes `<think>…</think>` at the start of `content` to reasoning (some servers do that)."""

    OPEN, CLOSE = "<think>", "</think>"

    def __init__(self) -> None:
        self._state = "start"  # start -> (thinking -> answer) | answer
        self._held = ""

    def feed(self, text: str) -> Iterator[StreamEvent]:
        if self._state == "answer":
            yield TextDelta(text)
            return
        text = self._held + text
        self._held = ""
        if self._state == "start":
            stripped = text.lstrip()
            if not stripped or (len(stripped) < len(self.OPEN) and self.OPEN.startswith(stripped)):
                self._held = text  # maybe the start of "<think>": wait for more
                return
            if not stripped.startswith(self.OPEN):
                self._state = "answer"
                yield TextDelta(text)
                return
            self._state = "thinking"
            text = stripped[len(self.OPEN) :]
        # thinking
        end = text.find(self.CLOSE)
        if end >= 0:
            if end:
                yield ReasoningDelta(text[:end])
            self._state = "answer"
            rest = text[end + len(self.CLOSE) :].lstrip("\n")
            if rest:
                yield TextDelta(rest)
            return
        # Hold back a possible partial "</think>" at the end.
        keep = 0
        for k in range(min(len(self.CLOSE) - 1, len(text)), 0, -1):
            if self.CLOSE.startswith(text[-k:]):
                keep = k
                break
        if keep:
            self._held = text[-keep:]
            text = text[:-keep]
        if text:
            yield ReasoningDelta(text)

    def flush(self) -> Iterator[StreamEvent]:
        if self._held:
            held, self._held = self._held, ""
            yield ReasoningDelta(held) if self._state == "thinking" else TextDelta(held)


class ChunkParser:
    """Turns SSE lines of a chat-completions stream into events. Defensive about shape:
    empty `choices`, missing `delta`, either reasoning field, repeated fields, unknown
    fields, errors inside a 200 stream."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self.finish_reason: str | None = None
        self.done = False
        self.failed: StreamFailed | None = None
        self._secrets = secrets
        self._think = _ThinkTagSplitter()

    def feed_line(self, line: str) -> Iterator[StreamEvent]:
        if not line.startswith("data:"):
            # Blank separators, `: keep-alive` comments, `event:`/`id:`/`retry:` fields.
            return
        data = line[5:].strip()
        if not data:
            return
        if data == "[DONE]":
            self.done = True
            return
        try:
            obj = json.loads(data)
        except ValueError:
            self.failed = StreamFailed(
                ChatError(
                    ErrorKind.MALFORMED,
                    translate(
                        "ChatError", "The server sent data that could not be read (not valid JSON)."
                    ),
                    detail=errors.redact(data[:200], self._secrets),
                )
            )
            yield self.failed
            return
        if not isinstance(obj, dict):
            return
        error = obj.get("error")
        if error:
            self.failed = StreamFailed(errors.in_stream_error(obj, self._secrets))
            yield self.failed
            return
        choices = obj.get("choices")
        if choices:
            for choice in choices:
                if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                    continue  # n=1: other choices (never requested) are ignored
                delta = choice.get("delta")
                if isinstance(delta, dict):
                    yield from self._delta(delta)
                reason = choice.get("finish_reason")
                if reason and isinstance(reason, str):
                    self.finish_reason = reason
        usage = obj.get("usage")
        if isinstance(usage, dict):
            yield UsageReported(_usage(usage))

    def _delta(self, delta: dict[str, Any]) -> Iterator[StreamEvent]:
        content = delta.get("content")
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if reasoning and isinstance(reasoning, str):
            yield ReasoningDelta(reasoning)
        if content and isinstance(content, str):
            yield from self._think.feed(content)
        refusal = delta.get("refusal")
        if refusal and isinstance(refusal, str):
            yield RefusalDelta(refusal)
        tool_calls = delta.get("tool_calls")
        if tool_calls and isinstance(tool_calls, list):
            for position, call in enumerate(tool_calls):
                if not isinstance(call, dict):
                    continue
                function = call.get("function") or {}
                if not isinstance(function, dict):
                    function = {}
                index = call.get("index", position)
                arguments = function.get("arguments")
                yield ToolCallDelta(
                    index=index if isinstance(index, int) else position,
                    id=call.get("id") if isinstance(call.get("id"), str) else None,
                    name=function.get("name") if isinstance(function.get("name"), str) else None,
                    arguments=arguments if isinstance(arguments, str) else "",
                )

    def end(self) -> Iterator[StreamEvent]:
        """The body ended: exactly one terminal event (unless one was already sent)."""
        if self.failed is not None:
            return
        yield from self._think.flush()
        if self.finish_reason is not None:
            yield StreamFinished(self.finish_reason)
        elif self.done:
            # [DONE] without a finish reason: some servers do that; the answer is complete.
            yield StreamFinished("stop")
        else:
            yield StreamFailed(errors.incomplete())


def _usage(raw: dict[str, Any]) -> Usage:
    def num(key: str, source: dict[str, Any] = raw) -> int | None:
        value = source.get(key)
        return value if isinstance(value, int) else None

    details = raw.get("completion_tokens_details")
    return Usage(
        prompt_tokens=num("prompt_tokens"),
        completion_tokens=num("completion_tokens"),
        total_tokens=num("total_tokens"),
        reasoning_tokens=num("reasoning_tokens", details) if isinstance(details, dict) else None,
    )


def _rejects_stream_options(exc: BaseException) -> bool:
    status = getattr(exc, "status_code", None)
    if status not in (400, 422):
        return False
    text = str(exc).lower()
    response = getattr(exc, "response", None)
    # A body we cannot read says nothing either way.
    with contextlib.suppress(Exception):
        text += str(response.text).lower() if response is not None else ""
    return "stream_options" in text or "include_usage" in text


class OpenAIChatBackend:
    """`ChatBackend` over `openai.AsyncOpenAI`. One client (connection pool) per endpoint."""

    def __init__(self) -> None:
        self._clients: dict[Endpoint, AsyncOpenAI] = {}
        # Servers that answered 400 to `stream_options`: asked without it from then on.
        self._no_stream_options: set[str] = set()

    def client(self, endpoint: Endpoint) -> AsyncOpenAI:
        client = self._clients.get(endpoint)
        if client is None:
            client = make_client(endpoint)
            self._clients[endpoint] = client
        return client

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.close()

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        endpoint = request.endpoint
        secrets = (endpoint.api_key,) if endpoint.api_key else ()
        include_usage = request.include_usage and endpoint.base_url not in self._no_stream_options
        parser = ChunkParser(secrets)
        try:
            client = self.client(endpoint)
            # Sent once the client exists, so "time to first token" measures the server.
            yield RequestSent()
            try:
                async for event in self._read(client, request, include_usage, parser):
                    yield event
            except Exception as exc:
                if not (include_usage and _rejects_stream_options(exc)):
                    raise
                # Older servers reject `stream_options`: ask once more without it.
                log.info("server rejected stream_options; retrying without it")
                self._no_stream_options.add(endpoint.base_url)
                parser = ChunkParser(secrets)
                async for event in self._read(client, request, False, parser):
                    yield event
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            error = errors.describe_exception(
                exc,
                endpoint.base_url,
                request.params.model,
                idle_timeout_s=endpoint.idle_timeout_s,
                secrets=secrets,
            )
            if error.kind is ErrorKind.UNEXPECTED:
                log.error("unexpected error while streaming", exc_info=exc)
            else:
                log.warning("reply failed: %s (%s)", error.message, error.detail)
            yield StreamFailed(error)
            return
        for event in parser.end():
            yield event

    async def _read(
        self,
        client: AsyncOpenAI,
        request: ChatRequest,
        include_usage: bool,
        parser: ChunkParser,
    ) -> AsyncIterator[StreamEvent]:
        arguments = build_arguments(request, include_usage)
        # The SDK checks and converts every message against its TypedDicts, on the GUI
        # thread: ~180 µs a message, 0.2-0.4 s a Send in a 1,000-message conversation.
        # Passed as extra_body (merged into the JSON as is), the history goes out as built.
        arguments["extra_body"] = {"messages": arguments["messages"]}
        arguments["messages"] = []
        # The body's line iterator is a chain of async generators inside the HTTP client.
        # Left half-read, it would be finalized later by the garbage collector, outside
        # this task; so it is always run to its end here: after [DONE] the body ends by
        # itself, and after a failure the body is closed, which ends it with a read error.
        failed: StreamFailed | None = None
        async with client.chat.completions.with_streaming_response.create(**arguments) as response:
            feed = parser.feed_line
            try:
                async for line in response.iter_lines():
                    if parser.done or failed is not None:
                        continue
                    for event in feed(line):
                        if event is parser.failed:
                            failed = parser.failed
                            await response.close()
                            break
                        yield event
            except Exception:
                if failed is None:
                    raise
        if failed is not None:
            yield failed


def make_client(endpoint: Endpoint) -> AsyncOpenAI:
    """An SDK client with desktop-friendly timeouts: a short connect timeout and an idle
    (read) timeout instead of the SDK's 10 minutes; no silent retries: the user sees what
    happened and has a Retry button."""
    import openai  # deferred: importing openai costs about a second at startup

    timeout = openai.Timeout(
        connect=endpoint.connect_timeout_s,
        read=endpoint.idle_timeout_s,
        write=30.0,
        pool=endpoint.connect_timeout_s,
    )
    http_client = None
    if endpoint.proxy:
        http_client = openai.DefaultAsyncHttpxClient(proxy=endpoint.proxy, timeout=timeout)
    return openai.AsyncOpenAI(
        api_key=endpoint.api_key or "not-needed",
        base_url=endpoint.base_url,
        timeout=timeout,
        max_retries=0,
        default_headers=dict(endpoint.extra_headers) or None,
        http_client=http_client,
    )


def history_for_request(messages: list[Message]) -> tuple[Message, ...]:
    """The messages worth sending, in a shape every provider accepts: failed replies with
    no text are left out; every tool call of a finished reply is followed by its answer
    (one is supplied when the app died or was stopped before it came); tool calls of a
    reply cut short, and results no call asked for, are left out (providers answer 400 to
    "role tool must follow tool_calls")."""
    out: list[Message] = []
    pending: list[str] = []

    def close_pending() -> None:
        for call_id in pending:
            out.append(Message(role=Role.TOOL, content=TOOL_INTERRUPTED, tool_call_id=call_id))
        pending.clear()

    for m in messages:
        if m.role is Role.TOOL:
            if m.tool_call_id in pending:
                pending.remove(m.tool_call_id)
                out.append(m)
            continue
        close_pending()
        if m.role is Role.ASSISTANT:
            if m.tool_calls and m.state is not ReplyState.FINISHED:
                m = replace(m, tool_calls=())
            if not (m.content or m.tool_calls or m.refusal):
                continue
            pending.extend(c.id for c in m.tool_calls)
        out.append(m)
    close_pending()
    return tuple(out)
