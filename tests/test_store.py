"""The SQLite history store, against real database files in a temporary folder."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from zlay_desktop.core.export import ExportedConversation
from zlay_desktop.core.history import Conversation, HistoryStore
from zlay_desktop.core.models import (
    ChatError,
    ChatParams,
    ErrorKind,
    Message,
    ReplyState,
    ReplyTimings,
    Role,
    ToolCall,
    Usage,
)
from zlay_desktop.core.store import (
    SCHEMA_VERSION,
    SqliteHistoryStore,
    StoreError,
    StoreErrorKind,
    fts_query,
)

FIXTURES = Path(__file__).parent / "fixtures"

# Text SQLite and UTF-8 do not take for granted: NUL, control characters, lone surrogates
# (both halves), a reversed pair, emoji, combining marks, a BOM.
AWKWARD = "a\x00b\x01\x1f\x7f \ud800 \udfff \udc00\ud800 😀 e\u0301 \ufeff tab\tline\r\nend"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteHistoryStore]:
    with SqliteHistoryStore.open(db_path) as opened:
        yield opened


def _user(text: str) -> Message:
    return Message(Role.USER, text)


def _fts_consistent(store: SqliteHistoryStore) -> None:
    """Asks FTS5 to compare both indexes with their content tables (raises if they differ)."""
    db = store._writer
    db.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")
    db.execute(
        "INSERT INTO conversations_fts (conversations_fts, rank) VALUES ('integrity-check', 1)"
    )


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    db.text_factory = bytes
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


# --- basics ---------------------------------------------------------------------------------


def test_satisfies_the_history_protocol(store: SqliteHistoryStore) -> None:
    history: HistoryStore = store  # mypy checks the Protocol here
    conv = history.create_conversation("Plans", "local", ChatParams("m", temperature=0.5))
    stored = history.append_message(conv.id, _user("hello"))
    assert history.messages(conv.id) == [stored]
    assert history.get_conversation(conv.id) == Conversation(
        conv.id,
        "Plans",
        "local",
        ChatParams("m", temperature=0.5),
        conv.created_at,
        history.get_conversation(conv.id).updated_at,  # type: ignore[union-attr]
    )


def test_a_new_store_creates_its_folder_and_uses_wal(db_path: Path) -> None:
    with SqliteHistoryStore.open(db_path) as store:
        assert store.startup_message() is None
        assert store.migration_backup is None
    assert _rows(db_path, "PRAGMA journal_mode") == [(b"wal",)]
    assert _rows(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_every_field_and_awkward_text_round_trip(db_path: Path) -> None:
    message = Message(
        role=Role.ASSISTANT,
        content=AWKWARD,
        reasoning="thinking " + AWKWARD,
        refusal="no \ud83d",
        tool_calls=(
            ToolCall("call_\udc01", "get_weather", '{"city": "Ly\x00on \ud800"}'),
            ToolCall("call_2", "lookup", "{", type="function"),
        ),
        state=ReplyState.FAILED,
        finish_reason="weird_reason \ud800",
        error=ChatError(ErrorKind.RATE_LIMITED, "Slow \ud800 down", 2.5, 429, "det\x00ail"),
        usage=Usage(10, 20, 30, 5),
        timings=ReplyTimings(0.25, 3.5, 42),
        model="model-\udfff",
        created_at=1234.5,
    )
    tool_reply = Message(Role.TOOL, "{}", tool_call_id="call_\udc01")
    with SqliteHistoryStore.open(db_path) as store:
        conv = store.create_conversation("Title \ud800 \x00", "profile \udc00", None)
        stored = store.append_message(conv.id, message)
        stored_tool = store.append_message(conv.id, tool_reply)
    with SqliteHistoryStore.open(db_path) as store:  # from disk, not from a cache
        assert store.messages(conv.id) == [stored, stored_tool]
        assert stored == replace(message, id=stored.id)
        got = store.get_conversation(conv.id)
        assert got == replace(conv, updated_at=got.updated_at if got else 0.0)
        assert store.list_conversations(0, 10)[0].title == "Title \ud800 \x00"


def test_append_sets_id_and_time_and_keeps_order(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("c", None, None)
    first = store.append_message(conv.id, _user("one"))
    second = store.append_message(conv.id, Message(Role.ASSISTANT, "two", created_at=5.0))
    assert first.id is not None and second.id is not None and first.id != second.id
    assert first.created_at > 0 and second.created_at == 5.0
    assert [m.content for m in store.messages(conv.id)] == ["one", "two"]


def test_append_to_a_missing_conversation_says_so(store: SqliteHistoryStore) -> None:
    with pytest.raises(StoreError) as caught:
        store.append_message(999, _user("lost"))
    assert caught.value.kind is StoreErrorKind.NOT_FOUND
    assert str(caught.value) == "This conversation no longer exists."


def test_update_message_replaces_it_and_keeps_its_time(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("c", None, None)
    store.append_message(conv.id, _user("question"))
    reply = store.append_message(conv.id, Message(Role.ASSISTANT, "", state=ReplyState.STREAMING))
    for text in ("Par", "Partial", "Partial answer."):
        store.update_message(Message(Role.ASSISTANT, text, state=ReplyState.STREAMING, id=reply.id))
    final = Message(
        Role.ASSISTANT,
        "Partial answer.",
        state=ReplyState.FINISHED,
        finish_reason="stop",
        usage=Usage(1, 2, 3),
        id=reply.id,
    )
    store.update_message(final)
    assert store.messages(conv.id)[1] == replace(
        final, created_at=reply.created_at, parent_id=reply.parent_id
    )


def _reply(text: str, parent: Message) -> Message:
    return Message(Role.ASSISTANT, text, parent_id=parent.id)


def test_messages_are_a_tree_and_the_path_shown_is_the_one_chosen_last(
    store: SqliteHistoryStore,
) -> None:
    conv = store.create_conversation("c", None, None)
    other = store.create_conversation("other", None, None)
    question = store.append_message(conv.id, _user("q"))
    first = store.append_message(conv.id, _reply("a1", question))
    follow_up = store.append_message(conv.id, Message(Role.USER, "more", parent_id=first.id))
    deep = store.append_message(conv.id, _reply("deep", follow_up))
    store.append_message(other.id, _user("untouched"))
    # Regenerating: a sibling of the first answer, shown from now on; nothing deleted.
    second = store.append_message(conv.id, _reply("a2", question))
    assert second.parent_id == question.id
    assert [m.content for m in store.messages(conv.id)] == ["q", "a2"]
    assert store.versions(conv.id)[question.id] == (first.id, second.id)
    # Back to the first version: the path below it that was last shown there comes back.
    assert first.id is not None
    path = store.show_message(conv.id, first.id)
    assert [m.content for m in path] == ["q", "a1", "more", "deep"]
    assert store.messages(conv.id) == path
    assert [m.id for m in path] == [question.id, first.id, follow_up.id, deep.id]
    # A path through a message of another version, without choosing it.
    assert second.id is not None
    assert [m.content for m in store.messages(conv.id, through=second.id)] == ["q", "a2"]
    assert [m.content for m in store.messages(conv.id)] == ["q", "a1", "more", "deep"]
    # A new first question (an edited one): a second root.
    root = store.append_message(conv.id, _user("q, edited"), root=True)
    assert root.parent_id is None
    assert [m.content for m in store.messages(conv.id)] == ["q, edited"]
    assert store.versions(conv.id)[None] == (question.id, root.id)
    # Without a parent, a message goes at the end of the path shown.
    after = store.append_message(conv.id, Message(Role.ASSISTANT, "a3"))
    assert after.parent_id == root.id
    assert [m.content for m in store.messages(other.id)] == ["untouched"]
    assert len(store.message_tree(conv.id)) == 7
    _fts_consistent(store)


def test_a_message_tree_lists_parents_before_children(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("c", None, None)
    question = store.append_message(conv.id, _user("q"))
    first = store.append_message(conv.id, _reply("a1", question))
    store.append_message(conv.id, Message(Role.USER, "more", parent_id=first.id))
    store.append_message(conv.id, _reply("a2", question))  # added last, a sibling of a1
    tree = store.message_tree(conv.id)
    assert [m.content for m in tree] == ["q", "a1", "more", "a2"]
    seen: set[int | None] = {None}
    for message in tree:
        assert message.parent_id in seen
        seen.add(message.id)


def test_a_message_under_a_parent_of_another_conversation_is_refused(
    store: SqliteHistoryStore,
) -> None:
    conv = store.create_conversation("c", None, None)
    other = store.create_conversation("other", None, None)
    foreign = store.append_message(other.id, _user("elsewhere"))
    with pytest.raises(StoreError) as caught:
        store.append_message(conv.id, _reply("lost", foreign))
    assert caught.value.kind is StoreErrorKind.NOT_FOUND
    assert store.messages(conv.id) == []


def test_deleting_a_version_hides_it_and_below_until_undone_or_purged(
    store: SqliteHistoryStore,
) -> None:
    conv = store.create_conversation("c", None, None)
    question = store.append_message(conv.id, _user("q"))
    first = store.append_message(conv.id, _reply("walrus answer", question))
    below = store.append_message(conv.id, Message(Role.USER, "walrus follow-up", parent_id=first.id))
    second = store.append_message(conv.id, _reply("a2", question))
    assert first.id is not None and second.id is not None
    store.show_message(conv.id, first.id)
    assert store.delete_version(first.id)
    assert [m.content for m in store.messages(conv.id)] == ["q", "a2"]
    assert store.versions(conv.id)[question.id] == (second.id,)
    assert store.search("walrus") == []
    assert len(store.message_tree(conv.id)) == 2
    # Undo: all of it back, and the path through it can be shown again.
    assert store.restore_version(first.id)
    assert [m.content for m in store.show_message(conv.id, first.id)] == [
        "q",
        "walrus answer",
        "walrus follow-up",
    ]
    assert {h.message_id for h in store.search("walrus")} == {below.id}
    # Deleted again, and purged: gone for good, undo says so.
    assert store.delete_version(first.id)
    assert store.purge_deleted_versions() == 2
    assert not store.restore_version(first.id)
    assert [m.content for m in store.messages(conv.id)] == ["q", "a2"]
    _fts_consistent(store)


def test_a_deleted_version_is_not_found_by_the_text_of_its_documents(
    store: SqliteHistoryStore,
) -> None:
    from zlay_desktop.core.attachments import prepare_bytes

    report = prepare_bytes(b"Chapter 3: the airship crossed the Alps.\n", "report.txt")
    conv = store.create_conversation("c", None, None)
    question = store.append_message(conv.id, _user("q"))
    first = store.append_message(
        conv.id,
        Message(Role.USER, "read this", attachments=(report.ref,), parent_id=question.id),
        {report.ref.sha256: report.data},
    )
    store.append_message(conv.id, Message(Role.USER, "other", parent_id=question.id))
    assert first.id is not None
    assert [h.message_id for h in store.search("airship")] == [first.id]
    assert store.delete_version(first.id)
    assert store.search("airship") == []
    assert store.restore_version(first.id)
    assert [h.message_id for h in store.search("airship")] == [first.id]


def test_a_deleted_version_is_purged_at_the_next_start(db_path: Path) -> None:
    with SqliteHistoryStore.open(db_path) as store:
        conv = store.create_conversation("c", None, None)
        question = store.append_message(conv.id, _user("q"))
        first = store.append_message(conv.id, _reply("a1", question))
        store.append_message(conv.id, _reply("a2", question))
        assert first.id is not None and store.delete_version(first.id)
    with SqliteHistoryStore.open(db_path) as store:
        assert not store.restore_version(first.id)
        assert [m.content for m in store.message_tree(conv.id)] == ["q", "a2"]


def test_the_chosen_path_survives_a_restart(db_path: Path) -> None:
    with SqliteHistoryStore.open(db_path) as store:
        conv = store.create_conversation("c", None, None)
        question = store.append_message(conv.id, _user("q"))
        first = store.append_message(conv.id, _reply("a1", question))
        store.append_message(conv.id, _reply("a2", question))
        assert first.id is not None
        store.show_message(conv.id, first.id)
    with SqliteHistoryStore.open(db_path) as store:
        assert [m.content for m in store.messages(conv.id)] == ["q", "a1"]


def test_mark_streaming_as_interrupted_keeps_the_partial_text(db_path: Path) -> None:
    with SqliteHistoryStore.open(db_path) as store:
        conv = store.create_conversation("c", None, None)
        store.append_message(conv.id, _user("tell me"))
        reply = store.append_message(
            conv.id, Message(Role.ASSISTANT, "Once upon a", state=ReplyState.STREAMING)
        )
        # The app dies here: no final save.
    with SqliteHistoryStore.open(db_path) as store:
        assert store.mark_streaming_as_interrupted() == 1
        assert store.mark_streaming_as_interrupted() == 0
        messages = store.messages(conv.id)
        assert [(m.content, m.state) for m in messages] == [
            ("tell me", ReplyState.FINISHED),
            ("Once upon a", ReplyState.INTERRUPTED),
        ]
        assert messages[1].id == reply.id
        # Now that it is no longer streaming, its text is searchable.
        assert [hit.message_id for hit in store.search("upon")] == [reply.id]
        _fts_consistent(store)


_STREAMING_WRITER = """
import sys
from pathlib import Path
from zlay_desktop.core.models import Message, ReplyState, Role
from zlay_desktop.core.store import SqliteHistoryStore

store = SqliteHistoryStore.open(Path(sys.argv[1]))
conv = store.create_conversation("crash", None, None)
reply = store.append_message(conv.id, Message(Role.ASSISTANT, "", state=ReplyState.STREAMING))
text = ""
i = 0
while True:  # streams until killed
    text += f"w{i} "
    store.update_message(Message(Role.ASSISTANT, text, state=ReplyState.STREAMING, id=reply.id))
    if i == 200:
        print(len(text), flush=True)
    i += 1
"""


def test_a_reply_saved_while_streaming_survives_kill_9(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    child = subprocess.Popen(
        [sys.executable, "-c", _STREAMING_WRITER, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    try:
        assert child.stdout is not None
        saved_len = int(child.stdout.readline())  # 201 saves done, more under way
    finally:
        child.kill()  # SIGKILL: no cleanup, no close
        child.wait()
    with SqliteHistoryStore.open(db_path) as store:
        assert store.mark_streaming_as_interrupted() == 1
        (conv,) = store.list_conversations(0, 1)
        (reply,) = store.messages(conv.id)
    assert reply.state is ReplyState.INTERRUPTED
    assert len(reply.content) >= saved_len
    assert reply.content.startswith("w0 w1 w2 ") and reply.content.endswith(" ")


# --- the conversation list --------------------------------------------------------------------


def test_list_is_newest_first_and_pages(store: SqliteHistoryStore) -> None:
    store.import_conversations(
        ExportedConversation(
            Conversation(0, f"c{i}", created_at=100.0 + i, updated_at=100.0 + i), ()
        )
        for i in range(250)
    )
    assert store.count_conversations() == 250
    titles = [c.title for off in (0, 100, 200) for c in store.list_conversations(off, 100)]
    assert titles == [f"c{i}" for i in range(249, -1, -1)]


def test_activity_moves_a_conversation_to_the_top_but_renaming_does_not(
    store: SqliteHistoryStore,
) -> None:
    old = store.create_conversation("old", None, None)
    new = store.create_conversation("new", None, None)
    store.rename_conversation(old.id, "renamed")
    assert [c.title for c in store.list_conversations(0, 10)][1] == "renamed"
    store.append_message(old.id, _user("hi"))
    assert [c.id for c in store.list_conversations(0, 10)] == [old.id, new.id]


def test_update_conversation_stores_title_and_params(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("", None, None)
    store.append_message(conv.id, _user("hi"))
    after_message = store.get_conversation(conv.id)
    assert after_message is not None
    changed = Conversation(conv.id, "Auto title", "p1", ChatParams("gpt", max_tokens=9))
    store.update_conversation(changed)  # carries an old updated_at: it must not go back
    got = store.get_conversation(conv.id)
    assert got == Conversation(
        conv.id,
        "Auto title",
        "p1",
        ChatParams("gpt", max_tokens=9),
        conv.created_at,
        after_message.updated_at,
    )


def test_delete_hides_restore_brings_back_and_purge_removes(db_path: Path) -> None:
    with SqliteHistoryStore.open(db_path) as store:
        keep = store.create_conversation("keep", None, None)
        gone = store.create_conversation("gone banana", None, None)
        store.append_message(gone.id, _user("banana bread"))
        assert store.delete_conversation(gone.id)
        assert not store.delete_conversation(gone.id)
        assert [c.id for c in store.list_conversations(0, 10)] == [keep.id]
        assert store.count_conversations() == 1
        assert store.get_conversation(gone.id) is None
        assert store.search("banana") == []
        assert store.restore_conversation(gone.id)
        assert [hit.conversation_id for hit in store.search("banana")] == [gone.id]
        assert store.delete_conversation(gone.id)
        assert store.purge_deleted() == 1
        assert not store.restore_conversation(gone.id)
        assert store.messages(gone.id) == []
        _fts_consistent(store)
        also_gone = store.create_conversation("pending undo at exit", None, None)
        store.delete_conversation(also_gone.id)
    with SqliteHistoryStore.open(db_path) as store:
        # A deletion still waiting for its undo when the app ended is final.
        assert not store.restore_conversation(also_gone.id)
        assert [c.title for c in store.list_conversations(0, 10)] == ["keep"]


def test_what_the_app_reads_uses_indexes(store: SqliteHistoryStore) -> None:
    """10,000 conversations stay instant because no query the app runs scans a table: the
    SQL the store really executes is captured while listing, opening, paging, searching and
    saving, and each SELECT's plan is checked."""
    conversations = store.import_conversations(
        ExportedConversation(
            Conversation(0, f"weekly plan {i}", None, None, 1.0 + i, 1.0 + i),
            tuple(_user(f"weekly report {i}.{j}") for j in range(20)),
        )
        for i in range(30)
    )
    newest = conversations[-1].id
    executed: list[str] = []
    for db in (store._reader, store._writer):
        db.set_trace_callback(executed.append)
    try:
        assert store.count_conversations() == 30
        assert len(store.list_conversations(0, 10)) == 10
        assert store.get_conversation(newest) is not None
        assert len(store.messages(newest)) == 20
        assert store.versions(newest)
        assert store.search("weekly")  # titles and messages match
        assert store.search("report 3.1")  # messages only
        store.append_message(newest, _user("one more"))
    finally:
        for db in (store._reader, store._writer):
            db.set_trace_callback(None)

    def plan(sql: str) -> list[str]:
        return [str(row[3]) for row in store._reader.execute("EXPLAIN QUERY PLAN " + sql)]

    # Traced with their values filled in, so each can be explained as it ran.
    selects = {sql: plan(sql) for sql in executed if sql.startswith("SELECT")}
    tables = re.compile(r"SCAN (conversations|messages|c|m)$")  # no index named: every row
    scans = {sql: steps for sql, steps in selects.items() if any(tables.match(s) for s in steps)}
    assert scans == {}
    for sql, steps in selects.items():
        if "ORDER BY updated_at DESC, id DESC LIMIT" in sql:  # the conversation list
            assert steps == ["SCAN conversations USING INDEX conversations_recent"], sql
        if "SELECT id, parent_id, chosen FROM messages" in sql:  # a conversation's tree
            assert "USING INDEX sqlite_autoindex_messages_1" in steps[0], sql
    assert any("ORDER BY updated_at DESC, id DESC LIMIT" in sql for sql in selects)
    assert any("SELECT id, parent_id, chosen FROM messages" in sql for sql in selects)
    assert any("messages_fts MATCH" in sql for sql in selects)


def test_a_long_conversation_loads_whole_or_by_page(store: SqliteHistoryStore) -> None:
    text = "word " * 100  # 2,000 messages of 500 characters: one million characters
    conv = store.import_conversations(
        [
            ExportedConversation(
                Conversation(0, "long"),
                tuple(
                    Message(Role.USER if i % 2 == 0 else Role.ASSISTANT, f"{i} {text}")
                    for i in range(2000)
                ),
            )
        ]
    )[0]
    everything = store.messages(conv.id)
    assert len(everything) == 2000 and sum(len(m.content) for m in everything) > 1_000_000
    assert everything[-1].content.startswith("1999 ")


def test_a_writer_thread_and_a_reader_thread_work_together(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("busy", None, None)
    reply = store.append_message(conv.id, Message(Role.ASSISTANT, "", state=ReplyState.STREAMING))

    def write() -> None:
        text = ""
        for i in range(300):
            text += f"chunk{i} "
            store.update_message(
                Message(Role.ASSISTANT, text, state=ReplyState.STREAMING, id=reply.id)
            )
        store.update_message(Message(Role.ASSISTANT, text, id=reply.id, finish_reason="stop"))

    with ThreadPoolExecutor(max_workers=1) as pool:
        writing = pool.submit(write)
        reads = 0
        while not writing.done() or reads == 0:
            (seen,) = store.messages(conv.id)
            assert seen.content == "" or seen.content.startswith("chunk0 ")
            store.list_conversations(0, 100)
            reads += 1
        writing.result()  # re-raises here whatever failed in the writer thread
    (final,) = store.messages(conv.id)
    assert final.content.endswith("chunk299 ") and final.state is ReplyState.FINISHED


def test_a_closed_store_says_so(db_path: Path) -> None:
    store = SqliteHistoryStore.open(db_path)
    store.close()
    store.close()
    with pytest.raises(StoreError) as caught:
        store.count_conversations()
    assert caught.value.kind is StoreErrorKind.CLOSED
    with pytest.raises(StoreError):
        store.create_conversation("x", None, None)


# --- search ---------------------------------------------------------------------------------


def _marked(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    out, last = [], 0
    for start, end in marks:
        out += [text[last:start], "[", text[start:end], "]"]
        last = end
    return "".join([*out, text[last:]])


def test_search_finds_titles_and_messages_with_the_hits_marked(store: SqliteHistoryStore) -> None:
    bread = store.create_conversation("Baking bread", None, None)
    store.append_message(bread.id, _user("How long should sourdough proof?"))
    store.append_message(bread.id, Message(Role.ASSISTANT, "Let the dough proof overnight."))
    trip = store.create_conversation("Trip to Lyon", None, None)
    store.append_message(trip.id, _user("Where to eat bread in Lyon?"))
    store.create_conversation("Unrelated", None, None)

    hits = store.search("bread")
    assert [h.conversation_id for h in hits] == [bread.id, trip.id]  # title match first
    assert _marked(hits[0].title, hits[0].title_marks) == "Baking [bread]"
    assert _marked(hits[1].snippet, hits[1].snippet_marks) == "Where to eat [bread] in Lyon?"
    assert hits[1].title == "Trip to Lyon" and hits[1].title_marks == ()

    (proof,) = store.search("dough proof")
    assert proof.conversation_id == bread.id
    assert _marked(proof.snippet, proof.snippet_marks) == "Let the [dough] [proof] overnight."


def test_search_matches_word_prefixes_case_and_accents(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("Café notes", None, None)
    store.append_message(conv.id, _user("Conversation HISTORY matters"))
    assert [h.conversation_id for h in store.search("conv hist")] == [conv.id]
    assert [h.conversation_id for h in store.search("cafe")] == [conv.id]
    assert store.search("history nothing") == []


@pytest.mark.parametrize(
    "query",
    [
        '"foo',
        "AND",
        "foo AND",
        "OR",
        "NOT x",
        "(",
        ")",
        "*",
        "foo*",
        "NEAR(a b)",
        "title:x",
        "-x",
        "^x",
        '""',
        "'",
        "a\x00b",
        "\ud800",
        "   ",
        "",
        "{content}: x",
        "+",
        "x OR",
    ],
)
def test_search_takes_any_input_without_failing(store: SqliteHistoryStore, query: str) -> None:
    conv = store.create_conversation("odd", None, None)
    store.append_message(conv.id, _user('a "foo" and (bar) AND NOT x^y'))
    hits = store.search(query)
    assert all(h.conversation_id == conv.id for h in hits)


def test_search_takes_odd_input_literally(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("odd", None, None)
    store.append_message(conv.id, _user('say "foo" AND mean it'))
    assert [h.conversation_id for h in store.search('"foo')] == [conv.id]
    assert [h.conversation_id for h in store.search("AND")] == [conv.id]  # the word, not syntax
    assert store.search("NOT") == []
    assert fts_query('say "foo') == '"say"* """foo"*'
    assert fts_query("( * )") is None


def test_a_streaming_reply_is_searchable_once_it_ends(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("c", None, None)
    reply = store.append_message(
        conv.id, Message(Role.ASSISTANT, "zebra", state=ReplyState.STREAMING)
    )
    store.update_message(
        Message(Role.ASSISTANT, "zebra crossing", state=ReplyState.STREAMING, id=reply.id)
    )
    assert store.search("zebra") == []
    store.update_message(
        Message(Role.ASSISTANT, "zebra crossing", state=ReplyState.STOPPED, id=reply.id)
    )
    assert [h.message_id for h in store.search("crossing")] == [reply.id]
    store.update_message(Message(Role.ASSISTANT, "giraffe", state=ReplyState.FINISHED, id=reply.id))
    assert store.search("zebra") == []
    assert [h.message_id for h in store.search("giraffe")] == [reply.id]
    _fts_consistent(store)


def test_search_finds_text_stored_with_lone_surrogates(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("s", None, None)
    store.append_message(conv.id, _user("broken \ud800 emoji near walrus"))
    (hit,) = store.search("walrus")
    assert _marked(hit.snippet, hit.snippet_marks) == "broken \ud800 emoji near [walrus]"


def test_search_lists_title_hits_then_the_newest_message_hits(
    store: SqliteHistoryStore,
) -> None:
    older = store.create_conversation("one", None, None)
    newer = store.create_conversation("two", None, None)
    titled = store.create_conversation("Mango lassi", None, None)
    store.append_message(older.id, _user("mango early"))
    first = store.append_message(newer.id, _user("mango first"))
    latest = store.append_message(newer.id, _user("mango latest"))
    assert first.id is not None
    store.append_message(older.id, _user("not this fruit"))
    hits = store.search("mango")
    assert [h.conversation_id for h in hits] == [titled.id, newer.id, older.id]
    assert hits[1].message_id == latest.id and hits[1].snippet == "mango latest"
    assert hits[0].message_id is None and hits[0].snippet == ""


def test_search_limit_counts_conversations(store: SqliteHistoryStore) -> None:
    for i in range(5):
        conv = store.create_conversation(f"c{i}", None, None)
        store.append_message(conv.id, _user("kiwi kiwi"))
        store.append_message(conv.id, _user("kiwi again"))
    assert len(store.search("kiwi", limit=3)) == 3
    assert len({h.conversation_id for h in store.search("kiwi")}) == 5


# --- migrations -----------------------------------------------------------------------------


def _fixture_versions() -> dict[int, Path]:
    """Builders of databases as each earlier schema version left them."""
    found = {}
    for path in FIXTURES.glob("make_history_v*.py"):
        match = re.fullmatch(r"make_history_v(\d+)\.py", path.name)
        assert match, path
        found[int(match.group(1))] = path
    return found


def _build_fixture(version: int, db_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(f"make_history_v{version}", _fixture_versions()[version])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(db_path)


def test_there_is_a_fixture_for_every_earlier_schema_version() -> None:
    assert set(_fixture_versions()) == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", sorted(_fixture_versions()))
def test_migration_from_an_earlier_version_keeps_everything(tmp_path: Path, version: int) -> None:
    db_path = tmp_path / "history.sqlite3"
    _build_fixture(version, db_path)
    before_bytes = db_path.read_bytes()
    before_messages = _rows(db_path, "SELECT * FROM messages ORDER BY id")
    before_conversations = _rows(db_path, "SELECT * FROM conversations ORDER BY id")

    with SqliteHistoryStore.open(db_path) as store:
        backup = store.migration_backup
        assert backup is not None and backup.parent == tmp_path
        assert backup.name.startswith(f"history.sqlite3.bak-v{version}-")
        assert store.startup_message() is None
        assert store.count_conversations() == len(before_conversations)
        total = sum(len(store.messages(c.id)) for c in store.list_conversations(0, 1000))
        assert total == len(before_messages)
        assert store.mark_streaming_as_interrupted() >= 0
        assert store.search("sourdough")
        assert store.search("Weather")
        _fts_consistent(store)

    assert _rows(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert _rows(backup, "PRAGMA user_version") == [(version,)]
    assert _rows(backup, "SELECT * FROM messages ORDER BY id") == before_messages
    assert _rows(backup, "SELECT * FROM conversations ORDER BY id") == before_conversations
    assert len(before_bytes) > 0


def test_the_version_3_fixture_becomes_one_path_per_conversation(tmp_path: Path) -> None:
    db_path = tmp_path / "history.sqlite3"
    _build_fixture(3, db_path)
    with SqliteHistoryStore.open(db_path) as store:
        lease = store.messages(3)
        assert [m.content for m in lease] == [
            "Summarise the lease",
            "The lease runs for two years.",
            "And the deposit?",
            "Two months of rent.",
        ]
        assert [m.parent_id for m in lease] == [None, 101, 105, 106]
        assert [a.name for a in lease[0].attachments] == ["lease.pdf"]
        assert all(len(kids) == 1 for kids in store.versions(3).values())
        # The path goes on from its end, and a new version of an answer is a sibling.
        store.append_message(3, Message(Role.USER, "Thanks"))
        assert store.messages(3)[-1].parent_id == 107
        again = store.append_message(3, Message(Role.ASSISTANT, "Three years.", parent_id=101))
        assert [m.content for m in store.messages(3)] == ["Summarise the lease", "Three years."]
        assert store.versions(3)[101] == (105, again.id)
        for conv in store.list_conversations(0, 10):
            path = store.messages(conv.id)
            assert [m.parent_id for m in path[1:]] == [m.id for m in path[:-1]]


def test_the_version_1_fixture_reads_back_as_domain_objects(tmp_path: Path) -> None:
    db_path = tmp_path / "history.sqlite3"
    _build_fixture(1, db_path)
    with SqliteHistoryStore.open(db_path) as store:
        bread, weather = sorted(store.list_conversations(0, 10), key=lambda c: c.id)
        assert bread.params == ChatParams("gpt-4o-mini", temperature=0.2, system_prompt="Be brief.")
        assert bread.profile_id == "local"
        streaming = store.messages(bread.id)[3]
        assert streaming.state is ReplyState.STREAMING
        assert store.search("weekly") == []  # was streaming: not indexed yet
        assert store.mark_streaming_as_interrupted() == 1
        assert [h.conversation_id for h in store.search("weekly")] == [bread.id]
        msgs = store.messages(weather.id)
        assert msgs[1].tool_calls == (ToolCall("call_1", "get_weather", '{"city": "Lyon"}'),)
        assert msgs[2].tool_call_id == "call_1"
        assert msgs[3].error == ChatError(ErrorKind.RATE_LIMITED, "Too many requests.", 2.0, 429)
        assert "\x00" in msgs[3].content
        assert msgs[4].content == "odd \udc80 text"


def test_an_up_to_date_database_is_not_backed_up_again(db_path: Path) -> None:
    SqliteHistoryStore.open(db_path).close()
    with SqliteHistoryStore.open(db_path) as store:
        assert store.migration_backup is None
    assert [p.name for p in db_path.parent.iterdir() if ".bak-" in p.name] == []


def test_a_database_from_a_newer_version_is_left_alone(db_path: Path) -> None:
    SqliteHistoryStore.open(db_path).close()
    db = sqlite3.connect(db_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        SqliteHistoryStore.open(db_path)
    assert caught.value.kind is StoreErrorKind.TOO_NEW
    assert "newer version" in str(caught.value)
    assert db_path.read_bytes() == before


# --- damage and failures --------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_kept_aside(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    garbage = b"this is not SQLite at all\n" * 400
    db_path.write_bytes(garbage)
    with SqliteHistoryStore.open(db_path) as store:
        kept = store.damaged_copy
        assert kept is not None and kept.read_bytes() == garbage
        assert kept.name.startswith("history.sqlite3.corrupt-")
        message = store.startup_message()
        assert message == (
            f"Your history file was damaged; it was kept at {kept} and a new one was started."
        )
        conv = store.create_conversation("fresh start", None, None)
        assert store.list_conversations(0, 10) == [conv]


def test_a_database_with_a_damaged_schema_is_kept_aside(db_path: Path) -> None:
    with SqliteHistoryStore.open(db_path) as store:
        store.create_conversation("precious", None, None)
    data = bytearray(db_path.read_bytes())
    data[100:4000] = b"\xff" * 3900  # the first page holds the schema
    db_path.write_bytes(bytes(data))
    with SqliteHistoryStore.open(db_path) as store:
        assert store.damaged_copy is not None
        assert store.damaged_copy.read_bytes() == bytes(data)
        assert store.count_conversations() == 0


def test_a_damaged_file_that_cannot_be_moved_is_not_touched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreError) as caught:
        SqliteHistoryStore.open(db_path, read_only=True)
    assert caught.value.kind is StoreErrorKind.DAMAGED
    assert db_path.read_bytes() == b"garbage" * 1000


def _filled(db_path: Path) -> tuple[int, list[Message]]:
    with SqliteHistoryStore.open(db_path) as store:
        conv = store.create_conversation("saved", None, None)
        saved = [
            store.append_message(conv.id, _user("first")),
            store.append_message(conv.id, Message(Role.ASSISTANT, "answer " * 50)),
        ]
    return conv.id, saved


def test_a_read_only_database_can_be_read_but_not_written(db_path: Path) -> None:
    conv_id, saved = _filled(db_path)
    with SqliteHistoryStore.open(db_path, read_only=True) as store:
        assert store.read_only
        message = store.startup_message()
        assert message is not None and "read-only" in message and str(db_path) in message
        assert store.messages(conv_id) == saved
        assert [h.conversation_id for h in store.search("answer")] == [conv_id]
        for write in (
            lambda: store.append_message(conv_id, _user("lost?")),
            lambda: store.create_conversation("new", None, None),
            lambda: store.rename_conversation(conv_id, "renamed"),
            lambda: store.delete_conversation(conv_id),
        ):
            with pytest.raises(StoreError) as caught:
                write()
            assert caught.value.kind is StoreErrorKind.READ_ONLY
            assert "read-only" in str(caught.value)
            assert "earlier conversations are still there" in str(caught.value)
    with SqliteHistoryStore.open(db_path) as store:
        assert store.messages(conv_id) == saved
        assert [c.title for c in store.list_conversations(0, 10)] == ["saved"]


def test_a_read_only_file_is_detected_at_runtime_too(db_path: Path) -> None:
    conv_id, saved = _filled(db_path)
    with SqliteHistoryStore.open(db_path) as store:
        # What SQLite answers when the file became read-only underneath the app.
        store._writer.close()
        store._writer = sqlite3.connect(
            f"{db_path.resolve().as_uri()}?mode=ro",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
        with pytest.raises(StoreError) as caught:
            store.append_message(conv_id, _user("lost?"))
        assert caught.value.kind is StoreErrorKind.READ_ONLY
        assert store.messages(conv_id) == saved


def test_a_full_disk_fails_the_write_and_keeps_what_was_saved(db_path: Path) -> None:
    conv_id, saved = _filled(db_path)
    with SqliteHistoryStore.open(db_path) as store:
        # The database may not grow by a single page: what a full disk looks like to SQLite.
        pages = store._writer.execute("PRAGMA page_count").fetchone()[0]
        store._writer.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError) as caught:
            store.append_message(conv_id, _user("x" * 200_000))
        assert caught.value.kind is StoreErrorKind.DISK_FULL
        assert str(caught.value).startswith("The disk is full")
        assert "Everything saved before is still there" in str(caught.value)
        with pytest.raises(StoreError):
            store.update_message(replace(saved[1], content="y" * 200_000))
        assert store.messages(conv_id) == saved
        # Once there is room again, saving simply works.
        store._writer.execute("PRAGMA max_page_count = 1073741823")
        store.append_message(conv_id, _user("x" * 200_000))
    with SqliteHistoryStore.open(db_path) as store:
        assert [m.content[:5] for m in store.messages(conv_id)] == ["first", "answe", "xxxxx"]
        _fts_consistent(store)


def test_a_locked_database_is_reported_and_the_write_can_be_retried(db_path: Path) -> None:
    conv_id, saved = _filled(db_path)
    with SqliteHistoryStore.open(db_path, busy_timeout_s=0.05) as store:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            with pytest.raises(StoreError) as caught:
                store.append_message(conv_id, _user("later"))
            assert caught.value.kind is StoreErrorKind.LOCKED
            assert "in use by another program" in str(caught.value)
            assert store.messages(conv_id) == saved  # reading still works meanwhile
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.append_message(conv_id, _user("later"))
        assert [m.content for m in store.messages(conv_id)][-1] == "later"


def test_errors_and_reprs_carry_no_message_text(db_path: Path) -> None:
    conv_id, _ = _filled(db_path)
    with SqliteHistoryStore.open(db_path, read_only=True) as store:
        assert "answer" not in repr(store)
        with pytest.raises(StoreError) as caught:
            store.append_message(conv_id, _user("secret-ish text"))
        assert "secret-ish" not in str(caught.value)


# --- import ---------------------------------------------------------------------------------


def test_import_keeps_times_and_order(store: SqliteHistoryStore) -> None:
    (conv,) = store.import_conversations(
        [
            ExportedConversation(
                Conversation(0, "Imported", None, None, created_at=10.0, updated_at=20.0),
                (Message(Role.USER, "q", created_at=11.0), Message(Role.ASSISTANT, "a")),
            )
        ]
    )
    assert (conv.created_at, conv.updated_at) == (10.0, 20.0)
    messages = store.messages(conv.id)
    assert [(m.content, m.created_at) for m in messages] == [("q", 11.0), ("a", 10.0)]
    assert store.get_conversation(conv.id) == conv


def test_a_search_hit_is_shown_as_a_reader_sees_it_not_as_markdown(
    store: SqliteHistoryStore,
) -> None:
    conversation = store.create_conversation("Recipes", None, None)
    store.append_message(
        conversation.id,
        Message(Role.ASSISTANT, "## Bread\n\nKnead the **dough** for [ten minutes](http://x.y)."),
    )
    [hit] = store.search("dough")
    assert "**" not in hit.snippet and "](" not in hit.snippet and "#" not in hit.snippet
    assert "Knead the dough for ten minutes." in hit.snippet
    start, end = hit.snippet_marks[0]
    assert hit.snippet[start:end] == "dough"
