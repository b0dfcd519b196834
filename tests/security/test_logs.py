"""The log file: where the platform keeps logs, rotated, and never a key or an
Authorization header in it — whatever is logged, tracebacks included. And the About dialog's
"Copy diagnostics", which must never carry a secret either."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import AppFactory, LoopRunner, until
from tests.testserver import HttpError, OpenAITestServer
from zlay_desktop import APP_ID, APP_NAME
from zlay_desktop.app import Application
from zlay_desktop.core.models import ReplyState
from zlay_desktop.core.paths import AppPaths
from zlay_desktop.core.settings import ProviderProfile, Settings, SettingsFile
from zlay_desktop.ui.about_dialog import AboutDialog

KEY = "sk-proj-logcheck-7f3a9c2e51b84d06SECRET"  # looks like a key: caught by its shape
PLAIN = "plain-token-5c1e8a0b94d27f36"  # looks like nothing: caught because the app knows it
SESSION_KEY = "sess-token-for-this-run-8d2c47e1"
SECRETS = (KEY, PLAIN, SESSION_KEY)


# Each app here sets up its own log file; `make_app` leaves the root logger, the
# excepthook and the known secrets as it found them.


def start_app(make_app: AppFactory, **options: Any) -> Application:
    app = make_app(**options)
    app.install_excepthook()
    return app


def log_text(app: Application) -> str:
    files = sorted(app.paths.log_dir.glob("zlay-desktop.log*"))
    assert files, f"no log file in {app.paths.log_dir}"
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
        assert secret[8:24] not in text  # not even a recognisable part of it


def test_the_log_is_written_where_the_platform_keeps_logs(
    make_app: AppFactory, isolated_dirs: Path
) -> None:
    app = start_app(make_app, data_dir=None)
    try:
        expected = Path(platformdirs.user_log_dir(APP_ID, appauthor=False)) / "zlay-desktop.log"
        assert app.paths.log_file == expected == AppPaths.default().log_file
        if sys.platform.startswith("linux"):  # $XDG_STATE_HOME/zlay-desktop/log
            assert app.paths.log_file.is_relative_to(isolated_dirs / "xdg_state_home")
        logging.getLogger("zlay_desktop.test").info("a line to find")
    finally:
        make_app.close(app)
    text = app.paths.log_file.read_text(encoding="utf-8")
    assert f"starting {APP_NAME}" in text and "a line to find" in text


def test_keys_and_authorization_headers_never_reach_the_log(
    make_app: AppFactory, qloop: LoopRunner
) -> None:
    with OpenAITestServer() as server:
        app = start_app(make_app, base_url=server.base_url, model="test-model", api_key=PLAIN)
        log = logging.getLogger("zlay_desktop.test")
        try:
            # Plain records, with the secret in the message, in the arguments, in headers.
            log.info("configured key %s for %s", KEY, "OpenAI")
            log.info("environment key is " + PLAIN)
            log.warning("request headers: %s", {"Authorization": f"Bearer {KEY}", "X-Api-Key": PLAIN})
            log.info("curl -H 'Authorization: Bearer %s' -H 'api-key: %s'", PLAIN, KEY)
            # Tracebacks whose exception messages carry the secrets, chained and not.
            try:
                raise RuntimeError(f"request failed with api_key={KEY}")
            except RuntimeError:
                log.exception("first failure")
            try:
                try:
                    raise KeyError(PLAIN)
                except KeyError as inner:
                    raise ValueError(f"lookup failed, Authorization: Bearer {KEY}") from inner
            except ValueError as exc:
                log.error("second failure", exc_info=exc)
            # An unhandled exception goes through the app's excepthook to the log.
            try:
                raise ConnectionError(f"proxy said 407 for token {PLAIN}")
            except ConnectionError as exc:
                sys.excepthook(type(exc), exc, exc.__traceback__)
            # A failed reply whose error body quotes the request's credentials.
            server.enqueue(
                HttpError(500, json_error={"message": f"upstream saw Authorization: Bearer {PLAIN}"})
            )
            assert app.controller.send("hello")

            async def reply_ends() -> None:
                await until(lambda: not app.controller.busy, what="the reply to end")

            qloop.run(reply_ends())
            assert app.session.messages[-1].state is ReplyState.FAILED
            assert server.requests[-1].headers["authorization"] == f"Bearer {PLAIN}"
        finally:
            make_app.close(app)

    text = log_text(app)
    # Every record is there, with its secret replaced.
    for words in (
        "configured key", "environment key is", "request headers", "curl -H",
        "first failure", "request failed with api_key=", "second failure",
        "lookup failed", "unhandled exception", "proxy said 407", "reply failed",
    ):  # fmt: skip
        assert words in text, words
    assert "Traceback (most recent call last)" in text
    assert text.count("[redacted]") >= 10
    assert_no_secret(text)


def test_the_log_rotates_and_every_file_stays_redacted(make_app: AppFactory) -> None:
    app = start_app(make_app, api_key=PLAIN)
    log = logging.getLogger("zlay_desktop.test")
    filler = "x" * 1000
    try:
        for number in range(7_000):  # about 7 MB: more than three files' worth
            log.info("record %d with %s and %s %s", number, KEY, PLAIN, filler)
    finally:
        make_app.close(app)
    files = sorted(app.paths.log_dir.glob("zlay-desktop.log*"))
    assert [f.name for f in files] == [
        "zlay-desktop.log", "zlay-desktop.log.1", "zlay-desktop.log.2", "zlay-desktop.log.3",
    ]  # fmt: skip
    for path in files:
        assert path.stat().st_size <= 2_000_000 + 2_000  # the limit, give or take a record
    text = log_text(app)
    # A key-shaped secret keeps its first characters ("sk-proj"), to tell which key it was.
    assert "record 6999 with sk-proj[redacted] and [redacted]" in text
    assert_no_secret(text)


def test_copy_diagnostics_never_includes_a_secret(
    make_app: AppFactory,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Keys everywhere the app may find one: the environment, a session key for a profile,
    # a proxy user in the settings file.
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    data = tmp_path / "data"
    profile = ProviderProfile(
        id="p1",
        name="Work",
        kind="openai-compatible",
        base_url="http://127.0.0.1:9/v1",
        model="m",
        proxy="http://alice@127.0.0.1:3128",
    )
    SettingsFile(AppPaths.portable(data).settings_file).save(
        Settings(profiles=(profile,), active_profile_id=profile.id)
    )
    app = start_app(make_app, api_key=PLAIN, data_dir=data)
    try:
        app.session_keys.set(profile.id, SESSION_KEY)
        app.window.show()
        app.window.about_action.trigger()  # Help > About
        dialog = app.about_dialog
        assert isinstance(dialog, AboutDialog)
        qtbot.waitUntil(dialog.isVisible)
        QApplication.clipboard().setText("")
        with qtbot.waitSignal(dialog.diagnostics_copied, timeout=5000):
            qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        copied = QApplication.clipboard().text()
    finally:
        make_app.close(app)
    assert APP_NAME in copied and str(app.paths.log_dir) in copied  # it did copy something
    assert_no_secret(copied)
    for marker in ("sk-", "Bearer", "alice", "api_key", "OPENAI_API_KEY"):
        assert marker not in copied
