"""Attachments' payloads on disk, stored once each by content (sha256).

`attachments/ab/abcdef…` under the data folder: a file sent in ten messages is kept once.
Messages reference payloads by hash (the history's `message_attachments` table); a payload
no message uses any more is deleted when deleted conversations are purged
(`SqliteHistoryStore`), on the history's writer thread, so never between a payload's write
and the insert of the message that uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from zlay_desktop.core.files import write_bytes_atomically

__all__ = ["AttachmentFiles", "viewable_name", "write_viewable_copy"]

_log = logging.getLogger(__name__)

_HASH: Final = re.compile(r"[0-9a-f]{64}")


class AttachmentFiles:
    """The folder of payloads. Blocking: call from a worker thread."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path_for(self, sha256: str) -> Path:
        if not _HASH.fullmatch(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.folder / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Stores `data` (once) and returns its sha256."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha)
        if path.is_file() and path.stat().st_size == len(data):
            return sha
        path.parent.mkdir(parents=True, exist_ok=True)
        # Durable: the message that references it is committed right after.
        write_bytes_atomically(path, data, durable=True)
        return sha

    def put_all(self, payloads: Mapping[str, bytes]) -> None:
        """Stores payloads given by their hash; a payload that does not match is refused."""
        for sha, data in payloads.items():
            if self.put(data) != sha:
                raise ValueError(f"an attachment's content does not match its hash {sha}")

    def read(self, sha256: str) -> bytes | None:
        """A payload, or None when it is missing (deleted by hand, a damaged disk)."""
        try:
            return self.path_for(sha256).read_bytes()
        except (OSError, ValueError):
            return None

    def read_all(self, hashes: Iterable[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for sha in hashes:
            data = self.read(sha)
            if data is not None:
                found[sha] = data
        return found

    def delete_unused(self, used: set[str]) -> int:
        """Deletes every payload whose hash is not in `used`; returns how many."""
        if not self.folder.is_dir():
            return 0
        deleted = 0
        for path in self.folder.glob("??/*"):
            if not _HASH.fullmatch(path.name) or path.name in used:
                continue  # (a temporary file, or anything not ours, is left alone)
            try:
                path.unlink()
                deleted += 1
            except OSError as exc:
                _log.warning("an unused attachment could not be deleted: %s", exc)
        return deleted


_SUFFIX_BY_MIME: Final = {"image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt"}
_IMAGE_SUFFIXES: Final = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
_UNSAFE_NAME_CHARS: Final = re.compile(r"[^\w .()+,=@~-]")


def viewable_name(name: str, mime: str) -> str:
    """A file name for a copy of a payload that a viewer may open: the user's name, made
    harmless, with the suffix of what the payload really is (a document's payload is its
    text: "report.pdf" becomes "report.pdf.txt"; a WebP sent as PNG, "photo.png").

    The suffix always comes from the payload's type, never from the name (a name comes from
    an imported file too): a payload never opens as a program or a launcher."""
    suffix = _SUFFIX_BY_MIME.get(mime, ".bin")
    stem = _UNSAFE_NAME_CHARS.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if suffix != ".txt" and Path(stem).suffix.lower() in _IMAGE_SUFFIXES:
        stem = stem[: -len(Path(stem).suffix)]
    stem = stem[:100] or "attachment"
    return stem if stem.lower().endswith(suffix) else stem + suffix


def write_viewable_copy(folder: Path, sha256: str, name: str, mime: str, data: bytes) -> Path:
    """Writes `data` as a read-only file under `folder` (a folder of the payload's own, so
    two files of one name never meet) and returns its path. The stored payload itself is
    never handed out: a viewer that saves over its file changes only this copy."""
    if not _HASH.fullmatch(sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    path = Path(folder) / sha256[:16] / viewable_name(name, mime)
    if path.is_file() and path.stat().st_size == len(data):
        return path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileNotFoundError):
        path.chmod(0o600)  # (an earlier, shorter copy: written again)
    write_bytes_atomically(path, data)
    path.chmod(0o400)
    return path
