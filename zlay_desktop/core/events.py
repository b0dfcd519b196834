"""Typed events a reply stream produces, in order. The Qt layer turns each into a signal."""

from __future__ import annotations

from dataclasses import dataclass

from zlay_desktop.core.models import ChatError, Message, Usage


@dataclass(frozen=True, slots=True)
class RequestSent:
    """The request is on its way: show "waiting for first token…"."""


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True, slots=True)
class RefusalDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A fragment of a tool call. id/name come once, with the first fragment of an index."""

    index: int
    id: str | None
    name: str | None
    arguments: str


@dataclass(frozen=True, slots=True)
class UsageReported:
    usage: Usage


@dataclass(frozen=True, slots=True)
class StreamFinished:
    finish_reason: str


@dataclass(frozen=True, slots=True)
class StreamFailed:
    error: ChatError


@dataclass(frozen=True, slots=True)
class ToolMessageAdded:
    """The tool loop stored a tool's result (a `role: tool` message) at `index`."""

    index: int
    message: Message


@dataclass(frozen=True, slots=True)
class ToolCallStarted:
    """A tool call of the reply at `index` was allowed and runs now."""

    index: int
    call_id: str


@dataclass(frozen=True, slots=True)
class ToolNotice:
    """Something about tools the user should read: a server that could not be used, a
    call that timed out, the round limit."""

    text: str


StreamEvent = (
    RequestSent
    | TextDelta
    | ReasoningDelta
    | RefusalDelta
    | ToolCallDelta
    | UsageReported
    | StreamFinished
    | StreamFailed
    | ToolMessageAdded
    | ToolCallStarted
    | ToolNotice
)
