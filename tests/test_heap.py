"""Releasing memory when idle (core/heap.py): freed heap pages go back to the operating
system, and the source lines PySide6 made linecache keep are forgotten."""

from __future__ import annotations

import ctypes
import linecache
import sys

import psutil
import pytest

from zlay_desktop.core.heap import release_free_memory


def _glibc() -> bool:
    try:
        ctypes.CDLL(None).gnu_get_libc_version  # noqa: B018
    except AttributeError:
        return False
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux") or not _glibc(), reason="glibc only")
def test_memory_freed_by_rendering_leaves_the_process_on_release() -> None:
    process = psutil.Process()
    # Many mid-sized blocks (as rendering makes), then one kept above them all: freeing the
    # rest leaves ~160 MB of free pages inside the heap, still counted in the RSS.
    blocks = [bytearray(4000) for _ in range(40_000)]
    keep = bytearray(4000)
    del blocks
    held = process.memory_info().rss
    assert release_free_memory()
    released = process.memory_info().rss
    assert held - released > 100_000_000
    del keep


def test_release_forgets_cached_source_lines() -> None:
    assert linecache.getline(__file__, 1)
    assert __file__ in linecache.cache
    release_free_memory()
    assert __file__ not in linecache.cache
    assert linecache.getline(__file__, 1)  # a traceback can still read them again
