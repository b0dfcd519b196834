"""The main window paints before the rest of the app is imported, then is filled in."""

from __future__ import annotations

import asyncio
import linecache
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.conftest import AppFactory, LoopRunner
from tests.fresh_process import output_of
from zlay_desktop.app import Application
from zlay_desktop.core.models import Message, Role
from zlay_desktop.ui.main_window import MainWindow
from zlay_desktop.ui.startup import FramePart, show_window_frame, warm_up_imports
from zlay_desktop.ui.transcript import TranscriptView

# What the first paint must not wait for: each costs tens of milliseconds or more.
HEAVY_MODULES = ("asyncio", "qasync", "openai", "keyring", "sqlite3", "markdown_it", "pygments")


def test_the_frame_paints_before_the_heavy_modules_are_imported() -> None:
    # As the launcher starts: its module and the app's are imported before the frame shows.
    script = (
        "import sys\n"
        "import zlay_desktop.__main__, zlay_desktop.app\n"
        "from zlay_desktop.ui.startup import show_window_frame\n"
        "parts = []\n"
        "window = show_window_frame(painted=parts.append)\n"
        "print('visible' if window.isVisible() else 'hidden', parts)\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    assert output_of(script) == ["visible ['shell', 'frame']", "[]"]


def test_a_launch_paints_first_and_builds_the_window_without_the_sdk(
    tmp_path: Path,
) -> None:
    # As a desktop menu starts the app (no arguments, fresh folders): the first paint does
    # not wait for the About dialog's module, and nothing the GUI thread builds for the
    # window imports the SDK (~0.5 s frozen right after the window appeared). The check
    # covers the window's construction up to its first paint only: `started` comes before
    # the loop runs, so what runs after that paint (the warm-up, which does import the SDK
    # off the GUI thread; test_the_warm_up_imports_the_sdk_…) has not begun yet.
    script = (
        "import os, sys, threading\n"
        "from importlib.abc import MetaPathFinder\n"
        "importers = []\n"
        "class Watch(MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'openai':\n"
        "            importers.append(threading.current_thread().name)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Watch())\n"
        "from zlay_desktop.app import parse_args, run\n"
        "def painted(part):\n"
        "    if part == 'shell':\n"
        "        print('at first paint:', 'zlay_desktop.ui.about_dialog' in sys.modules)\n"
        "def started(app):\n"
        "    print('SDK imported by:', importers)\n"
        "    sys.stdout.flush()\n"
        "    os._exit(0)\n"
        "run(parse_args([]), painted=painted, started=started)\n"
    )
    homes = ("CONFIG", "DATA", "STATE", "CACHE")
    env = {f"XDG_{n}_HOME": str(tmp_path / n.lower()) for n in homes}
    assert output_of(script, env) == ["at first paint: False", "SDK imported by: []"]


def test_the_first_app_claims_its_data_folder_without_loading_qtnetwork(tmp_path: Path) -> None:
    # The launch that finds no app running takes the lock and shows its window; the
    # socket (QtNetwork, ~10 ms) waits until the window is up. A second launch hands over.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from zlay_desktop.ui.single_instance import LaunchRequest, claim_instance, instance_name\n"
        "app = QApplication([])\n"
        f"name = instance_name(Path({str(tmp_path)!r}))\n"
        "lock = claim_instance(name, LaunchRequest('focus'))\n"
        "print(lock is not None and lock.isLocked(), 'PySide6.QtNetwork' in sys.modules)\n"
    )
    assert output_of(script) == ["True False"]


def test_the_shell_paints_before_the_transcript_and_composer_are_imported() -> None:
    # The shell (menus, toolbar) is all the first paint waits for; the transcript and the
    # composer (their modules) come right after it.
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from zlay_desktop.ui.main_window import MainWindow\n"
        "app = QApplication([])\n"
        "window = MainWindow(body=False)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "late = ('zlay_desktop.ui.transcript', 'zlay_desktop.ui.composer',\n"
        "        'zlay_desktop.core.models', 'dataclasses')\n"
        "print(sorted(m for m in late if m in sys.modules))\n"
        "print([a.text() for a in window.menuBar().actions()])\n"
        "window.build_body()\n"
        "app.processEvents()\n"
        "print(window.composer.isVisible(), window.chat_view.isVisible())\n"
        "import PySide6.QtCore\n"
        "print('Qt namespace fetched:', 'Qt' in vars(PySide6.QtCore))\n"
    )
    assert output_of(script) == [
        "[]",
        "['&File', '&Chat', '&View', '&Help']",
        "True True",
        "Qt namespace fetched: False",  # its ~90 enums (~20 ms) wait for the controller
    ]


def _menu_entries(window: MainWindow, title: str) -> list[str]:
    for action in window.menuBar().actions():
        menu = action.menu()
        if action.text() == title and isinstance(menu, QMenu):
            return [entry.text() for entry in menu.actions() if not entry.isSeparator()]
    raise AssertionError(f"no {title} menu")


@pytest.fixture
def frame_then_app(make_app: AppFactory) -> tuple[MainWindow, Application]:
    frame = show_window_frame()
    assert frame.composer.isVisible() and frame.chat_view.isVisible()
    before = _menu_entries(frame, "&File")
    application = make_app(window=frame, base_url="http://127.0.0.1:9/v1")
    application.start()
    assert before == ["&New conversation", "&Settings…", "&Quit"]
    return frame, application


def test_the_app_fills_in_the_window_it_showed_first(
    frame_then_app: tuple[MainWindow, Application],
) -> None:
    frame, application = frame_then_app
    assert application.window is frame and frame.isVisible()
    assert not frame.new_action.shortcut().isEmpty()  # set once there is a controller
    entries = _menu_entries(frame, "&File")
    assert entries[0] == "&New conversation"
    assert entries[-2:] == ["&Settings…", "&Quit"]
    assert len(entries) == 6  # export as Markdown, as JSON, and import, in between
    assert frame.sidebar_slot.isVisible()  # the conversation list, from the history
    assert frame.search_action.isEnabled()


def test_the_warm_up_imports_the_sdk_then_forgets_the_source_lines_left_behind(
    qloop: LoopRunner,
) -> None:
    # PySide6 reads (and linecache keeps) the source of every module imported after it:
    # ~15 MB once the SDK is in. Kept lines go once the warm-up is done.
    linecache.getlines(__file__)
    assert __file__ in linecache.cache

    async def scenario() -> None:
        warmed_up = asyncio.get_running_loop().create_future()
        warm_up_imports(done=lambda: warmed_up.set_result(None))
        await warmed_up

    qloop.run(scenario(), timeout=90)
    assert "openai" in sys.modules
    assert __file__ not in linecache.cache


class NamedTranscript(TranscriptView):
    """A transcript a test can tell from the window's usual one."""


def test_the_window_shows_the_transcript_it_is_given(qtbot: QtBot) -> None:
    parts: list[FramePart] = []
    window = show_window_frame(transcript=NamedTranscript, painted=parts.append)
    qtbot.addWidget(window)
    window.allow_close()  # no app here to close it
    assert parts == ["shell", "frame"]
    assert isinstance(window.chat_view, NamedTranscript) and window.chat_view.isVisible()
    window.chat_view.add_message(0, Message(role=Role.USER, content="Shown in the given one"))
    window.chat_view.flush()
    assert "Shown in the given one" in window.chat_view.transcript_text()
