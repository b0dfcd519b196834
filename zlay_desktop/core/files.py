"""Writing a file so that a crash never leaves half of it under the real name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(
    path: Path, text: str, *, errors: str = "strict", durable: bool = False
) -> None:
    """Writes `text` (UTF-8, lines as they are) as `write_bytes_atomically` does; `errors`:
    how text that cannot be encoded is written ("replace" for a transcript holding a lone
    surrogate)."""
    write_bytes_atomically(path, text.encode("utf-8", errors=errors), durable=durable)


def write_bytes_atomically(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Writes `data` to a temporary file beside `path`, then renames it over `path`.

    `durable`: also fsync the file and its folder, so that the new content survives a power
    cut (settings).
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Makes a rename in `directory` durable (not possible on every platform)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # (Windows cannot fsync a directory; its rename is durable enough)
    finally:
        os.close(fd)
