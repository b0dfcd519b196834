"""Shared fixtures: an isolated home, a qasync loop for async Qt scenarios, the test server,
a history store, a chat window on both, and the whole app (`make_app`). A test file may
define its own of any."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# As the app does (ui/startup.py): Qt Quick's software renderer, chosen before pytest-qt's
# `qapp` makes the QApplication.
from zlay_desktop.ui.startup import use_software_quick_renderer

use_software_quick_renderer()

# The tests read the app's English words and English numbers ("10,000,000"), whatever the
# machine's locale: the app's core text goes through Qt as in the app, and only the English
# catalogue (the plural forms: "1 image", "2 images") is installed (`english_catalogue`).
from PySide6.QtCore import QLocale  # noqa: E402 - after the renderer is chosen

from tests.waiting import until as until  # noqa: E402 - (tests import it from here)
from zlay_desktop.ui.i18n import install_core_translator  # noqa: E402

QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
install_core_translator()

# A real Secret Service (private D-Bus + gnome-keyring) for keyring tests.
pytest_plugins = ("tests.secret_service",)

if TYPE_CHECKING:
    from tests.harness import ChatHarness
    from tests.testserver import OpenAITestServer
    from zlay_desktop.app import Application
    from zlay_desktop.core.store import SqliteHistoryStore
    from zlay_desktop.ui.main_window import MainWindow

T = TypeVar("T")


_FROZEN = False


@pytest.fixture(scope="session", autouse=True)
def english_catalogue(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The app's English catalogue, as the app installs it for an English locale."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from zlay_desktop.ui.i18n import compile_catalogues, translations_dir

    folder = tmp_path_factory.mktemp("catalogues")
    compile_catalogues(translations_dir(), folder)
    translator = QTranslator()
    assert translator.load(str(folder / "zlay_en.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


@pytest.fixture(autouse=True)
def qt_garbage_collected_here() -> Iterator[None]:
    """A test's windows and controllers often end in reference cycles; collected later, by a
    garbage collection that happens to run on another thread (the test server's), Qt would
    delete them from that thread and crash. Collect them here, on the GUI thread."""
    global _FROZEN
    if not _FROZEN:
        # What exists by the first test (modules, the app's imports) lives for the whole
        # run: kept out of every collection, so that collecting after a test is quick.
        gc.collect()
        gc.freeze()
        _FROZEN = True
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
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


class AppFactory:
    """Makes the real `Application` (settings, keyring, history, log file, window), its data
    under the test's own folder unless told otherwise; `make_app` closes what it made."""

    def __init__(self, data_dir: Path, qloop: LoopRunner) -> None:
        self.data_dir = data_dir
        self.qloop = qloop
        self.made: list[Application] = []

    def __call__(self, window: MainWindow | None = None, **options: Any) -> Application:
        """An app built from `Options` with `options` changed (`data_dir=None`: the
        platform's folders, in the isolated home); `window`: a frame already shown."""
        from zlay_desktop.app import Application, Options

        application = Application(Options(data_dir=self.data_dir)._replace(**options), window)
        self.made.append(application)
        return application

    def close(self, application: Application) -> None:
        """Shuts the app down as the user's Quit does (once), and flushes its log."""
        if not application.finished.is_set():
            self.qloop.run(application.shutdown())
        for handler in logging.getLogger().handlers:
            handler.flush()


@pytest.fixture
def make_app(tmp_path: Path, qloop: LoopRunner) -> Iterator[AppFactory]:
    """Real apps for a test; at the end each is shut down, and what an app changes for the
    whole process (the excepthook, the root logger's handlers and level, the secrets the
    log redacts) is put back as it was."""
    from zlay_desktop.core.logging_setup import redacting_filter

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    known_secrets = set(redacting_filter.secrets)
    hook = sys.excepthook
    factory = AppFactory(tmp_path / "data", qloop)
    try:
        yield factory
    finally:
        try:
            for application in factory.made:
                factory.close(application)
        finally:
            sys.excepthook = hook
            # The app's log file is set up once a process: leave none behind for the next.
            for handler in [h for h in root.handlers if h not in handlers]:
                root.removeHandler(handler)
                handler.close()
            for handler in handlers:
                if handler not in root.handlers:
                    root.addHandler(handler)
            root.setLevel(level)
            redacting_filter.secrets = known_secrets
