"""The full-text index of attached documents' text, inside the history database.

A document's payload is its extracted text (`core/attachments.py`), stored once by sha256;
this index holds that text once per payload too (`document_texts`, with an FTS5 table over
it), so that search finds a word that is only inside an attached PDF or text file.

It is derived data, rebuilt from the payload files whenever it lacks one: the tables are
created when the database is opened (not a schema version of their own: a database without
them is complete, and an older version of the app that ignores them loses nothing), and
documents stored before the index existed are added after the start, off the GUI thread, a
batch at a time (`SqliteHistoryStore.index_documents`). Rows of payloads no message uses
any more are pruned with those payloads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import Final

from zlay_desktop.core.models import Attachment, AttachmentKind

__all__ = [
    "MATCHING_MESSAGES_SQL",
    "add_documents",
    "ensure_tables",
    "has_tables",
    "missing_documents",
    "payload_lookup",
    "prune",
    "snippet_in_files",
]

_TABLES: Final = (
    """
    CREATE TABLE IF NOT EXISTS document_texts (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,  -- the payload's (AttachmentFiles)
        text TEXT NOT NULL
    )
    """,
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS document_texts_fts USING fts5 (
        text, content = 'document_texts', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS document_texts_fts_insert AFTER INSERT ON document_texts BEGIN
        INSERT INTO document_texts_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS document_texts_fts_delete AFTER DELETE ON document_texts BEGIN
        INSERT INTO document_texts_fts (document_texts_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
    END
    """,
)

MATCHING_MESSAGES_SQL: Final = (
    # (conversation id, message id) of messages with a document whose text matches ?1;
    # a branch of the store's search (a UNION with the messages' own text).
    "SELECT m.conversation_id, m.id FROM document_texts_fts "
    "JOIN document_texts d ON d.id = document_texts_fts.rowid "
    "JOIN message_attachments a ON a.sha256 = d.sha256 "
    "JOIN messages m ON m.id = a.message_id "
    "JOIN conversations c ON c.id = m.conversation_id "
    "WHERE document_texts_fts MATCH ?1 AND c.deleted_at IS NULL AND m.deleted_at IS NULL"
)


def ensure_tables(db: sqlite3.Connection) -> None:
    """Creates the index's tables when they are not there (inside the caller's transaction)."""
    for statement in _TABLES:
        db.execute(statement)


def has_tables(db: sqlite3.Connection) -> bool:
    row = db.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'document_texts_fts'"
    ).fetchone()
    return row is not None


def add_documents(
    db: sqlite3.Connection,
    attachments: Iterable[Attachment],
    payload: Callable[[str], bytes | None],
) -> int:
    """Indexes the documents among `attachments` that are not indexed yet; `payload` gives a
    payload by sha256 (None when it is missing). Returns how many were added."""
    added = 0
    for attachment in attachments:
        if attachment.kind is not AttachmentKind.DOCUMENT:
            continue
        known = db.execute(
            "SELECT 1 FROM document_texts WHERE sha256 = ?", (attachment.sha256,)
        ).fetchone()
        if known is not None:
            continue
        data = payload(attachment.sha256)
        if data is None:
            continue
        # (Only an index: a byte that is not UTF-8 need not be kept exactly.)
        text = data.decode("utf-8", "replace")
        db.execute(
            "INSERT INTO document_texts (sha256, text) VALUES (?, ?)", (attachment.sha256, text)
        )
        added += 1
    return added


def payload_lookup(
    payloads: Mapping[str, bytes] | None, read: Callable[[str], bytes | None]
) -> Callable[[str], bytes | None]:
    """Payloads from `payloads` when given there, else read (from the files)."""

    def lookup(sha256: str) -> bytes | None:
        if payloads is not None and sha256 in payloads:
            return payloads[sha256]
        return read(sha256)

    return lookup


def missing_documents(db: sqlite3.Connection, after: str = "", limit: int = -1) -> list[Attachment]:
    """Documents that messages reference and the index lacks (one per payload), in hash
    order: at most `limit` (-1: all) of those after `after`."""
    rows = db.execute(
        "SELECT DISTINCT a.sha256 FROM message_attachments a "
        "LEFT JOIN document_texts d ON d.sha256 = a.sha256 "
        "WHERE a.kind = ? AND d.id IS NULL AND a.sha256 > ? ORDER BY a.sha256 LIMIT ?",
        (AttachmentKind.DOCUMENT.value, after, limit),
    ).fetchall()
    return [
        Attachment(AttachmentKind.DOCUMENT, "", sha, "text/plain", 0, 0) for (sha,) in rows
    ]


def prune(db: sqlite3.Connection) -> int:
    """Removes the text of payloads no message references any more."""
    return db.execute(
        "DELETE FROM document_texts WHERE sha256 NOT IN "
        "(SELECT sha256 FROM message_attachments)"
    ).rowcount


def snippet_in_files(
    db: sqlite3.Connection, match: str | bytes, message_id: int, start: str, end: str
) -> tuple[str | bytes, str | bytes] | None:
    """(the file's name, a few words around the hits in its text, as stored) of the first
    of a message's documents whose text matches, or None."""
    row = db.execute(
        "SELECT a.name, snippet(document_texts_fts, 0, ?, ?, '…', 16) FROM document_texts_fts "
        "JOIN document_texts d ON d.id = document_texts_fts.rowid "
        "JOIN message_attachments a ON a.sha256 = d.sha256 "
        "WHERE document_texts_fts MATCH ? AND a.message_id = ? ORDER BY a.ordinal LIMIT 1",
        (start, end, match, message_id),
    ).fetchone()
    return None if row is None else (row[0], row[1])
