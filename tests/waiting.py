"""Waiting on a condition without blocking the event loop: shared by the tests and by the
benchmarks (which must not load pytest into the process whose memory they measure)."""

from __future__ import annotations

import asyncio
from typing import Any


async def until(condition: Any, timeout: float = 10.0, what: str = "condition") -> None:
    """Waits (without blocking the loop) until `condition()` is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)
