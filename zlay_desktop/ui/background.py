"""The one way a Qt object runs background work.

`BackgroundTasks(owner)` runs two kinds of work for a widget or controller:
- a coroutine on the asyncio (qasync) loop: `start(coro, ...)`;
- a blocking call on a `SerialWorker` thread: `start_in_thread(worker, fn, ...)`.

Either way the callbacks (`on_success(result)`, `on_failure(exception)`, `on_cancelled()`,
then `on_done()`) run on the GUI thread, and only while the owner lives: work that ends
after its dialog closed touches nothing. An exception nobody handles (no `on_failure`) is
a bug: it goes to `report_unexpected`, the app's one excepthook, which logs it and tells
the user. The helper keeps a reference to every piece of running work; `cancel_all()` and
`aclose()` end it when the owner goes away.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import weakref
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from zlay_desktop.core.background import SerialWorker

log = logging.getLogger(__name__)

T = TypeVar("T")

SuccessCallback = Callable[[T], None]
FailureCallback = Callable[[Exception], None]
Callback = Callable[[], None]


def report_unexpected(exc: BaseException) -> None:
    """A bug, not an expected failure: to the excepthook the app installed (logs, tells)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


class _Outcome(Generic[T]):
    """Where one piece of work's result goes, once, on the GUI thread."""

    def __init__(
        self,
        tasks: BackgroundTasks,
        on_success: SuccessCallback[T] | None,
        on_failure: FailureCallback | None,
        on_cancelled: Callback | None,
        on_done: Callback | None,
    ) -> None:
        self._tasks = tasks
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_cancelled = on_cancelled
        self._on_done = on_done

    def deliver(self, cancelled: bool, exc: BaseException | None, result: Any) -> None:
        if not self._tasks.owner_alive:
            return
        try:
            if cancelled:
                if self._on_cancelled is not None:
                    self._on_cancelled()
            elif exc is not None:
                if isinstance(exc, Exception) and self._on_failure is not None:
                    self._on_failure(exc)
                else:
                    report_unexpected(exc)
            elif self._on_success is not None:
                self._on_success(result)
        finally:
            # Even after a failing callback: `on_done` ends "busy" states.
            if self._on_done is not None:
                self._on_done()


class _Relay(QObject):
    """Carries a thread's finished future to the GUI thread (a queued signal); a child of
    the owner, so nothing is delivered once the owner is deleted."""

    finished = Signal(Future, _Outcome)  # a finished future, where its result goes


class BackgroundTasks:
    """The running background work of one Qt object (see the module's docstring)."""

    def __init__(self, owner: QObject) -> None:
        # Weakly: the owner usually holds its BackgroundTasks, and a cycle through a Qt
        # object may be collected on any thread (where deleting it is unsafe).
        self._owner = weakref.ref(owner)
        self._tasks: set[asyncio.Future[Any]] = set()
        self._futures: set[Future[Any]] = set()
        self._relay = _Relay(owner)
        self._relay.finished.connect(
            self._thread_finished, Qt.ConnectionType.QueuedConnection
        )

    @property
    def owner_alive(self) -> bool:
        """False once Qt deleted the owner (work cancelled at close may end after that)."""
        owner = self._owner()
        return owner is not None and shiboken6.isValid(owner)

    @property
    def busy(self) -> bool:
        return bool(self._tasks) or bool(self._futures)

    def start(
        self,
        work: Coroutine[Any, Any, T],
        *,
        on_success: SuccessCallback[T] | None = None,
        on_failure: FailureCallback | None = None,
        on_cancelled: Callback | None = None,
        on_done: Callback | None = None,
    ) -> asyncio.Task[T]:
        """Runs `work` on the running loop; the task is returned for awaiting or cancelling."""
        task = asyncio.ensure_future(work)
        outcome = _Outcome(self, on_success, on_failure, on_cancelled, on_done)
        self._tasks.add(task)

        def finished(task: asyncio.Task[T]) -> None:
            # Here rather than in the coroutine: a task cancelled before its first step
            # never runs its own except/finally blocks.
            self._tasks.discard(task)
            if task.cancelled():
                outcome.deliver(True, None, None)
            else:
                exc = task.exception()
                outcome.deliver(False, exc, None if exc is not None else task.result())

        task.add_done_callback(finished)
        return task

    def start_in_thread(
        self,
        worker: SerialWorker,
        fn: Callable[[], T],
        *,
        on_success: SuccessCallback[T] | None = None,
        on_failure: FailureCallback | None = None,
        on_done: Callback | None = None,
    ) -> Future[T]:
        """Queues `fn()` on `worker`; callbacks run on the GUI thread (no event loop needed)."""
        future = worker.submit(fn)
        outcome = _Outcome(self, on_success, on_failure, None, on_done)
        self._futures.add(future)
        emit = self._relay.finished.emit

        def finished(future: Future[T]) -> None:  # on the worker's thread
            try:
                emit(future, outcome)
            except RuntimeError:  # the relay is gone with its owner: nothing to tell
                log.debug("background result dropped: its owner was deleted")

        future.add_done_callback(finished)
        return future

    def _thread_finished(self, future: Future[Any], outcome: _Outcome[Any]) -> None:
        self._futures.discard(future)
        if future.cancelled():
            outcome.deliver(True, None, None)
        else:
            exc = future.exception()
            outcome.deliver(False, exc, None if exc is not None else future.result())

    def cancel_all(self) -> None:
        """Cancels running coroutines (a thread's call, once started, runs to its end)."""
        for task in list(self._tasks):
            task.cancel()
        for future in list(self._futures):
            future.cancel()

    async def aclose(self, *, cancel: bool = True) -> None:
        """Ends the work (cancelled, or let finish when `cancel` is False) and waits for it."""
        if cancel:
            self.cancel_all()
        pending: list[asyncio.Future[Any]] = list(self._tasks)
        pending += [asyncio.wrap_future(f) for f in self._futures if not f.done()]
        # gather: a cancellation of aclose itself still goes through.
        results = await asyncio.gather(*pending, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):  # closing: log, don't raise
                log.error("background work failed while closing", exc_info=result)
