"""Conversation history in one SQLite database: the `HistoryStore` the app uses.

Shape of the thing:

- WAL mode, so the GUI thread reads while the chat session's worker thread writes. There
  are two connections, each behind its own lock: one for every write (a transaction per
  call, so a failed write leaves what was stored before intact), one for every read.
- The schema is versioned with `PRAGMA user_version`. `_MIGRATIONS[n]` upgrades version n to
  n + 1; adding version 3 means appending one entry (and a fixture database of version 2 in
  tests/fixtures). An existing database is copied aside with the backup API first.
- A file that is not a database, or whose schema is damaged, is renamed aside
  (`history.sqlite3.corrupt-<time>`), never overwritten, and a new one is started; the store
  says so in `startup_message()`. Every other SQLite failure becomes a `StoreError` with a
  plain message (disk full, read-only, locked, …).
- Text goes in exactly as given: a string SQLite cannot take as TEXT (a lone surrogate) is
  stored as a BLOB of its `surrogatepass` UTF-8 bytes and decoded back on the way out.
- Replies are full-text indexed (FTS5) once they stop streaming: a reply saved every 250 ms
  is not re-tokenised on each save.
- A conversation is a tree of messages: each has a parent (None for a first message), and
  versions of a message are siblings (a regenerated answer, an edited question). The path
  shown goes from the root down through the child chosen most recently at each step
  (`chosen`, a counter per conversation), so the versions last looked at come back after a
  restart; a new message is chosen as it is added. A version deleted is hidden
  (`deleted_at`, with its descendants) until purged, so that it can be brought back.
- Attachments' payloads are files stored once by hash (`AttachmentFiles`, beside the
  database); `message_attachments` references them, and their names are searchable, as is
  documents' text (`core/document_index.py`). A payload no message uses is deleted when
  deleted conversations are purged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple, TypeVar

from zlay_desktop import APP_NAME
from zlay_desktop.core import document_index
from zlay_desktop.core.assistants import ParamsOverride
from zlay_desktop.core.attachment_files import AttachmentFiles
from zlay_desktop.core.export import (
    ExportedConversation,
    dumps_compact,
    error_from_dict,
    error_to_dict,
    params_from_dict,
    params_to_dict,
    timings_from_dict,
    timings_to_dict,
    tool_call_from_dict,
    tool_call_to_dict,
    usage_from_dict,
    usage_to_dict,
)
from zlay_desktop.core.history import Conversation
from zlay_desktop.core.i18n import translate
from zlay_desktop.core.models import (
    Attachment,
    AttachmentKind,
    ChatParams,
    Message,
    ReplyState,
    Role,
)

__all__ = [
    "SCHEMA_VERSION",
    "SearchHit",
    "SqliteHistoryStore",
    "StoreError",
    "StoreErrorKind",
    "fts_query",
]

_log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_S: Final = 5.0

# Primary result codes (the low byte of an extended code).
_SQLITE_PERM: Final = 3
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_READONLY: Final = 8
_SQLITE_IOERR: Final = 10
_SQLITE_CORRUPT: Final = 11
_SQLITE_FULL: Final = 13
_SQLITE_CANTOPEN: Final = 14
_SQLITE_NOTADB: Final = 26

# Around hits in search snippets. Unicode noncharacters: meant for internal use, so they do
# not occur in text people type.
_MARK_START: Final = "\ufdd0"
_MARK_END: Final = "\ufdd1"


class StoreErrorKind(enum.StrEnum):
    DAMAGED = "damaged"
    LOCKED = "locked"
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    DISK_ERROR = "disk_error"
    CANNOT_OPEN = "cannot_open"
    TOO_NEW = "too_new"
    NOT_FOUND = "not_found"
    CLOSED = "closed"
    OTHER = "other"


class StoreError(Exception):
    """A history failure in words the user understands (`str(error)` is the message)."""

    def __init__(self, message: str, kind: StoreErrorKind = StoreErrorKind.OTHER) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


class _DamagedDatabase(Exception):
    pass


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A conversation that matched a search. Marks are (start, end) offsets of the hits."""

    conversation_id: int
    title: str
    title_marks: tuple[tuple[int, int], ...]
    message_id: int | None  # the best matching message, None when only the title matched
    snippet: str  # a few words around the hits in that message
    snippet_marks: tuple[tuple[int, int], ...]
    updated_at: float
    # The attached document whose text the snippet is from ("" when from the message's).
    in_file: str = ""


# --- schema ---------------------------------------------------------------------------------

_SCHEMA_V1: Final = (
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        profile_id TEXT,
        params TEXT,               -- JSON (export.params_to_dict)
        created_at REAL NOT NULL,  -- unix time
        updated_at REAL NOT NULL,
        deleted_at REAL            -- set while an undo is possible, then purged
    )
    """,
    """
    CREATE INDEX conversations_recent ON conversations (updated_at DESC, id DESC)
        WHERE deleted_at IS NULL
    """,
    """
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        reasoning TEXT NOT NULL DEFAULT '',
        refusal TEXT NOT NULL DEFAULT '',
        tool_calls TEXT,           -- JSON list
        tool_call_id TEXT,
        state TEXT NOT NULL,
        finish_reason TEXT,
        error TEXT,                -- JSON: kind, message, retry_after, status, detail
        usage TEXT,                -- JSON
        timings TEXT,              -- JSON
        model TEXT,
        created_at REAL NOT NULL,
        UNIQUE (conversation_id, position)
    )
    """,
    "CREATE INDEX messages_streaming ON messages (id) WHERE state = 'streaming'",
)

_FTS_OPTIONS: Final = "tokenize = 'unicode61 remove_diacritics 2'"

_SCHEMA_V2: Final = (
    f"""
    CREATE VIRTUAL TABLE conversations_fts USING fts5 (
        title, content = 'conversations', content_rowid = 'id', {_FTS_OPTIONS}
    )
    """,
    f"""
    CREATE VIRTUAL TABLE messages_fts USING fts5 (
        content, content = 'messages', content_rowid = 'id', {_FTS_OPTIONS}
    )
    """,
    """
    CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
    END
    """,
    """
    CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
    END
    """,
    """
    CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
        INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
    END
    """,
    # A streaming message is left out of the index; it enters when its state changes.
    # An external-content index must be told exactly what it holds, hence the conditions.
    """
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
        WHEN new.state != 'streaming' BEGIN
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
    END
    """,
    """
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
        WHEN old.state != 'streaming' BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
            VALUES ('delete', old.id, old.content);
    END
    """,
    """
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, state ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
            SELECT 'delete', old.id, old.content WHERE old.state != 'streaming';
        INSERT INTO messages_fts (rowid, content)
            SELECT new.id, new.content WHERE new.state != 'streaming';
    END
    """,
    "INSERT INTO conversations_fts (rowid, title) SELECT id, title FROM conversations",
    """
    INSERT INTO messages_fts (rowid, content)
        SELECT id, content FROM messages WHERE state != 'streaming'
    """,
)

_SCHEMA_V3: Final = (
    # A user message's files, in order. The payload is a file named by its sha256
    # (AttachmentFiles); several rows may share one.
    """
    CREATE TABLE message_attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        kind TEXT NOT NULL,        -- image, document
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0,
        pages INTEGER NOT NULL DEFAULT 0,
        UNIQUE (message_id, ordinal)
    )
    """,
    "CREATE INDEX message_attachments_sha256 ON message_attachments (sha256)",
    f"""
    CREATE VIRTUAL TABLE attachments_fts USING fts5 (
        name, content = 'message_attachments', content_rowid = 'id', {_FTS_OPTIONS}
    )
    """,
    """
    CREATE TRIGGER attachments_fts_insert AFTER INSERT ON message_attachments BEGIN
        INSERT INTO attachments_fts (rowid, name) VALUES (new.id, new.name);
    END
    """,
    """
    CREATE TRIGGER attachments_fts_delete AFTER DELETE ON message_attachments BEGIN
        INSERT INTO attachments_fts (attachments_fts, rowid, name)
            VALUES ('delete', old.id, old.name);
    END
    """,
)

_SCHEMA_V4: Final = (
    # Versions: a tree of messages. A linear conversation becomes one path: each message's
    # parent is the one before it, and the later the message, the more recently chosen.
    "ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages (id) ON DELETE CASCADE",
    "ALTER TABLE messages ADD COLUMN chosen INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN deleted_at REAL",  # set while an undo is possible
    """
    UPDATE messages SET chosen = position, parent_id = (
        SELECT p.id FROM messages p
        WHERE p.conversation_id = messages.conversation_id AND p.position < messages.position
        ORDER BY p.position DESC LIMIT 1
    )
    """,
    "CREATE INDEX messages_parent ON messages (parent_id)",
)

# _MIGRATIONS[n] takes a database from user_version n to n + 1 (0 is an empty file).
_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    _SCHEMA_V1,
    _SCHEMA_V2,
    _SCHEMA_V3,
    _SCHEMA_V4,
)
SCHEMA_VERSION: Final = len(_MIGRATIONS)


# --- text and rows --------------------------------------------------------------------------


def _bind_text(text: str) -> str | bytes:
    """TEXT when SQLite can hold it; the surrogatepass bytes of the string otherwise."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
    return text


def _bind_opt_text(text: str | None) -> str | bytes | None:
    return None if text is None else _bind_text(text)


def _load_text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogatepass")
    return value


def _load_opt_text(value: str | bytes | None) -> str | None:
    return None if value is None else _load_text(value)


def _text_factory(raw: bytes) -> str:
    # FTS snippets of BLOB-stored text carry surrogatepass bytes; never fail a read on them.
    try:
        return raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _dump_opt(value: dict[str, object] | list[dict[str, object]] | None) -> str | None:
    return None if value is None else dumps_compact(value)


def _params_json(
    params: ChatParams | None,
    assistant_id: str | None = None,
    override: ParamsOverride | None = None,
) -> str | None:
    """The `params` column: the parameters a conversation was started with and, beside
    them, the assistant it goes on with and its own changes to that assistant's settings
    (kept in this JSON rather than in columns of their own: older versions of the app
    read the column and ignore the keys)."""
    if params is None and assistant_id is None and override is None:
        return None
    data: dict[str, object] = {} if params is None else dict(params_to_dict(params))
    if assistant_id is not None:
        data[_ASSISTANT_KEY] = assistant_id
    if override is not None:
        data[_OVERRIDE_KEY] = override.to_json()
    return dumps_compact(data)


_ASSISTANT_KEY: Final = "assistant_id"
_OVERRIDE_KEY: Final = "override"


class _ParamsColumn(NamedTuple):
    params: ChatParams | None
    assistant_id: str | None
    override: ParamsOverride | None


def _read_params_column(raw: str | None) -> _ParamsColumn:
    if raw is None:
        return _ParamsColumn(None, None, None)
    data = json.loads(raw)
    assistant_id = override = None
    if isinstance(data, dict):
        assistant_id = data.pop(_ASSISTANT_KEY, None)
        override = ParamsOverride.from_json(data.pop(_OVERRIDE_KEY, None))
    if not isinstance(assistant_id, str):
        assistant_id = None
    params = params_from_dict(data) if data else None
    return _ParamsColumn(params, assistant_id, override)


class _ConversationRow(NamedTuple):
    """The columns a Conversation is read from, in SELECT order (`_CONVERSATION_COLUMNS`)."""

    id: int
    title: str | bytes
    profile_id: str | bytes | None
    params: str | None
    created_at: float
    updated_at: float


class _MessageRow(NamedTuple):
    """The columns a Message is read from, in SELECT order (`_MESSAGE_COLUMNS`)."""

    id: int
    position: int
    parent_id: int | None
    role: str
    content: str | bytes
    reasoning: str | bytes
    refusal: str | bytes
    tool_calls: str | None
    tool_call_id: str | bytes | None
    state: str
    finish_reason: str | bytes | None
    error: str | None
    usage: str | None
    timings: str | None
    model: str | bytes | None
    created_at: float


_CONVERSATION_COLUMNS: Final = ", ".join(_ConversationRow._fields)
_MESSAGE_COLUMNS: Final = ", ".join(_MessageRow._fields)
# All but id, position and parent_id (where a message is in the tree never changes).
_MESSAGE_FIELDS: Final = ", ".join(_MessageRow._fields[3:])
_MESSAGE_ASSIGNMENTS: Final = ", ".join(
    f"{name} = coalesce(nullif(?, 0), {name})" if name == "created_at" else f"{name} = ?"
    for name in _MessageRow._fields[3:]
)
_MESSAGE_INSERT: Final = (
    f"INSERT INTO messages (conversation_id, position, parent_id, chosen, {_MESSAGE_FIELDS}) "
    f"VALUES ({', '.join('?' * (4 + len(_MessageRow._fields) - 3))})"
)

_Row = TypeVar("_Row", _ConversationRow, _MessageRow)


def _select(
    db: sqlite3.Connection, row_type: type[_Row], sql: str, params: Sequence[object]
) -> list[_Row]:
    """Runs a SELECT of `row_type`'s columns; its rows come back as `row_type`, read by
    name. A named tuple rather than sqlite3.Row: a name lookup in a Row searches the
    columns, which made opening a 2,000-message conversation ~15% slower."""
    cursor = db.cursor()

    def make(_cursor: sqlite3.Cursor, row: Any) -> _Row:
        return row_type._make(row)

    cursor.row_factory = make
    try:
        rows: list[_Row] = cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()
    return rows


def _conversation_from_row(row: _ConversationRow) -> Conversation:
    column = _read_params_column(row.params)
    return Conversation(
        id=row.id,
        title=_load_text(row.title),
        profile_id=_load_opt_text(row.profile_id),
        params=column.params,
        created_at=row.created_at,
        updated_at=row.updated_at,
        assistant_id=column.assistant_id,
        override=column.override,
    )


def _message_values(message: Message, created_at: float) -> tuple[object, ...]:
    """The values of `_MESSAGE_FIELDS`, in order."""
    return (
        message.role.value,
        _bind_text(message.content),
        _bind_text(message.reasoning),
        _bind_text(message.refusal),
        _dump_opt([tool_call_to_dict(c) for c in message.tool_calls] or None),
        _bind_opt_text(message.tool_call_id),
        message.state.value,
        _bind_opt_text(message.finish_reason),
        _dump_opt(None if message.error is None else error_to_dict(message.error)),
        _dump_opt(None if message.usage is None else usage_to_dict(message.usage)),
        _dump_opt(None if message.timings is None else timings_to_dict(message.timings)),
        _bind_opt_text(message.model),
        created_at,
    )


_ATTACHMENT_FIELDS: Final = (
    "kind, name, sha256, mime, size, tokens, width, height, pages"  # Attachment's order
)


def _write_attachments(db: sqlite3.Connection, message_id: int, message: Message) -> None:
    db.executemany(
        f"INSERT INTO message_attachments (message_id, ordinal, {_ATTACHMENT_FIELDS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                message_id,
                ordinal,
                a.kind.value,
                _bind_text(a.name),
                a.sha256,
                a.mime,
                a.size,
                a.tokens,
                a.width,
                a.height,
                a.pages,
            )
            for ordinal, a in enumerate(message.attachments)
        ),
    )


def _read_attachments(
    db: sqlite3.Connection, condition: str, params: Sequence[object]
) -> dict[int, tuple[Attachment, ...]]:
    """Attachments by message id, of the messages `m` that `condition` selects."""
    found: dict[int, list[Attachment]] = {}
    rows = db.execute(
        f"SELECT a.message_id, {', '.join('a.' + f for f in _ATTACHMENT_FIELDS.split(', '))} "
        "FROM message_attachments a JOIN messages m ON m.id = a.message_id "
        f"WHERE {condition} ORDER BY a.message_id, a.ordinal",
        params,
    )
    for message_id, kind, name, sha, mime, size, tokens, width, height, pages in rows:
        try:
            kind_value = AttachmentKind(kind)
        except ValueError:
            continue  # a kind from a newer version: nothing this one can send
        found.setdefault(message_id, []).append(
            Attachment(
                kind_value, _load_text(name), sha, mime, size, tokens, width, height, pages
            )
        )
    return {key: tuple(value) for key, value in found.items()}


def _with_attachments(
    messages: list[Message], attachments: Mapping[int, tuple[Attachment, ...]]
) -> list[Message]:
    if not attachments:
        return messages
    return [
        dataclasses.replace(m, attachments=attachments[m.id])
        if m.id is not None and m.id in attachments
        else m
        for m in messages
    ]


def _state(value: str) -> ReplyState:
    try:
        return ReplyState(value)
    except ValueError:
        return ReplyState.FINISHED  # written by something newer: show it as a plain reply


def _message_from_row(row: _MessageRow) -> Message:
    """A message row (its position is not part of a Message)."""
    return Message(
        id=row.id,
        parent_id=row.parent_id,
        role=Role(row.role),
        content=_load_text(row.content),
        reasoning=_load_text(row.reasoning),
        refusal=_load_text(row.refusal),
        tool_calls=()
        if row.tool_calls is None
        else tuple(tool_call_from_dict(c) for c in json.loads(row.tool_calls)),
        tool_call_id=_load_opt_text(row.tool_call_id),
        state=_state(row.state),
        finish_reason=_load_opt_text(row.finish_reason),
        error=None if row.error is None else error_from_dict(json.loads(row.error)),
        usage=None if row.usage is None else usage_from_dict(json.loads(row.usage)),
        timings=None if row.timings is None else timings_from_dict(json.loads(row.timings)),
        model=_load_opt_text(row.model),
        created_at=row.created_at,
    )


# --- the tree -------------------------------------------------------------------------------

_IN_BATCH: Final = 500  # ids per `IN (…)` (SQLite allows a few thousand parameters)

# The ids of the message ?1 and of everything below it, as a subquery. (A statement that
# starts with WITH gets no rowcount from sqlite3.)
_DESCENDANTS: Final = (
    "(WITH RECURSIVE below (id) AS (SELECT ?1 UNION ALL "
    "SELECT m.id FROM messages m JOIN below ON m.parent_id = below.id) SELECT id FROM below)"
)


class _Node(NamedTuple):
    id: int
    parent_id: int | None
    chosen: int


def _skeleton(db: sqlite3.Connection, conversation_id: int) -> dict[int | None, list[_Node]]:
    """The conversation's messages (not deleted) as children by parent, oldest first."""
    children: dict[int | None, list[_Node]] = {}
    for row in db.execute(
        "SELECT id, parent_id, chosen FROM messages "
        "WHERE conversation_id = ? AND deleted_at IS NULL ORDER BY id",
        (conversation_id,),
    ):
        node = _Node(*row)
        children.setdefault(node.parent_id, []).append(node)
    return children


def _path_ids(children: dict[int | None, list[_Node]], through: int | None) -> list[int]:
    """The ids of the path shown: down from the root, the child chosen last at each step;
    `through` (when it is in the tree): the path through it instead."""
    path: list[int] = []
    if through is not None:
        parent_of = {n.id: n.parent_id for kids in children.values() for n in kids}
        if through in parent_of:
            at: int | None = through
            while at is not None:
                path.append(at)
                at = parent_of[at]
            path.reverse()
    current = path[-1] if path else None
    while kids := children.get(current):
        current = max(kids, key=lambda n: (n.chosen, n.id)).id
        path.append(current)
    return path


def _choose(db: sqlite3.Connection, conversation_id: int, message_id: int) -> None:
    """Chooses a message and its ancestors: the path shown goes through it from now on."""
    (chosen,) = db.execute(
        "SELECT coalesce(max(chosen) + 1, 0) FROM messages WHERE conversation_id = ?",
        (conversation_id,),
    ).fetchone()
    db.execute(
        "UPDATE messages SET chosen = ?2 WHERE conversation_id = ?3 AND id IN ("
        "WITH RECURSIVE above (id) AS (SELECT ?1 UNION ALL "
        "SELECT m.parent_id FROM messages m JOIN above ON m.id = above.id "
        "WHERE m.parent_id IS NOT NULL) SELECT id FROM above)",
        (message_id, chosen, conversation_id),
    )


# --- search ---------------------------------------------------------------------------------


def fts_query(text: str) -> str | None:
    """An FTS5 query from what the user typed: every word must occur, as a word prefix.

    Each word is quoted, so input that is not valid FTS syntax (`"foo`, `AND`, `a*b(`) is
    searched for literally instead of failing. None when there is nothing to search for.
    """
    # Control characters separate words (SQLite would read a NUL as the end of the query).
    text = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in text)
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Removes the hit markers and returns the plain text with the hits' offsets."""
    first, *hits = marked.split(_MARK_START)
    plain = [first.replace(_MARK_END, "")]
    length = len(plain[0])
    marks: list[tuple[int, int]] = []
    for piece in hits:
        hit, _, rest = piece.partition(_MARK_END)
        rest = rest.replace(_MARK_END, "")
        marks.append((length, length + len(hit)))
        plain += (hit, rest)
        length += len(hit) + len(rest)
    return "".join(plain), tuple(marks)


# --- opening --------------------------------------------------------------------------------


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}-{n}")
        n += 1
    return candidate


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _move_aside(path: Path) -> Path:
    """Renames a damaged database (and its WAL files) out of the way; nothing is deleted."""
    target = _free_name(path.with_name(f"{path.name}.corrupt-{_stamp()}"))
    try:
        path.rename(target)
        for side, side_target in zip(_sidecars(path), _sidecars(target), strict=True):
            if side.exists():
                side.rename(side_target)
    except OSError as exc:
        raise StoreError(
            translate(
                "Store",
                "Your history file is damaged and could not be moved aside ({0}: "
                "{1}). Nothing was changed; move or rename it yourself to start "
                "afresh.",
            ).format(path, exc.strerror),
            StoreErrorKind.DAMAGED,
        ) from exc
    return target


def _result_code(exc: sqlite3.Error) -> int:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else -1


def _translate(exc: sqlite3.Error, path: Path) -> StoreError:
    code = _result_code(exc)
    if code == _SQLITE_FULL:
        return StoreError(
            translate(
                "Store",
                "The disk is full, so the latest change to your history could not be "
                "saved. Everything saved before is still there; free some disk space "
                "to keep saving.",
            ),
            StoreErrorKind.DISK_FULL,
        )
    if code in (_SQLITE_READONLY, _SQLITE_PERM):
        return StoreError(
            translate(
                "Store",
                "Your history file is read-only ({0}), so new changes cannot be "
                "saved. Your earlier conversations are still there; check the file's "
                "permissions.",
            ).format(path),
            StoreErrorKind.READ_ONLY,
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreError(
            translate(
                "Store",
                "Your history file is in use by another program (or another {0} "
                "window). Try again in a moment; nothing already saved was lost.",
            ).format(APP_NAME),
            StoreErrorKind.LOCKED,
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreError(
            translate(
                "Store",
                "Your history file is damaged ({0}). Nothing was deleted; restart "
                "{1} to keep the damaged file aside and start a new one.",
            ).format(path, APP_NAME),
            StoreErrorKind.DAMAGED,
        )
    if code == _SQLITE_CANTOPEN:
        return StoreError(
            translate(
                "Store",
                "Your history file could not be opened ({0}). Check that its folder "
                "exists and that you may write to it.",
            ).format(path),
            StoreErrorKind.CANNOT_OPEN,
        )
    if code == _SQLITE_IOERR:
        return StoreError(
            translate(
                "Store",
                "Your history file could not be read or written ({0}): the disk "
                "reported an error. Nothing already saved was deleted.",
            ).format(path),
            StoreErrorKind.DISK_ERROR,
        )
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in str(exc):
        return StoreError(
            translate("Store", "The history database is closed."), StoreErrorKind.CLOSED
        )
    return StoreError(
        translate("Store", "The history database reported an error: {0}.").format(exc),
        StoreErrorKind.OTHER,
    )


def _connect(path: Path, *, read_only: bool, busy_timeout_s: float) -> sqlite3.Connection:
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE … COMMIT), so a
    # write either lands completely or not at all.
    conn = sqlite3.connect(
        target,
        uri=read_only,
        timeout=busy_timeout_s,
        isolation_level=None,
        check_same_thread=False,  # guarded by the store's locks
    )
    conn.text_factory = _text_factory
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _user_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    # Reading the schema catches a damaged first page early, not halfway through a session.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return int(version)


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    target = _free_name(path.with_name(f"{path.name}.bak-v{version}-{_stamp()}"))
    try:
        dest = sqlite3.connect(target)
        try:
            conn.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)  # our own half-written copy, not the user's data
        error = _translate(exc, path)
        raise StoreError(
            translate(
                "Store",
                "Your history could not be backed up before upgrading it, so it was "
                "left as it was. {0}",
            ).format(error.message),
            error.kind,
        ) from exc
    return target


def _migrate(conn: sqlite3.Connection, from_version: int) -> None:
    for version in range(from_version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        _log.info("history schema upgraded to version %d", version + 1)


# --- the store ------------------------------------------------------------------------------


class SqliteHistoryStore:
    """The conversation repository (implements `zlay_desktop.core.history.HistoryStore`).

    Every method may raise `StoreError`. Safe to call from several threads: writes are
    serialised on one connection, reads on another (WAL lets them run side by side).
    """

    def __init__(
        self,
        path: Path,
        writer: sqlite3.Connection,
        reader: sqlite3.Connection,
        *,
        read_only: bool,
        migration_backup: Path | None,
        attachments: AttachmentFiles | None = None,
    ) -> None:
        """Use `SqliteHistoryStore.open`."""
        self.path = path
        self.attachments = attachments or AttachmentFiles(path.parent / "attachments")
        self.read_only = read_only
        self.migration_backup = migration_backup
        self.damaged_copy: Path | None = None
        self._writer = writer
        self._reader = reader
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._closed = False
        # Whether the document index's tables exist (not in a read-only file made before it).
        self._document_index = document_index.has_tables(reader)

    # -- opening and closing

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        attachments_dir: Path | None = None,
    ) -> SqliteHistoryStore:
        """Opens (creating or upgrading) the database at `path`.

        Attachments' payloads live in `attachments_dir` (by default "attachments" beside
        the database).

        A damaged file is renamed aside and a new database started: see `damaged_copy` and
        `startup_message()`. A file the app may not write is opened read-only (`read_only`).
        A write waits up to `busy_timeout_s` for another program holding the database.
        """
        path = Path(path)
        if not read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    translate(
                        "Store", "The folder for your history could not be created ({0}: {1})."
                    ).format(path.parent, exc.strerror),
                    StoreErrorKind.CANNOT_OPEN,
                ) from exc
        files = AttachmentFiles(attachments_dir or path.parent / "attachments")
        try:
            store = cls._open_once(
                path, read_only=read_only, busy_timeout_s=busy_timeout_s, files=files
            )
        except _DamagedDatabase:
            if read_only:
                raise StoreError(
                    translate("Store", "Your history file is damaged ({0}).").format(path),
                    StoreErrorKind.DAMAGED,
                ) from None
            kept = _move_aside(path)
            _log.warning("history database was damaged; kept at %s, starting a new one", kept)
            # (The damaged file's attachments are kept: it may yet be repaired.)
            store = cls._open_once(path, read_only=False, busy_timeout_s=busy_timeout_s, files=None)
            store.attachments = files
            store.damaged_copy = kept
            return store
        if not store.read_only:
            store.delete_unused_attachments()
            # (The documents' search index is completed later, off the GUI thread, a batch
            # at a time: `index_documents`.)
        return store

    @classmethod
    def _open_once(
        cls,
        path: Path,
        *,
        read_only: bool,
        busy_timeout_s: float,
        files: AttachmentFiles | None,
    ) -> SqliteHistoryStore:
        writer: sqlite3.Connection | None = None
        reader: sqlite3.Connection | None = None
        try:
            writer = _connect(path, read_only=read_only, busy_timeout_s=busy_timeout_s)
            version = _user_version(writer)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    translate(
                        "Store",
                        "Your history file was written by a newer version of {0} (schema "
                        "{1}; this version knows {2}). Update {3} to open it; the file was "
                        "not changed.",
                    ).format(APP_NAME, version, SCHEMA_VERSION, APP_NAME),
                    StoreErrorKind.TOO_NEW,
                )
            if not read_only:
                writer.execute("PRAGMA journal_mode = WAL")
                # NORMAL in WAL mode: a commit survives an app crash (kill -9); only a power
                # cut can lose the last commits, never corrupt the file.
                writer.execute("PRAGMA synchronous = NORMAL")
            backup = None
            if version < SCHEMA_VERSION:
                if read_only:
                    raise StoreError(
                        translate(
                            "Store", "Your history file ({0}) needs upgrading but is read-only."
                        ).format(path),
                        StoreErrorKind.READ_ONLY,
                    )
                if version > 0:
                    backup = _backup(writer, path, version)
                    _log.info("history backed up to %s before upgrading", backup)
                _migrate(writer, version)
            effective_read_only = read_only
            if not read_only:
                try:
                    with writer:
                        document_index.ensure_tables(writer)
                    cls._purge(writer)
                    cls._purge_versions(writer)
                except sqlite3.Error as exc:
                    if _result_code(exc) not in (_SQLITE_READONLY, _SQLITE_PERM):
                        raise
                    effective_read_only = True
                    _log.warning("history database is read-only: %s", path)
            reader = _connect(path, read_only=read_only, busy_timeout_s=busy_timeout_s)
            reader.execute("PRAGMA query_only = ON")
            return cls(
                path,
                writer,
                reader,
                read_only=effective_read_only,
                migration_backup=backup,
                attachments=files,
            )
        except sqlite3.Error as exc:
            for conn in (writer, reader):
                if conn is not None:
                    conn.close()
            if _result_code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
                raise _DamagedDatabase from exc
            raise _translate(exc, path) from exc
        except BaseException:
            for conn in (writer, reader):
                if conn is not None:
                    conn.close()
            raise

    def startup_message(self) -> str | None:
        """What the user should be told after opening, if anything."""
        parts: list[str] = []
        if self.damaged_copy is not None:
            parts.append(
                f"Your history file was damaged; it was kept at {self.damaged_copy} "
                "and a new one was started."
            )
        if self.read_only:
            parts.append(
                f"Your history file is read-only ({self.path}): you can read your "
                "conversations, but new messages will not be saved."
            )
        return " ".join(parts) or None

    def close(self) -> None:
        with self._write_lock, self._read_lock:
            if self._closed:
                return
            self._closed = True
            if not self.read_only:
                # Keeps the query planner's statistics fresh; cheap, and best effort.
                with contextlib.suppress(sqlite3.Error):
                    self._writer.execute("PRAGMA optimize")
            self._reader.close()
            self._writer.close()

    def __enter__(self) -> SqliteHistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteHistoryStore({str(self.path)!r}, read_only={self.read_only})"

    # -- plumbing

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is stored, or none of it."""
        if self.read_only:
            raise StoreError(
                translate(
                    "Store",
                    "Your history file is read-only ({0}), so new changes cannot be "
                    "saved. Your earlier conversations are still there.",
                ).format(self.path),
                StoreErrorKind.READ_ONLY,
            )
        with self._write_lock:
            self._check_open()
            db = self._writer
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback(db)
                raise _translate(exc, self.path) from exc
            except BaseException:
                self._rollback(db)
                raise

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._read_lock:
            self._check_open()
            try:
                yield self._reader
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from exc

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(
                translate("Store", "The history database is closed."), StoreErrorKind.CLOSED
            )

    @staticmethod
    def _rollback(db: sqlite3.Connection) -> None:
        if db.in_transaction:
            # SQLite may have rolled back already (e.g. on SQLITE_FULL); nothing more to do.
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def _put_payloads(self, payloads: Mapping[str, bytes]) -> None:
        """Writes attachments' files (under the write lock: see delete_unused_attachments)."""
        try:
            self.attachments.put_all(payloads)
        except OSError as exc:
            raise StoreError(
                translate(
                    "Store",
                    "An attachment could not be saved ({0}); the message was not stored. "
                    "Check the disk's free space and the data folder's permissions.",
                ).format(exc.strerror or exc),
                StoreErrorKind.DISK_ERROR,
            ) from exc

    @staticmethod
    def _purge(db: sqlite3.Connection) -> int:
        return db.execute("DELETE FROM conversations WHERE deleted_at IS NOT NULL").rowcount

    @staticmethod
    def _purge_versions(db: sqlite3.Connection) -> int:
        # (A version's descendants were marked deleted with it; some go by the cascade.)
        (count,) = db.execute(
            "SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL"
        ).fetchone()
        db.execute("DELETE FROM messages WHERE deleted_at IS NOT NULL")
        return int(count)

    def purge_deleted_versions(self) -> int:
        """Removes deleted versions for good (their undo is over); returns how many
        messages."""
        with self._writing() as db:
            purged = self._purge_versions(db)
        self.delete_unused_attachments()
        return purged

    # -- conversations

    def create_conversation(
        self,
        title: str,
        profile_id: str | None,
        params: ChatParams | None,
        assistant_id: str | None = None,
    ) -> Conversation:
        now = time.time()
        with self._writing() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, profile_id, params, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    _bind_text(title),
                    _bind_opt_text(profile_id),
                    _params_json(params, assistant_id),
                    now,
                    now,
                ),
            )
            new_id = cursor.lastrowid
        assert new_id is not None
        return Conversation(new_id, title, profile_id, params, now, now, assistant_id)

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        with self._reading() as db:
            rows = _select(
                db,
                _ConversationRow,
                f"SELECT {_CONVERSATION_COLUMNS} FROM conversations "
                "WHERE id = ? AND deleted_at IS NULL",
                (conversation_id,),
            )
        return _conversation_from_row(rows[0]) if rows else None

    def update_conversation(self, conversation: Conversation) -> None:
        """Stores title, profile, params and assistant. `updated_at` only moves forward."""
        with self._writing() as db:
            db.execute(
                "UPDATE conversations SET title = ?, profile_id = ?, params = ?, "
                "updated_at = max(updated_at, ?) WHERE id = ?",
                (
                    _bind_text(conversation.title),
                    _bind_opt_text(conversation.profile_id),
                    _params_json(
                        conversation.params, conversation.assistant_id, conversation.override
                    ),
                    conversation.updated_at,
                    conversation.id,
                ),
            )

    def set_conversation_assistant(self, conversation_id: int, assistant_id: str) -> None:
        """Changes the assistant (kept beside the parameters, see `_params_json`) and drops
        the override, which was an edit of the other one; the conversation keeps its place
        in the list."""
        with self._writing() as db:
            db.execute(
                "UPDATE conversations SET params = "
                "json_remove(json_set(coalesce(params, '{}'), ?, ?), ?) WHERE id = ?",
                (f"$.{_ASSISTANT_KEY}", assistant_id, f"$.{_OVERRIDE_KEY}", conversation_id),
            )

    def set_conversation_override(
        self, conversation_id: int, override: ParamsOverride | None
    ) -> None:
        """Sets or (None) removes the conversation's override; nothing else changes."""
        with self._writing() as db:
            if override is None:
                db.execute(
                    "UPDATE conversations SET params = json_remove(params, ?) "
                    "WHERE id = ? AND params IS NOT NULL",
                    (f"$.{_OVERRIDE_KEY}", conversation_id),
                )
            else:
                db.execute(
                    "UPDATE conversations SET params = "
                    "json_set(coalesce(params, '{}'), ?, json(?)) WHERE id = ?",
                    (f"$.{_OVERRIDE_KEY}", dumps_compact(override.to_json()), conversation_id),
                )

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        """Changes the title only; the conversation keeps its place in the list."""
        with self._writing() as db:
            db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?",
                (_bind_text(title), conversation_id),
            )

    def delete_conversation(self, conversation_id: int) -> bool:
        """Hides a conversation until `restore_conversation` or `purge_deleted`.

        Returns whether there was such a conversation. Hidden ones are purged for good by
        `purge_deleted()`, and at the next start.
        """
        with self._writing() as db:
            return (
                db.execute(
                    "UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                    (time.time(), conversation_id),
                ).rowcount
                > 0
            )

    def restore_conversation(self, conversation_id: int) -> bool:
        """Undoes `delete_conversation`; False when it was purged meanwhile."""
        with self._writing() as db:
            return (
                db.execute(
                    "UPDATE conversations SET deleted_at = NULL "
                    "WHERE id = ? AND deleted_at IS NOT NULL",
                    (conversation_id,),
                ).rowcount
                > 0
            )

    def purge_deleted(self) -> int:
        """Removes deleted conversations for good, and attachments no message uses any
        more; returns how many conversations."""
        with self._writing() as db:
            purged = self._purge(db)
        self.delete_unused_attachments()
        return purged

    def delete_unused_attachments(self) -> int:
        """Deletes the payloads no stored message references (after a purge, and at start:
        regenerating or editing leaves some behind). Returns how many."""
        with self._write_lock:
            self._check_open()
            try:
                used = {row[0] for row in self._writer.execute(
                    "SELECT DISTINCT sha256 FROM message_attachments"
                )}
                if self._has_document_index():
                    with self._writer:
                        document_index.prune(self._writer)
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from exc
            # Under the write lock: no payload is written meanwhile for a message to come.
            return self.attachments.delete_unused(used)

    def attachment_data(self, hashes: Iterable[str]) -> dict[str, bytes]:
        """The payloads found of these hashes (a missing file is left out)."""
        return self.attachments.read_all(hashes)

    def index_documents(self, after: str = "", limit: int = 32) -> str | None:
        """Adds the text of up to `limit` stored documents the search index lacks (those
        stored before it existed), the next ones by hash after `after`; returns the last
        hash looked at (to pass as `after`), or None when there are no more.

        Reads their files: call off the GUI thread, a batch at a time (each batch is one
        short write, so the chat's writes go in between; the files are read outside it)."""
        if not self._has_document_index():
            return None
        with self._reading() as db:
            missing = document_index.missing_documents(db, after, limit)
        if not missing:
            return None
        payloads = self.attachments.read_all(a.sha256 for a in missing)
        with self._writing() as db:
            document_index.add_documents(db, missing, payloads.get)
        return missing[-1].sha256

    def _index_documents(
        self,
        db: sqlite3.Connection,
        attachments: Sequence[Attachment],
        payloads: Mapping[str, bytes] | None,
    ) -> None:
        if self._has_document_index():
            lookup = document_index.payload_lookup(payloads, self.attachments.read)
            document_index.add_documents(db, attachments, lookup)

    def _has_document_index(self) -> bool:
        return self._document_index

    def count_conversations(self) -> int:
        with self._reading() as db:
            row = db.execute(
                "SELECT count(*) FROM conversations WHERE deleted_at IS NULL"
            ).fetchone()
        return int(row[0])

    def list_conversations(self, offset: int, limit: int) -> list[Conversation]:
        """Newest first (by last activity)."""
        with self._reading() as db:
            rows = _select(
                db,
                _ConversationRow,
                f"SELECT {_CONVERSATION_COLUMNS} FROM conversations "
                "WHERE deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            )
        return [_conversation_from_row(row) for row in rows]

    def import_conversations(self, items: Iterable[ExportedConversation]) -> list[Conversation]:
        """Adds conversations with their messages, original times and attachments, all or
        nothing."""
        added: list[Conversation] = []
        now = time.time()
        with self._writing() as db:
            for item in items:
                self._put_payloads(item.payloads)
                conv = item.conversation
                created = conv.created_at or now
                updated = max(conv.updated_at, created)
                new_id = db.execute(
                    "INSERT INTO conversations "
                    "(title, profile_id, params, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    (
                        _bind_text(conv.title),
                        _bind_opt_text(conv.profile_id),
                        _params_json(conv.params),
                        created,
                        updated,
                    ),
                ).lastrowid
                assert new_id is not None
                self._import_messages(db, new_id, item, created)
                added.append(
                    Conversation(new_id, conv.title, conv.profile_id, conv.params, created, updated)
                )
        return added

    def _import_messages(
        self,
        db: sqlite3.Connection, conversation_id: int, item: ExportedConversation, created: float
    ) -> None:
        """The messages of an import: a tree when they carry ids (parents before their
        children), else one path in their order. The path shown is the one through
        `item.shown_id`, or else the latest version at each step."""
        tree = any(m.id is not None for m in item.messages)
        new_ids: dict[int, int] = {}  # the file's ids -> the database's
        previous: int | None = None
        for position, m in enumerate(item.messages):
            if tree:
                parent = None if m.parent_id is None else new_ids.get(m.parent_id)
                if m.parent_id is not None and parent is None:
                    continue  # its parent is not in the file: nowhere to show it
            else:
                parent = previous
            message_id = db.execute(
                _MESSAGE_INSERT,
                (
                    conversation_id,
                    position,
                    parent,
                    position,
                    *_message_values(m, m.created_at or created),
                ),
            ).lastrowid
            assert message_id is not None
            if m.id is not None:
                new_ids[m.id] = message_id
            previous = message_id
            if m.attachments:
                _write_attachments(db, message_id, m)
                self._index_documents(db, m.attachments, item.payloads)
        shown = None if item.shown_id is None else new_ids.get(item.shown_id)
        if shown is not None:
            _choose(db, conversation_id, shown)

    # -- messages

    def append_message(
        self,
        conversation_id: int,
        message: Message,
        payloads: Mapping[str, bytes] | None = None,
        *,
        root: bool = False,
    ) -> Message:
        """Stores a message under `message.parent_id`, as the version shown there. Without
        a parent it goes at the end of the path shown (the first message of a new
        conversation), or with `root` it is a first message (another version of the first
        one). `payloads` are its attachments' contents by hash, written first (so a stored
        message never references a file that is not there). The message returned has its
        `id` and `parent_id`."""
        now = time.time()
        created = message.created_at or now
        with self._writing() as db:
            if payloads:
                self._put_payloads(payloads)
            if (
                db.execute(
                    "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                is None
            ):
                raise StoreError(
                    translate("Store", "This conversation no longer exists."),
                    StoreErrorKind.NOT_FOUND,
                )
            if message.parent_id is not None and (
                db.execute(
                    "SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?",
                    (message.parent_id, conversation_id),
                ).fetchone()
                is None
            ):
                raise StoreError(
                    translate("Store", "The message this one answers no longer exists."),
                    StoreErrorKind.NOT_FOUND,
                )
            parent = message.parent_id
            if parent is None and not root:
                path = _path_ids(_skeleton(db, conversation_id), None)
                parent = path[-1] if path else None
            position, chosen = db.execute(
                "SELECT coalesce(max(position) + 1, 0), coalesce(max(chosen) + 1, 0) "
                "FROM messages WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
            new_id = db.execute(
                _MESSAGE_INSERT,
                (
                    conversation_id,
                    position,
                    parent,
                    chosen,
                    *_message_values(message, created),
                ),
            ).lastrowid
            if message.attachments and new_id is not None:
                _write_attachments(db, new_id, message)
                self._index_documents(db, message.attachments, payloads)
            db.execute(
                "UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?",
                (now, conversation_id),
            )
        assert new_id is not None
        return dataclasses.replace(message, id=new_id, parent_id=parent, created_at=created)

    def update_message(self, message: Message) -> None:
        """Replaces a stored message (not its place in the tree). A message whose
        conversation was purged is ignored.

        A `created_at` of 0 keeps the stored time.
        """
        if message.id is None:
            raise ValueError("update_message needs a stored message (its id is None)")
        with self._writing() as db:
            changed = db.execute(
                f"UPDATE messages SET {_MESSAGE_ASSIGNMENTS} WHERE id = ?",
                (*_message_values(message, message.created_at), message.id),
            ).rowcount
            if changed and message.role is Role.USER:  # (replies have no attachments)
                db.execute("DELETE FROM message_attachments WHERE message_id = ?", (message.id,))
                _write_attachments(db, message.id, message)

    def messages(self, conversation_id: int, through: int | None = None) -> list[Message]:
        """The path shown: from the first message down through the version chosen last at
        each step. `through`: the path through that message instead (a search hit in a
        version not shown); below it, again the versions chosen last."""
        with self._reading() as db:
            return self._path(db, conversation_id, through)

    def _path(
        self, db: sqlite3.Connection, conversation_id: int, through: int | None
    ) -> list[Message]:
        ids = _path_ids(_skeleton(db, conversation_id), through)
        if not ids:
            return []
        rows: dict[int, _MessageRow] = {}
        attachments: dict[int, tuple[Attachment, ...]] = {}
        for start in range(0, len(ids), _IN_BATCH):
            batch = ids[start : start + _IN_BATCH]
            marks = ", ".join("?" * len(batch))
            for row in _select(
                db,
                _MessageRow,
                f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id IN ({marks})",
                batch,
            ):
                rows[row.id] = row
            attachments.update(_read_attachments(db, f"m.id IN ({marks})", batch))
        return _with_attachments([_message_from_row(rows[i]) for i in ids], attachments)

    def message_tree(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation, all versions (not those deleted), each after
        its parent: what a JSON export holds."""
        with self._reading() as db:
            rows = _select(
                db,
                _MessageRow,
                f"SELECT {_MESSAGE_COLUMNS} FROM messages "
                "WHERE conversation_id = ? AND deleted_at IS NULL ORDER BY position",
                (conversation_id,),
            )
            attachments = _read_attachments(
                db, "m.conversation_id = ? AND m.deleted_at IS NULL", (conversation_id,)
            )
        # A version of an earlier message may be added after later ones: parents first.
        by_parent: dict[int | None, list[_MessageRow]] = {}
        for row in rows:
            by_parent.setdefault(row.parent_id, []).append(row)
        ordered: list[_MessageRow] = []
        stack = list(reversed(by_parent.get(None, [])))
        while stack:
            row = stack.pop()
            ordered.append(row)
            stack.extend(reversed(by_parent.get(row.id, [])))
        return _with_attachments([_message_from_row(row) for row in ordered], attachments)

    def versions(self, conversation_id: int) -> dict[int | None, tuple[int, ...]]:
        """The children of each message by parent id (None: the first messages), oldest
        first: a message's versions are its parent's children."""
        with self._reading() as db:
            skeleton = _skeleton(db, conversation_id)
        return {parent: tuple(c.id for c in kids) for parent, kids in skeleton.items()}

    def show_message(self, conversation_id: int, message_id: int) -> list[Message]:
        """Makes the path through this message the one shown (remembered), and returns it."""
        with self._writing() as db:
            _choose(db, conversation_id, message_id)
            return self._path(db, conversation_id, None)

    def delete_version(self, message_id: int) -> bool:
        """Hides a message and everything below it until `restore_version` or a purge
        (`purge_deleted`, and the next start). False when there was no such message."""
        with self._writing() as db:
            return (
                db.execute(
                    f"UPDATE messages SET deleted_at = ?2 WHERE id IN {_DESCENDANTS} "
                    "AND deleted_at IS NULL",
                    (message_id, time.time()),
                ).rowcount
                > 0
            )

    def restore_version(self, message_id: int) -> bool:
        """Undoes `delete_version`; False when it was purged meanwhile."""
        with self._writing() as db:
            row = db.execute(
                "SELECT deleted_at FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
            if row is None or row[0] is None:
                return False
            # (Only what that deletion hid: a part deleted earlier stays deleted.)
            return (
                db.execute(
                    f"UPDATE messages SET deleted_at = NULL WHERE id IN {_DESCENDANTS} "
                    "AND deleted_at = ?2",
                    (message_id, row[0]),
                ).rowcount
                > 0
            )

    def mark_streaming_as_interrupted(self) -> int:
        """Run at startup: a reply still 'streaming' on disk was cut off by the app dying."""
        with self._writing() as db:
            return db.execute(
                "UPDATE messages SET state = ? WHERE state = ?",
                (ReplyState.INTERRUPTED.value, ReplyState.STREAMING.value),
            ).rowcount

    # -- search

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Conversations whose title or messages contain every word of `query`.

        Title matches come first (most recently active first), then conversations with a
        matching message (newest message first); one hit per conversation, with a snippet of
        its newest matching message. Recency rather than relevance: a word found all over a
        large history then costs no more than `limit` conversations' worth of rows.
        """
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        bound = _bind_text(match)
        with self._reading() as db:
            title_rows = db.execute(
                "SELECT c.id, c.updated_at FROM conversations_fts "
                "JOIN conversations c ON c.id = conversations_fts.rowid "
                "WHERE conversations_fts MATCH ? AND c.deleted_at IS NULL "
                "ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
                (bound, limit),
            ).fetchall()
            title_ids = {row[0] for row in title_rows}
            wanted = limit - len(title_rows)
            newest_match: dict[int, int] = {}  # conversation id -> newest matching message id
            if wanted > 0:
                found = 0
                # Messages whose text matches, and messages with a file of that name.
                cursor = db.execute(
                    "SELECT m.conversation_id, m.id FROM messages_fts "
                    "JOIN messages m ON m.id = messages_fts.rowid "
                    "JOIN conversations c ON c.id = m.conversation_id "
                    "WHERE messages_fts MATCH ?1 AND c.deleted_at IS NULL "
                    "AND m.deleted_at IS NULL "
                    "UNION "
                    "SELECT m.conversation_id, m.id FROM attachments_fts "
                    "JOIN message_attachments a ON a.id = attachments_fts.rowid "
                    "JOIN messages m ON m.id = a.message_id "
                    "JOIN conversations c ON c.id = m.conversation_id "
                    "WHERE attachments_fts MATCH ?1 AND c.deleted_at IS NULL "
                    "AND m.deleted_at IS NULL "
                    + (
                        f"UNION {document_index.MATCHING_MESSAGES_SQL} "
                        if self._has_document_index()
                        else ""
                    )
                    + "ORDER BY 2 DESC",
                    (bound,),
                )
                try:
                    for conv_id, message_id in cursor:
                        if conv_id in newest_match:
                            continue
                        newest_match[conv_id] = message_id
                        if conv_id not in title_ids:
                            found += 1
                            if found == wanted:
                                break
                finally:
                    cursor.close()
            hits: list[SearchHit] = []
            for conv_id, updated_at in title_rows:
                (marked_title,) = db.execute(
                    "SELECT highlight(conversations_fts, 0, ?, ?) FROM conversations_fts "
                    "WHERE conversations_fts MATCH ? AND rowid = ?",
                    (_MARK_START, _MARK_END, bound, conv_id),
                ).fetchone()
                title, title_marks = _unmark(_load_text(marked_title))
                message_id = newest_match.get(conv_id)
                snippet, marks, in_file = self._snippet(db, bound, message_id)
                hits.append(
                    SearchHit(
                        conv_id, title, title_marks, message_id, snippet, marks, updated_at, in_file
                    )
                )
            for conv_id, message_id in newest_match.items():
                if conv_id in title_ids:
                    continue
                title_value, updated_at = db.execute(
                    "SELECT title, updated_at FROM conversations WHERE id = ?", (conv_id,)
                ).fetchone()
                snippet, marks, in_file = self._snippet(db, bound, message_id)
                hits.append(
                    SearchHit(
                        conv_id,
                        _load_text(title_value),
                        (),
                        message_id,
                        snippet,
                        marks,
                        updated_at,
                        in_file,
                    )
                )
        return hits

    def _snippet(
        self, db: sqlite3.Connection, match: str | bytes, message_id: int | None
    ) -> tuple[str, tuple[tuple[int, int], ...], str]:
        """A few words around the hits (marks), from the message's text, its files' names
        or its documents' text (then with that file's name)."""
        if message_id is None:
            return "", (), ""
        row = db.execute(
            "SELECT snippet(messages_fts, 0, ?, ?, '…', 16) FROM messages_fts "
            "WHERE messages_fts MATCH ? AND rowid = ?",
            (_MARK_START, _MARK_END, match, message_id),
        ).fetchone()
        if row is None:  # a file's name matched, or a document's text
            row = db.execute(
                "SELECT highlight(attachments_fts, 0, ?, ?) FROM attachments_fts "
                "JOIN message_attachments a ON a.id = attachments_fts.rowid "
                "WHERE attachments_fts MATCH ? AND a.message_id = ? ORDER BY a.ordinal LIMIT 1",
                (_MARK_START, _MARK_END, match, message_id),
            ).fetchone()
            if row is not None:
                return (*_unmark("📎 " + _load_text(row[0])), "")
            found = (
                document_index.snippet_in_files(db, match, message_id, _MARK_START, _MARK_END)
                if self._has_document_index()
                else None
            )
            if found is None:
                return "", (), ""
            name, words = found
            return (*_unmark(" ".join(_load_text(words).split())), _load_text(name))
        from zlay_desktop.core.markdown_render import plain_text  # (only when searching)

        # Shown as a reader sees it: no Markdown markers (the hit marks survive them).
        return (*_unmark(plain_text(_load_text(row[0]))), "")
