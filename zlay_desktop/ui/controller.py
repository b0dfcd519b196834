"""Runs chat work on the asyncio (qasync) loop and reports it as Qt signals.

The one place that owns reply tasks (through `BackgroundTasks`): one reply at a time,
cancelled on close. Everything a view needs to show arrives as a past-tense signal, keyed by
the message's position in the conversation. What streams is accumulated once, by the
session: `reply_started` hands the view the session's live reply to read from.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from zlay_desktop.core.assistants import ParamsOverride
from zlay_desktop.core.attachments import PreparedAttachment
from zlay_desktop.core.chat_session import ChatSession, LiveReply, ReplyTarget
from zlay_desktop.core.context_budget import (
    DEFAULT_CONTEXT_TOKENS,
    context_tokens_for,
    estimate_context,
    has_documents,
)
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
)
from zlay_desktop.core.models import AttachmentKind, Message, ReplyState, Role
from zlay_desktop.core.store import StoreError
from zlay_desktop.core.tools import ApprovalDecision, ToolApprovalRequest
from zlay_desktop.ui.background import BackgroundTasks

log = logging.getLogger(__name__)

NEW_CONVERSATION = 0
"""`current_conversation_changed`'s id for a new conversation (stored ids start at 1)."""

# Where the next reply goes, or why it can't go anywhere (in plain words).
TargetProvider = Callable[[], ReplyTarget | str]


class ChatController(QObject):
    # index, message: a message the user sent (saved before the request goes out)
    user_message_added = Signal(int, Message)
    # index, model name, the reply as it streams: an assistant reply begins (waiting for
    # its first token)
    reply_started = Signal(int, str, LiveReply)
    # index, seconds waited so far for the first token
    waiting_updated = Signal(int, float)
    first_token_received = Signal(int)  # index: the first output of the reply arrived
    chunk_received = Signal(int, str)  # index, text
    reasoning_received = Signal(int, str)  # index, text
    refusal_received = Signal(int, str)  # index, text
    tool_calls_updated = Signal(int)  # index: the live reply's tool calls grew
    # index, final Message: FINISHED (maybe cut: finish_reason "length") or STOPPED
    reply_finished = Signal(int, Message)
    reply_failed = Signal(int, Message)  # index, final Message (state FAILED, .error set)
    busy_changed = Signal(bool)
    conversation_loaded = Signal(list)  # list[Message]: show these, replacing the view
    # index, list[Message]: the path shown changed from that index on (another version
    # shown, one deleted or brought back); the messages before it are as they were
    path_changed = Signal(int, list)
    # message id: a version (and what followed it) was deleted; `restore_version` undoes it
    version_deleted = Signal(int)
    # the opened conversation's profile id ("" when it has none)
    conversation_opened = Signal(str)
    # the conversation now on show: its id, or NEW_CONVERSATION
    current_conversation_changed = Signal(int)
    conversation_saved = Signal(int)  # conversation id, when a new one got stored
    conversation_open_failed = Signal(str)  # why a stored conversation could not be shown
    configuration_needed = Signal(str)  # why no request could be made
    # A message with documents was not sent: about this many tokens, for a model (its name)
    # that takes this many.
    context_exceeded = Signal(int, int, str)
    storage_failed = Signal(str)  # a history write failed (the chat goes on)
    # a tool call waits for the user's word: answer with `approve(request.request_id, …)`
    tool_approval_requested = Signal(ToolApprovalRequest)
    tool_approval_withdrawn = Signal(int)  # request id: no longer asked (Stop, closing)
    tool_message_added = Signal(int, Message)  # index, a tool's result (role tool), saved
    tool_call_started = Signal(int, str)  # the reply's index, the call's id: it runs now
    tool_notice = Signal(str)  # a server not usable, a call failed or timed out, the limit
    # the conversation's assistant or its own settings changed (and were written)
    conversation_settings_changed = Signal()

    def __init__(self, session: ChatSession, target_provider: TargetProvider) -> None:
        super().__init__()
        self.session = session
        session.on_storage_error = self.storage_failed.emit
        self._target_provider = target_provider
        # The context of a model not known by its name (Settings.default_context_tokens).
        self.default_context_tokens = DEFAULT_CONTEXT_TOKENS
        self._background = BackgroundTasks(self)
        self._task: asyncio.Task[Any] | None = None
        self._reply_index = -1
        self._waiting_since = 0.0
        self._waiting_timer = QTimer(self)
        self._waiting_timer.setInterval(1000)
        self._waiting_timer.timeout.connect(self._tick_waiting)
        self._approvals: dict[int, asyncio.Future[ApprovalDecision]] = {}
        session.approver = self._ask

    # -- tool approval -------------------------------------------------------------------

    async def _ask(self, request: ToolApprovalRequest) -> ApprovalDecision:
        future: asyncio.Future[ApprovalDecision] = asyncio.get_running_loop().create_future()
        self._approvals[request.request_id] = future
        self.tool_approval_requested.emit(request)
        try:
            return await future
        finally:
            self._approvals.pop(request.request_id, None)
            if not future.done() or future.cancelled():
                self.tool_approval_withdrawn.emit(request.request_id)

    def approve(self, request_id: int, decision: ApprovalDecision) -> bool:
        """The user's answer to `tool_approval_requested`. False when it is no longer asked."""
        future = self._approvals.get(request_id)
        if future is None or future.done():
            return False
        future.set_result(decision)
        return True

    @property
    def pending_approvals(self) -> tuple[int, ...]:
        return tuple(self._approvals)

    # -- state ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[Any] | None:
        """The running reply task (tests and the app await it)."""
        return self._task

    def _start(self, work: Coroutine[Any, Any, Any]) -> bool:
        if self.busy:
            work.close()
            return False
        self._task = self._background.start(work, on_done=self._task_done)
        self.busy_changed.emit(True)
        return True

    def _task_done(self) -> None:
        # (A failure here is a bug, not a server problem: those end as reply_failed. The
        # background helper hands it to the excepthook.)
        self._waiting_timer.stop()
        if self._task is not None and self._task.done():
            self._task = None
        self.busy_changed.emit(False)

    def _target(self) -> ReplyTarget | None:
        target = self._target_provider()
        if isinstance(target, str):
            self.configuration_needed.emit(target)
            return None
        return target

    # -- actions -------------------------------------------------------------------------

    def send(
        self,
        text: str,
        attachments: Sequence[PreparedAttachment] = (),
        *,
        beyond_context: bool = False,
    ) -> bool:
        """Sends a user message with its attachments. False when busy, empty, not
        configured, with images for a profile whose model does not accept them, or with
        documents that make more than the model's context (`context_exceeded` says so;
        `beyond_context` sends anyway)."""
        if not (text.strip() or attachments) or self.busy:
            return False
        target = self._target()
        if target is None:
            return False
        if not self._images_allowed(target, attachments):
            return False
        if not beyond_context and self._beyond_context(target, text, attachments):
            return False
        return self._start(self._send(text, target, tuple(attachments)))

    def _beyond_context(
        self, target: ReplyTarget, text: str, attachments: Sequence[PreparedAttachment]
    ) -> bool:
        refs = [a.ref for a in attachments]
        if not has_documents(refs):
            return False
        context = context_tokens_for(target.params.model, self.default_context_tokens)
        estimate = estimate_context(
            self.session.messages, text, refs, context, target.params.max_tokens or 0
        )
        if estimate.exceeded:
            self.context_exceeded.emit(estimate.tokens, estimate.context, target.params.model)
        return estimate.exceeded

    def _images_allowed(
        self, target: ReplyTarget, attachments: Sequence[PreparedAttachment]
    ) -> bool:
        if target.accepts_images or all(
            a.ref.kind is not AttachmentKind.IMAGE for a in attachments
        ):
            return True
        self.configuration_needed.emit(
            QCoreApplication.translate(
                "ChatController",
                "This profile's model does not accept images (see Settings, “The model "
                "accepts images”). Remove the images, or choose another profile; nothing "
                "was sent.",
            )
        )
        return False

    async def _send(
        self, text: str, target: ReplyTarget, attachments: tuple[PreparedAttachment, ...] = ()
    ) -> Message:
        had_conversation = self.session.conversation is not None
        # Shown at once; the session saves it (and its files) before the request goes out.
        index = len(self.session.messages)
        self.session.keep_payloads(attachments)  # (the transcript's thumbnails read them)
        self.user_message_added.emit(
            index,
            Message(
                role=Role.USER,
                content=text,
                created_at=time.time(),
                attachments=tuple(a.ref for a in attachments),
            ),
        )
        return await self.session.send(
            text, target, self._event_sink(target, had_conversation), attachments
        )

    def retry(self) -> bool:
        """Replaces the last reply with a new attempt."""
        target = None if self.busy else self._target()
        if target is None:
            return False
        return self._start(self._retry(target))

    async def _retry(self, target: ReplyTarget) -> Message:
        self.conversation_loaded.emit(self._messages_without_last_reply())
        return await self.session.retry_last(target, self._event_sink(target, True))

    def regenerate(self, index: int) -> bool:
        """Asks again for the reply at `index`: a new version of it, shown in its place
        (the one before stays, one switch away)."""
        target = None if self.busy else self._target()
        if target is None or not (0 <= index < len(self.session.messages)):
            return False
        return self._start(self._regenerate(index, target))

    async def _regenerate(self, index: int, target: ReplyTarget) -> Message:
        self.conversation_loaded.emit(list(self.session.messages[:index]))
        return await self.session.regenerate(index, target, self._event_sink(target, True))

    def continue_reply(self) -> bool:
        """Has the model go on with the last reply (cut at the token limit, stopped, cut
        off by a failure): the same message grows, no message is added."""
        if self.busy or not self.session.can_continue():
            return False
        target = self._target()
        if target is None:
            return False
        return self._start(self.session.continue_last(target, self._event_sink(target, True)))

    def resend_edited(self, index: int, text: str) -> bool:
        """Sends `text` as a new version of the user message at `index` and asks for its
        answer; the message before and what followed it stay, one switch away."""
        messages = self.session.messages
        if self.busy or not text.strip() or not (0 <= index < len(messages)):
            return False
        if messages[index].role is not Role.USER:
            return False
        target = self._target()
        if target is None:
            return False
        return self._start(self._resend_edited(index, text, target))

    async def _resend_edited(self, index: int, text: str, target: ReplyTarget) -> Message:
        # An edit changes the words; the message's files go with it again.
        kept = await self.session.kept_attachments(self.session.messages[index])
        self.session.fork_at(index)
        self.conversation_loaded.emit(list(self.session.messages))
        return await self._send(text, target, tuple(kept))

    # -- versions ------------------------------------------------------------------------

    def show_version(self, index: int, step: int) -> bool:
        """Shows the version `step` away (-1: the previous, 1: the next) of the message at
        `index`, and the path below it shown last there. False when there is none."""
        if self.busy:
            return False
        message_id = self.session.sibling(index, step)
        if message_id is None:
            return False
        return self._start(self._show_version(index, message_id))

    async def _show_version(self, index: int, message_id: int) -> None:
        if await self.session.show_version(message_id):
            self.path_changed.emit(index, list(self.session.messages))

    def delete_version(self, index: int) -> bool:
        """Deletes the version shown at `index` and what follows it (`version_deleted`
        offers the undo); another version of it is shown."""
        if self.busy or self.session.version_of(index)[1] < 2:
            return False
        return self._start(self._delete_version(index))

    async def _delete_version(self, index: int) -> None:
        deleted = await self.session.delete_version(index)
        if deleted is not None:
            self.path_changed.emit(index, list(self.session.messages))
            self.version_deleted.emit(deleted)

    def restore_version(self, message_id: int) -> bool:
        """Undoes `delete_version` (in the conversation on show)."""
        if self.busy:
            return False
        return self._start(self._restore_version(message_id))

    async def _restore_version(self, message_id: int) -> None:
        if await self.session.restore_version(message_id):
            messages = list(self.session.messages)
            index = next((i for i, m in enumerate(messages) if m.id == message_id), 0)
            self.path_changed.emit(index, messages)

    def purge_deleted_versions(self) -> None:
        """Makes version deletions final (their undo is over)."""
        self._background.start(self.session.purge_deleted_versions())

    def set_conversation_assistant(self, assistant_id: str) -> None:
        """The conversation on show goes on with another assistant, remembered with it
        (written through the history writer)."""
        self._background.start(
            self.session.set_assistant(assistant_id),
            on_done=self.conversation_settings_changed.emit,
        )

    def set_params_override(self, override: ParamsOverride | None) -> None:
        """The conversation on show runs with its own changes to its assistant's settings
        (None: without), remembered with it (written through the history writer)."""
        self._background.start(
            self.session.set_params_override(override),
            on_done=self.conversation_settings_changed.emit,
        )

    def stop(self) -> bool:
        """Stops the streaming reply: the connection is closed and the text kept."""
        return self.session.stop()

    def new_conversation(self) -> None:
        self._switch_conversation(None)

    def open_conversation(self, conversation_id: int, through: int | None = None) -> None:
        """Shows a stored conversation (`through`: the path through that message, a search
        hit, remembered from now on); `conversation_open_failed` says why it could not."""
        self._switch_conversation(conversation_id, through)

    def _switch_conversation(self, conversation_id: int | None, through: int | None = None) -> None:
        task = self._task
        if task is not None and not task.done():
            # The reply streaming into the conversation on show ends first, as Stopped
            # (kept, with Continue and Retry), so that it is never left "streaming" in a
            # conversation that is no longer on show.
            if not self.stop():  # not streaming yet (its message is being saved)
                task.cancel()
            task.add_done_callback(
                lambda _task: self._switch_conversation(conversation_id, through)
            )
            return
        if conversation_id is None:
            self.session.new_conversation()
            self.conversation_loaded.emit([])
            self.current_conversation_changed.emit(NEW_CONVERSATION)
            return
        try:
            messages = self.session.open_conversation(conversation_id, through)
        except (LookupError, OSError, StoreError) as exc:
            self.conversation_open_failed.emit(
                QCoreApplication.translate(
                    "ChatController", "Could not open the conversation: {0}"
                ).format(exc)
            )
            return
        if through is not None:
            # (Not a task the controller waits for: a write in order with the others.)
            self._background.start(self.session.remember_path())
        self.conversation_loaded.emit(messages)
        conversation = self.session.conversation
        self.conversation_opened.emit((conversation.profile_id or "") if conversation else "")
        self.current_conversation_changed.emit(conversation_id)

    async def aclose(self) -> None:
        """Cancels what runs and closes connections; awaited once on quit."""
        self._waiting_timer.stop()
        await self._background.aclose()
        await self.session.aclose()

    # -- events -> signals ---------------------------------------------------------------

    def _messages_without_last_reply(self) -> list[Message]:
        messages = list(self.session.messages)
        if messages and messages[-1].role is Role.ASSISTANT:
            messages.pop()
        return messages

    def _event_sink(
        self, target: ReplyTarget, had_conversation: bool
    ) -> Callable[[StreamEvent], None]:
        """The per-chunk path: one signal per chunk, nothing else done here."""
        chunk = self.chunk_received.emit
        reasoning = self.reasoning_received.emit
        index = -1
        messages: list[Message] = []
        waiting = True

        def first_output() -> None:
            nonlocal waiting
            waiting = False
            self._waiting_timer.stop()
            self.first_token_received.emit(index)

        def on_event(event: StreamEvent) -> None:
            nonlocal index, messages, waiting
            kind = type(event)
            if kind is TextDelta:
                chunk(index, event.text)  # type: ignore[union-attr]
                if waiting:
                    first_output()
            elif kind is ReasoningDelta:
                reasoning(index, event.text)  # type: ignore[union-attr]
                if waiting:
                    first_output()
            elif isinstance(event, RequestSent):
                waiting = True  # (each reply of a tool loop waits for its first token)
                if not had_conversation and self.session.conversation is not None:
                    self.conversation_saved.emit(self.session.conversation.id)
                messages = self.session.messages
                index = self._reply_index = len(messages) - 1
                self._waiting_since = time.monotonic()
                self._waiting_timer.start()
                live = self.session.live_reply
                assert live is not None  # the session sends RequestSent while streaming
                self.reply_started.emit(index, target.params.model, live)
            elif isinstance(event, RefusalDelta):
                self.refusal_received.emit(index, event.text)
                if waiting:
                    first_output()
            elif isinstance(event, ToolCallDelta):
                self.tool_calls_updated.emit(index)
                if waiting:
                    first_output()
            elif isinstance(event, ToolMessageAdded):
                self.tool_message_added.emit(event.index, event.message)
            elif isinstance(event, ToolCallStarted):
                self.tool_call_started.emit(event.index, event.call_id)
            elif isinstance(event, ToolNotice):
                self.tool_notice.emit(event.text)
            elif isinstance(event, StreamFinished | StreamFailed):
                # The end: the session has stored the final message in its list.
                self._waiting_timer.stop()
                if index < 0:  # it ended before the request went out (a bad proxy URL…)
                    messages = self.session.messages
                    index = len(messages) - 1
                final = messages[index] if 0 <= index < len(messages) else None
                if final is None:
                    return
                if final.state is ReplyState.FAILED:
                    self.reply_failed.emit(index, final)
                else:
                    self.reply_finished.emit(index, final)

        return on_event

    def _tick_waiting(self) -> None:
        self.waiting_updated.emit(self._reply_index, time.monotonic() - self._waiting_since)
