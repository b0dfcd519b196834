"""One conversation: its messages, sending, stopping, retrying, and saving as it streams.

Pure asyncio. The Qt controller passes a callback that turns each event into a signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from zlay_desktop.core.assistants import ParamsOverride
from zlay_desktop.core.attachments import PreparedAttachment
from zlay_desktop.core.background import SerialWorker
from zlay_desktop.core.events import (
    ReasoningDelta,
    RefusalDelta,
    RequestSent,
    StreamEvent,
    StreamFailed,
    StreamFinished,
    TextDelta,
    ToolCallDelta,
    ToolCallStarted,
    ToolMessageAdded,
    ToolNotice,
    UsageReported,
)
from zlay_desktop.core.history import Conversation, HistoryStore
from zlay_desktop.core.models import (
    ChatError,
    ChatParams,
    ChatRequest,
    Endpoint,
    ErrorKind,
    Message,
    ReplyState,
    ReplyTimings,
    Role,
    ToolCall,
    Usage,
)
from zlay_desktop.core.streaming import ChatBackend, history_for_request
from zlay_desktop.core.text_parts import TextParts
from zlay_desktop.core.tools import (
    DEFAULT_TOOL_ROUNDS,
    TOOL_DECLINED,
    TOOL_ROUND_LIMIT,
    TOOL_STOPPED,
    ApprovalDecision,
    AvailableTool,
    ToolApprovalRequest,
    ToolApprover,
    Toolbox,
    ToolImage,
    ToolStatus,
    tool_image_files,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# How often a streaming reply is written to the database: often enough that a crash
# loses at most about a second, rarely enough to cost nothing while streaming.
SAVE_INTERVAL_S = 0.25

STOPPED_BY_USER = "stopped"

CONTINUE_INSTRUCTION = (
    "Continue exactly where your previous message stopped, mid-sentence if it stopped "
    "there. Do not repeat anything and do not add an introduction."
)
"""Sent (never stored or shown) after a cut-off reply to have the model extend it."""


class LiveReply(Protocol):
    """A streaming reply as accumulated so far: what a view reads instead of keeping a
    second copy of the text."""

    def content_text(self) -> str: ...

    def reasoning_text(self) -> str: ...

    def refusal_text(self) -> str: ...

    def tool_calls(self) -> tuple[ToolCall, ...]: ...


@dataclass(slots=True)
class _ToolCallParts:
    """One tool call being streamed: id and name are set once (some providers repeat them
    in every fragment, and concatenating them would corrupt them), arguments appended."""

    id: str
    name: str
    arguments: list[str]
    # The call's id when the provider sends none (Ollama, vLLM, sglang, some routers omit
    # it): a result is paired with its call by id, on screen and in the next request.
    made_id: str = field(default_factory=lambda: f"call_{uuid.uuid4().hex[:24]}")


@dataclass(slots=True, eq=False)
class ReplyAccumulator:
    """Builds the assistant message from events. Appends are O(1): text is kept in parts
    (`TextParts`) and joined only when a snapshot is taken (saving, or the end)."""

    model: str | None
    usage: Usage | None = None
    finish_reason: str | None = None
    error: ChatError | None = None
    chunks: int = 0
    started: float = field(default_factory=time.monotonic)
    first_token_at: float | None = None
    last_token_at: float | None = None
    _content: TextParts = field(default_factory=TextParts, init=False, repr=False)
    _reasoning: TextParts = field(default_factory=TextParts, init=False, repr=False)
    _refusal: TextParts = field(default_factory=TextParts, init=False, repr=False)
    _tools: dict[int, _ToolCallParts] = field(default_factory=dict, init=False, repr=False)

    @property
    def has_output(self) -> bool:
        return bool(self._content or self._reasoning or self._refusal or self._tools)

    def add(self, event: StreamEvent) -> None:
        if isinstance(event, TextDelta):
            self._content.append(event.text)
        elif isinstance(event, ReasoningDelta):
            self._reasoning.append(event.text)
        elif isinstance(event, RefusalDelta):
            self._refusal.append(event.text)
        elif isinstance(event, ToolCallDelta):
            parts = self._tools.get(event.index)
            if parts is None:
                parts = self._tools[event.index] = _ToolCallParts(
                    event.id or "", event.name or "", []
                )
            else:
                if event.id and not parts.id:
                    parts.id = event.id
                if event.name and not parts.name:
                    parts.name = event.name
            if event.arguments:
                parts.arguments.append(event.arguments)
        elif isinstance(event, UsageReported):
            self.usage = event.usage
            return
        elif isinstance(event, RequestSent):
            self.started = time.monotonic()
            return
        else:
            return
        self.chunks += 1
        self.last_token_at = now = time.monotonic()
        if self.first_token_at is None:
            self.first_token_at = now

    @classmethod
    def continuing(cls, reply: Message, model: str | None) -> ReplyAccumulator:
        """An accumulator that goes on from `reply`'s text (Continue extends it in place)."""
        acc = cls(model)
        acc._content = TextParts(reply.content)
        acc._reasoning = TextParts(reply.reasoning)
        return acc

    def content_text(self) -> str:
        return self._content.text()

    def reasoning_text(self) -> str:
        return self._reasoning.text()

    def refusal_text(self) -> str:
        return self._refusal.text()

    def tool_calls(self) -> tuple[ToolCall, ...]:
        return tuple(
            ToolCall(
                id=parts.id or parts.made_id, name=parts.name, arguments="".join(parts.arguments)
            )
            for _, parts in sorted(self._tools.items())
        )

    def snapshot(self, state: ReplyState, base: Message) -> Message:
        now = time.monotonic()
        first = None if self.first_token_at is None else self.first_token_at - self.started
        last = None if self.last_token_at is None else self.last_token_at - self.started
        return replace(
            base,
            content=self._content.text(),
            reasoning=self._reasoning.text(),
            refusal=self._refusal.text(),
            tool_calls=self.tool_calls(),
            state=state,
            finish_reason=self.finish_reason,
            error=self.error,
            usage=self.usage,
            timings=ReplyTimings(
                first_token_s=first,
                duration_s=now - self.started,
                chunks=self.chunks,
                last_token_s=last,
            ),
            model=self.model,
        )


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """Where a reply goes: endpoint and parameters, decided by the caller per send."""

    endpoint: Endpoint
    params: ChatParams
    profile_id: str | None = None
    accepts_images: bool = True  # the profile's "model accepts images"
    assistant_id: str | None = None  # the assistant whose settings `params` hold
    tool_servers: tuple[str, ...] = ()  # the MCP servers whose tools are offered (none: all)


EventCallback = Callable[[StreamEvent], None]
StorageErrorCallback = Callable[[str], None]


class ChatSession:
    """The open conversation. Not thread-safe: used from the event loop's thread only."""

    def __init__(
        self,
        backend: ChatBackend,
        store: HistoryStore | None = None,
        on_storage_error: StorageErrorCallback | None = None,
        writer: SerialWorker | None = None,
    ) -> None:
        """`writer`: the thread history writes go through (shared with whatever else writes
        to the same store, so that writes stay in order); the session makes its own when
        none is given, and then shuts it down in `aclose`."""
        self.backend = backend
        self.store = store
        self.conversation: Conversation | None = None
        # The path shown: what the transcript shows and what a request sends. Other
        # versions stay in the store; `_children` says which there are.
        self.messages: list[Message] = []
        self._children: dict[int | None, list[int]] = {}  # parent id -> stored children
        self.on_storage_error: StorageErrorCallback = on_storage_error or (lambda message: None)
        # One writer thread keeps database writes in order and off the GUI thread.
        self._owns_writer = writer is None
        self._writer = writer or SerialWorker("history-writer")
        self._stream_task: asyncio.Task[None] | None = None
        self._stop_requested = False
        self.live_reply: LiveReply | None = None  # the reply streaming now, if any
        self._reply_saved: asyncio.Event | None = None  # set once that reply is stored
        # Attachments' payloads by sha256, as sent or read for a request (without a store,
        # the only copy).
        self._payloads: dict[str, bytes] = {}
        # Tools: offered when a toolbox is set; a call runs only when the toolbox's rules
        # or the approver (the user) allow it.
        self.toolbox: Toolbox | None = None
        self.approver: ToolApprover | None = None
        self.max_tool_rounds = DEFAULT_TOOL_ROUNDS
        self._looping = False  # a reply's tool loop is under way
        self._phase_task: asyncio.Future[Any] | None = None  # listing tools, a call
        # The conversation's own changes to its assistant's settings ("edited from …").
        self.params_override: ParamsOverride | None = None

    # -- conversations -------------------------------------------------------------------

    def new_conversation(self) -> None:
        self.conversation = None
        self.messages = []
        self._children = {}
        self._payloads = {}
        self.params_override = None

    def open_conversation(self, conversation_id: int, through: int | None = None) -> list[Message]:
        """Shows a stored conversation: its path shown last, or (`through`) the path through
        that message (see `remember_path`)."""
        if self.store is None:
            raise LookupError("no history store")
        conversation = self.store.get_conversation(conversation_id)
        if conversation is None:
            raise LookupError(f"conversation {conversation_id} not found")
        self.conversation = conversation
        self.messages = self.store.messages(conversation_id, through)
        self._load_versions()
        self._payloads = {}
        self.params_override = conversation.override
        return list(self.messages)

    def _load_versions(self) -> None:
        self._children = {}
        if self.store is not None and self.conversation is not None:
            versions = self.store.versions(self.conversation.id)
            self._children = {parent: list(kids) for parent, kids in versions.items()}

    # -- versions ------------------------------------------------------------------------

    def version_of(self, index: int) -> tuple[int, int]:
        """Which version the message at `index` of the path is, and of how many: (1, 1)
        for a message without others (or not stored)."""
        if not 0 <= index < len(self.messages):
            return (1, 1)
        message = self.messages[index]
        siblings = self._children.get(message.parent_id, [])
        if message.id is None or message.id not in siblings:
            return (1, 1)
        return (siblings.index(message.id) + 1, len(siblings))

    def sibling(self, index: int, step: int) -> int | None:
        """The id of the version `step` away from the message at `index` (None: none)."""
        if not 0 <= index < len(self.messages):
            return None
        message = self.messages[index]
        siblings = self._children.get(message.parent_id, [])
        if message.id not in siblings:
            return None
        at = siblings.index(message.id) + step
        return siblings[at] if 0 <= at < len(siblings) else None

    async def show_version(self, message_id: int) -> bool:
        """Shows that version (a sibling of a message on the path) and the path below it
        shown last there; remembered for the next time. False when it could not be."""
        if self.busy or self.store is None or self.conversation is None:
            return False
        path = await self._write(self.store.show_message, self.conversation.id, message_id)
        if path is None:
            return False
        self.messages = path
        return True

    async def remember_path(self) -> None:
        """Remembers the path on show as the one to show (after opening one `through` a
        message of another version)."""
        if self.store is None or self.conversation is None or not self.messages:
            return
        last = self.messages[-1].id
        if last is not None:
            await self._write(self.store.show_message, self.conversation.id, last)

    async def delete_version(self, index: int) -> int | None:
        """Deletes the version at `index` of the path, and everything below it, until
        `restore_version`; the path then goes through another version. Returns its id (None:
        nothing deleted: it has no other version, or is not stored)."""
        if self.busy or self.store is None or self.conversation is None:
            return None
        if self.version_of(index)[1] < 2:
            return None
        message_id = self.messages[index].id
        assert message_id is not None  # (version_of says it is stored)
        if not await self._write(self.store.delete_version, message_id):
            return None
        await self._reload()
        return message_id

    async def restore_version(self, message_id: int) -> bool:
        """Brings back a deleted version, and shows it."""
        if self.busy or self.store is None or self.conversation is None:
            return False
        if not await self._write(self.store.restore_version, message_id):
            return False
        await self._write(self.store.show_message, self.conversation.id, message_id)
        await self._reload()
        return True

    async def purge_deleted_versions(self) -> None:
        if self.store is not None:
            await self._write(self.store.purge_deleted_versions)

    async def _reload(self) -> None:
        store, conversation = self.store, self.conversation
        if store is None or conversation is None:
            return

        def read() -> tuple[list[Message], dict[int | None, tuple[int, ...]]]:
            return store.messages(conversation.id), store.versions(conversation.id)

        # (On the writer thread: after the writes before it.)
        loaded = await self._write(read)
        if loaded is not None and self.conversation is conversation:
            self.messages = loaded[0]
            self._children = {parent: list(kids) for parent, kids in loaded[1].items()}

    def message_tree(self, path: Sequence[Message]) -> tuple[tuple[Message, ...], int | None]:
        """Every version of the conversation (each message after its parent) and the last
        message of `path`, the one shown; without a store, `path` alone. Blocking (reads
        the store): call off the loop."""
        shown = path[-1].id if path else None
        if self.store is None or self.conversation is None or shown is None:
            return tuple(path), None
        return tuple(self.store.message_tree(self.conversation.id)), shown

    def _store_message(
        self, conversation_id: int, message: Message, payloads: dict[str, bytes] | None = None
    ) -> Message:
        """Stores a message exactly where its `parent_id` says (None: a first message)."""
        assert self.store is not None
        return self.store.append_message(
            conversation_id, message, payloads, root=message.parent_id is None
        )

    def _adopt(self, messages: list[Message], stored: Message) -> None:
        """A message just stored on the path `messages`: one more version where it goes."""
        if messages is self.messages and stored.id is not None:
            kids = self._children.setdefault(stored.parent_id, [])
            if stored.id not in kids:
                kids.append(stored.id)

    @property
    def busy(self) -> bool:
        return self._looping or (self._stream_task is not None and not self._stream_task.done())

    async def set_params_override(self, override: ParamsOverride | None) -> None:
        """The conversation's own changes to its assistant's settings, remembered with it
        (an empty one is none). Applied by whoever makes the next reply's target."""
        if override is not None and override.is_empty:
            override = None
        self.params_override = override
        conversation = self.conversation
        if conversation is None or conversation.override == override:
            return
        self.conversation = replace(conversation, override=override)
        if self.store is not None:
            await asyncio.shield(
                self._write(self.store.set_conversation_override, conversation.id, override)
            )

    # -- storage -------------------------------------------------------------------------

    async def _write(self, fn: Callable[..., T], *args: Any) -> T | None:
        """Runs a store call on the writer thread; a failure is reported, never raised:
        the reply goes on, and what is on screen is kept."""
        try:
            return await self._writer.run(fn, *args)
        except Exception as exc:
            log.error("history write failed", exc_info=exc)
            self.on_storage_error(f"Could not save to history: {exc}")
            return None

    async def _ensure_conversation(self, first_text: str, target: ReplyTarget) -> None:
        if self.conversation is not None or self.store is None:
            return
        # Only the start matters (and splitting a pasted 10 MB message would take a while).
        title = " ".join(first_text[:200].split())[:60] or "New conversation"
        self.conversation = await self._write(
            self.store.create_conversation,
            title,
            target.profile_id,
            target.params,
            target.assistant_id,
        )
        if self.conversation is not None and self.params_override is not None:
            # Edited before its first message: kept with it from now on.
            await self.set_params_override(self.params_override)

    async def set_assistant(self, assistant_id: str) -> None:
        """The open conversation goes on with another assistant (remembered with it; its
        messages stay as they were), without the override, which edited the other one. A
        conversation not stored yet takes the assistant of its first send."""
        self.params_override = None
        conversation = self.conversation
        if conversation is None or (
            conversation.assistant_id == assistant_id and conversation.override is None
        ):
            return
        self.conversation = replace(conversation, assistant_id=assistant_id, override=None)
        if self.store is not None:
            # Shielded: quitting right after the choice still lands it (the writer's queue
            # is drained before the store closes).
            await asyncio.shield(
                self._write(self.store.set_conversation_assistant, conversation.id, assistant_id)
            )

    async def _append(self, message: Message, payloads: dict[str, bytes] | None = None) -> Message:
        """Stores a message that goes at the end of the path (its parent: the last one)."""
        messages = self.messages
        message = replace(message, parent_id=messages[-1].id if messages else None)
        if self.store is None or self.conversation is None:
            return message
        stored = await self._write(self._store_message, self.conversation.id, message, payloads)
        if stored is None:
            return message
        self._adopt(messages, stored)
        return stored

    def keep_payloads(self, attachments: Sequence[PreparedAttachment]) -> dict[str, bytes]:
        """Keeps the payloads of files about to be sent (readable through
        `attachment_payloads` at once, before they are stored); returns them by sha256."""
        payloads = {a.ref.sha256: a.data for a in attachments}
        self._payloads.update(payloads)
        return payloads

    def attachment_payloads(self, hashes: Iterable[str]) -> dict[str, bytes]:
        """The payloads found of these hashes. Blocking (reads files): call off the loop,
        from any thread (the transcript's thumbnails are read on Qt's image loader thread)."""
        wanted = set(hashes)
        kept = self._payloads  # (one .get per hash: safe while the loop adds to it)
        found = {sha: data for sha in wanted if (data := kept.get(sha)) is not None}
        if self.store is not None and len(found) < len(wanted):
            found.update(self.store.attachment_data(wanted - found.keys()))
        return found

    async def kept_attachments(self, message: Message) -> list[PreparedAttachment]:
        """A message's attachments with their payloads, to send them again (an edit); one
        whose file is gone is left out."""
        data = await self._request_payloads([message])
        return [
            PreparedAttachment(a, data[a.sha256]) for a in message.attachments if a.sha256 in data
        ]

    async def _request_payloads(self, history: Sequence[Message]) -> dict[str, bytes]:
        """The payloads a request's attachments need, read on the writer thread (after any
        write that stores them)."""
        wanted = {a.sha256 for m in history for a in m.attachments}
        if wanted - self._payloads.keys():
            try:
                self._payloads.update(await self._writer.run(self.attachment_payloads, wanted))
            except Exception as exc:  # (a missing file is sent as a note, see streaming)
                log.error("attachments could not be read", exc_info=exc)
        return {sha: self._payloads[sha] for sha in wanted if sha in self._payloads}

    def _index_of(self, message_id: int | None, position: int | None) -> int:
        for i, m in enumerate(self.messages):
            if message_id is not None and m.id == message_id:
                return i
        if position is not None and 0 <= position < len(self.messages):
            return position
        raise LookupError("message not found")

    def fork_at(self, index: int) -> None:
        """The path up to (not including) `index`: the next message added becomes a new
        version of the one at `index` (regenerate, edit, retry). Nothing is deleted: the
        other versions stay in the store (without one, they are gone)."""
        self.messages = self.messages[:index]

    # -- replies -------------------------------------------------------------------------

    async def send(
        self,
        text: str,
        target: ReplyTarget,
        on_event: EventCallback,
        attachments: Sequence[PreparedAttachment] = (),
    ) -> Message:
        """Adds the user's message with its attachments (all saved before anything is sent)
        and streams the reply."""
        # Nothing typed: the conversation is named after the first file.
        title_text = text or (attachments[0].ref.name if attachments else "")
        payloads = self.keep_payloads(attachments)
        await self._ensure_conversation(title_text, target)
        message = Message(
            role=Role.USER,
            content=text,
            created_at=time.time(),
            attachments=tuple(a.ref for a in attachments),
        )
        user = await self._append(message, payloads)
        self.messages.append(user)
        return await self.reply(target, on_event)

    async def retry_last(self, target: ReplyTarget, on_event: EventCallback) -> Message:
        """A new version of the last reply (failed, stopped, or any), shown instead of it."""
        if self.messages and self.messages[-1].role is Role.ASSISTANT:
            self.fork_at(len(self.messages) - 1)
        return await self.reply(target, on_event)

    async def regenerate(
        self, index: int, target: ReplyTarget, on_event: EventCallback
    ) -> Message:
        """A new version of the reply at `index`, asked with the path before it."""
        self.fork_at(index)
        return await self.reply(target, on_event)

    def stop(self) -> bool:
        """Stops the reply that is streaming (it ends as STOPPED, its text kept), and the
        tool loop: a tool call in flight is cancelled and no further reply is asked for."""
        if not self.busy:
            return False
        self._stop_requested = True
        for task in (self._stream_task, self._phase_task):
            if task is not None and not task.done():
                task.cancel()
        return True

    def can_continue(self) -> bool:
        """The last message is a reply with text that can be extended."""
        last = self.messages[-1] if self.messages else None
        return last is not None and last.role is Role.ASSISTANT and bool(last.content)

    async def continue_last(self, target: ReplyTarget, on_event: EventCallback) -> Message:
        """Extends the last reply (cut off, stopped, failed or interrupted) in place: the
        same message, its text continued; the request ends with an instruction that is
        never stored or shown."""
        if not self.can_continue():
            raise LookupError("there is no reply to continue")
        return await self.reply(target, on_event, continuing=self.messages[-1])

    async def reply(
        self, target: ReplyTarget, on_event: EventCallback, *, continuing: Message | None = None
    ) -> Message:
        """Streams one assistant reply to the current history (or, `continuing`, goes on
        with the last one). With tools, a reply that ends with tool calls has them run
        (each approved or declined, each result saved as it comes) and the next reply
        streamed, until one comes without tool calls or the round limit. Always returns
        the last reply in exactly one end state; never raises for server trouble."""
        if self.busy:
            raise RuntimeError("a reply is already streaming")
        self._looping = True
        self._stop_requested = False
        try:
            return await self._tool_loop(target, on_event, continuing)
        finally:
            self._looping = False
            self._phase_task = None

    async def _tool_loop(
        self, target: ReplyTarget, on_event: EventCallback, continuing: Message | None
    ) -> Message:
        tools: tuple[AvailableTool, ...] = ()
        if self.toolbox is not None:
            stopped, listing = await self._stoppable(self.toolbox.list_tools(target.tool_servers))
            if not stopped and listing is not None:
                tools = listing.tools
                for problem in listing.problems:
                    on_event(ToolNotice(problem))
        messages = self.messages
        final = await self._reply_once(target, on_event, continuing, tools)
        rounds = 0
        # (Only calls to tools that were offered are answered: a model inventing calls with
        # none offered gets its reply shown as it is.)
        while (
            tools
            and final.state is ReplyState.FINISHED
            and final.tool_calls
            and not self._stop_requested
        ):
            rounds += 1
            limit_reached = rounds > self.max_tool_rounds
            await self._answer_calls(final, tools, messages, on_event, limit_reached)
            if limit_reached:
                on_event(
                    ToolNotice(
                        f"The model kept calling tools: stopped after {self.max_tool_rounds} "
                        "rounds. Send a message to let it go on."
                    )
                )
                break
            if self._stop_requested or messages is not self.messages:
                break
            final = await self._reply_once(target, on_event, None, tools)
        return final

    async def _stoppable(self, work: Awaitable[T]) -> tuple[bool, T | None]:
        """Runs one step of the loop so that Stop can cancel it: (stopped, result)."""
        task = asyncio.ensure_future(work)
        self._phase_task = task
        try:
            return False, await asyncio.shield(task)
        except asyncio.CancelledError:
            if not self._stop_requested:  # the app is closing
                task.cancel()
                raise
            return True, None
        finally:
            self._phase_task = None

    async def _answer_calls(
        self,
        reply: Message,
        tools: tuple[AvailableTool, ...],
        messages: list[Message],
        on_event: EventCallback,
        limit_reached: bool,
    ) -> None:
        """One `role: tool` message for every call of `reply`, in order, each saved as it
        comes: providers refuse a history where a call has no answer. The message keeps
        the call's status and duration, and the images it returned (as attachments)."""
        by_name = {t.name: t for t in tools}
        reply_index = len(messages) - 1
        for call in reply.tool_calls:
            started = time.monotonic()
            images: tuple[ToolImage, ...] = ()
            if limit_reached:
                result = _CallResult(
                    TOOL_ROUND_LIMIT.format(limit=self.max_tool_rounds), ToolStatus.NOT_RUN
                )
            elif self._stop_requested:
                result = _CallResult(TOOL_STOPPED, ToolStatus.STOPPED)
            else:

                def running(call_id: str = call.id) -> None:
                    on_event(ToolCallStarted(reply_index, call_id))

                stopped, answer = await self._stoppable(
                    self._run_call(call, by_name, on_event, running)
                )
                result = (
                    _CallResult(TOOL_STOPPED, ToolStatus.STOPPED)
                    if stopped or answer is None
                    else answer
                )
                images = result.images
            tool = by_name.get(call.name)
            files = tool_image_files(tool.tool_name if tool else call.name, images)
            message = Message(
                role=Role.TOOL,
                content=result.content,
                tool_call_id=call.id,
                created_at=time.time(),
                finish_reason=result.status.value,
                timings=ReplyTimings(duration_s=time.monotonic() - started),
                attachments=tuple(ref for ref, _data in files),
                parent_id=messages[-1].id if messages else None,
            )
            payloads = {ref.sha256: data for ref, data in files}
            self._payloads.update(payloads)
            stored = await self._append_to(messages, message, payloads)
            messages.append(stored)
            on_event(ToolMessageAdded(len(messages) - 1, stored))

    async def _append_to(
        self, messages: list[Message], message: Message, payloads: dict[str, bytes] | None = None
    ) -> Message:
        if messages is not self.messages:  # another conversation was opened meanwhile
            return message
        return await self._append(message, payloads or None)

    async def _run_call(
        self,
        call: ToolCall,
        by_name: dict[str, AvailableTool],
        on_event: EventCallback,
        running: Callable[[], None],
    ) -> _CallResult:
        toolbox = self.toolbox
        tool = by_name.get(call.name)
        if toolbox is None or tool is None:
            return _CallResult(f"There is no tool named {call.name!r}.", ToolStatus.FAILED)
        try:
            arguments = json.loads(call.arguments or "{}")
        except ValueError as exc:
            return _CallResult(
                f"The arguments were not valid JSON ({exc}); the tool was not run.",
                ToolStatus.FAILED,
            )
        if not isinstance(arguments, dict):
            return _CallResult(
                "The arguments must be a JSON object; the tool was not run.", ToolStatus.FAILED
            )
        if toolbox.needs_approval(tool):
            decision = ApprovalDecision.DENY  # no one to ask: never run unasked
            if self.approver is not None:
                decision = await self.approver(
                    ToolApprovalRequest(
                        call_id=call.id,
                        server_name=tool.server_name,
                        tool_name=tool.tool_name,
                        description=tool.description,
                        arguments=json.dumps(arguments, indent=2, ensure_ascii=False),
                    )
                )
            if decision is ApprovalDecision.DENY:
                return _CallResult(TOOL_DECLINED, ToolStatus.DENIED)
            if decision is ApprovalDecision.ALWAYS_ALLOW:
                toolbox.always_allow(tool)
        running()
        outcome = await toolbox.call(tool, arguments)
        if outcome.timed_out or outcome.is_error:
            on_event(ToolNotice(f"{tool.server_name} / {tool.tool_name}: {outcome.content}"))
        status = (
            ToolStatus.TIMED_OUT
            if outcome.timed_out
            else ToolStatus.FAILED
            if outcome.is_error
            else ToolStatus.DONE
        )
        return _CallResult(outcome.content, status, outcome.images)

    async def _reply_once(
        self,
        target: ReplyTarget,
        on_event: EventCallback,
        continuing: Message | None,
        tools: tuple[AvailableTool, ...],
    ) -> Message:
        """One streamed reply (see `reply`)."""
        history = history_for_request(self.messages)
        if continuing is not None:
            history += (Message(role=Role.USER, content=CONTINUE_INSTRUCTION),)
        # (A tool result's images are shown to the user, not sent: its text notes them.)
        sent = [m for m in history if m.attachments and m.role is not Role.TOOL]
        payloads = await self._request_payloads(sent) if sent else {}
        request = ChatRequest(
            endpoint=target.endpoint,
            params=target.params,
            messages=history,
            attachment_data=payloads,
            tools=tuple(t.definition() for t in tools),
        )
        # The reply belongs to the conversation it started in, even if another one is
        # opened meanwhile (that replaces `self.messages`, never changes this list).
        messages = self.messages
        if continuing is None:
            acc = ReplyAccumulator(target.params.model)
            base = Message(
                role=Role.ASSISTANT,
                state=ReplyState.STREAMING,
                created_at=time.time(),
                parent_id=messages[-1].id if messages else None,
            )
            messages.append(base)
        else:
            acc = ReplyAccumulator.continuing(continuing, target.params.model)
            base = replace(continuing, state=ReplyState.STREAMING, error=None)
            messages[-1] = base
        index = len(messages) - 1
        saver = _ThrottledSaver(self, messages, index, base.id)
        self.live_reply = acc
        self._reply_saved = saved = asyncio.Event()
        terminal: list[StreamEvent] = []

        async def consume() -> None:
            async with contextlib.aclosing(self.backend.stream(request)) as events:
                async for event in events:
                    if isinstance(event, StreamFinished | StreamFailed):
                        terminal.append(event)
                        break
                    acc.add(event)
                    on_event(event)
                    if not isinstance(event, RequestSent | UsageReported):
                        saver.changed(acc)

        self._stream_task = asyncio.ensure_future(consume())
        if self._stop_requested:  # Stop came before the request went out
            self._stream_task.cancel()
        outer_cancelled = False
        try:
            await asyncio.shield(self._stream_task)
        except asyncio.CancelledError:
            if not self._stop_requested:
                # The app is closing: stop the stream, save as stopped, then go on cancelling.
                outer_cancelled = True
                self._stream_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._stream_task
        except Exception as exc:
            log.error("unexpected error while streaming", exc_info=exc)
            terminal.append(
                StreamFailed(
                    ChatError(
                        ErrorKind.UNEXPECTED,
                        f"Something unexpected went wrong: {type(exc).__name__}. "
                        "Details are in the log.",
                        detail=str(exc)[:300],
                    )
                )
            )

        if terminal and isinstance(terminal[0], StreamFinished):
            acc.finish_reason = terminal[0].finish_reason
            state = ReplyState.FINISHED
            end_event: StreamEvent = terminal[0]
        elif terminal and isinstance(terminal[0], StreamFailed):
            acc.error = terminal[0].error
            state = ReplyState.FAILED
            end_event = terminal[0]
        else:
            acc.finish_reason = STOPPED_BY_USER
            state = ReplyState.STOPPED
            end_event = StreamFinished(STOPPED_BY_USER)
        final = acc.snapshot(state, messages[index])
        messages[index] = final
        try:
            final = await saver.finish(final)
        finally:
            saved.set()
        messages[index] = final
        self._stream_task = None
        self.live_reply = None
        on_event(end_event)
        if outer_cancelled:
            raise asyncio.CancelledError
        return final

    async def aclose(self) -> None:
        if self._phase_task is not None and not self._phase_task.done():
            self._stop_requested = True
            self._phase_task.cancel()
        if self._stream_task is not None and not self._stream_task.done():
            self._stop_requested = True
            self._stream_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._stream_task
        if self._reply_saved is not None:
            # The stopped reply's last save, before its writer (and connections) go.
            await self._reply_saved.wait()
        await self.backend.aclose()
        if self._owns_writer:
            self._writer.shutdown(wait=True)


@dataclass(frozen=True, slots=True)
class _CallResult:
    content: str  # what the model reads
    status: ToolStatus
    images: tuple[ToolImage, ...] = ()


class _ThrottledSaver:
    """Saves a streaming reply: first when its first chunk arrives, then at most every
    SAVE_INTERVAL_S, never more than one write in flight, and once at the end."""

    def __init__(
        self, session: ChatSession, messages: list[Message], index: int, stored_id: int | None
    ) -> None:
        """`stored_id`: the reply's row when it is already stored (a reply continued)."""
        self._session = session
        self._conversation = session.conversation  # the reply's, whatever is opened later
        self._messages = messages
        self._index = index
        self._last = 0.0
        self._inflight: asyncio.Future[Any] | None = None
        self._stored_id = stored_id
        self._first_pending = False

    def changed(self, acc: ReplyAccumulator) -> None:
        if self._session.store is None or self._conversation is None:
            return
        now = time.monotonic()
        if self._inflight is not None and not self._inflight.done():
            return
        if self._stored_id is not None and now - self._last < SAVE_INTERVAL_S:
            return
        if self._stored_id is None and self._first_pending:
            return
        self._last = now
        snapshot = acc.snapshot(ReplyState.STREAMING, self._messages[self._index])
        self._inflight = asyncio.ensure_future(self._save(snapshot))

    async def _save(self, snapshot: Message) -> None:
        session, conversation = self._session, self._conversation
        assert session.store is not None and conversation is not None
        if self._stored_id is None:
            self._first_pending = True
            stored = await session._write(session._store_message, conversation.id, snapshot)
            self._first_pending = False
            if stored is not None:
                self._stored_id = stored.id
                self._messages[self._index] = replace(
                    self._messages[self._index], id=stored.id
                )
                session._adopt(self._messages, stored)
        else:
            snapshot = replace(snapshot, id=self._stored_id)
            await session._write(session.store.update_message, snapshot)

    async def finish(self, final: Message) -> Message:
        session, conversation = self._session, self._conversation
        if self._inflight is not None:
            with contextlib.suppress(Exception):
                await self._inflight
        if session.store is None or conversation is None:
            return final
        if self._stored_id is None:
            stored = await session._write(session._store_message, conversation.id, final)
            if stored is None:
                return final
            session._adopt(self._messages, stored)
            return stored
        final = replace(final, id=self._stored_id)
        await session._write(session.store.update_message, final)
        return final
