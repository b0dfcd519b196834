"""The settings dialog driven like a user would: profiles, keys, and the connection test against
the project's test server on the real qasync loop."""

from __future__ import annotations

import asyncio
import gc
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QMessageBox, QWidget

from tests.conftest import LoopRunner, until
from tests.fakes import MemoryKeyring
from tests.ports import closed_port
from tests.testserver import ChatScript, HttpError, OpenAITestServer, StallBeforeHeaders
from zlay_desktop.core.connection_test import ConnectionTestTimeouts
from zlay_desktop.core.local_servers import LocalServer
from zlay_desktop.core.secrets import (
    ApiKeys,
    EnvironmentKey,
    KeyringSecretStore,
    SessionSecretStore,
)
from zlay_desktop.core.settings import (
    PRESETS,
    Settings,
    SettingsError,
    SettingsFile,
    proxy_secret_id,
)
from zlay_desktop.core.targets import Overrides, resolve_target
from zlay_desktop.ui.settings import SettingsDialog

pytest_plugins = ["tests.secret_service"]

KEY = "sk-test-dialog-0123456789abcdefKEY"
FAST = ConnectionTestTimeouts(connect_s=2.0, read_s=5.0)


class Harness:
    def __init__(self, tmp_path: Path, qtbot: Any, store: Any = None, **kwargs: Any) -> None:
        self.file = SettingsFile(tmp_path / "config" / "settings.json")
        self.store = store if store is not None else MemoryKeyring()
        self.session = SessionSecretStore()
        self.qtbot = qtbot
        self.saved: list[Settings] = []
        # Stands in for the main window: closing the dialog must not close the last window,
        # which would make Qt quit and stop the qasync loop under a running scenario.
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.window.show()
        self.dialog = self.open(Settings(), **kwargs)

    def open(
        self, settings: Settings, environment: EnvironmentKey | None = None, **kwargs: Any
    ) -> SettingsDialog:
        kwargs.setdefault("timeouts", FAST)
        kwargs.setdefault("local_servers", ())  # no probing of this machine's real ports
        keys = ApiKeys(self.store, self.session, environment or EnvironmentKey({}))
        dialog = SettingsDialog(settings, self.file, keys, parent=self.window, **kwargs)
        dialog.settings_saved.connect(self.saved.append)
        dialog.open()
        self.dialog = dialog
        return dialog

    def type_into(self, edit: QLineEdit, text: str) -> None:
        edit.clear()
        self.qtbot.keyClicks(edit, text)

    def configure(self, base_url: str, key: str = KEY, model: str = "test-model") -> None:
        d = self.dialog
        d.add_profile("Custom")
        self.type_into(d.form.name_edit, "Test server")
        self.type_into(d.form.base_url_edit, base_url)
        d.form.model_combo.setEditText(model)
        self.type_into(d.form.api_key_edit, key)

    async def run_connection_test(self) -> list[str]:
        """Clicks Test connection and waits for the verdict; returns the lines on screen."""
        finished = next_emission(self.dialog.tester.finished)
        self.dialog.tester.test_button.click()
        await finished
        await settle()
        lines = self.dialog.test_result_lines()
        assert all(KEY not in line for line in lines)
        return lines


@pytest.fixture
def server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer(api_key=KEY, models=("test-model", "other-model")) as srv:
        yield srv


@pytest.fixture
def harness(tmp_path: Path, qtbot: Any, qloop: LoopRunner) -> Harness:
    return Harness(tmp_path, qtbot)


async def settle() -> None:
    """Lets the HTTP client's abandoned generators be closed while the loop runs: once the
    scenario ends, Qt events processed in teardown would run their closing outside it."""
    gc.collect()
    mine = asyncio.current_task()
    await until(lambda: asyncio.all_tasks() <= {mine}, what="the loop's other tasks to end")


def next_emission(signal: Any) -> asyncio.Future[object]:
    """A future resolved by the signal's next emission (awaitable inside a scenario)."""
    future: asyncio.Future[object] = asyncio.get_running_loop().create_future()

    def emitted(*values: object) -> None:
        if not future.done():
            future.set_result(values[0] if values else None)

    signal.connect(emitted)
    future.add_done_callback(lambda _: signal.disconnect(emitted))
    return future


def test_connection_test_passes_every_stage(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url)
    lines = qloop.run(harness.run_connection_test())
    assert [line.split(" — ")[0] for line in lines] == [
        "✓ Server reachable",
        "✓ API key accepted",
        "✓ Model exists",
        "✓ Completion works",
        "✓ Streaming works",
    ]
    assert lines[1].endswith("the API key was accepted")
    assert " ms — " in lines[0]  # each stage shows its own time
    assert "first chunk after" in lines[4]
    assert harness.dialog.tester.test_status.text() == "✓ All checks passed."
    assert harness.dialog.tester.test_button.isEnabled()


@pytest.mark.parametrize(
    ("breakage", "failed_line"),
    [
        ("wrong port", "✗ Server reachable — {ms} — nothing is listening at 127.0.0.1:{port}"),
        (
            "wrong path",
            "✗ Server reachable — {ms} — this URL does not look like an OpenAI-compatible "
            "API: check the path, it usually ends in /v1",
        ),
        ("wrong key", "✗ API key accepted — {ms} — the API key was rejected (HTTP 401): "),
        (
            "unknown model",
            "✗ Model exists — {ms} — the model 'no-such-model' does not exist on this server; "
            "it offers: other-model, test-model",
        ),
        (
            "HTML 502",
            "✗ Completion works — {ms} — this URL answered with a web page, not an API (HTTP 502)",
        ),
        (
            "slow server",
            "✗ Completion works — {ms} — the server at 127.0.0.1:{server_port} accepted the "
            "connection but did not answer within 0.3 s",
        ),
    ],
)
def test_each_broken_stage_is_named_in_plain_words(
    tmp_path: Path,
    qtbot: Any,
    qloop: LoopRunner,
    server: OpenAITestServer,
    breakage: str,
    failed_line: str,
) -> None:
    timeouts = (
        ConnectionTestTimeouts(connect_s=2.0, read_s=0.3) if breakage == "slow server" else FAST
    )
    harness = Harness(tmp_path, qtbot, timeouts=timeouts)
    port = closed_port()
    base_url, key, model = server.base_url, KEY, "test-model"
    if breakage == "wrong port":
        base_url = f"http://127.0.0.1:{port}/v1"
    elif breakage == "wrong path":
        base_url = server.root_url
    elif breakage == "wrong key":
        key = "sk-wrong-0000000000000000"
    elif breakage == "unknown model":
        model = "no-such-model"
    elif breakage == "HTML 502":
        server.enqueue(HttpError(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"))
    elif breakage == "slow server":
        server.enqueue(StallBeforeHeaders())
    harness.configure(base_url, key=key, model=model)

    lines = qloop.run(harness.run_connection_test())

    failed = [line for line in lines if line.startswith("✗")]
    assert len(failed) == 1, lines
    prefix, _, rest = failed_line.partition("{ms}")
    expected_rest = rest.format(port=port, server_port=server.port)
    stage_part, ms_part, message_part = failed[0].split(" — ", 2)
    assert f"{stage_part} — " == prefix
    assert ms_part.endswith(("ms", " s"))
    assert f" — {message_part}".startswith(expected_rest)
    assert harness.dialog.tester.test_status.text().startswith("✗ ")
    assert key not in " ".join(lines)
    # Nothing after the failure passes: later stages are shown as not run.
    after = lines[lines.index(failed[0]) + 1 :]
    assert all(line.startswith("–") for line in after)


def test_the_test_can_be_cancelled(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.dialog.timeouts = ConnectionTestTimeouts(connect_s=2.0, read_s=30.0)
    server.enqueue(StallBeforeHeaders())
    harness.configure(server.base_url)

    async def scenario() -> object:
        stopped = next_emission(harness.dialog.tester.stopped)
        harness.dialog.tester.test_button.click()
        await until(lambda: len(server.requests) >= 2, what="the completion request")
        assert harness.dialog.tester.cancel_test_button.isEnabled()
        harness.dialog.tester.cancel_test_button.click()
        return await stopped

    assert qloop.run(scenario()) is None  # ended without a verdict
    assert harness.dialog.tester.test_status.text() == "Test cancelled."
    assert server.wait_for_disconnect(timeout=5.0)  # the stalled request was dropped
    assert harness.dialog.tester.test_button.isEnabled()


def test_closing_the_dialog_cancels_a_running_test(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.dialog.timeouts = ConnectionTestTimeouts(connect_s=2.0, read_s=30.0)
    server.enqueue(StallBeforeHeaders())
    harness.configure(server.base_url)

    async def scenario() -> None:
        harness.dialog.tester.test_button.click()
        task = harness.dialog.connection_test_task
        assert task is not None
        await until(lambda: len(server.requests) >= 2, what="the completion request")
        harness.dialog.reject()  # unsaved changes: asks first
        assert not task.done()
        discard_question(harness.dialog).button(QMessageBox.StandardButton.Discard).click()
        await asyncio.wait({task}, timeout=5.0)
        assert task.cancelled()

    qloop.run(scenario())
    assert server.wait_for_disconnect(timeout=5.0)


def test_ok_stores_the_key_in_the_keyring_and_the_rest_in_the_file(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url)
    harness.type_into(harness.dialog.form.temperature_edit, "0.5")
    harness.type_into(harness.dialog.form.proxy_edit, "http://alice:proxy-pw@127.0.0.1:3128")
    harness.dialog.button_box.accepted.emit()

    assert harness.dialog.result() == QDialog.DialogCode.Accepted
    [saved] = harness.saved
    [profile] = saved.profiles
    assert (profile.name, profile.base_url, profile.model, profile.temperature) == (
        "Test server",
        server.base_url,
        "test-model",
        0.5,
    )
    assert profile.proxy == "http://alice@127.0.0.1:3128"
    assert saved.active_profile_id == profile.id
    assert harness.store.get(profile.id) == KEY
    assert harness.store.get(proxy_secret_id(profile.id)) == "proxy-pw"
    text = harness.file.path.read_text(encoding="utf-8")
    assert KEY not in text and "proxy-pw" not in text
    assert harness.file.load().settings == saved


def test_deleting_a_profile_deletes_its_keyring_entry(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url)
    harness.dialog.button_box.accepted.emit()
    [saved] = harness.saved
    profile_id = saved.profiles[0].id
    assert harness.store.get(profile_id) == KEY

    dialog = harness.open(saved)
    assert dialog.form.api_key_edit.text() == KEY  # shown masked
    assert dialog.form.api_key_edit.echoMode() is QLineEdit.EchoMode.Password
    assert dialog.form.key_source_label.text() == "Stored in the test keyring."
    dialog.delete_profile()
    assert dialog.profile_list.count() == 0
    assert harness.store.get(profile_id) == KEY  # nothing happens before OK
    dialog.button_box.accepted.emit()

    assert harness.store.get(profile_id) is None
    assert harness.saved[-1].profiles == ()
    assert harness.file.load().settings.profiles == ()


def test_invalid_fields_are_shown_inline_and_nothing_is_saved(
    harness: Harness, qloop: LoopRunner
) -> None:
    d = harness.dialog
    d.add_profile("Custom")
    harness.type_into(d.form.base_url_edit, "localhost:11434")
    harness.type_into(d.form.temperature_edit, "5")
    harness.type_into(d.form.max_tokens_edit, "many")
    harness.type_into(d.form.api_key_edit, KEY)
    d.button_box.accepted.emit()

    assert d.result() != QDialog.DialogCode.Accepted
    errors = d.field_errors()
    assert errors["base_url"] == "The base URL must start with http:// or https://."
    assert errors["temperature"] == "Temperature must be between 0 and 2, or empty."
    assert errors["max_tokens"] == "Max tokens must be a positive whole number, or empty."
    assert d.save_error_label.text() == "Some fields need fixing (marked in red)."
    assert not harness.file.path.exists()
    assert harness.store.entries == {}
    assert harness.saved == []


def test_the_key_field_is_masked_with_a_reveal_toggle(harness: Harness, qloop: LoopRunner) -> None:
    d = harness.dialog
    d.add_profile("OpenAI")
    harness.type_into(d.form.api_key_edit, KEY)
    assert d.form.api_key_edit.accessibleName() == "API key"
    assert d.form.api_key_edit.echoMode() is QLineEdit.EchoMode.Password
    assert d.form.api_key_edit.displayText() != KEY
    d.form.reveal_key_button.click()
    assert d.form.api_key_edit.echoMode() is QLineEdit.EchoMode.Normal
    assert d.form.reveal_key_button.accessibleName() == "Hide API key"
    d.form.reveal_key_button.click()
    assert d.form.api_key_edit.echoMode() is QLineEdit.EchoMode.Password
    assert d.form.key_source_label.text() == "Will be stored in the test keyring when you press OK."


def test_presets_fill_the_base_url_and_local_ones_need_no_key(
    harness: Harness, qloop: LoopRunner
) -> None:
    d = harness.dialog
    d.add_profile("Ollama")
    assert d.form.base_url_edit.text() == "http://localhost:11434/v1"
    assert not d.form.needs_key_check.isChecked()
    assert d.form.key_source_label.text() == "This server needs no key."
    d.add_profile("Groq")
    assert d.form.base_url_edit.text() == "https://api.groq.com/openai/v1"
    assert d.form.needs_key_check.isChecked()
    assert [d.profile_list.item(i).text() for i in range(d.profile_list.count())] == [
        "Ollama",
        "Groq",
    ]
    d.duplicate_profile()
    assert d.form.name_edit.text() == "Groq copy"


def test_the_environment_key_is_shown_as_a_read_only_source(
    tmp_path: Path, qtbot: Any, qloop: LoopRunner
) -> None:
    harness = Harness(
        tmp_path, qtbot, environment=EnvironmentKey({"OPENAI_API_KEY": "sk-env-123456789"})
    )
    d = harness.dialog
    d.add_profile("OpenAI")
    assert d.form.api_key_edit.text() == ""
    assert d.form.key_source_label.text().startswith(
        "Using OPENAI_API_KEY from the environment (read-only)."
    )
    d.form.kind_combo.setCurrentIndex(d.form.kind_combo.findData("openai-compatible"))
    assert d.form.key_source_label.text() == "No key set."  # only OpenAI profiles get that key
    d.form.kind_combo.setCurrentIndex(d.form.kind_combo.findData("openai"))
    d.button_box.accepted.emit()
    assert harness.store.entries == {}  # an environment key is never copied to the keyring
    d = harness.open(harness.saved[0], environment=EnvironmentKey({}))
    d.add_profile("Mistral")  # not an OpenAI profile: the OpenAI key is not offered to it
    assert d.form.key_source_label.text() == "No key set."


def test_models_are_loaded_in_the_background_and_searchable(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url, model="")

    async def scenario() -> object:
        loaded = next_emission(harness.dialog.form.models_loaded)
        harness.dialog.form.load_models_button.click()
        assert harness.dialog.form.models_status.text() == "Loading models…"
        return await loaded

    assert qloop.run(scenario()) == ["other-model", "test-model"]
    combo = harness.dialog.form.model_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["other-model", "test-model"]
    assert harness.dialog.form.models_status.text() == "2 models available: type to search."
    completer = combo.completer()
    assert completer is not None
    completer.setCompletionPrefix("model")  # matches anywhere in the name
    assert completer.completionCount() == 2
    combo.setEditText("a-model-typed-by-hand")  # free text is always allowed
    harness.dialog.button_box.accepted.emit()
    assert harness.saved[0].profiles[0].model == "a-model-typed-by-hand"


def test_loading_models_can_be_cancelled(harness: Harness, qloop: LoopRunner) -> None:
    # A socket that accepts connections and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        harness.dialog.timeouts = ConnectionTestTimeouts(connect_s=2.0, read_s=30.0)
        harness.configure(f"http://127.0.0.1:{port}/v1")

        async def scenario() -> object:
            not_loaded = next_emission(harness.dialog.form.models_not_loaded)
            harness.dialog.form.load_models_button.click()
            assert harness.dialog.form.cancel_models_button.isVisibleTo(harness.dialog.form)
            harness.dialog.form.cancel_models_button.click()
            return await not_loaded

        assert qloop.run(scenario()) is None
    assert harness.dialog.form.models_status.text() == "Loading models was cancelled."
    assert not harness.dialog.form.cancel_models_button.isVisibleTo(harness.dialog.form)


def test_without_a_keyring_the_dialog_explains_and_offers_a_session_key(
    tmp_path: Path, qtbot: Any, qloop: LoopRunner, keyring_without_backend: Any
) -> None:
    harness = Harness(tmp_path, qtbot, store=KeyringSecretStore())
    d = harness.dialog
    assert d.form.keyring_problem_label.isVisibleTo(d.form)
    shown = d.form.keyring_problem_label.text()
    assert "No system keyring is available" in shown
    assert "GNOME Keyring" in shown  # how to fix it, on this OS
    assert d.form.session_only_check.text() == "Use this key for this session only"

    d.add_profile("OpenAI")
    harness.type_into(d.form.api_key_edit, KEY)
    d.button_box.accepted.emit()
    assert d.result() != QDialog.DialogCode.Accepted
    assert "the system keyring is unavailable" in d.field_errors()["api_key"]
    assert not harness.file.path.exists()  # nothing saved half-way

    d.form.session_only_check.click()
    assert d.form.key_source_label.text() == "Kept for this session only (in memory, not stored)."
    d.button_box.accepted.emit()
    assert d.result() == QDialog.DialogCode.Accepted
    profile_id = harness.saved[0].profiles[0].id
    assert harness.session.get(profile_id) == KEY
    assert KEY not in harness.file.path.read_text(encoding="utf-8")


def test_keys_reach_the_real_secret_service(
    tmp_path: Path,
    qtbot: Any,
    qloop: LoopRunner,
    server: OpenAITestServer,
    keyring_on_secret_service: Any,
) -> None:
    store = KeyringSecretStore(service="zlay-desktop-dialog-test")
    harness = Harness(tmp_path, qtbot, store=store)
    assert not harness.dialog.form.keyring_problem_label.isVisibleTo(harness.dialog.form)
    harness.configure(server.base_url)
    harness.dialog.button_box.accepted.emit()
    profile_id = harness.saved[0].profiles[0].id
    assert store.get(profile_id) == KEY

    d = harness.open(harness.saved[0])
    assert d.form.key_source_label.text() == "Stored in the system keyring (Secret Service)."
    d.delete_profile()
    d.button_box.accepted.emit()
    assert store.get(profile_id) is None


def test_a_queued_reply_does_not_confuse_the_model_stage(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(ChatScript.text("OK"), ChatScript.text("OK"))
    harness.configure(server.base_url, model="alias-model")
    lines = qloop.run(harness.run_connection_test())
    assert "not in the server's model list" in lines[2]
    assert lines[2].startswith("✓ Model exists")


@pytest.fixture
def keyless_server() -> Iterator[OpenAITestServer]:
    """A local server that asks for no API key (as Ollama or LM Studio)."""
    with OpenAITestServer(models=("test-model",)) as srv:
        yield srv


def test_without_a_keyring_the_test_says_send_would_fail_and_offers_to_untick(
    tmp_path: Path,
    qtbot: Any,
    qloop: LoopRunner,
    keyless_server: OpenAITestServer,
    keyring_without_backend: Any,
) -> None:
    harness = Harness(tmp_path, qtbot, store=KeyringSecretStore())
    d = harness.dialog
    harness.configure(keyless_server.base_url, key="")  # Custom ticks "needs an API key"
    assert d.form.needs_key_check.isChecked()

    lines = qloop.run(harness.run_connection_test())

    # Said first, in Send's own words: the key cannot be found where Send looks.
    assert lines[0].startswith("✗ API key available — The API key for “Test server” could not")
    assert "No system keyring is available" in lines[0]
    assert d.tester.test_status.text().startswith(
        "✗ The server did not ask for an API key, but this profile needs one"
    )
    assert d.tester.no_key_button.isVisibleTo(d.tester)

    d.tester.no_key_button.click()
    assert not d.form.needs_key_check.isChecked()
    assert d.form.key_source_label.text() == "This server needs no key."
    lines = qloop.run(harness.run_connection_test())
    assert all(line.startswith("✓") for line in lines), lines
    assert d.tester.test_status.text() == "✓ All checks passed."

    d.button_box.accepted.emit()
    [profile] = harness.saved[0].profiles
    assert not profile.needs_key
    # Send resolves the key the same way, and now has a target.
    keys = ApiKeys(KeyringSecretStore(), SessionSecretStore(), EnvironmentKey({}))
    resolution = resolve_target(harness.saved[0], profile, keys.lookup(profile), Overrides())
    assert resolution.problem is None and resolution.target is not None


def test_a_typed_key_is_tested_as_send_will_use_it(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url, key="")
    lines = qloop.run(harness.run_connection_test())
    assert lines[0] == (
        "✗ API key available — No API key is set for “Test server”: add one in Settings (Ctrl+,)."
    )
    assert "Send would fail" in harness.dialog.tester.test_status.text()
    assert not harness.dialog.tester.no_key_button.isVisibleTo(harness.dialog.tester)

    harness.type_into(harness.dialog.form.api_key_edit, KEY)
    lines = qloop.run(harness.run_connection_test())
    assert lines[0].startswith("✓ Server reachable")
    assert harness.dialog.tester.test_status.text() == "✓ All checks passed."


def test_without_a_keyring_a_cleared_key_does_not_block_saving(
    tmp_path: Path, qtbot: Any, qloop: LoopRunner, keyring_without_backend: Any
) -> None:
    harness = Harness(tmp_path, qtbot, store=KeyringSecretStore())
    d = harness.dialog
    harness.configure("http://127.0.0.1:9/v1")
    d.button_box.accepted.emit()
    assert d.save_error_label.text() == "The API key could not be stored."  # correctly refused

    d.form.api_key_edit.clear()
    d.form.needs_key_check.click()
    d.button_box.accepted.emit()

    assert d.result() == QDialog.DialogCode.Accepted
    [profile] = harness.file.load().settings.profiles
    assert (profile.name, profile.needs_key) == ("Test server", False)
    assert harness.session.get(profile.id) is None


def discard_question(dialog: SettingsDialog) -> QMessageBox:
    box = dialog.discard_question
    assert box is not None and box.isVisible()
    return box


def test_cancel_with_unsaved_changes_asks_first(
    harness: Harness, qtbot: Any, qloop: LoopRunner
) -> None:
    d = harness.dialog
    d.add_profile("Ollama")
    d.button_box.button(QDialogButtonBox.StandardButton.Cancel).click()

    box = discard_question(d)
    assert box.text() == "Your changes to the settings are not saved. Discard them?"
    assert not box.isModal() or box.windowModality() is not Qt.WindowModality.ApplicationModal
    box.button(QMessageBox.StandardButton.Cancel).click()  # keep editing
    qtbot.waitUntil(lambda: not box.isVisible())
    assert d.isVisible() and d.form.base_url_edit.text() == "http://localhost:11434/v1"

    d.close()  # the window's close button asks too
    assert d.isVisible()
    discard_question(d).button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not d.isVisible())
    assert d.result() == QDialog.DialogCode.Rejected
    assert harness.saved == [] and not harness.file.path.exists()


def test_cancel_without_changes_closes_at_once(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url)
    harness.dialog.button_box.accepted.emit()
    d = harness.open(harness.saved[0])
    d.profile_list.setCurrentRow(0)
    d.button_box.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not d.isVisible()
    assert d.discard_question is None


def test_first_run_offers_the_presets_and_no_form_without_a_profile(
    harness: Harness, qloop: LoopRunner
) -> None:
    d = harness.dialog
    assert not d.form.isVisibleTo(d)  # nothing to type into before a profile exists
    assert d.first_run.isVisibleTo(d)
    assert [b.text() for b in d.first_run.preset_buttons] == [p.name for p in PRESETS]

    next(b for b in d.first_run.preset_buttons if b.text() == "Ollama").click()

    assert d.form.isVisibleTo(d) and not d.first_run.isVisibleTo(d)
    assert d.form.base_url_edit.text() == "http://localhost:11434/v1"
    d.button_box.accepted.emit()
    assert [p.name for p in harness.file.load().settings.profiles] == ["Ollama"]

    d = harness.open(harness.saved[0])
    d.delete_profile()  # the last one: the first-run page again
    assert d.first_run.isVisibleTo(d) and not d.form.isVisibleTo(d)


def test_first_run_finds_a_local_server_and_sets_it_up(
    tmp_path: Path, qtbot: Any, qloop: LoopRunner, keyless_server: OpenAITestServer
) -> None:
    servers = (LocalServer("Ollama", closed_port()), LocalServer("LM Studio", keyless_server.port))

    async def scenario() -> Harness:
        # Opened on the running loop: the search starts as the dialog opens.
        harness = Harness(tmp_path, qtbot, local_servers=servers)
        await until(lambda: bool(harness.dialog.first_run.server_buttons), what="a found server")
        return harness

    harness = qloop.run(scenario())
    d = harness.dialog
    assert d.first_run.detect_status.text() == "Found running on this computer:"
    [button] = d.first_run.server_buttons
    assert button.text() == f"LM Studio at 127.0.0.1:{keyless_server.port}"

    button.click()

    assert d.form.name_edit.text() == "LM Studio"
    assert d.form.base_url_edit.text() == keyless_server.base_url
    assert d.form.model_combo.currentText() == "test-model"  # what the server listed
    assert not d.form.needs_key_check.isChecked()
    d.button_box.accepted.emit()
    [profile] = harness.file.load().settings.profiles
    assert (profile.base_url, profile.model) == (keyless_server.base_url, "test-model")


class FullDiskSettingsFile(SettingsFile):
    """The settings file on a disk that has just filled up."""

    def save(self, settings: Settings) -> None:
        raise SettingsError("The disk is full: settings were not saved.")


def test_a_deleted_profiles_key_stays_while_the_settings_file_cannot_be_saved(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner, tmp_path: Path
) -> None:
    harness.configure(server.base_url)
    harness.dialog.button_box.accepted.emit()
    [saved] = harness.saved
    profile_id = saved.profiles[0].id

    harness.file = FullDiskSettingsFile(harness.file.path)
    dialog = harness.open(saved)
    dialog.delete_profile()
    dialog.button_box.accepted.emit()
    assert "disk is full" in dialog.save_error_label.text()
    # The file still lists the profile: its key must still be there for it.
    assert harness.store.get(profile_id) == KEY


def test_switching_to_session_only_never_deletes_a_key_that_could_not_be_read(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url)
    harness.dialog.button_box.accepted.emit()
    [saved] = harness.saved
    profile_id = saved.profiles[0].id
    stored = harness.store

    harness.store = locked = MemoryKeyring(stored.entries)
    locked.locked = True  # locked while Settings opens
    dialog = harness.open(saved)
    assert dialog.form.api_key_edit.text() == ""  # could not be read
    dialog.form.session_only_check.setChecked(True)
    locked.locked = False  # unlocked by the time OK is pressed
    dialog.button_box.accepted.emit()
    assert harness.store.get(profile_id) == KEY


def test_changing_the_server_clears_what_was_learnt_about_the_old_one(
    harness: Harness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    harness.configure(server.base_url)
    assert qloop.run(harness.run_connection_test())

    async def load_models() -> object:
        loaded = next_emission(harness.dialog.form.models_loaded)
        harness.dialog.form.load_models_button.click()
        return await loaded

    qloop.run(load_models())
    form, tester = harness.dialog.form, harness.dialog.tester
    assert form.models_status.text().endswith("models available: type to search.")
    harness.type_into(form.temperature_edit, "0.3")  # not about the server: all stays
    assert tester.result_lines() and form.models_status.text()

    harness.type_into(form.base_url_edit, "http://127.0.0.1:9/v1")
    assert tester.result_lines() == [] and tester.test_status.text() == ""
    assert form.models_status.text() == ""


def test_a_field_error_goes_when_the_field_is_edited(harness: Harness) -> None:
    harness.dialog.add_profile("Custom")
    harness.type_into(harness.dialog.form.base_url_edit, "not a url")
    harness.dialog.button_box.accepted.emit()
    assert "base_url" in harness.dialog.field_errors()
    harness.type_into(harness.dialog.form.base_url_edit, "http://127.0.0.1:8000/v1")
    assert harness.dialog.field_errors() == {}
