"""A whole session with a real Secret Service: configure a key in Settings, chat, stream,
fail, quit — then every file the app wrote is searched for the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from tests.conftest import AppFactory, LoopRunner, until
from tests.testserver import ChatScript, HttpError, OpenAITestServer, Text
from zlay_desktop.app import Application
from zlay_desktop.core.models import ReplyState
from zlay_desktop.ui.settings import SettingsDialog

KEY = "sk-zlay-leak-check-4f9c2a7b1e8d"


@pytest.fixture
def app(make_app: AppFactory, keyring_on_secret_service: Any) -> Application:
    return make_app()


def test_the_key_is_in_the_keyring_and_nowhere_else(
    app: Application, qloop: LoopRunner, tmp_path: Path
) -> None:
    with OpenAITestServer(api_key=KEY) as server:

        async def scenario() -> None:
            app.start()
            # First run: the window opens Settings by itself.
            await until(lambda: isinstance(app.settings_dialog, SettingsDialog), what="Settings")
            dialog = app.settings_dialog
            assert isinstance(dialog, SettingsDialog)
            dialog.add_profile("Custom")
            dialog.form.name_edit.setText("Local test server")
            dialog.form.base_url_edit.setText(server.base_url)
            dialog.form.model_combo.setEditText("test-model")
            dialog.form.api_key_edit.setText(KEY)
            dialog.button_box.accepted.emit()
            assert dialog.result() == QDialog.DialogCode.Accepted
            assert app.keyring_store.get(app.settings.profiles[0].id) == KEY

            # Chat, stream, then an error whose body quotes the key, then a rejected key.
            server.enqueue(ChatScript([Text("Streaming "), Text("works.")]))
            assert app.controller.send("hello")
            assert (await app.controller.task).state is ReplyState.FINISHED  # type: ignore[misc]
            server.enqueue(HttpError(400, json_error={"message": f"Invalid request made with key {KEY}"}))
            assert app.controller.send("break it")
            failed = await app.controller.task  # type: ignore[misc]
            assert failed.state is ReplyState.FAILED
            app.window.chat_view.flush()
            assert "Invalid request made with key" in app.window.chat_view.transcript_text()
            assert KEY not in app.window.chat_view.transcript_text()
            assert KEY not in app.window.reply_status.text()
            await app.shutdown()

        qloop.run(scenario())
        assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"

    written = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"settings.json", "history.sqlite3", "zlay-desktop.log"} <= names, names
    for path in written:
        data = path.read_bytes()
        assert KEY.encode() not in data, f"the key was written to {path}"
        assert KEY.encode("utf-16-le") not in data, f"the key was written to {path}"
