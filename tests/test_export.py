"""Export to Markdown and JSON; import of the app's own JSON and of a ChatGPT data export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from zlay_desktop.core.export import (
    FORMAT_VERSION,
    ExportedConversation,
    ImportFormatError,
    from_chatgpt_export,
    from_json,
    read_import_file,
    to_json,
    to_markdown,
    write_text_file,
)
from zlay_desktop.core.history import Conversation
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
from zlay_desktop.core.store import SqliteHistoryStore

CHATGPT_FIXTURE = Path(__file__).parent / "fixtures" / "chatgpt-conversations.json"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteHistoryStore]:
    with SqliteHistoryStore.open(tmp_path / "a" / "history.sqlite3") as opened:
        yield opened


@pytest.fixture
def other_store(tmp_path: Path) -> Iterator[SqliteHistoryStore]:
    with SqliteHistoryStore.open(tmp_path / "b" / "history.sqlite3") as opened:
        yield opened


RICH_MESSAGES = (
    Message(Role.USER, "Weather in Lyon? a\x00b \ud800 😀", created_at=100.0),
    Message(
        Role.ASSISTANT,
        "",
        reasoning="Need a tool.",
        tool_calls=(ToolCall("call_1", "get_weather", '{"city": "Lyon"}'),),
        finish_reason="tool_calls",
        model="gpt-4o",
        created_at=101.0,
    ),
    Message(Role.TOOL, '{"temp_c": 21}', tool_call_id="call_1", created_at=102.0),
    Message(
        Role.ASSISTANT,
        "It is **21 °C**.",
        state=ReplyState.FAILED,
        error=ChatError(ErrorKind.RATE_LIMITED, "Too many requests.", 2.0, 429, "slow down"),
        usage=Usage(10, 5, 15, 2),
        timings=ReplyTimings(0.3, 1.2, 7),
        model="gpt-4o",
        created_at=103.0,
    ),
    Message(Role.ASSISTANT, "Cut", state=ReplyState.INTERRUPTED, created_at=104.0),
    Message(Role.ASSISTANT, "No.", refusal="I can't help with that.", created_at=105.0),
)


def _without_ids(messages: list[Message]) -> list[Message]:
    return [replace(m, id=None, parent_id=None) for m in messages]


def test_own_json_keeps_every_version_and_the_path_shown(
    store: SqliteHistoryStore, other_store: SqliteHistoryStore, tmp_path: Path
) -> None:
    conv = store.create_conversation("Versions", None, None)
    question = store.append_message(conv.id, Message(Role.USER, "Name a colour"))
    red = store.append_message(conv.id, Message(Role.ASSISTANT, "Red", parent_id=question.id))
    more = store.append_message(conv.id, Message(Role.USER, "Another?", parent_id=red.id))
    store.append_message(conv.id, Message(Role.ASSISTANT, "Blue", parent_id=more.id))
    store.append_message(conv.id, Message(Role.ASSISTANT, "Green", parent_id=question.id))
    edited = store.append_message(conv.id, Message(Role.USER, "Name a fruit"), root=True)
    store.append_message(conv.id, Message(Role.ASSISTANT, "Pear", parent_id=edited.id))
    assert red.id is not None
    shown = store.show_message(conv.id, red.id)  # the path through "Red", then "Blue"
    item = ExportedConversation(
        conv, tuple(store.message_tree(conv.id)), shown_id=shown[-1].id
    )
    path = tmp_path / "export.json"
    write_text_file(path, to_json([item]))

    (copy,) = other_store.import_conversations(read_import_file(path))
    assert [m.content for m in other_store.messages(copy.id)] == [
        "Name a colour",
        "Red",
        "Another?",
        "Blue",
    ]
    tree = other_store.message_tree(copy.id)
    assert sorted(m.content for m in tree) == sorted(m.content for m in item.messages)
    by_id = {m.id: m.content for m in tree}
    assert {(by_id.get(m.parent_id), m.content) for m in tree} == {
        (None, "Name a colour"),
        ("Name a colour", "Red"),
        ("Red", "Another?"),
        ("Another?", "Blue"),
        ("Name a colour", "Green"),
        (None, "Name a fruit"),
        ("Name a fruit", "Pear"),
    }


def test_own_json_round_trips_through_two_stores(
    store: SqliteHistoryStore, other_store: SqliteHistoryStore, tmp_path: Path
) -> None:
    conv = store.create_conversation(
        "Lyon \udc00 trip", "local", ChatParams("gpt-4o", 0.7, 256, "Be brief.", 0.9)
    )
    for message in RICH_MESSAGES:
        store.append_message(conv.id, message)
    empty = store.create_conversation("Empty", None, None)
    originals = [
        ExportedConversation(c, tuple(store.messages(c.id)))
        for c in (store.get_conversation(conv.id), store.get_conversation(empty.id))
        if c is not None
    ]

    path = tmp_path / "export.json"
    write_text_file(path, to_json(originals))
    assert path.read_bytes().isascii()  # lossless for any text, readable by any tool
    imported = other_store.import_conversations(read_import_file(path))

    assert [c.title for c in imported] == ["Lyon \udc00 trip", "Empty"]
    for original, copy in zip(originals, imported, strict=True):
        assert replace(copy, id=0) == replace(original.conversation, id=0)
        assert _without_ids(other_store.messages(copy.id)) == _without_ids(list(original.messages))


def test_own_json_is_versioned(store: SqliteHistoryStore) -> None:
    conv = store.create_conversation("c", None, None)
    document = json.loads(to_json([ExportedConversation(conv, ())]))
    assert document["format"] == "zlay-desktop"
    assert document["version"] == FORMAT_VERSION
    document["version"] = FORMAT_VERSION + 1
    with pytest.raises(ImportFormatError, match="newer version"):
        from_json(json.dumps(document))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something-else", "version": 1}', "not a Zlay Desktop export"),
        ('{"format": "zlay-desktop"}', "no format version"),
        (
            '{"format": "zlay-desktop", "version": 1, "conversations": [{"messages": '
            '[{"role": "wizard"}]}]}',
            "Unknown message role",
        ),
        (
            '{"format": "zlay-desktop", "version": 1, "conversations": [{"title": 5, '
            '"messages": []}]}',
            "“title” should be text",
        ),
        ('{"format": "zlay-desktop", "version": 1, "conversations": 3}', "should be a list"),
    ],
)
def test_a_bad_own_json_file_is_refused_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(ImportFormatError, match=words):
        from_json(text)


def _shown_path(item: ExportedConversation) -> list[Message]:
    by_id = {m.id: m for m in item.messages}
    path: list[Message] = []
    at = item.shown_id
    while at is not None:
        path.append(by_id[at])
        at = by_id[at].parent_id
    return path[::-1]


def test_chatgpt_export_keeps_its_branches_and_skips_hidden_nodes() -> None:
    arithmetic, untitled = from_chatgpt_export(CHATGPT_FIXTURE.read_text(encoding="utf-8"))

    assert arithmetic.conversation == Conversation(
        0, "Arithmetic", created_at=1700000000.5, updated_at=1700000100.0
    )
    # The path shown there (its current node) is the one shown here.
    shown = _shown_path(arithmetic)
    assert [(m.role, m.content) for m in shown] == [
        (Role.USER, "What is 2+2?"),
        (Role.ASSISTANT, "4"),
        (Role.USER, "What about 5+5 in this picture?"),  # the edited branch, not "And 3+3?"
        (Role.ASSISTANT, "5+5 is **10**."),
    ]
    assert [m.model for m in shown] == [None, "gpt-4o", None, "gpt-4o"]
    assert shown[0].created_at == 1700000001.0
    assert all(m.state is ReplyState.FINISHED for m in arithmetic.messages)
    # The other branch is kept: a second version of the question after "4".
    edited = next(m for m in arithmetic.messages if m.content == "And 3+3?")
    assert edited.parent_id == shown[1].id
    answer = next(m for m in arithmetic.messages if m.content == "6")
    assert answer.parent_id == edited.id
    assert len(arithmetic.messages) == 6

    # No title, no current node, no times on the question: sensible defaults.
    assert untitled.conversation.title == "Imported conversation"
    assert untitled.conversation.updated_at == untitled.conversation.created_at == 1700001000.0
    assert [(m.content, m.created_at) for m in untitled.messages] == [
        ("Ünïcödé ☃ question", 1700001000.0),
        ("answer", 1700001005.0),
    ]


def test_a_chatgpt_export_imports_into_the_store(store: SqliteHistoryStore) -> None:
    imported = store.import_conversations(read_import_file(CHATGPT_FIXTURE))
    assert [c.title for c in store.list_conversations(0, 10)] == [
        "Imported conversation",
        "Arithmetic",
    ]
    arithmetic = next(c for c in imported if c.title == "Arithmetic")
    assert [m.content for m in store.messages(arithmetic.id)] == [
        "What is 2+2?",
        "4",
        "What about 5+5 in this picture?",
        "5+5 is **10**.",
    ]
    assert [h.conversation_id for h in store.search("picture")] == [arithmetic.id]
    # The other branch is there, one switch away.
    [hit] = store.search("3+3")
    assert hit.message_id is not None
    assert [m.content for m in store.messages(arithmetic.id, through=hit.message_id)] == [
        "What is 2+2?",
        "4",
        "And 3+3?",
        "6",
    ]


@pytest.mark.parametrize(
    "text",
    ['{"mapping": {}}', "[1, 2]", '[{"title": "no mapping"}]', "not json"],
)
def test_a_file_that_is_no_chatgpt_export_is_refused(text: str) -> None:
    with pytest.raises(ImportFormatError):
        from_chatgpt_export(text)


def test_a_parent_loop_in_a_chatgpt_export_does_not_hang() -> None:
    node = {
        "message": {"author": {"role": "user"}, "content": {"content_type": "text", "parts": ["x"]}}
    }
    looped = [
        {
            "title": "loop",
            "current_node": "a",
            "mapping": {"a": {**node, "parent": "b"}, "b": {**node, "parent": "a"}},
        }
    ]
    (item,) = from_chatgpt_export(json.dumps(looped))
    assert [m.content for m in item.messages] == ["x"]


def test_read_import_file_explains_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="could not be read"):
        read_import_file(tmp_path / "missing.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        read_import_file(binary)


def test_markdown_reads_like_the_conversation() -> None:
    conv = Conversation(1, "Lyon trip", params=ChatParams("gpt-4o"), created_at=1700000000.0)
    cut = Message(Role.ASSISTANT, "Long answer", finish_reason="length")
    tricky = Message(Role.USER, "Code:\n```py\nprint(1)\n```")
    text = to_markdown(conv, [*RICH_MESSAGES, cut, tricky])

    assert text.startswith("# Lyon trip\n\n_Exported from Zlay Desktop · model gpt-4o · started ")
    assert "## You\n\nWeather in Lyon?" in text
    assert "## Assistant (gpt-4o)\n\n<details><summary>Reasoning</summary>\n\nNeed a tool." in text
    assert '**Tool call** `get_weather`\n\n```json\n{"city": "Lyon"}\n```' in text
    assert '## Tool result\n\n{"temp_c": 21}' in text
    assert "> _Failed: Too many requests._" in text
    assert "> _Interrupted: the app closed while this reply was arriving._" in text
    assert "> Refused: I can't help with that." in text
    assert "> _Cut short: the reply reached the token limit._" in text
    assert text.endswith("Code:\n```py\nprint(1)\n```\n")


def test_markdown_of_an_untitled_empty_conversation() -> None:
    assert to_markdown(Conversation(1, ""), []).startswith("# Untitled conversation\n")


def test_write_text_file_replaces_atomically_and_copes_with_surrogates(tmp_path: Path) -> None:
    path = tmp_path / "chat.md"
    path.write_text("old", encoding="utf-8")
    write_text_file(path, "new \ud800 text")
    assert path.read_text(encoding="utf-8") == "new ? text"
    assert [p.name for p in tmp_path.iterdir()] == ["chat.md"]


def test_markdown_export_moves_a_replys_own_headings_under_its_role_heading() -> None:
    from zlay_desktop.core.export import demote_headings

    reply = (
        "# Plan\n\nSome text with a # sign.\n\n```python\n# a comment\n```\n\n"
        "Setext title\n============\n\n> ## Quoted\n\n###### Deepest"
    )
    assert demote_headings(reply) == (
        "### Plan\n\nSome text with a # sign.\n\n```python\n# a comment\n```\n\n"
        "### Setext title\n\n> #### Quoted\n\n###### Deepest"
    )
