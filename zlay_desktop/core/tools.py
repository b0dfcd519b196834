"""What the tool loop needs from whoever runs tools (MCP servers, see `core/mcp/`) and from
whoever asks the user (the Qt layer): plain types and two protocols. No I/O here."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

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


@dataclass(frozen=True, slots=True)
class ToolImage:
    mime_type: str
    data: str = field(repr=False)  # base64


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
