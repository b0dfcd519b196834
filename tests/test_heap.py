"""Freed memory goes back to the operating system (glibc's heap)."""

from __future__ import annotations

import ctypes
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
def test_freed_heap_pages_are_returned() -> None:
    process = psutil.Process()
    # Many mid-sized blocks (as rendering makes), all but the last freed: glibc keeps the
    # pages below the one still in use.
    blocks = [bytearray(4000) for _ in range(40_000)]
    keep = bytearray(4000)
    resident = process.memory_info().rss
    del blocks
    held = process.memory_info().rss
    assert release_free_memory()
    released = process.memory_info().rss
    assert keep is not None
    assert resident - held < (resident - released) / 2  # most came back only on release
    assert held - released > 100_000_000
