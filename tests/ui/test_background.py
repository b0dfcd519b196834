"""The one helper for background work: callbacks on the GUI thread, only while the owner
lives; unhandled failures to the excepthook; work kept and ended on close."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import pytest
from PySide6.QtCore import QObject

from tests.conftest import LoopRunner, until
from zlay_desktop.core.background import SerialWorker
from zlay_desktop.ui.background import BackgroundTasks


@pytest.fixture
def worker() -> Iterator[SerialWorker]:
    worker = SerialWorker("test-worker")
    yield worker
    worker.shutdown()


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []

    def hook(_t: type[BaseException], exc: BaseException, _tb: TracebackType | None) -> None:
        seen.append(exc)

    monkeypatch.setattr(sys, "excepthook", hook)
    return seen


def test_thread_work_reports_on_the_gui_thread_in_order(
    qloop: LoopRunner, worker: SerialWorker
) -> None:
    owner = QObject()
    tasks = BackgroundTasks(owner)
    results: list[tuple[int, bool]] = []
    gui = threading.current_thread()
    ran_on: list[str] = []

    def work(n: int) -> int:
        ran_on.append(threading.current_thread().name)
        return n * 2

    for n in range(5):
        tasks.start_in_thread(
            worker,
            lambda n=n: work(n),  # type: ignore[misc]
            on_success=lambda r: results.append((r, threading.current_thread() is gui)),
        )

    async def scenario() -> None:
        await until(lambda: len(results) == 5, what="five results")

    qloop.run(scenario())
    assert results == [(0, True), (2, True), (4, True), (6, True), (8, True)]
    assert all(name.startswith("test-worker") for name in ran_on)
    assert not tasks.busy


def test_a_failure_goes_to_on_failure_or_else_to_the_excepthook(
    qloop: LoopRunner, worker: SerialWorker, hooked: list[BaseException]
) -> None:
    owner = QObject()
    tasks = BackgroundTasks(owner)
    handled: list[Exception] = []

    def boom() -> None:
        raise OSError("disk full")

    tasks.start_in_thread(worker, boom, on_failure=handled.append)
    tasks.start_in_thread(worker, boom)

    async def failing() -> None:
        raise ValueError("bug")

    tasks.start(failing())

    async def scenario() -> None:
        await until(lambda: len(handled) == 1 and len(hooked) == 2, what="both failures")

    qloop.run(scenario())
    assert str(handled[0]) == "disk full"
    assert sorted(type(e).__name__ for e in hooked) == ["OSError", "ValueError"]


def test_nothing_is_delivered_after_the_owner_is_deleted(
    qloop: LoopRunner, worker: SerialWorker
) -> None:
    import shiboken6

    owner = QObject()
    tasks = BackgroundTasks(owner)
    release = threading.Event()
    delivered: list[Any] = []
    future = tasks.start_in_thread(
        worker, lambda: release.wait(10), on_success=delivered.append
    )
    shiboken6.delete(owner)
    release.set()
    future.result(timeout=10)
    # A second call queued behind it proves the queued delivery had its chance to run.
    probe = QObject()
    later = BackgroundTasks(probe)
    seen: list[int] = []
    later.start_in_thread(worker, lambda: 1, on_success=seen.append)

    async def scenario() -> None:
        await until(lambda: seen == [1], what="the later result")

    qloop.run(scenario())
    assert delivered == []


def test_cancelled_coroutines_call_on_cancelled_and_aclose_waits(qloop: LoopRunner) -> None:
    owner = QObject()
    tasks = BackgroundTasks(owner)
    events: list[str] = []

    async def forever() -> None:
        await asyncio.Event().wait()

    tasks.start(
        forever(),
        on_cancelled=lambda: events.append("cancelled"),
        on_done=lambda: events.append("done"),
    )
    assert tasks.busy

    async def scenario() -> None:
        await tasks.aclose()

    qloop.run(scenario())
    assert events == ["cancelled", "done"]
    assert not tasks.busy
