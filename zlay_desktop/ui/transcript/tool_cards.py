"""Tool calls in the transcript: one card per call of an assistant reply.

A card is the call's whole story in one place: while the user is asked it is the approval
card (server, tool, description, arguments; Allow / Always allow / Deny); then it is the
result card, collapsed to the tool's name, status and duration, expanded to show the
arguments, the result's text and the images it returned (thumbnails: tool_images.py).
The `role: tool` messages that hold the results have no rows of their own: their words are
in the card of the call they answer.

`ToolCards` keeps what the cards need besides the messages (results found, the question
asked now, what the user expanded); `card_rows` makes the rows (`Row` kind "toolcard",
drawn by qml/ToolCard.qml).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from zlay_desktop.core.models import AttachmentKind, Message, ReplyState, Role, ToolCall
from zlay_desktop.core.tools import ToolApprovalRequest, ToolStatus, tool_status
from zlay_desktop.ui.transcript.model import Row
from zlay_desktop.ui.transcript.rows import pretty_arguments

__all__ = ["SHOWN_RESULT_CHARS", "Asked", "ToolCards", "card_text"]

SHOWN_RESULT_CHARS = 20_000
"""Of a longer result, a card shows this much (Copy copies the whole, as kept)."""

LONG_ARGUMENT_LINES = 12
"""Arguments longer than this many lines are folded on the approval card until expanded."""

# Statuses a card has before its result is stored (besides ToolStatus's).
ASKING = "approval"  # the user is asked now
WAITING = "waiting"  # streamed, or waiting its turn
RUNNING = "running"


@dataclass(slots=True)
class Asked:
    key: int  # the reply's message index
    request: ToolApprovalRequest


@dataclass(slots=True)
class ToolCards:
    """What the cards of one conversation show besides their messages."""

    # reply key -> call id -> its result (a `role: tool` message)
    results: dict[int, dict[str, Message]] = field(default_factory=dict)
    # (reply key, call id) -> ASKING / RUNNING / ToolStatus.DENIED while the loop runs
    live: dict[tuple[int, str], str] = field(default_factory=dict)
    servers: dict[tuple[int, str], str] = field(default_factory=dict)  # as the user was asked
    expanded: set[tuple[int, str]] = field(default_factory=set)
    asked: dict[int, Asked] = field(default_factory=dict)  # request id -> the question
    looping: set[int] = field(default_factory=set)  # replies whose calls are being answered

    def clear(self) -> None:
        self.results.clear()
        self.live.clear()
        self.servers.clear()
        self.expanded.clear()
        self.asked.clear()
        self.looping.clear()

    def index_results(self, items: Iterable[tuple[int, Message]]) -> None:
        """Finds the results of every reply's calls: the tool messages that follow it."""
        reply: int | None = None
        for key, message in items:
            if message.role is Role.ASSISTANT:
                reply = key
            elif message.role is Role.TOOL and reply is not None and message.tool_call_id:
                self.results.setdefault(reply, {})[message.tool_call_id] = message
            elif message.role is not Role.TOOL:
                reply = None

    def add_result(self, reply: int, message: Message) -> None:
        if message.tool_call_id:
            self.results.setdefault(reply, {})[message.tool_call_id] = message
            self.live.pop((reply, message.tool_call_id), None)

    def pending_request(self) -> ToolApprovalRequest | None:
        """The question the user is asked now (the loop asks one at a time)."""
        return next((a.request for a in self.asked.values()), None)

    def rows(self, key: int, calls: tuple[ToolCall, ...], reply: Message | None) -> list[Row]:
        """The cards of reply `key` (`reply` None: still streaming)."""
        results = self.results.get(key, {})
        asked = {(a.key, a.request.call_id): a.request for a in self.asked.values()}
        cards = []
        for index, call in enumerate(calls):
            status = self._status(key, call, results.get(call.id), reply)
            cards.append(
                card_row(
                    key,
                    index,
                    call,
                    status,
                    results.get(call.id),
                    asked.get((key, call.id)),
                    expanded=(key, call.id) in self.expanded,
                    server=self.servers.get((key, call.id), ""),
                )
            )
        return cards

    def _status(
        self, key: int, call: ToolCall, result: Message | None, reply: Message | None
    ) -> str:
        if result is not None:
            return tool_status(result).value
        live = self.live.get((key, call.id))
        if live is not None:
            return live
        if reply is None or key in self.looping:
            return WAITING
        if reply.state is ReplyState.FINISHED:
            # Answered by nothing, and no loop is at work on it: the app closed (a crash,
            # kill -9) while it ran; the next request says so to the model.
            return ToolStatus.INTERRUPTED.value
        return ToolStatus.NOT_RUN.value  # a reply cut short: its calls are never run


def card_row(
    key: int,
    index: int,
    call: ToolCall,
    status: str,
    result: Message | None,
    request: ToolApprovalRequest | None,
    *,
    expanded: bool,
    server: str,
) -> Row:
    text = result.content if result is not None else ""
    seconds = -1.0
    if result is not None and result.timings is not None and result.timings.duration_s is not None:
        seconds = float(result.timings.duration_s)
    images = (
        [a.sha256 for a in result.attachments if a.kind is AttachmentKind.IMAGE]
        if result is not None
        else []
    )
    arguments = request.arguments if request is not None else pretty_arguments(call.arguments)
    return Row(
        "toolcard",
        key,
        text=arguments,
        extra={
            "index": index,
            "callId": call.id,
            "name": request.tool_name if request is not None else call.name,
            "server": request.server_name if request is not None else server,
            "description": request.description if request is not None else "",
            "requestId": request.request_id if request is not None else -1,
            "status": status,
            "seconds": seconds,
            # (Open while asking, and while the call streams or waits: what is to run.)
            "expanded": expanded or request is not None or status == WAITING,
            "longArguments": arguments.count("\n") + 1 > LONG_ARGUMENT_LINES,
            "result": text[:SHOWN_RESULT_CHARS],
            "hidden": max(0, len(text) - SHOWN_RESULT_CHARS),
            "images": images,
        },
    )


STATUS_WORDS = {
    ASKING: "Waiting for your approval",
    WAITING: "Waiting",
    RUNNING: "Running…",
    ToolStatus.DONE.value: "Done",
    ToolStatus.FAILED.value: "Failed",
    ToolStatus.TIMED_OUT.value: "Timed out",
    ToolStatus.DENIED.value: "Denied",
    ToolStatus.STOPPED.value: "Stopped",
    ToolStatus.NOT_RUN.value: "Not run",
    ToolStatus.INTERRUPTED.value: "Interrupted: the app closed before it finished",
}
"""The statuses' words as the QML shows them (translated there); for the plain text."""


def card_text(row: Row) -> str:
    """A card as plain text (what a screen reader gets, what tests read)."""
    extra = row.extra
    seconds = float(extra["seconds"])
    head = " · ".join(
        filter(
            None,
            [
                f"Tool {extra['name'] or '(unnamed)'}",
                str(extra["server"]),
                STATUS_WORDS.get(str(extra["status"]), str(extra["status"])),
                f"{seconds:.1f} s" if seconds >= 0 else "",
            ],
        )
    )
    lines = [head]
    if extra["status"] == ASKING:
        lines.append(f"Run the tool “{extra['name']}” of the server “{extra['server']}”?")
        if extra["description"]:
            lines.append(str(extra["description"]))
        lines += [row.text, "Allow · Always allow · Deny"]
    elif extra["expanded"]:
        lines += ["Arguments", row.text]
        if extra["result"]:
            lines += ["Result", str(extra["result"])]
        if extra["images"]:
            lines.append(f"{len(extra['images'])} image(s)")
    return "\n".join(lines)
