"""Unexpected exceptions anywhere (a slot, a task) are logged and shown; the app goes on."""

from __future__ import annotations

import asyncio
import sys

import pytest

from tests.conftest import AppFactory, LoopRunner, until
from zlay_desktop.app import Application


@pytest.fixture
def app(make_app: AppFactory) -> Application:
    application = make_app(base_url="http://127.0.0.1:9/v1")
    application.start()
    return application


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
