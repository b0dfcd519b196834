"""A scriptable OpenAI-compatible HTTP server for tests, benchmarks and demos.

It speaks just enough HTTP/1.1 (keep-alive, ``Content-Length`` and chunked request bodies,
chunked responses) over plain asyncio streams, so that every fault a real provider or proxy
can produce — a reset, a close right after the headers, an error inside a 200 stream, a reply
that never comes — is under the script's exact control.

The server runs its own event loop in a background thread, so tests whose main thread runs a
Qt loop can talk to it with the real ``openai`` SDK::

    with OpenAITestServer() as server:
        gate = threading.Event()
        server.enqueue(ChatScript([Text("Hello"), Gate(gate), Text(" world")]))
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        ...  # "Hello" arrives; " world" only once gate.set() is called

Responses to chat requests use chunked transfer encoding on keep-alive connections; a script
that ends in ``Reset``/``Close`` announces ``Connection: close`` so the client's pool never
reuses a connection the script is about to drop. Note that only on Linux and macOS does a
client reliably read the data sent before a ``Reset``; Windows may discard it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hmac
import io
import itertools
import json
import logging
import re
import socket
import ssl
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Final, Literal, Self, TypeAlias

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Script steps. Each step of a ChatScript is one of these small frozen values.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """One chunk with ``delta.content``."""

    text: str


@dataclass(frozen=True, slots=True)
class Reasoning:
    """One chunk of reasoning ("thinking") text, in the field the provider uses."""

    text: str
    field: Literal["reasoning_content", "reasoning"] = "reasoning_content"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One chunk with ``delta.refusal``."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolCallPart:
    """A ``delta.tool_calls`` fragment. ``id`` and ``name`` appear only when given."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(frozen=True, slots=True)
class Finish:
    """A chunk with an empty delta and this ``finish_reason``."""

    reason: str = "stop"


@dataclass(frozen=True, slots=True)
class UsageChunk:
    """The ``"choices": []`` chunk that carries token usage."""

    prompt: int = 10
    completion: int = 20
    reasoning: int | None = None


@dataclass(frozen=True, slots=True)
class Done:
    """``data: [DONE]``."""


@dataclass(frozen=True, slots=True)
class Delay:
    """Pace the stream: what follows is sent no earlier than ``seconds`` after what came before.

    Delays are scheduled against a running deadline, so thousands of tiny delays keep their
    average rate although one loop turn takes about a millisecond.
    """

    seconds: float


@dataclass(frozen=True, slots=True)
class Gate:
    """Flush everything sent so far, then hold the stream until ``event`` is set.

    After ``timeout`` seconds the stream goes on anyway (``None``: wait as long as it takes).
    """

    event: threading.Event
    timeout: float | None = 10.0


@dataclass(frozen=True, slots=True)
class Stall:
    """Flush, then send nothing more until the client disconnects or the server stops."""


@dataclass(frozen=True, slots=True)
class Comment:
    """An SSE comment line, such as ``: keep-alive``."""

    text: str = "keep-alive"


@dataclass(frozen=True, slots=True)
class InStreamError:
    """``data: {"error": {...}}`` inside the 200 stream. It ends the stream (cleanly)."""

    message: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Malformed:
    """A ``data:`` line that is not JSON."""

    text: str = '{"choices": ['


@dataclass(frozen=True, slots=True)
class Reset:
    """Abort the TCP connection with a RST, after flushing what came before."""


@dataclass(frozen=True, slots=True)
class Close:
    """End the body cleanly and close the connection, without ``[DONE]`` or a finish reason."""


@dataclass(frozen=True, slots=True)
class Raw:
    """Bytes written into the response body verbatim."""

    data: bytes


Step: TypeAlias = (
    Text
    | Reasoning
    | Refusal
    | ToolCallPart
    | Finish
    | UsageChunk
    | Done
    | Delay
    | Gate
    | Stall
    | Comment
    | InStreamError
    | Malformed
    | Reset
    | Close
    | Raw
)

# Steps after which the stream is over as far as auto_finish is concerned.
_ENDING_STEPS: Final = (Done, Reset, Close, Stall, InStreamError)


# --------------------------------------------------------------------------------------------
# Whole-response scripts.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpError:
    """An HTTP error instead of a completion.

    The body is OpenAI's JSON error shape with a message fitting ``status``, unless
    ``json_error`` is given (sent as ``{"error": json_error}``, or as is when it already has an
    ``"error"`` key) or ``html`` is given (sent as ``text/html``, like a proxy's error page).
    """

    status: int
    json_error: Mapping[str, Any] | None = None
    html: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CloseAfterHeaders:
    """Send 200 SSE headers for a close-delimited body, then close: an empty, clean stream.

    The client sees a stream that ends before any event (no ``[DONE]``, no finish reason).
    For a connection dropped mid-body instead, script ``ChatScript([Reset()])``.
    """


@dataclass(frozen=True, slots=True)
class StallBeforeHeaders:
    """Read the request and never answer, until the client disconnects or the server stops."""


_WORDS: Final = re.compile(r"\s*\S+|\s+$")


def split_words(text: str) -> list[str]:
    """Split into chunks the way a tokenizer streams: ``["Hello", " world"]``; joins back exactly."""
    return _WORDS.findall(text)


@dataclass(frozen=True, init=False)
class ChatScript:
    """What the server answers to one chat-completions request: steps plus options.

    ``role_chunk`` sends ``{"role": "assistant", "content": ""}`` first. ``auto_finish`` appends
    ``Finish("stop")`` (unless the steps have a Finish) and ``Done()`` when no step ends the
    stream. ``auto_usage`` adds a usage chunk before ``[DONE]`` when the request asked for
    ``stream_options.include_usage`` and no step is a UsageChunk. ``reject_stream_options``
    answers 400 to requests with ``stream_options``, like some older servers. Quirks:
    ``azure_prelude`` (a first chunk with ``"choices": []`` and ``prompt_filter_results``),
    ``repeat_fields`` (``role`` in every chunk, tool ``id``/``type``/``name`` in every
    fragment). ``model`` overrides the model echoed from the request.
    """

    steps: tuple[Step, ...]
    role_chunk: bool
    auto_finish: bool
    auto_usage: bool
    reject_stream_options: bool
    azure_prelude: bool
    repeat_fields: bool
    model: str | None

    def __init__(
        self,
        steps: Sequence[Step] = (),
        *,
        role_chunk: bool = True,
        auto_finish: bool = True,
        auto_usage: bool = True,
        reject_stream_options: bool = False,
        azure_prelude: bool = False,
        repeat_fields: bool = False,
        model: str | None = None,
    ) -> None:
        # Frozen: the dataclass's own __setattr__ refuses, so set through object.
        object.__setattr__(self, "steps", tuple(steps))
        object.__setattr__(self, "role_chunk", role_chunk)
        object.__setattr__(self, "auto_finish", auto_finish)
        object.__setattr__(self, "auto_usage", auto_usage)
        object.__setattr__(self, "reject_stream_options", reject_stream_options)
        object.__setattr__(self, "azure_prelude", azure_prelude)
        object.__setattr__(self, "repeat_fields", repeat_fields)
        object.__setattr__(self, "model", model)

    @classmethod
    def text(
        cls,
        text: str,
        *,
        chunk_size: int | None = None,
        delay: float = 0.0,
        finish: str = "stop",
        role_chunk: bool = True,
        auto_usage: bool = True,
        reject_stream_options: bool = False,
        azure_prelude: bool = False,
        repeat_fields: bool = False,
        model: str | None = None,
    ) -> ChatScript:
        """A plain reply: split on words (or every ``chunk_size`` characters), ``delay`` apart.

        The other keyword arguments are the ChatScript options of the same names.
        """
        if chunk_size is not None:
            if chunk_size < 1:
                raise ValueError("chunk_size must be at least 1")
            pieces = [text[i : i + chunk_size] for i in range(0, len(text), chunk_size)]
        else:
            pieces = split_words(text)
        steps: list[Step] = []
        for i, piece in enumerate(pieces):
            if delay > 0 and i > 0:
                steps.append(Delay(delay))
            steps.append(Text(piece))
        steps.append(Finish(finish))
        return cls(
            steps,
            role_chunk=role_chunk,
            auto_usage=auto_usage,
            reject_stream_options=reject_stream_options,
            azure_prelude=azure_prelude,
            repeat_fields=repeat_fields,
            model=model,
        )

    @classmethod
    def tool_calls(cls, *calls: tuple[str, str, object], text: str = "") -> ChatScript:
        """A reply that asks for tools: ``(call id, tool name, arguments)`` each (arguments
        as JSON text, or a value to encode), streamed in two fragments like real providers,
        then ``finish_reason: "tool_calls"``."""
        steps: list[Step] = [Text(text)] if text else []
        for index, (call_id, name, arguments) in enumerate(calls):
            encoded = arguments if isinstance(arguments, str) else json.dumps(arguments)
            half = len(encoded) // 2
            steps.append(ToolCallPart(index, id=call_id, name=name, arguments=encoded[:half]))
            steps.append(ToolCallPart(index, arguments=encoded[half:]))
        steps.append(Finish("tool_calls"))
        return cls(steps)

    @classmethod
    def markdown_demo(cls, *, delay: float = 0.0, chunk_size: int | None = None) -> ChatScript:
        """A realistic reply with headings, a list, a table and a fenced Python code block."""
        return cls.text(MARKDOWN_DEMO, delay=delay, chunk_size=chunk_size)


Script: TypeAlias = ChatScript | HttpError | CloseAfterHeaders | StallBeforeHeaders
_SCRIPT_TYPES: Final = (ChatScript, HttpError, CloseAfterHeaders, StallBeforeHeaders)

MARKDOWN_DEMO: Final = """\
## Reading a CSV file in Python

Python's standard library already has everything you need. Here is the short version:

1. Open the file with `newline=""` so the `csv` module sees line endings itself.
2. Use `csv.DictReader` to get one **dictionary per row**, keyed by the header.
3. Convert the values you need — every field arrives as a *string*.

### Which reader should I use?

| Reader | Gives you | Best for |
|---|---|---|
| `csv.reader` | lists | quick scripts, files without a header |
| `csv.DictReader` | dicts | readable code, files with a header |
| `pandas.read_csv` | a DataFrame | analysis, large files, type inference |

### Example

```python
import csv
from pathlib import Path


def total_by_city(path: Path) -> dict[str, float]:
    \"\"\"Sum the `amount` column for each city.\"\"\"
    totals: dict[str, float] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            city = row["city"].strip()
            totals[city] = totals.get(city, 0.0) + float(row["amount"])
    return totals


if __name__ == "__main__":
    for city, amount in sorted(total_by_city(Path("sales.csv")).items()):
        print(f"{city:<12} {amount:>10.2f}")
```

> **Tip:** if the file comes from Excel, try `encoding="utf-8-sig"` to drop the byte order mark.

That's it — about a dozen lines, no dependencies.
"""


# --------------------------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------------------------

_SECRET_HEADERS: Final = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization"})


@dataclass(frozen=True, eq=False)
class RecordedRequest:
    """One request as the server received it. Header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    raw_body: bytes

    def __repr__(self) -> str:
        # Requests carry API keys: keep them out of test output and logs.
        shown = {k: ("<redacted>" if k in _SECRET_HEADERS else v) for k, v in self.headers.items()}
        return (
            f"RecordedRequest(method={self.method!r}, path={self.path!r}, headers={shown!r}, "
            f"body={self.body!r})"
        )


ScriptFactory: TypeAlias = Callable[[RecordedRequest], Script]


def last_user_text(request: RecordedRequest) -> str:
    """The text of the last user message of a chat request ("" when there is none)."""
    messages = (request.body or {}).get("messages")
    if not isinstance(messages, list):
        return ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return _content_text(message.get("content"))
    return ""


def tool_results(request: RecordedRequest) -> dict[str, str]:
    """The ``role: tool`` messages of a chat request: their content by ``tool_call_id``."""
    messages = (request.body or {}).get("messages")
    if not isinstance(messages, list):
        return {}
    return {
        str(m.get("tool_call_id")): _content_text(m.get("content"))
        for m in messages
        if isinstance(m, dict) and m.get("role") == "tool"
    }


def offered_tools(request: RecordedRequest) -> list[str]:
    """The names of the tools a chat request offered."""
    tools = (request.body or {}).get("tools")
    if not isinstance(tools, list):
        return []
    return [str(t.get("function", {}).get("name")) for t in tools if isinstance(t, dict)]


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # multimodal parts: keep the text ones
        return "".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""


# ---- content parts (attachments) ------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedImage:
    """An image_url part as the server decoded it (Pillow): a model sees exactly this."""

    format: str  # "PNG", "JPEG" … as decoded, whatever the data URL claimed
    mime: str  # what the data URL claimed
    width: int
    height: int
    detail: str | None


@dataclass(frozen=True)
class ReceivedParts:
    """The content parts of one user message."""

    texts: tuple[str, ...]
    images: tuple[ReceivedImage, ...]

    def file_names(self) -> tuple[str, ...]:
        """The names of the documents sent as "File: <name>" text parts."""
        return tuple(
            t.split("\n", 1)[0].removeprefix("File: ") for t in self.texts if t.startswith("File: ")
        )


_DATA_URL: Final = re.compile(r"data:(image/[a-z0-9.+-]+);base64,(.*)", re.DOTALL)


class BadContentPart(ValueError):
    """A content part a real server would refuse (the server answers 400 with this)."""


def decode_parts(content: object) -> ReceivedParts:
    """A message's ``content``: a string (one text part) or a list of parts, checked the way
    a vision server does: each image's data URL must hold an image it can decode."""
    if isinstance(content, str):
        return ReceivedParts((content,), ())
    if not isinstance(content, list):
        raise BadContentPart("'content' must be a string or a list of content parts.")
    from PIL import Image

    texts: list[str] = []
    images: list[ReceivedImage] = []
    for part in content:
        if not isinstance(part, dict):
            raise BadContentPart("A content part must be an object.")
        kind = part.get("type")
        if kind == "text":
            if not isinstance(part.get("text"), str):
                raise BadContentPart("A text part needs a 'text' string.")
            texts.append(part["text"])
        elif kind == "image_url":
            image_url = part.get("image_url")
            url = image_url.get("url") if isinstance(image_url, dict) else None
            match = _DATA_URL.fullmatch(url) if isinstance(url, str) else None
            if match is None or not isinstance(image_url, dict):
                raise BadContentPart("An image_url part needs a data:image/...;base64 URL.")
            try:
                data = base64.b64decode(match.group(2), validate=True)
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
                    images.append(
                        ReceivedImage(
                            image.format or "",
                            match.group(1),
                            image.width,
                            image.height,
                            image_url.get("detail"),
                        )
                    )
            except (binascii.Error, OSError, ValueError) as exc:
                raise BadContentPart(f"Invalid image data: {exc}.") from exc
        else:
            raise BadContentPart(f"Unsupported content part type: {kind!r}.")
    return ReceivedParts(tuple(texts), tuple(images))


def user_parts(request: RecordedRequest) -> list[ReceivedParts]:
    """The content parts of every user message of a chat request, in order."""
    messages = (request.body or {}).get("messages") or []
    return [
        decode_parts(m.get("content"))
        for m in messages
        if isinstance(m, dict) and m.get("role") == "user"
    ]


def _has_image_parts(body: Mapping[str, Any]) -> bool:
    messages = body.get("messages")
    return isinstance(messages, list) and any(
        isinstance(m, dict)
        and isinstance(m.get("content"), list)
        and any(isinstance(p, dict) and p.get("type") == "image_url" for p in m["content"])
        for m in messages
    )


IMAGES_REFUSED: Final = "This model does not support image inputs."


def echo_reply(request: RecordedRequest) -> Script:
    """The default reply: ``"You said: <last user message>"``, word by word, no delay."""
    return ChatScript.text(f"You said: {last_user_text(request)}")


def demo_reply(delay: float) -> ScriptFactory:
    """Replies for a person watching: the markdown demo when asked for "markdown", else echo."""

    def reply(request: RecordedRequest) -> Script:
        text = last_user_text(request)
        if "markdown" in text.lower():
            return ChatScript.markdown_demo(delay=delay)
        return ChatScript.text(f"You said: {text}", delay=delay)

    return reply


# --------------------------------------------------------------------------------------------
# HTTP/1.1 plumbing
# --------------------------------------------------------------------------------------------

_READ_SIZE: Final = 64 * 1024
_MAX_HEAD: Final = 64 * 1024
_MAX_BODY: Final = 64 * 1024 * 1024
# Batch body writes up to this size when nothing forces a flush.
_WRITE_BATCH: Final = 64 * 1024


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _PeerClosed(Exception):
    """The client closed the connection in the middle of a request."""


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


class _Connection:
    """One client connection: a read buffer shared by the request parser and the EOF watcher."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.buffer = bytearray()

    async def _fill(self) -> bool:
        """Read more into the buffer; False when the client has closed."""
        try:
            data = await self.reader.read(_READ_SIZE)
        except (ConnectionError, OSError):
            return False
        if not data:
            return False
        self.buffer += data
        return True

    async def watch_for_close(self) -> None:
        """Return when the client closes. Whatever it sends meanwhile is kept for later."""
        while await self._fill():
            pass

    async def _read_exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            if not await self._fill():
                raise _PeerClosed
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    async def _read_line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            if len(self.buffer) > _MAX_HEAD:
                raise _BadRequest(400, "Line too long")
            if not await self._fill():
                raise _PeerClosed
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 2]
        return line

    async def _read_chunked_body(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            size_line = await self._read_line()
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadRequest(400, "Malformed chunk size") from None
            if size == 0:
                while await self._read_line():  # trailers, up to the empty line
                    pass
                return b"".join(parts)
            total += size
            if total > _MAX_BODY:
                raise _BadRequest(413, "Request body too large")
            parts.append(await self._read_exact(size))
            if await self._read_exact(2) != b"\r\n":
                raise _BadRequest(400, "Malformed chunk")

    async def read_request(self) -> _Request | None:
        """The next request, or None when the client closed the connection between requests."""
        # Clients may send stray CRLFs between requests (RFC 9112, 2.2).
        while True:
            while self.buffer.startswith(b"\r\n"):
                del self.buffer[:2]
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(self.buffer) > _MAX_HEAD:
                raise _BadRequest(431, "Request header fields too large")
            if not await self._fill():
                return None
        head = bytes(self.buffer[:end]).decode("latin-1")
        del self.buffer[: end + 4]
        request_line, *header_lines = head.split("\r\n")
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _BadRequest(400, "Malformed request line")
        method, target, version = parts
        headers: dict[str, str] = {}
        for line in header_lines:
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip():
                raise _BadRequest(400, "Malformed header line")
            key = name.lower()
            value = value.strip()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value

        if "transfer-encoding" in headers:
            if headers["transfer-encoding"].lower() != "chunked":
                raise _BadRequest(501, "Unsupported transfer encoding")
            body = await self._read_chunked_body()
        elif "content-length" in headers:
            try:
                length = int(headers["content-length"])
            except ValueError:
                raise _BadRequest(400, "Malformed Content-Length") from None
            if length < 0:
                raise _BadRequest(400, "Malformed Content-Length")
            if length > _MAX_BODY:
                raise _BadRequest(413, "Request body too large")
            body = await self._read_exact(length)
        else:
            body = b""

        tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
        keep_alive = "keep-alive" in tokens if version == "HTTP/1.0" else "close" not in tokens
        path = target.split("?", 1)[0]
        return _Request(method.upper(), path, headers, body, keep_alive)


def _status_line(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    return f"HTTP/1.1 {status} {phrase}\r\n"


def _response_head(status: int, headers: Sequence[tuple[str, str]]) -> bytes:
    lines = [_status_line(status)]
    lines.extend(f"{name}: {value}\r\n" for name, value in headers)
    lines.append("\r\n")
    return "".join(lines).encode("latin-1")


def _error_json(
    message: str, type_: str = "invalid_request_error", code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


_DEFAULT_ERRORS: Final[dict[int, tuple[str, str, str | None]]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to access this resource.", "invalid_request_error", None),
    404: (
        "The model does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
    ),
    429: ("Rate limit reached. Please try again later.", "requests", "rate_limit_exceeded"),
    500: (
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        None,
    ),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


def _default_error(status: int) -> dict[str, Any]:
    if status in _DEFAULT_ERRORS:
        return _error_json(*_DEFAULT_ERRORS[status])
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = f"HTTP {status}"
    return _error_json(phrase, "server_error" if status >= 500 else "invalid_request_error")


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def _wait_for_thread_event(event: threading.Event, timeout: float | None) -> bool:
    """Wait for a threading.Event without blocking the loop (a helper thread does the waiting)."""
    if event.is_set():
        return True
    loop = asyncio.get_running_loop()
    settled: asyncio.Future[bool] = loop.create_future()

    def settle(result: bool) -> None:
        if not settled.done():
            settled.set_result(result)

    def wait_in_thread() -> None:
        result = event.wait(timeout)
        # The loop may be gone (server stopped): nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result)

    threading.Thread(target=wait_in_thread, name="testserver-gate", daemon=True).start()
    return await settled


async def _forever() -> None:
    await asyncio.Event().wait()


async def _drain_completely(writer: asyncio.StreamWriter) -> None:
    """Wait until the transport has handed every byte to the kernel.

    ``drain()`` alone only waits for the buffer to fall below the high-water mark; a delay or a
    gate must not start while earlier chunks still sit in user space.
    """
    transport = writer.transport
    if transport.is_closing():
        raise ConnectionResetError("Connection lost")
    if transport.get_write_buffer_size() == 0:
        return
    low, high = transport.get_write_buffer_limits()
    transport.set_write_buffer_limits(high=0, low=0)
    try:
        await writer.drain()
    finally:
        if not transport.is_closing():
            transport.set_write_buffer_limits(high=high, low=low)


def _abort_with_reset(writer: asyncio.StreamWriter) -> None:
    """Close the socket so that the peer gets a RST rather than a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class _ChunkedBody:
    """A chunked response body that batches small writes and flushes on demand."""

    def __init__(self, writer: asyncio.StreamWriter, head: bytes) -> None:
        self._writer = writer
        self._head = head  # sent with the first flush, so headers and first chunks share a write
        self._pending: list[bytes] = []
        self.pending_size = 0

    def add(self, data: bytes) -> None:
        if data:
            self._pending.append(data)
            self.pending_size += len(data)

    def _write_pending(self, terminate: bool = False) -> None:
        transport = self._writer.transport
        if transport.is_closing():
            raise ConnectionResetError("Connection lost")
        out = [self._head] if self._head else []
        self._head = b""
        if self._pending:
            out.append(b"%x\r\n" % self.pending_size)
            out.extend(self._pending)
            out.append(b"\r\n")
            self._pending.clear()
            self.pending_size = 0
        if terminate:
            out.append(b"0\r\n\r\n")
        if out:
            self._writer.write(b"".join(out))

    async def write_batch(self) -> None:
        """Send what is pending; wait only if the client is not keeping up."""
        self._write_pending()
        await self._writer.drain()

    async def flush(self) -> None:
        """Send what is pending and wait until it has left the process."""
        self._write_pending()
        await _drain_completely(self._writer)

    async def finish(self) -> None:
        """End the body (zero-length chunk) and send everything."""
        self._write_pending(terminate=True)
        await _drain_completely(self._writer)


# --------------------------------------------------------------------------------------------
# Script compilation: steps -> pre-encoded bytes and timing/fault operations.
# --------------------------------------------------------------------------------------------

_Op: TypeAlias = bytes | Delay | Gate | Stall | Reset | Close


@dataclass(frozen=True, slots=True)
class _ReplyContext:
    completion_id: str
    created: int
    model: str
    include_usage: bool
    prompt_tokens: int


def _usage_json(prompt: int, completion: int, reasoning: int | None = None) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if reasoning is not None:
        usage["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return usage


def _stream_steps(script: ChatScript, include_usage: bool) -> list[Step]:
    """The script's steps with auto_finish and auto_usage applied."""
    steps = list(script.steps)
    if script.auto_finish and not any(isinstance(s, _ENDING_STEPS) for s in steps):
        if not any(isinstance(s, Finish) for s in steps):
            # Providers send the finish chunk before the usage chunk.
            at = len(steps)
            while at > 0 and isinstance(steps[at - 1], UsageChunk):
                at -= 1
            steps.insert(at, Finish("stop"))
        steps.append(Done())
    if include_usage and script.auto_usage and not any(isinstance(s, UsageChunk) for s in steps):
        for i, step in enumerate(steps):
            if isinstance(step, Done):
                # Placeholder: the counts are filled in while encoding.
                steps.insert(i, UsageChunk(prompt=-1, completion=-1))
                break
    return steps


class _ChunkEncoder:
    """Encodes chunks with a pre-encoded envelope: only the delta is serialised per chunk."""

    def __init__(self, ctx: _ReplyContext, repeat_fields: bool) -> None:
        self._ctx = ctx
        self._repeat_fields = repeat_fields
        envelope = _dumps(
            {
                "id": ctx.completion_id,
                "object": "chat.completion.chunk",
                "created": ctx.created,
                "model": ctx.model,
            }
        )[:-1]
        self._envelope = envelope
        self._choice_head = b"data: " + envelope + b',"choices":[{"index":0,"delta":'
        usage_tail = b',"usage":null' if ctx.include_usage else b""
        self._open_tail = b',"logprobs":null,"finish_reason":null}]' + usage_tail + b"}\n\n"
        self._finish_tail = usage_tail + b"}\n\n"
        self._tool_ids: dict[int, tuple[str | None, str | None]] = {}

    def delta(self, delta: dict[str, Any]) -> bytes:
        if self._repeat_fields:
            delta = {"role": "assistant", **delta}
        return self._choice_head + _dumps(delta) + self._open_tail

    def finish(self, reason: str) -> bytes:
        delta = b'{"role":"assistant"}' if self._repeat_fields else b"{}"
        return (
            self._choice_head
            + delta
            + b',"logprobs":null,"finish_reason":'
            + _dumps(reason)
            + b"}]"
            + self._finish_tail
        )

    def tool_call(self, part: ToolCallPart) -> bytes:
        call_id, name = part.id, part.name
        if self._repeat_fields:
            known_id, known_name = self._tool_ids.get(part.index, (None, None))
            call_id = call_id or known_id
            name = name or known_name
            self._tool_ids[part.index] = (call_id, name)
        fragment: dict[str, Any] = {"index": part.index}
        if call_id is not None:
            fragment["id"] = call_id
        if call_id is not None or name is not None:
            fragment["type"] = "function"
        function: dict[str, Any] = {}
        if name is not None:
            function["name"] = name
        function["arguments"] = part.arguments
        fragment["function"] = function
        return self.delta({"tool_calls": [fragment]})

    def usage(self, usage: dict[str, Any]) -> bytes:
        return b"data: " + self._envelope + b',"choices":[],"usage":' + _dumps(usage) + b"}\n\n"

    def azure_prelude(self) -> bytes:
        filters = {
            name: {"filtered": False, "severity": "safe"}
            for name in ("hate", "self_harm", "sexual", "violence")
        }
        prelude = {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": filters}],
        }
        return b"data: " + _dumps(prelude) + b"\n\n"


def _compile_stream(script: ChatScript, ctx: _ReplyContext) -> list[_Op]:
    """Encode the whole reply up front; consecutive bytes are merged into one operation."""
    enc = _ChunkEncoder(ctx, script.repeat_fields)
    ops: list[_Op] = []
    pending: list[bytes] = []
    completion_units = 0

    def cut(op: _Op) -> None:
        if pending:
            ops.append(b"".join(pending))
            pending.clear()
        ops.append(op)

    if script.azure_prelude:
        pending.append(enc.azure_prelude())
    if script.role_chunk:
        pending.append(enc.delta({"role": "assistant", "content": ""}))
    for step in _stream_steps(script, ctx.include_usage):
        match step:
            case Text(text):
                pending.append(enc.delta({"content": text}))
                completion_units += 1
            case Reasoning(text, field_name):
                pending.append(enc.delta({field_name: text}))
                completion_units += 1
            case Refusal(text):
                pending.append(enc.delta({"refusal": text}))
                completion_units += 1
            case ToolCallPart():
                pending.append(enc.tool_call(step))
                completion_units += 1
            case Finish(reason):
                pending.append(enc.finish(reason))
            case UsageChunk(prompt, completion, reasoning):
                if prompt < 0:  # the auto_usage placeholder
                    prompt, completion = ctx.prompt_tokens, completion_units
                pending.append(enc.usage(_usage_json(prompt, completion, reasoning)))
            case Done():
                pending.append(b"data: [DONE]\n\n")
            case Comment(text):
                pending.append(b"".join(b": " + line.encode() + b"\n" for line in text.split("\n")))
                pending.append(b"\n")
            case InStreamError(message, code):
                error = {"message": message, "type": "server_error", "param": None, "code": code}
                pending.append(b"data: " + _dumps({"error": error}) + b"\n\n")
            case Malformed(text):
                pending.append(b"data: " + text.encode() + b"\n\n")
            case Raw(data):
                pending.append(data)
            case Delay() | Gate():
                cut(step)
            case Stall() | Reset() | Close():
                cut(step)
                return ops  # nothing after these can reach the client
    if pending:
        ops.append(b"".join(pending))
    return ops


def _count_words(body: dict[str, Any] | None) -> int:
    messages = (body or {}).get("messages")
    if not isinstance(messages, list):
        return 0
    return sum(
        len(_content_text(m.get("content")).split()) for m in messages if isinstance(m, dict)
    )


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class OpenAITestServer:
    """An OpenAI-compatible server on a real socket, driven by scripts. See the module doc.

    Use as a context manager, or ``start()`` / ``stop()``. Every method is thread-safe.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        models: Sequence[str] = ("test-model", "test-model-large"),
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        # With an ssl_context the server speaks HTTPS only (see tests/testserver/tls.py).
        self._ssl_context = ssl_context
        self._host = host
        self._port = port
        self._api_key = api_key
        self._models = tuple(models)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._queue: deque[Script | ScriptFactory] = deque()
        self._default: Script | ScriptFactory = echo_reply
        self._requests: list[RecordedRequest] = []
        self._disconnects = 0
        self._ids = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested: asyncio.Event | None = None
        self._startup_error: BaseException | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._text_only_models: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        # No api_key here: reprs end up in test reports.
        return f"OpenAITestServer(base_url={self.base_url!r})"

    # ---- addresses -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def root_url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        scheme = "https" if self._ssl_context is not None else "http"
        return f"{scheme}://{host}:{self._port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    # ---- scripting -------------------------------------------------------------------------

    def enqueue(self, *scripts: Script | ScriptFactory) -> None:
        """Queue scripts for the next chat-completions requests, first in first out. A
        function of the request may stand for a script (a reply that depends on what was
        sent, e.g. on the ``role: tool`` results: see ``tool_results``)."""
        for script in scripts:
            if not isinstance(script, _SCRIPT_TYPES) and not callable(script):
                raise TypeError(f"not a script: {script!r}")
        with self._lock:
            self._queue.extend(scripts)

    def set_text_only_models(self, *models: str) -> None:
        """These models refuse a request with image parts: a 400, as real servers answer."""
        with self._lock:
            self._text_only_models = frozenset(models)

    def set_default(self, script_or_factory: Script | ScriptFactory) -> None:
        """What to answer when the queue is empty: a script, or a function of the request."""
        with self._lock:
            self._default = script_or_factory

    @property
    def pending_scripts(self) -> int:
        with self._lock:
            return len(self._queue)

    # ---- recording -------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def wait_for_requests(self, n: int, timeout: float) -> bool:
        """True once at least ``n`` requests have arrived; False after ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._requests) >= n, timeout)

    @property
    def disconnect_count(self) -> int:
        """How many responses the client abandoned while they were still being produced."""
        with self._lock:
            return self._disconnects

    def wait_for_disconnect(self, timeout: float, count: int = 1) -> bool:
        """True as soon as ``disconnect_count`` reaches ``count``; False after ``timeout``."""
        with self._changed:
            return self._changed.wait_for(lambda: self._disconnects >= count, timeout)

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError("the test server is already running")
        ready = threading.Event()
        thread = threading.Thread(
            target=self._run, args=(ready,), name="openai-test-server", daemon=True
        )
        self._thread = thread
        thread.start()
        if not ready.wait(10.0):
            raise RuntimeError("the test server did not start within 10 s")
        if self._startup_error is not None:
            thread.join(5.0)
            self._thread = None
            raise self._startup_error
        return self

    def stop(self) -> None:
        """Stop serving: cancel every handler (even stalled ones) and close every socket."""
        thread, loop, stop_requested = self._thread, self._loop, self._stop_requested
        if thread is None:
            return
        if loop is not None and stop_requested is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stop_requested.set)
        thread.join(10.0)
        if thread.is_alive():
            logger.warning("test server thread did not end within 10 s")
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        try:
            asyncio.run(self._main(ready))
        except BaseException as exc:  # handed to start(), in the caller's thread
            if not ready.is_set():
                self._startup_error = exc
                ready.set()
            else:
                logger.exception("test server loop failed")

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop_requested = asyncio.Event()
        try:
            server = await asyncio.start_server(
                self._serve_connection, self._host, self._port, ssl=self._ssl_context
            )
        except OSError as exc:
            self._startup_error = exc
            ready.set()
            return
        self._port = server.sockets[0].getsockname()[1]
        ready.set()
        try:
            await self._stop_requested.wait()
        finally:
            server.close()
            writers = list(self._writers)
            tasks = list(self._connections)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for writer in writers:  # close() may wait for a client that reads nothing
                writer.transport.abort()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server.wait_closed(), 2.0)

    # ---- connections -----------------------------------------------------------------------

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self._writers.add(writer)
        conn = _Connection(reader, writer)
        try:
            while True:
                try:
                    request = await conn.read_request()
                except _BadRequest as exc:
                    await self._send(conn, exc.status, _dumps(_error_json(exc.message)), close=True)
                    break
                except _PeerClosed:
                    break
                if request is None:
                    break
                if not await self._respond(conn, request) or not request.keep_alive:
                    break
        except (ConnectionError, OSError):
            pass  # the client went away between or during writes
        except Exception:
            logger.exception("test server: unexpected error while serving a connection")
        finally:
            self._connections.discard(task)
            self._writers.discard(writer)
            if not writer.transport.is_closing():
                writer.close()

    def _record(self, request: _Request) -> RecordedRequest:
        body: dict[str, Any] | None = None
        if request.body:
            with contextlib.suppress(ValueError):
                parsed = json.loads(request.body)
                if isinstance(parsed, dict):
                    body = parsed
        recorded = RecordedRequest(
            request.method, request.path, dict(request.headers), body, request.body
        )
        with self._changed:
            self._requests.append(recorded)
            self._changed.notify_all()
        return recorded

    def _note_disconnect(self) -> None:
        with self._changed:
            self._disconnects += 1
            self._changed.notify_all()

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        if self._api_key is None:
            return True
        given = headers.get("authorization", "")
        expected = f"Bearer {self._api_key}"
        return hmac.compare_digest(given.encode(), expected.encode())

    async def _respond(self, conn: _Connection, request: _Request) -> bool:
        """Answer one request; False when the connection must not be reused."""
        recorded = self._record(request)
        path = request.path.rstrip("/")
        if not path.startswith("/v1/"):
            return await self._send_error(
                conn, 404, f"Unknown request URL: {request.method} {request.path}.", "unknown_url"
            )
        if not self._authorized(request.headers):
            return await self._send_error(
                conn,
                401,
                "Incorrect API key provided. You can find your API key in your account settings.",
                "invalid_api_key",
            )
        if path == "/v1/models":
            if request.method != "GET":
                return await self._send_error(conn, 405, "Method not allowed.")
            return await self._send_json(conn, 200, self._models_json())
        if path.startswith("/v1/models/"):
            model_id = path.removeprefix("/v1/models/")
            if request.method != "GET":
                return await self._send_error(conn, 405, "Method not allowed.")
            if model_id not in self._models:
                return await self._send_error(conn, 404, _no_model(model_id), "model_not_found")
            return await self._send_json(conn, 200, self._model_json(model_id))
        if path == "/v1/chat/completions":
            if request.method != "POST":
                return await self._send_error(conn, 405, "Method not allowed.")
            return await self._chat(conn, recorded)
        return await self._send_error(
            conn, 404, f"Unknown request URL: {request.method} {request.path}.", "unknown_url"
        )

    def _models_json(self) -> dict[str, Any]:
        return {"object": "list", "data": [self._model_json(m) for m in self._models]}

    @staticmethod
    def _model_json(model_id: str) -> dict[str, Any]:
        return {"id": model_id, "object": "model", "created": 1700000000, "owned_by": "zlay-test"}

    async def _chat(self, conn: _Connection, recorded: RecordedRequest) -> bool:
        body = recorded.body
        if body is None:
            return await self._send_error(
                conn, 400, "We could not parse the JSON body of your request."
            )
        model = body.get("model")
        # Content parts are checked as a vision server does, before any script plays.
        try:
            for message in body.get("messages") or []:
                if isinstance(message, dict) and message.get("role") == "user":
                    decode_parts(message.get("content"))
        except BadContentPart as exc:
            return await self._send_error(conn, 400, str(exc))
        with self._lock:
            refuses_images = model in self._text_only_models
        if refuses_images and _has_image_parts(body):
            return await self._send_error(conn, 400, IMAGES_REFUSED)
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
            default = self._default
        if queued is not None:  # a queued script always wins, whatever the model
            script = queued if isinstance(queued, _SCRIPT_TYPES) else queued(recorded)
        elif model not in self._models:
            return await self._send_error(conn, 404, _no_model(model), "model_not_found")
        elif isinstance(default, _SCRIPT_TYPES):
            script = default
        else:
            script = default(recorded)
        return await self._guarded(conn, self._play(conn, script, body))

    async def _guarded(self, conn: _Connection, producer: Coroutine[Any, Any, bool]) -> bool:
        """Run a response while watching for the client to close; note it if it does."""
        producing = asyncio.ensure_future(producer)
        watching = asyncio.ensure_future(conn.watch_for_close())
        try:
            await asyncio.wait({producing, watching}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # The watcher must be gone before the next read: a StreamReader has one reader.
            for task in (watching, producing):
                if not task.done():
                    task.cancel()
            await asyncio.gather(watching, producing, return_exceptions=True)
        if not producing.cancelled() and producing.exception() is None:
            return producing.result()
        if producing.cancelled() or isinstance(producing.exception(), OSError):
            self._note_disconnect()
            return False
        exc = producing.exception()
        assert exc is not None
        raise exc

    # ---- responses -------------------------------------------------------------------------

    def _request_id(self) -> str:
        return f"req_test_{next(self._ids)}"

    async def _send(
        self,
        conn: _Connection,
        status: int,
        body: bytes,
        *,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
        close: bool = False,
    ) -> bool:
        head = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("x-request-id", self._request_id()),
        ]
        head.extend((headers or {}).items())
        if close:
            head.append(("Connection", "close"))
        conn.writer.write(_response_head(status, head) + body)
        await conn.writer.drain()
        return not close

    async def _send_json(self, conn: _Connection, status: int, value: object) -> bool:
        return await self._send(conn, status, _dumps(value))

    async def _send_error(
        self, conn: _Connection, status: int, message: str, code: str | None = None
    ) -> bool:
        type_ = "server_error" if status >= 500 else "invalid_request_error"
        return await self._send_json(conn, status, _error_json(message, type_, code))

    async def _play(self, conn: _Connection, script: Script, body: dict[str, Any]) -> bool:
        match script:
            case HttpError():
                return await self._send_http_error(conn, script)
            case CloseAfterHeaders():
                # No Transfer-Encoding and no Content-Length: the body ends where the
                # connection does (RFC 9112, 6.3), so closing now is a clean, empty body.
                head = _response_head(
                    200,
                    [
                        ("Content-Type", "text/event-stream; charset=utf-8"),
                        ("Cache-Control", "no-cache"),
                        ("Connection", "close"),
                        ("x-request-id", self._request_id()),
                    ],
                )
                conn.writer.write(head)
                await _drain_completely(conn.writer)
                return False
            case StallBeforeHeaders():
                await _forever()
                return False
            case ChatScript():
                if script.reject_stream_options and "stream_options" in body:
                    return await self._send_error(
                        conn, 400, "Unrecognized request argument supplied: stream_options"
                    )
                ctx = self._reply_context(script, body)
                if body.get("stream") is True:
                    return await self._stream(conn, script, ctx)
                return await self._complete(conn, script, ctx)

    async def _send_http_error(self, conn: _Connection, error: HttpError) -> bool:
        if error.html is not None:
            return await self._send(
                conn,
                error.status,
                error.html.encode("utf-8"),
                content_type="text/html; charset=utf-8",
                headers=error.headers,
            )
        if error.json_error is None:
            value: Mapping[str, Any] = _default_error(error.status)
        elif "error" in error.json_error:
            value = error.json_error
        else:
            value = {"error": error.json_error}
        return await self._send(conn, error.status, _dumps(value), headers=error.headers)

    def _reply_context(self, script: ChatScript, body: dict[str, Any]) -> _ReplyContext:
        stream_options = body.get("stream_options")
        include_usage = (
            isinstance(stream_options, dict) and stream_options.get("include_usage") is True
        )
        requested = body.get("model")
        model = script.model or (requested if isinstance(requested, str) else self._models[0])
        return _ReplyContext(
            completion_id=f"chatcmpl-test{next(self._ids)}",
            created=int(time.time()),
            model=model,
            include_usage=include_usage,
            prompt_tokens=_count_words(body),
        )

    def _sse_head(self, *, close: bool) -> bytes:
        headers = [
            ("Content-Type", "text/event-stream; charset=utf-8"),
            ("Cache-Control", "no-cache"),
            ("Transfer-Encoding", "chunked"),
            ("x-request-id", self._request_id()),
        ]
        if close:
            # Tell the client's pool not to reuse a connection the script will close:
            # otherwise its next request may race with our FIN and fail.
            headers.append(("Connection", "close"))
        return _response_head(200, headers)

    async def _stream(self, conn: _Connection, script: ChatScript, ctx: _ReplyContext) -> bool:
        ops = _compile_stream(script, ctx)
        loop = asyncio.get_running_loop()
        closes = any(isinstance(op, Reset | Close) for op in ops)
        body = _ChunkedBody(conn.writer, self._sse_head(close=closes))
        deadline = loop.time()
        for op in ops:
            if isinstance(op, bytes):
                body.add(op)
                if body.pending_size >= _WRITE_BATCH:
                    await body.write_batch()
            elif isinstance(op, Delay):
                deadline += op.seconds
                wait = deadline - loop.time()
                if wait > 0:
                    await body.flush()
                    await asyncio.sleep(wait)
                elif body.pending_size >= _WRITE_BATCH:
                    await body.write_batch()
            elif isinstance(op, Gate):
                await body.flush()
                await _wait_for_thread_event(op.event, op.timeout)
                deadline = loop.time()
            elif isinstance(op, Stall):
                await body.flush()
                await _forever()
            elif isinstance(op, Reset):
                await body.flush()
                _abort_with_reset(conn.writer)
                return False
            else:  # Close: a clean end of the body, then the connection goes
                await body.finish()
                return False
        await body.finish()
        return True

    async def _complete(self, conn: _Connection, script: ChatScript, ctx: _ReplyContext) -> bool:
        """A non-streaming reply built from the same steps (timing and faults still apply)."""
        content: list[str] = []
        refusal: list[str] = []
        reasoning: dict[str, list[str]] = {}
        tools: dict[int, dict[str, Any]] = {}
        finish_reason = "stop"
        usage: dict[str, Any] | None = None
        units = 0
        for step in script.steps:
            match step:
                case Text(text):
                    content.append(text)
                    units += 1
                case Reasoning(text, field_name):
                    reasoning.setdefault(field_name, []).append(text)
                    units += 1
                case Refusal(text):
                    refusal.append(text)
                    units += 1
                case ToolCallPart(index, call_id, name, arguments):
                    call = tools.setdefault(
                        index,
                        {"id": None, "type": "function", "function": {"name": "", "arguments": ""}},
                    )
                    call["id"] = call["id"] or call_id
                    if name:
                        call["function"]["name"] = name
                    call["function"]["arguments"] += arguments
                    units += 1
                case Finish(reason):
                    finish_reason = reason
                case UsageChunk(prompt_tokens, completion_tokens, reasoning_tokens):
                    usage = _usage_json(prompt_tokens, completion_tokens, reasoning_tokens)
                case Delay(seconds):
                    await asyncio.sleep(seconds)
                case Gate(event, timeout):
                    await _wait_for_thread_event(event, timeout)
                case Stall():
                    await _forever()
                case Reset():
                    _abort_with_reset(conn.writer)
                    return False
                case Close():
                    return False
                case InStreamError(error_message, code):
                    return await self._send_json(
                        conn, 500, _error_json(error_message, "server_error", code)
                    )
                case _:
                    pass  # Comment, Malformed, Raw, Done: stream-only
        message: dict[str, Any] = {
            "role": "assistant",
            "content": "".join(content) if content or not (tools or refusal) else None,
            "refusal": "".join(refusal) if refusal else None,
        }
        for reasoning_field, parts in reasoning.items():
            message[reasoning_field] = "".join(parts)
        if tools:
            message["tool_calls"] = [tools[i] for i in sorted(tools)]
        reply = {
            "id": ctx.completion_id,
            "object": "chat.completion",
            "created": ctx.created,
            "model": ctx.model,
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
            ],
            "usage": usage or _usage_json(ctx.prompt_tokens, units),
        }
        return await self._send_json(conn, 200, reply)


def _no_model(model: object) -> str:
    return f"The model `{model}` does not exist or you do not have access to it."
