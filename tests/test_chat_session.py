"""ChatSession against the test server (real SDK, real socket) and a real history database:
what is on disk while a reply streams, after Stop, and after the app closes mid-reply."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import until
from tests.testserver import ChatScript, Delay, Gate, OpenAITestServer, Step, Text
from zlay_desktop.core.chat_session import (
    SAVE_INTERVAL_S,
    STOPPED_BY_USER,
    ChatSession,
    ReplyTarget,
)
from zlay_desktop.core.events import StreamEvent, StreamFinished, TextDelta
from zlay_desktop.core.models import ChatParams, Endpoint, Message, ReplyState, Role
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.core.streaming import OpenAIChatBackend

KEY = "sk-test-abcdefghijklmnop"
HOLD_S = 30.0  # a held stream goes on by itself after this: a failing test cannot hang


@dataclass
class Run:
    """One send() in progress: the events it produced and the task running it."""

    session: ChatSession
    store: SqliteHistoryStore
    events: list[StreamEvent] = field(default_factory=list)
    task: asyncio.Task[Message] | None = None

    def shown(self) -> str:
        """The reply's text as the window shows it (from the events)."""
        return "".join(e.text for e in self.events if isinstance(e, TextDelta))

    def reply_saved(self) -> bool:
        """Whether the streaming reply has been written once (it then has its id)."""
        messages = self.session.messages
        return len(messages) == 2 and messages[-1].id is not None

    def on_disk(self) -> list[Message]:
        conversation = self.session.conversation
        return [] if conversation is None else self.store.messages(conversation.id)

    def reply_on_disk(self) -> Message | None:
        stored = [m for m in self.on_disk() if m.role is Role.ASSISTANT]
        return stored[-1] if stored else None


def scenario(
    server: OpenAITestServer,
    store: SqliteHistoryStore,
    body: Callable[[Run], Awaitable[None]],
    storage_errors: list[str] | None = None,
) -> None:
    """Sends "Question" in a fresh session, runs `body` while it streams, closes the session."""

    async def main() -> None:
        on_error = None if storage_errors is None else storage_errors.append
        session = ChatSession(OpenAIChatBackend(), store, on_storage_error=on_error)
        run = Run(session, store)
        target = ReplyTarget(Endpoint(server.base_url, KEY), ChatParams(model="test-model"))
        run.task = asyncio.ensure_future(session.send("Question", target, run.events.append))
        try:
            await body(run)
        finally:
            if not run.task.done():
                run.task.cancel()
            await asyncio.gather(run.task, return_exceptions=True)
            await session.aclose()

    asyncio.run(main())


@pytest.fixture
def gates() -> Iterator[list[threading.Event]]:
    made: list[threading.Event] = []
    yield made
    for gate in made:  # let any held stream end with the test
        gate.set()


def hold(gates: list[threading.Event]) -> Gate:
    gate = threading.Event()
    gates.append(gate)
    return Gate(gate, timeout=HOLD_S)


def next_session_start(path: Path) -> tuple[int, list[Message]]:
    """What the user finds at the next start: the app marks cut-off replies, then shows them."""
    with SqliteHistoryStore.open(path) as reopened:
        interrupted = reopened.mark_streaming_as_interrupted()
        (conversation,) = reopened.list_conversations(0, 10)
        return interrupted, reopened.messages(conversation.id)


def test_a_reply_is_saved_from_its_first_words_then_at_most_every_quarter_second(
    server: OpenAITestServer, store: SqliteHistoryStore, gates: list[threading.Event]
) -> None:
    words = [f" w{i}" for i in range(120)]
    steps: list[Step] = [Text("First words"), hold(gates)]
    for word in words:
        steps += [Delay(0.01), Text(word)]  # ~1.2 s of chunks, 10 ms apart
    steps.append(hold(gates))
    server.enqueue(ChatScript(steps))
    # When each save of the reply was committed to the database (the writer thread's clock).
    writes: list[float] = []
    updating = False

    def traced(sql: str) -> None:
        nonlocal updating
        if sql.startswith("UPDATE messages SET"):  # traced more than once per statement
            updating = True
        elif sql == "COMMIT" and updating:
            writes.append(time.monotonic())
            updating = False

    async def body(run: Run) -> None:
        # The server holds the rest: the first words are on disk already, still streaming.
        await until(run.reply_saved, what="the first save")
        first = run.reply_on_disk()
        assert first is not None
        assert (first.content, first.state) == ("First words", ReplyState.STREAMING)
        assert [m.content for m in run.on_disk()] == ["Question", "First words"]

        store._writer.set_trace_callback(traced)
        began = time.monotonic()
        gates[0].set()
        await until(lambda: run.shown().endswith(words[-1]), what="the last chunk")
        streamed_s = time.monotonic() - began
        saved = run.reply_on_disk()
        assert saved is not None and saved.state is ReplyState.STREAMING
        assert run.shown().startswith(saved.content)  # saved text is what was shown, or less

        gates[1].set()
        final = await run.task if run.task else None
        assert final is not None and final.state is ReplyState.FINISHED
        store._writer.set_trace_callback(None)
        # Saved while streaming (a crash loses little), yet far fewer writes than chunks.
        assert 2 <= len(writes) - 1 <= streamed_s / SAVE_INTERVAL_S + 1, (writes, streamed_s)
        streaming_gaps = [b - a for a, b in itertools.pairwise(writes[:-1])]  # not the last
        # 0.1 s of slack: the writer thread may start one write later than the next.
        assert all(gap > SAVE_INTERVAL_S - 0.1 for gap in streaming_gaps), streaming_gaps

    scenario(server, store, body)
    _, stored = next_session_start(store.path)
    assert stored[-1].content == "First words" + "".join(words)
    assert (stored[-1].state, stored[-1].finish_reason) == (ReplyState.FINISHED, "stop")
    assert store.search("w119")  # a finished reply is searchable


def test_stop_keeps_the_text_and_ends_stopped(
    server: OpenAITestServer, store: SqliteHistoryStore, gates: list[threading.Event]
) -> None:
    server.enqueue(ChatScript([Text("Partial"), Text(" answer"), hold(gates), Text(" never")]))

    async def body(run: Run) -> None:
        await until(lambda: run.shown() == "Partial answer", what="the partial answer")
        assert run.session.stop()
        final = await run.task if run.task else None
        assert final is not None
        assert (final.content, final.state) == ("Partial answer", ReplyState.STOPPED)
        assert run.events[-1] == StreamFinished(STOPPED_BY_USER)
        assert not run.session.stop()  # nothing streams any more

    scenario(server, store, body)
    assert server.wait_for_disconnect(5.0)  # the request was really cut off
    interrupted, stored = next_session_start(store.path)
    assert interrupted == 0
    assert [(m.role, m.content, m.state) for m in stored] == [
        (Role.USER, "Question", ReplyState.FINISHED),
        (Role.ASSISTANT, "Partial answer", ReplyState.STOPPED),
    ]
    assert stored[-1].finish_reason == STOPPED_BY_USER
    assert store.search("partial")  # no longer streaming: searchable


def test_the_app_closing_mid_reply_stores_it_as_stopped(
    server: OpenAITestServer, store: SqliteHistoryStore, gates: list[threading.Event]
) -> None:
    """As the controller closes: the reply's task is cancelled, then the session closed."""
    server.enqueue(ChatScript([Text("Half of it"), hold(gates)]))

    async def body(run: Run) -> None:
        await until(lambda: run.shown() == "Half of it", what="the first words")
        assert run.task is not None
        run.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run.task  # the cancellation goes on once the reply is saved
        await run.session.aclose()

    scenario(server, store, body)
    interrupted, stored = next_session_start(store.path)
    assert interrupted == 0
    assert (stored[-1].content, stored[-1].state) == ("Half of it", ReplyState.STOPPED)


def test_closing_the_session_mid_reply_stores_it_as_stopped(
    server: OpenAITestServer, store: SqliteHistoryStore, gates: list[threading.Event]
) -> None:
    """aclose() alone, while a reply streams (the controller cancels the reply first)."""
    server.enqueue(ChatScript([Text("Half of it"), hold(gates)]))  # one chunk: one save

    async def body(run: Run) -> None:
        await until(lambda: run.shown() == "Half of it", what="the first words")
        await until(run.reply_saved, what="the first save")
        await run.session.aclose()
        final = await run.task if run.task else None
        assert final is not None and final.state is ReplyState.STOPPED  # in memory
        assert not run.session.busy

    scenario(server, store, body)
    # aclose() waits for the stopped reply's last save before the writer goes.
    interrupted, stored = next_session_start(store.path)
    assert interrupted == 0
    assert [m.content for m in stored] == ["Question", "Half of it"]
    assert stored[-1].state is ReplyState.STOPPED


def test_a_save_that_fails_keeps_the_reply_going(
    server: OpenAITestServer, store: SqliteHistoryStore, gates: list[threading.Event]
) -> None:
    """A database that cannot be written to: the reply still streams and ends; the user is
    told once per failed write, in words."""
    server.enqueue(ChatScript([Text("Still"), Text(" here"), hold(gates)]))
    problems: list[str] = []

    async def body(run: Run) -> None:
        await until(run.reply_saved, what="the first save")
        with store._write_lock:  # the writer thread is idle: the stream is held
            store._writer.execute("PRAGMA query_only = ON")  # every later write fails
        gates[0].set()
        final = await run.task if run.task else None
        assert final is not None
        assert (final.content, final.state) == ("Still here", ReplyState.FINISHED)

    scenario(server, store, body, problems)
    assert problems and all(p.startswith("Could not save to history:") for p in problems)
    store._writer.execute("PRAGMA query_only = OFF")
    interrupted, stored = next_session_start(store.path)
    # The last good save, still "streaming" on disk: the next start marks it interrupted.
    assert interrupted == 1
    assert (stored[-1].content, stored[-1].state) == ("Still", ReplyState.INTERRUPTED)


def test_continue_extends_the_cut_reply_in_its_own_row(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    from tests.testserver import Finish

    server.enqueue(ChatScript([Text("Half of"), Finish("length")]))
    server.enqueue(ChatScript([Text(" the story.")]))

    async def body(run: Run) -> None:
        assert run.task is not None
        cut = await run.task
        assert cut.was_cut
        target = ReplyTarget(Endpoint(server.base_url, KEY), ChatParams(model="test-model"))
        final = await run.session.continue_last(target, run.events.append)
        assert final.id == cut.id  # the same message, grown
        assert final.content == "Half of the story."

    scenario(server, store, body)
    interrupted, stored = next_session_start(store.path)
    assert interrupted == 0
    assert [(m.role, m.content, m.state) for m in stored] == [
        (Role.USER, "Question", ReplyState.FINISHED),
        (Role.ASSISTANT, "Half of the story.", ReplyState.FINISHED),
    ]
