"""Unexpected exceptions anywhere (a slot, a task) are logged and shown; the app goes on."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LoopRunner, until
from zlay_desktop.app import Application, Options


@pytest.fixture
def app(tmp_path: Path, qloop: LoopRunner) -> Iterator[Application]:
    hook = sys.excepthook
    application = Application(Options(data_dir=tmp_path / "data", base_url="http://127.0.0.1:9/v1"))
    application.start()
    try:
        yield application
    finally:
        sys.excepthook = hook
        if not application.finished.is_set():
            qloop.run(application.shutdown())


def test_an_exception_in_a_slot_is_logged_and_shown(app: Application) -> None:
    try:
        raise ValueError("a bug in a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # what Qt does with an exception escaping a slot
    assert app.window.notice.isVisible()
    assert "ValueError" in app.window.notice.text()
    assert "conversation is safe" in app.window.notice.text()
    log = app.paths.log_file.read_text(encoding="utf-8")
    assert "a bug in a slot" in log and "Traceback" in log


def test_an_exception_in_a_task_is_logged_and_shown(app: Application, qloop: LoopRunner) -> None:
    async def broken() -> None:
        raise RuntimeError("a bug in a task")

    async def scenario() -> None:
        task = asyncio.ensure_future(broken())
        await asyncio.wait([task])
        del task  # never retrieved: the loop's exception handler reports it when collected
        import gc

        gc.collect()
        await until(lambda: "RuntimeError" in app.window.notice.text(), what="the notice")

    qloop.run(scenario())
    assert "a bug in a task" in app.paths.log_file.read_text(encoding="utf-8")
