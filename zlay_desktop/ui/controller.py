"""Runs chat work on the asyncio (qasync) loop and reports it as Qt signals.

The one place that owns reply tasks: it keeps references to them and cancels them on
close. Everything a view needs to show arrives as a past-tense signal.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from zlay_desktop.core.chat_session import ChatSession, ReplyAccumulator, ReplyTarget
from zlay_desktop.core.events import (
    ReasoningDelta,
    RefusalDelta,
    RequestSent,
    StreamEvent,
    StreamFailed,
    StreamFinished,
    TextDelta,
    ToolCallDelta,
)
from zlay_desktop.core.models import Message, ReplyState, Role

log = logging.getLogger(__name__)

# Where the next reply goes, or why it can't go anywhere (in plain words).
TargetProvider = Callable[[], ReplyTarget | str]


def message_key(index: int) -> str:
    """Messages are keyed by their position in the conversation."""
    return str(index)


class ChatController(QObject):
    # key, message: a message the user sent (already saved)
    user_message_added = Signal(str, object)
    # key, model name: an assistant reply begins (waiting for its first token)
    reply_started = Signal(str, str)
    # key, seconds waited so far for the first token
    waiting_updated = Signal(str, float)
    first_token_received = Signal(str)  # key: the first text of the reply arrived
    chunk_received = Signal(str, str)  # key, text
    reasoning_received = Signal(str, str)  # key, text
    refusal_received = Signal(str, str)  # key, text
    tool_calls_updated = Signal(str, object)  # key, tuple[ToolCall, ...]
    # key, final Message: FINISHED (maybe cut: finish_reason "length") or STOPPED
    reply_finished = Signal(str, object)
    reply_failed = Signal(str, object)  # key, final Message (state FAILED, .error set)
    busy_changed = Signal(bool)
    conversation_loaded = Signal(object)  # list[Message]: show these, replacing the view
    conversation_opened = Signal(object)  # the opened conversation's profile id (str | None)
    conversation_saved = Signal(int)  # conversation id, when a new one got stored
    configuration_needed = Signal(str)  # why no request could be made
    storage_failed = Signal(str)  # a history write failed (the chat goes on)

    def __init__(self, session: ChatSession, target_provider: TargetProvider) -> None:
        super().__init__()
        self.session = session
        session.on_storage_error = self.storage_failed.emit
        self._target_provider = target_provider
        self._task: asyncio.Task[Any] | None = None
        self._tools: ReplyAccumulator | None = None
        self._reply_key = ""
        self._waiting_since = 0.0
        self._waiting_timer = QTimer(self)
        self._waiting_timer.setInterval(1000)
        self._waiting_timer.timeout.connect(self._tick_waiting)

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
        self._task = asyncio.ensure_future(work)
        self.busy_changed.emit(True)
        self._task.add_done_callback(self._task_done)
        return True

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._waiting_timer.stop()
        if task is self._task:
            self._task = None
        self.busy_changed.emit(False)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            # A bug, not a server problem (those end as reply_failed): the excepthook
            # logs it and tells the user.
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _target(self) -> ReplyTarget | None:
        target = self._target_provider()
        if isinstance(target, str):
            self.configuration_needed.emit(target)
            return None
        return target

    # -- actions -------------------------------------------------------------------------

    def send(self, text: str) -> bool:
        """Sends a user message. False when busy, empty, or not configured."""
        if not text.strip() or self.busy:
            return False
        target = self._target()
        if target is None:
            return False
        return self._start(self._send(text, target))

    async def _send(self, text: str, target: ReplyTarget) -> Message:
        had_conversation = self.session.conversation is not None
        # Shown at once; the session saves it before the request goes out.
        index = len(self.session.messages)
        self.user_message_added.emit(
            message_key(index), Message(role=Role.USER, content=text, created_at=time.time())
        )
        return await self.session.send(text, target, self._event_sink(target, had_conversation))

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
        """Drops the reply at `index` (and all after it) and asks again."""
        target = None if self.busy else self._target()
        if target is None or not (0 <= index < len(self.session.messages)):
            return False
        return self._start(self._regenerate(index, target))

    async def _regenerate(self, index: int, target: ReplyTarget) -> Message:
        self.conversation_loaded.emit(list(self.session.messages[:index]))
        return await self.session.regenerate(index, target, self._event_sink(target, True))

    def continue_reply(self) -> bool:
        """Asks the model to go on after a reply cut at the token limit (or stopped)."""
        return self.send("Continue.")

    def edit_from(self, index: int) -> str | None:
        """Removes the user message at `index` and everything after; returns its text for
        the composer (edits replace, they do not branch)."""
        if self.busy or not (0 <= index < len(self.session.messages)):
            return None
        message = self.session.messages[index]
        if message.role is not Role.USER:
            return None
        self._start(self.session.truncate_from(index))
        self.conversation_loaded.emit(list(self.session.messages[:index]))
        return message.content

    def stop(self) -> bool:
        """Stops the streaming reply: the connection is closed and the text kept."""
        return self.session.stop()

    def new_conversation(self) -> None:
        if self.busy:
            self.stop()
        self.session.new_conversation()
        self.conversation_loaded.emit([])

    def open_conversation(self, conversation_id: int) -> None:
        if self.busy:
            self.stop()
        messages = self.session.open_conversation(conversation_id)
        self.conversation_loaded.emit(messages)
        conversation = self.session.conversation
        self.conversation_opened.emit(conversation.profile_id if conversation else None)

    async def aclose(self) -> None:
        """Cancels what runs and closes connections; awaited once on quit."""
        self._waiting_timer.stop()
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception as exc:  # quitting: log, don't raise
                log.error("reply task failed while closing", exc_info=exc)
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
        key = ""
        waiting = True

        def first_output() -> None:
            nonlocal waiting
            waiting = False
            self._waiting_timer.stop()
            self.first_token_received.emit(key)

        def on_event(event: StreamEvent) -> None:
            nonlocal key
            kind = type(event)
            if kind is TextDelta:
                chunk(key, event.text)  # type: ignore[union-attr]
                if waiting:
                    first_output()
            elif kind is ReasoningDelta:
                reasoning(key, event.text)  # type: ignore[union-attr]
                if waiting:
                    first_output()
            elif isinstance(event, RequestSent):
                if not had_conversation and self.session.conversation is not None:
                    self.conversation_saved.emit(self.session.conversation.id)
                key = message_key(len(self.session.messages) - 1)
                self._reply_key = key
                self._tools = None
                self._waiting_since = time.monotonic()
                self._waiting_timer.start()
                self.reply_started.emit(key, target.params.model)
            elif isinstance(event, RefusalDelta):
                self.refusal_received.emit(key, event.text)
                if waiting:
                    first_output()
            elif isinstance(event, ToolCallDelta):
                if self._tools is None:
                    self._tools = ReplyAccumulator(None)
                self._tools.add(event)
                self.tool_calls_updated.emit(key, self._tools.tool_calls())
                if waiting:
                    first_output()
            elif isinstance(event, StreamFinished | StreamFailed):
                # The end: the session has stored the final message.
                self._waiting_timer.stop()
                final = self.session.messages[-1] if self.session.messages else None
                if final is None:
                    return
                if final.state is ReplyState.FAILED:
                    self.reply_failed.emit(key, final)
                else:
                    self.reply_finished.emit(key, final)

        return on_event

    def _tick_waiting(self) -> None:
        self.waiting_updated.emit(self._reply_key, time.monotonic() - self._waiting_since)
