"""Blocking work kept off the loop's thread, in order.

The one way the app runs a blocking call (a history write, a file export): on a
`SerialWorker`. It has one thread, so calls given to it happen in the order they were
given: a reply's saves never overtake each other, and a rename from the sidebar never
lands between a message's insert and its first update. Core code awaits `run`; the Qt
layer's `ui.background.BackgroundTasks` uses `submit` and gets its result on the GUI thread.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


class SerialWorker:
    """One named thread that runs blocking calls one after another."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def __repr__(self) -> str:
        return f"SerialWorker({self.name!r})"

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queues `fn(*args, **kwargs)`; the future holds its result or exception."""
        return self._executor.submit(fn, *args, **kwargs)

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Runs `fn(*args, **kwargs)` on the worker's thread; its exception is raised here."""
        call = functools.partial(fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def shutdown(self, *, wait: bool = True) -> None:
        """Lets queued calls finish (when `wait`), then ends the thread."""
        self._executor.shutdown(wait=wait)
