"""Domain objects shared by every layer. Plain frozen dataclasses: no Qt, no I/O."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


class ReplyState(enum.StrEnum):
    """How an assistant reply ended. Every reply ends in exactly one of these."""

    STREAMING = "streaming"  # still arriving (or, found on disk, see INTERRUPTED)
    FINISHED = "finished"  # the server sent a finish reason
    STOPPED = "stopped"  # the user pressed Stop
    FAILED = "failed"  # an error ended it; the partial text is kept
    INTERRUPTED = "interrupted"  # the app died while it streamed (found on the next start)


class ErrorKind(enum.StrEnum):
    AUTH = "auth"  # 401 / 403
    NOT_FOUND = "not_found"  # 404: unknown model or wrong base path
    BAD_REQUEST = "bad_request"  # 400 / 422
    RATE_LIMITED = "rate_limited"  # 429
    SERVER = "server"  # 5xx
    NOT_AN_API = "not_an_api"  # an HTML page (proxy, captive portal, wrong URL)
    CONNECTION = "connection"  # refused, reset, DNS, TLS
    TIMEOUT = "timeout"  # connect timeout, or no data for N seconds
    STREAM_ERROR = "stream_error"  # an error object inside a 200 stream
    MALFORMED = "malformed"  # data that is not valid JSON / not a chunk
    INCOMPLETE = "incomplete"  # the stream ended without a finish reason
    UNEXPECTED = "unexpected"  # a bug: logged, and shown


@dataclass(frozen=True, slots=True)
class ChatError:
    """An error in words a user understands. Never carries a secret."""

    kind: ErrorKind
    message: str
    retry_after: float | None = None  # seconds, when the server said so
    status: int | None = None  # HTTP status, when there was one
    detail: str = ""  # the server's own words (redacted), for the curious


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as the model wrote it (may be incomplete if cut)
    type: str = "function"


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    reasoning_tokens: int | None = None


MIN_TOKENS_FOR_A_RATE = 10
"""Below this, tokens/s says nothing (one or two tokens arrive in one burst)."""
MIN_SPAN_FOR_A_RATE_S = 0.1
"""Nor over a shorter time: a reply that arrived in one burst has no speed worth showing."""


@dataclass(frozen=True, slots=True)
class ReplyTimings:
    """Measured by the client, in seconds (monotonic clock)."""

    first_token_s: float | None = None  # request sent -> first text or reasoning
    duration_s: float | None = None  # request sent -> end
    chunks: int = 0
    last_token_s: float | None = None  # request sent -> the last output (None: not kept)

    def tokens_per_second(self, usage: Usage | None, text_len: int) -> float | None:
        """Output rate from the first token to the last (a stall before the end does not
        count); None for replies too short for a rate to mean anything. Tokens are
        estimated from the text when the server does not report them."""
        end = self.last_token_s if self.last_token_s is not None else self.duration_s
        if self.first_token_s is None or end is None:
            return None
        span = end - self.first_token_s
        tokens: float
        if usage is not None and usage.completion_tokens:
            tokens = usage.completion_tokens
        else:
            tokens = text_len / 4  # the usual ~4 characters a token
        if span < MIN_SPAN_FOR_A_RATE_S or tokens < MIN_TOKENS_FOR_A_RATE:
            return None
        return tokens / span


class AttachmentKind(enum.StrEnum):
    IMAGE = "image"  # sent as an image_url content part
    DOCUMENT = "document"  # its text is sent, fenced, in a text part


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file on a user message: a reference to its payload, stored once under the data
    folder by its sha256 (`core/attachment_files.py`). The payload is what is sent: an
    image re-encoded as PNG or JPEG, a document's text as UTF-8."""

    kind: AttachmentKind
    name: str  # the file's name as the user knew it
    sha256: str  # of the payload
    mime: str  # of the payload: image/png, image/jpeg, text/plain
    size: int  # payload bytes
    tokens: int  # estimated cost in the model's context
    width: int = 0  # images
    height: int = 0
    pages: int = 0  # PDFs


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a conversation, user's or assistant's."""

    role: Role
    content: str = ""
    reasoning: str = ""
    refusal: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None  # for role=tool
    state: ReplyState = ReplyState.FINISHED
    finish_reason: str | None = None
    error: ChatError | None = None
    usage: Usage | None = None
    timings: ReplyTimings | None = None
    model: str | None = None
    id: int | None = None  # database id once stored
    # The message this one follows (None: the first). Versions of a message (a regenerated
    # answer, an edited question) share their parent.
    parent_id: int | None = None
    created_at: float = 0.0  # unix time
    attachments: tuple[Attachment, ...] = ()  # user messages' files

    @property
    def was_cut(self) -> bool:
        """The model hit max_tokens: the user should be offered Continue."""
        return self.state is ReplyState.FINISHED and self.finish_reason == "length"


@dataclass(frozen=True, slots=True)
class ChatParams:
    model: str
    temperature: float | None = None
    max_tokens: int | None = None
    system_prompt: str = ""
    top_p: float | None = None


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and how to reach an OpenAI-compatible server. The key is never logged."""

    base_url: str
    api_key: str = field(default="", repr=False)
    proxy: str | None = field(default=None, repr=False)  # may hold credentials
    connect_timeout_s: float = 10.0
    idle_timeout_s: float = 60.0  # no byte for this long -> "no data for N s"
    extra_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ChatRequest:
    endpoint: Endpoint
    params: ChatParams
    messages: tuple[Message, ...]  # the history, without the system prompt
    tools: tuple[dict[str, object], ...] = ()
    include_usage: bool = True
    # The attachments' payloads by sha256 (read from disk by the session, not kept on the
    # frozen messages).
    attachment_data: Mapping[str, bytes] = field(default_factory=dict, compare=False)
