"""What the tool loop needs from whoever runs tools (MCP servers, see `core/mcp/`) and from
whoever asks the user (the Qt layer): plain types and two protocols. No I/O here."""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from zlay_desktop.core.models import Attachment, AttachmentKind

if TYPE_CHECKING:
    from zlay_desktop.core.models import Message

DEFAULT_TOOL_ROUNDS = 10
"""Replies with tool calls answered for one message before the loop stops."""

TOOL_DECLINED = "The user declined this tool call. Do not retry it unless the user asks."
TOOL_STOPPED = "The user stopped the conversation before this tool call finished; it has no result."
TOOL_INTERRUPTED = "This tool call was interrupted (the app closed); it has no result."
TOOL_ROUND_LIMIT = (
    "Not run: the limit of {limit} rounds of tool calls for one message was reached. "
    "Answer with what you have."
)


@dataclass(frozen=True, slots=True)
class AvailableTool:
    """One tool the model may call, as offered in the request's `tools`."""

    name: str  # the name the model sees (namespaced when two servers share a name)
    description: str
    parameters: Mapping[str, Any]  # JSON Schema of the arguments
    server_id: str
    server_name: str
    tool_name: str  # the server's own name for it

    def definition(self) -> dict[str, object]:
        """The OpenAI `tools` entry."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": dict(self.parameters) or {"type": "object", "properties": {}},
            },
        }


class ToolStatus(enum.StrEnum):
    """How a tool call ended. Kept as a `role: tool` message's `finish_reason` (the history
    has no column of its own for it: the message's other columns say the rest)."""

    DONE = "done"
    FAILED = "failed"  # the tool or its server said it failed, or it could not be run
    TIMED_OUT = "timed_out"
    DENIED = "denied"  # the user declined it
    STOPPED = "stopped"  # Stop came first
    NOT_RUN = "not_run"  # the round limit
    INTERRUPTED = "interrupted"  # the app closed before it had an answer (never stored)


_STATUS_BY_CONTENT = {
    TOOL_DECLINED: ToolStatus.DENIED,
    TOOL_STOPPED: ToolStatus.STOPPED,
    TOOL_INTERRUPTED: ToolStatus.INTERRUPTED,
}


def tool_status(message: Message) -> ToolStatus:
    """A stored tool result's status (results saved before statuses were kept: by their
    words)."""
    try:
        return ToolStatus(message.finish_reason or "")
    except ValueError:
        if message.content.startswith("Not run: the limit of"):
            return ToolStatus.NOT_RUN
        return _STATUS_BY_CONTENT.get(message.content, ToolStatus.DONE)


@dataclass(frozen=True, slots=True)
class ToolImage:
    mime_type: str
    data: str = field(repr=False)  # base64


SHOWN_IMAGE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
MAX_TOOL_IMAGE_BYTES = 20_000_000


def tool_image_files(
    tool_name: str, images: tuple[ToolImage, ...]
) -> list[tuple[Attachment, bytes]]:
    """A result's images as attachments of its `role: tool` message (stored once each by
    content, like a user's files) with their bytes. Images of a type the app does not
    show, undecodable base64 or over the size limit are left out."""
    files: list[tuple[Attachment, bytes]] = []
    for image in images:
        suffix = SHOWN_IMAGE_TYPES.get(image.mime_type.lower())
        if suffix is None or len(image.data) > MAX_TOOL_IMAGE_BYTES * 4 // 3 + 4:
            continue
        try:
            data = base64.b64decode(image.data, validate=True)
        except (binascii.Error, ValueError):
            continue
        if not data:
            continue
        ref = Attachment(
            kind=AttachmentKind.IMAGE,
            name=f"{tool_name}-{len(files) + 1}.{suffix}",
            sha256=hashlib.sha256(data).hexdigest(),
            mime=image.mime_type.lower(),
            size=len(data),
            tokens=0,  # not sent: the model reads the result's text (which notes the image)
        )
        files.append((ref, data))
    return files


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    """What a call gave: the text sent to the model, and what is worth showing."""

    content: str
    is_error: bool = False
    timed_out: bool = False
    images: tuple[ToolImage, ...] = ()


@dataclass(frozen=True, slots=True)
class ToolListing:
    tools: tuple[AvailableTool, ...] = ()
    problems: tuple[str, ...] = ()  # servers that could not be used, in plain words


class Toolbox(Protocol):
    """Runs tools. Never raises for a tool's or a server's trouble: outcomes say it."""

    async def list_tools(self, servers: Collection[str] = ()) -> ToolListing:
        """The tools of the enabled servers named in `servers` (none named: of all)."""
        ...

    def needs_approval(self, tool: AvailableTool) -> bool: ...

    def always_allow(self, tool: AvailableTool) -> None: ...

    async def call(self, tool: AvailableTool, arguments: dict[str, Any]) -> ToolOutcome: ...


class ApprovalDecision(enum.StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    ALWAYS_ALLOW = "always_allow"


_request_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class ToolApprovalRequest:
    """A call waiting for the user's word."""

    call_id: str
    server_name: str
    tool_name: str
    description: str
    arguments: str  # pretty JSON (or the model's text when it is not JSON)
    request_id: int = field(default_factory=lambda: next(_request_ids))


class ToolApprover(Protocol):
    async def __call__(self, request: ToolApprovalRequest) -> ApprovalDecision: ...
