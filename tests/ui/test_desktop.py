"""A good desktop citizen: one running app per data folder (a second launch hands over its
request), `--ask`, the quick-ask window, the tray."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.conftest import AppFactory, LoopRunner, until
from tests.testserver import OpenAITestServer
from tests.testserver.server import last_user_text
from zlay_desktop.app import Application
from zlay_desktop.ui.single_instance import LaunchRequest, instance_name
from zlay_desktop.ui.tray import tray_available

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_TIMEOUT_S = 60.0


def launch(data_root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "zlay_desktop", "--data-dir", str(data_root), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition: object, what: str, timeout: float = LAUNCH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)  # (a process outside this one: polled, there is no signal to wait on)


@pytest.fixture
def running_app(tmp_path: Path, server: OpenAITestServer) -> Iterator[tuple[Path, str]]:
    """The real app in its own process, listening for later launches."""
    data_root = tmp_path / "portable"
    first = launch(data_root, "--base-url", server.base_url, "--model", "test-model")
    name = instance_name(data_root)
    socket_file = Path(tempfile.gettempdir()) / name
    try:
        wait_for(lambda: socket_file.exists() or first.poll() is not None, "the first app")
        assert first.poll() is None, "the first app ended on its own"
        yield data_root, name
    finally:
        first.terminate()
        first.wait(30)


def test_a_second_launch_hands_its_question_to_the_running_app_and_ends(
    running_app: tuple[Path, str], server: OpenAITestServer
) -> None:
    data_root, _name = running_app
    second = launch(data_root, "--ask", "hello from the second launch")
    assert second.wait(LAUNCH_TIMEOUT_S) == 0  # it ended: no second window
    wait_for(
        lambda: any(last_user_text(r) == "hello from the second launch" for r in server.requests),
        "the running app to ask the question",
    )


def test_a_launch_request_survives_the_wire_and_nonsense_is_refused() -> None:
    request = LaunchRequest("ask", "what is 2+2? ✓")
    assert LaunchRequest.decode(request.encode().rstrip(b"\n")) == request
    assert LaunchRequest.decode(b'{"action": "format-disk"}') is None
    assert LaunchRequest.decode(b"\xff not json") is None


@pytest.fixture
def app(make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer) -> Application:
    application = make_app(base_url=server.base_url, model="test-model")
    application.window.show()
    qtbot.waitExposed(application.window)
    return application


def test_the_quick_ask_window_streams_an_answer_that_opens_in_the_main_window(
    app: Application, qloop: LoopRunner, qtbot: QtBot
) -> None:
    quick = app.show_quick_ask()
    assert quick.isVisible()
    QTest.keyClicks(quick.composer, "a quick one")
    QTest.keyClick(quick.composer, Qt.Key.Key_Return)

    async def answered() -> None:
        await until(lambda: "You said: a quick one" in quick.answer_text, what="the answer")
        await until(lambda: not quick.controller.busy, what="the reply to end")

    qloop.run(answered())
    # A normal conversation: stored, listed, and opened in the main window on request.
    qtbot.waitUntil(lambda: app.sidebar.model.rowCount() == 1)
    QTest.keyClick(quick.composer, Qt.Key.Key_Escape)
    assert not quick.isVisible()
    quick.show_and_focus()
    quick.open_button.click()
    assert not quick.isVisible()
    qtbot.waitUntil(lambda: "You said: a quick one" in app.window.chat_view.transcript_text())


def test_a_long_word_in_a_quick_answer_is_copied_as_it_was_written(
    app: Application, qloop: LoopRunner
) -> None:
    token = "".join(f"{i % 10}" for i in range(1500))  # wrapped at break points on screen
    quick = app.show_quick_ask()
    QTest.keyClicks(quick.composer, f"token {token}")
    QTest.keyClick(quick.composer, Qt.Key.Key_Return)

    async def answered() -> None:
        await until(lambda: "You said: token" in quick.answer_text, what="the answer")
        await until(lambda: not quick.controller.busy, what="the reply to end")

    qloop.run(answered())
    assert quick.answer_text == f"You said: token {token}"
    quick.answer.setFocus()
    quick.answer.selectAll()
    QTest.keySequence(quick.answer, QKeySequence.StandardKey.Copy)
    assert QGuiApplication.clipboard().text() == f"You said: token {token}"


def test_ask_on_the_command_line_sends_the_question_once_the_app_has_started(
    make_app: AppFactory, qloop: LoopRunner, server: OpenAITestServer
) -> None:
    application = make_app(base_url=server.base_url, model="test-model", ask="from the shell")
    application.start()

    async def asked() -> None:
        await until(lambda: "You said: from the shell" in application.window.chat_view.transcript_text())

    qloop.run(asked())


def test_the_tray_offers_its_actions_where_the_desktop_has_a_tray(
    app: Application,
) -> None:
    if not tray_available():
        pytest.skip("this desktop has no system tray (the offscreen platform has none)")
    app.show_tray()
    assert app.tray is not None
    texts = [a.text() for a in app.tray.menu.actions() if a.text()]
    assert texts == ["New conversation", "Quick ask", "Show/Hide", "Quit"]


def test_two_launches_at_the_same_moment_leave_one_app(tmp_path: Path) -> None:
    data_root = tmp_path / "portable"
    both = [launch(data_root), launch(data_root)]
    try:
        wait_for(lambda: any(p.poll() is not None for p in both), "one launch to hand over")
        ended = [p for p in both if p.poll() is not None]
        assert [p.returncode for p in ended] == [0]
        running = [p for p in both if p.poll() is None]
        assert len(running) == 1, "two apps run on the same history"
    finally:
        for p in both:
            if p.poll() is None:
                p.terminate()
                p.wait(30)
