"""Tool calls in the transcript: one card per call of an assistant reply.

A card is the call's whole story in one place: while the user is asked it is the approval
card (server, tool, description, arguments; Allow / Always allow / Deny); then it is the
result card, collapsed to the tool's name, status and duration, expanded to show the
arguments, the result's text and the images it returned (thumbnails: payload_images.py).
The `role: tool` messages that hold the results have no rows of their own: their words are
in the card of the call they answer.

`ToolCards` keeps what the cards need besides the messages (results found, the question
asked now, what the user expanded); `card_rows` makes the rows (`Row` kind "toolcard",
drawn by qml/ToolCard.qml).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication

from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP
from zlay_desktop.core.models import AttachmentKind, Message, ReplyState, Role, ToolCall
from zlay_desktop.core.tools import ToolApprovalRequest, ToolStatus, tool_status
from zlay_desktop.ui.i18n import number
from zlay_desktop.ui.transcript.model import Row
from zlay_desktop.ui.transcript.rows import pretty_arguments

__all__ = ["SHOWN_ARGUMENT_CHARS", "SHOWN_RESULT_CHARS", "Asked", "ToolCards", "card_text"]

SHOWN_RESULT_CHARS = 20_000
"""Of a longer result, a card shows this much (Copy copies the whole, as kept)."""

SHOWN_ARGUMENT_CHARS = 20_000
"""Of longer arguments (a file a tool is to write), a card shows this much (Copy copies the
whole): laying out megabytes of text would hold up the window each time the card is made."""

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
    # (reply key, call id) of cards whose long arguments the user unfolded ("Show all")
    all_arguments: set[tuple[int, str]] = field(default_factory=set)
    asked: dict[int, Asked] = field(default_factory=dict)  # request id -> the question
    looping: set[int] = field(default_factory=set)  # replies whose calls are being answered

    def clear(self) -> None:
        self.results.clear()
        self.live.clear()
        self.servers.clear()
        self.expanded.clear()
        self.all_arguments.clear()
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
                    all_arguments=(key, call.id) in self.all_arguments,
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
    all_arguments: bool = False,
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
    shown_arguments = arguments[:SHOWN_ARGUMENT_CHARS]
    return Row(
        "toolcard",
        key,
        text=shown_arguments,
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
            "longArguments": shown_arguments.count("\n") + 1 > LONG_ARGUMENT_LINES,
            "hiddenArguments": len(arguments) - len(shown_arguments),
            "allArguments": all_arguments,
            "result": text[:SHOWN_RESULT_CHARS],
            "hidden": max(0, len(text) - SHOWN_RESULT_CHARS),
            "images": images,
        },
    )


STATUS_WORDS = {
    ASKING: QT_TRANSLATE_NOOP("ToolCard", "Waiting for your approval"),
    WAITING: QT_TRANSLATE_NOOP("ToolCard", "Waiting"),
    RUNNING: QT_TRANSLATE_NOOP("ToolCard", "Running…"),
    ToolStatus.DONE.value: QT_TRANSLATE_NOOP("ToolCard", "Done"),
    ToolStatus.FAILED.value: QT_TRANSLATE_NOOP("ToolCard", "Failed"),
    ToolStatus.TIMED_OUT.value: QT_TRANSLATE_NOOP("ToolCard", "Timed out"),
    ToolStatus.DENIED.value: QT_TRANSLATE_NOOP("ToolCard", "Denied"),
    ToolStatus.STOPPED.value: QT_TRANSLATE_NOOP("ToolCard", "Stopped"),
    ToolStatus.NOT_RUN.value: QT_TRANSLATE_NOOP("ToolCard", "Not run"),
    ToolStatus.INTERRUPTED.value: QT_TRANSLATE_NOOP(
        "ToolCard", "Interrupted: the app closed before it finished"
    ),
}
"""The statuses' words as the QML shows them (translated there); for the plain text."""


def card_text(row: Row) -> str:
    """A card as plain text (what a screen reader gets, what tests read), in the words and
    catalogue entries of the QML."""
    extra = row.extra
    status = str(extra["status"])
    seconds = float(extra["seconds"])
    head = " · ".join(
        filter(
            None,
            [
                _tr("Tool %1").replace("%1", str(extra["name"]) or _tr("(unnamed)")),
                str(extra["server"]),
                _tr(STATUS_WORDS[status]) if status in STATUS_WORDS else status,
                _tr("%1 s").replace("%1", number(seconds, 1)) if seconds >= 0 else "",
            ],
        )
    )
    lines = [head]
    if extra["status"] == ASKING:
        question = _tr("Run the tool “%1” of the server “%2”?")
        lines.append(question.replace("%2", str(extra["server"])).replace("%1", str(extra["name"])))
        if extra["description"]:
            lines.append(str(extra["description"]))
        lines += [
            row.text,
            *_hidden_arguments(row),
            " · ".join((_tr("Allow"), _tr("Always allow"), _tr("Deny"))),
        ]
    elif extra["expanded"]:
        lines += [_tr("Arguments"), row.text, *_hidden_arguments(row)]
        if extra["result"]:
            lines += [_tr("Result"), str(extra["result"])]
        if extra["images"]:
            lines.append(
                QCoreApplication.translate("ToolCard", "%n image(s)", None, len(extra["images"]))
            )
    return "\n".join(lines)


def _tr(text: str) -> str:
    """The QML's words (ToolCard.qml's catalogue context); each is marked for lupdate there
    or with QT_TRANSLATE_NOOP here."""
    return QCoreApplication.translate("ToolCard", text)


def _hidden_arguments(row: Row) -> list[str]:
    hidden = int(row.extra["hiddenArguments"])
    more = QCoreApplication.translate(
        "ToolCard", "… and {0} more characters of the arguments"
    ).format(hidden)
    return [more] if hidden else []
