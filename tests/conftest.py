"""Shared fixtures: an isolated home, a qasync loop for async Qt scenarios, the test server,
a history store and a chat window on both (a test file may define its own of any)."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A real Secret Service (private D-Bus + gnome-keyring) for keyring tests.
pytest_plugins = ("tests.secret_service",)

if TYPE_CHECKING:
    from tests.harness import ChatHarness
    from tests.testserver import OpenAITestServer
    from zlay_desktop.core.store import SqliteHistoryStore

T = TypeVar("T")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's settings, history or logs."""
    root = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        (root / name.lower()).mkdir()
        monkeypatch.setenv(name, str(root / name.lower()))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    return root


class LoopRunner:
    """Runs scenarios on a real qasync loop; any error the loop saw fails the test."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.errors: list[dict[str, Any]] = []

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))


@pytest.fixture
def qloop(qapp: Any) -> Iterator[LoopRunner]:
    from zlay_desktop.ui.event_loop import close_event_loop, create_event_loop

    loop = create_event_loop(qapp)
    runner = LoopRunner(loop)

    def record(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        runner.errors.append(context)

    loop.set_exception_handler(record)
    try:
        yield runner
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        # Async generators dropped by the test are finalized now, on the running loop.
        gc.collect()
        loop.run_until_complete(asyncio.sleep(0))
    finally:
        close_event_loop(loop)
    assert not runner.errors, f"the event loop reported errors: {runner.errors}"


async def until(condition: Any, timeout: float = 10.0, what: str = "condition") -> None:
    """Waits (without blocking the loop) until `condition()` is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


@pytest.fixture
def server() -> Iterator[OpenAITestServer]:
    """The project's OpenAI-compatible test server, on 127.0.0.1."""
    from tests.testserver import OpenAITestServer

    with OpenAITestServer() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteHistoryStore]:
    """A history database in the test's own folder."""
    from zlay_desktop.core.store import SqliteHistoryStore

    with SqliteHistoryStore.open(tmp_path / "history.sqlite3") as opened:
        yield opened


@pytest.fixture
def chat(
    server: OpenAITestServer, store: SqliteHistoryStore, qloop: LoopRunner, qtbot: Any
) -> Iterator[ChatHarness]:
    """The real window and controller, talking to `server`, saving into `store`."""
    from tests.harness import ChatHarness

    harness = ChatHarness(base_url=server.base_url, store=store)
    harness.window.resize(900, 700)
    harness.window.show()
    qtbot.waitExposed(harness.window)
    yield harness
    qloop.run(harness.close())
