"""Giving freed memory back to the operating system.

Rendering a long reply allocates and frees a lot (Markdown tokens, HTML, Qt's parsing of
it). glibc keeps freed heap pages for reuse instead of returning them, so the process's
resident size stays ~30 MB per million characters rendered above what it really holds.
``malloc_trim`` returns them (~3 ms for a 200 MB heap). Elsewhere (macOS, Windows, musl)
there is nothing to call and nothing is done.
"""

from __future__ import annotations

import ctypes
import functools
import linecache
import logging
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        log.debug("malloc_trim is not available")
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    trim: Callable[[int], int] = function
    return trim


def forget_source_lines() -> None:
    """PySide6 reads the source of every module imported after it (it looks for
    ``from __feature__ import``) and ``linecache`` keeps it: ~15 MB once the SDK is
    imported, and more with each module imported later (the SDK's chat resources at the
    first Send). A traceback reads what it needs again."""
    linecache.clearcache()


def release_free_memory() -> bool:
    """Forgets the source lines kept since the last time, and returns freed heap pages to
    the OS; True when the C library did (and had any)."""
    forget_source_lines()
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
