"""Bad input from every side: a huge paste, characters that are not text from the server or
the user, and settings values that make no sense."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.conftest import LoopRunner, until
from tests.harness import ChatHarness
from tests.testserver import ChatScript, Finish, OpenAITestServer, Raw, Step
from zlay_desktop.core.markdown_render import WRAP_POINT
from zlay_desktop.core.models import Message, ReplyState, Role
from zlay_desktop.core.secrets import ApiKeys, EnvironmentKey, SessionSecretStore
from zlay_desktop.core.settings import ProviderProfile, Settings, SettingsFile
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.ui.composer import LARGE_PASTE_CHARS, MAX_MESSAGE_CHARS
from zlay_desktop.ui.settings import SettingsDialog
from zlay_desktop.ui.transcript.rows import SHOWN_USER_CHARS

TEN_MB = 10_000_000


def reloaded(path: Path, chat: ChatHarness) -> list[Message]:
    """The conversation as a new start of the app reads it: a fresh connection to the file."""
    conversation = chat.session.conversation
    assert conversation is not None
    with SqliteHistoryStore.open(path, read_only=True) as again:
        return again.messages(conversation.id)


def the_loop_turns(qloop: LoopRunner) -> None:
    """The window still handles events: a Qt timer queued now fires on the next turn."""

    async def next_turn() -> None:
        fired = asyncio.get_running_loop().create_future()
        QTimer.singleShot(0, lambda: fired.set_result(None))
        await fired

    qloop.run(next_turn(), timeout=10)


# -- a 10 MB paste ------------------------------------------------------------------------------

LOG_LINE = "2026-01-01T00:00:00Z INFO worker-7 request handled in 12 ms (status 200, bytes 5120)\n"
PASTES = {
    "log-lines": (LOG_LINE * (TEN_MB // len(LOG_LINE) + 1))[:TEN_MB],
    # One line, no break opportunity: what Qt lays out slowest (40 s for 1 MB).
    "one-line-base64": ("QUJD" * (TEN_MB // 4))[:TEN_MB],
}


def paste(qtbot: Any, chat: ChatHarness, text: str) -> None:
    """Ctrl+V into the composer, from the system clipboard, like a user."""
    QApplication.clipboard().setText(text)
    chat.window.composer.setFocus()
    qtbot.keyClick(chat.window.composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("kind", list(PASTES))
def test_a_10_mb_paste_keeps_the_window_responsive_tells_the_size_and_can_be_sent(
    kind: str,
    chat: ChatHarness,
    server: OpenAITestServer,
    tmp_path: Path,
    qloop: LoopRunner,
    qtbot: Any,
) -> None:
    text = PASTES[kind]
    composer = chat.window.composer
    paste(qtbot, chat, text)
    the_loop_turns(qloop)

    # Told the size, offered Send and Remove; the box itself stays light and usable.
    assert composer.paste_bar.isVisible()
    assert "10.0 MB (10,000,000 characters)" in composer.paste_label.text()
    assert composer.paste_send_button.isVisible() and composer.paste_remove_button.isVisible()
    assert composer.box_text() == ""
    qtbot.keyClicks(composer, "What went wrong?")
    assert composer.toPlainText() == text + "\n\nWhat went wrong?"

    # Send (the bar's button) sends all of it, once.
    server.enqueue(ChatScript.text("Line 3 shows the failure."))
    qtbot.mouseClick(composer.paste_send_button, Qt.MouseButton.LeftButton)
    final = qloop.run(chat.finish(), timeout=60)
    the_loop_turns(qloop)
    assert final.state is ReplyState.FINISHED
    body = server.requests[-1].body
    assert body is not None
    assert body["messages"][-1]["content"] == text + "\n\nWhat went wrong?"
    assert not composer.paste_bar.isVisible() and composer.toPlainText() == ""

    # The transcript shows the start of it and says how much more there is.
    shown = chat.text()
    more = len(text) + len("\n\nWhat went wrong?") - SHOWN_USER_CHARS
    assert f"… and {more:,} more characters, not shown here" in shown
    assert text[:1000] in shown.replace(WRAP_POINT, "")
    assert "Line 3 shows the failure." in shown
    # Stored whole.
    stored = reloaded(tmp_path / "history.sqlite3", chat)
    assert stored[0].content == text + "\n\nWhat went wrong?"


def test_a_large_paste_can_be_removed_and_typing_goes_on(chat: ChatHarness, qtbot: Any) -> None:
    composer = chat.window.composer
    qtbot.keyClicks(composer, "Keep this. ")
    paste(qtbot, chat, PASTES["log-lines"][: LARGE_PASTE_CHARS * 3])
    assert composer.paste_bar.isVisible()
    assert composer.toPlainText().startswith(LOG_LINE)

    qtbot.mouseClick(composer.paste_remove_button, Qt.MouseButton.LeftButton)

    assert not composer.paste_bar.isVisible()
    assert composer.toPlainText() == "Keep this. "
    qtbot.keyClicks(composer, "And this.")
    assert composer.toPlainText() == "Keep this. And this."


def test_a_small_paste_goes_into_the_box_as_usual(chat: ChatHarness, qtbot: Any) -> None:
    composer = chat.window.composer
    paste(qtbot, chat, "a few lines\nof text")
    assert not composer.paste_bar.isVisible()
    assert composer.box_text() == "a few lines\nof text"


def test_a_paste_just_under_the_threshold_with_no_break_opportunity_goes_in_quickly(
    chat: ChatHarness, qloop: LoopRunner, qtbot: Any
) -> None:
    """90,000 characters without a space stay in the box (Qt would lay them out in time
    that grows with the square of the length, were the box to wrap only at words)."""
    text = "QUJD" * (LARGE_PASTE_CHARS // 4 - 2_500)
    composer = chat.window.composer
    paste(qtbot, chat, text)
    the_loop_turns(qloop)
    assert not composer.paste_bar.isVisible()
    assert composer.box_text() == text
    composer.clear()
    qtbot.keyClicks(composer, "short words wrap as usual")
    assert composer.toPlainText() == "short words wrap as usual"


def test_a_paste_beyond_the_limit_is_refused_with_its_size(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner, qtbot: Any
) -> None:
    composer = chat.window.composer
    paste(qtbot, chat, "x" * (MAX_MESSAGE_CHARS + 1))
    the_loop_turns(qloop)
    assert composer.paste_bar.isVisible()
    assert "too long to send" in composer.paste_label.text()
    assert f"{MAX_MESSAGE_CHARS + 1:,} characters" in composer.paste_label.text()
    assert not composer.paste_send_button.isVisible()
    assert composer.toPlainText() == ""  # nothing was added
    qtbot.mouseClick(composer.paste_remove_button, Qt.MouseButton.LeftButton)
    assert not composer.paste_bar.isVisible()
    assert server.requests == []


def test_editing_a_huge_message_holds_it_aside_again(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner, qtbot: Any
) -> None:
    """Edit puts the message back in the composer: a huge one comes back as a held paste,
    not as megabytes laid out in the box."""
    text = PASTES["log-lines"][: LARGE_PASTE_CHARS * 5]
    server.enqueue(ChatScript.text("Long indeed."))
    qloop.run(chat.send(text))

    async def edit() -> None:
        chat.view.action_requested.emit("edit", 0)  # the Edit link of the message
        await until(lambda: not chat.controller.busy, what="the edit")

    qloop.run(edit())
    composer = chat.window.composer
    assert composer.paste_bar.isVisible() and composer.box_text() == ""
    assert composer.toPlainText() == text


# -- characters that are not text ----------------------------------------------------------------

CONTROL = "bell\x07 esc\x1b[31mred\x1b[0m del\x7f c1\x85\x9b vt\x0b ff\x0c bs\x08 end"
NUL = "before\x00after"
SURROGATES = "high \ud800 low \udfff reversed \udc00\ud83d ok \U0001f600"


def sse(payload: dict[str, Any]) -> Raw:
    return Raw(b"data: " + json.dumps(payload).encode("ascii") + b"\n\n")


def content_chunk(text: str) -> Raw:
    return sse({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]})


INVALID_UTF8 = Raw(
    b'data: {"choices":[{"index":0,"delta":{"content":"bad \xff\xfe bytes \xc0\xaf and '
    b'\xed\xa0\x80 encoded surrogate"},"finish_reason":null}]}\n\n'
)


@pytest.mark.parametrize(
    ("name", "steps", "expected"),
    [
        ("control-characters", [content_chunk(CONTROL[:9]), content_chunk(CONTROL[9:])], CONTROL),
        ("nul", [content_chunk("before\x00"), content_chunk("after")], NUL),
        ("lone-surrogates", [content_chunk(SURROGATES)], SURROGATES),
        (
            "invalid-utf8",
            [INVALID_UTF8],
            "bad \ufffd\ufffd bytes \ufffd\ufffd and \ufffd\ufffd\ufffd encoded surrogate",
        ),
    ],
    ids=["control-characters", "nul", "lone-surrogates", "invalid-utf8"],
)
def test_text_that_is_not_quite_text_from_the_server_is_shown_stored_and_reloaded(
    name: str,
    steps: list[Step],
    expected: str,
    chat: ChatHarness,
    server: OpenAITestServer,
    tmp_path: Path,
    qloop: LoopRunner,
) -> None:
    server.enqueue(ChatScript([*steps, Finish("stop")]))
    final = qloop.run(chat.send("Show me odd characters"))
    assert final.state is ReplyState.FINISHED
    assert final.content == expected
    key = chat.view.message_keys()[-1]
    chat.view.flush()
    streamed = chat.view.answer_text(key)
    # Shown: the readable parts, the header and footer of the reply intact.
    for word in ("bell", "before", "after", "high", "bad", "bytes", "end"):
        if word in expected:
            assert word in streamed
    assert "\x00" not in chat.text()
    assert "Assistant · test-model" in chat.text()

    # Stored exactly, and shown the same when the conversation is opened again.
    stored = reloaded(tmp_path / "history.sqlite3", chat)
    assert [m.content for m in stored] == ["Show me odd characters", expected]
    conversation = chat.session.conversation
    assert conversation is not None
    chat.controller.open_conversation(conversation.id)
    assert chat.view.answer_text(chat.view.message_keys()[-1]) == streamed
    assert chat.session.messages[-1].content == expected

    # And the app goes on.
    assert qloop.run(chat.send("next")).state is ReplyState.FINISHED


@pytest.mark.parametrize("text", [CONTROL, NUL, SURROGATES], ids=["control", "nul", "surrogates"])
def test_the_users_own_odd_characters_are_sent_stored_and_reloaded_identically(
    text: str, chat: ChatHarness, server: OpenAITestServer, tmp_path: Path, qloop: LoopRunner
) -> None:
    server.enqueue(ChatScript.text("Noted."))
    final = qloop.run(chat.send(text))
    assert final.state is ReplyState.FINISHED
    shown_before = chat.text()
    assert "\x00" not in shown_before
    stored = reloaded(tmp_path / "history.sqlite3", chat)
    assert stored[0].role is Role.USER and stored[0].content == text
    conversation = chat.session.conversation
    assert conversation is not None
    chat.controller.open_conversation(conversation.id)
    assert chat.text() == shown_before
    # Sent as written, but for lone surrogates: UTF-8 cannot carry them, U+FFFD goes instead.
    body = server.requests[-1].body
    assert body is not None
    assert body["messages"][0]["content"] == text.encode("utf-16", "surrogatepass").decode(
        "utf-16", "replace"
    )


# -- settings that make no sense -------------------------------------------------------------


class MemoryKeyring:
    """The SecretStore protocol over a dict (no OS keyring needed)."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    def get(self, profile_id: str) -> str | None:
        return self.entries.get(profile_id)

    def set(self, profile_id: str, secret: str) -> None:
        self.entries[profile_id] = secret

    def delete(self, profile_id: str) -> None:
        self.entries.pop(profile_id, None)

    def describe(self) -> str:
        return "test keyring"


GOOD = ProviderProfile(
    id="good", name="Good", kind="openai-compatible", base_url="http://127.0.0.1:9/v1", model="m"
)
OTHER = ProviderProfile(
    id="other", name="Other", kind="openai-compatible", base_url="http://127.0.0.1:9/v1", model="m"
)

BASE_URL_SCHEME = "The base URL must start with http:// or https://."
MAX_TOKENS = "Max tokens must be a positive whole number, or empty."
TEMPERATURE_RANGE = "Temperature must be between 0 and 2, or empty."
TEMPERATURE_NUMBER = "Temperature must be a number from 0 to 2, or empty."

INVALID_VALUES = [
    ("base_url", "localhost:11434/v1", BASE_URL_SCHEME),
    ("base_url", "api.openai.com/v1", BASE_URL_SCHEME),
    ("base_url", "ftp://example.com/v1", BASE_URL_SCHEME),
    ("base_url", "", "Enter the server's base URL, e.g. http://localhost:11434/v1."),
    (
        "base_url",
        "http://host:99999/v1",
        "The port in the base URL is not a number between 0 and 65535.",
    ),
    ("max_tokens", "-5", MAX_TOKENS),
    ("max_tokens", "0", MAX_TOKENS),
    ("max_tokens", "1.5", MAX_TOKENS),
    ("max_tokens", "lots", MAX_TOKENS),
    ("temperature", "-0.1", TEMPERATURE_RANGE),
    ("temperature", "2.5", TEMPERATURE_RANGE),
    ("temperature", "nan", TEMPERATURE_RANGE),
    ("temperature", "hot", TEMPERATURE_NUMBER),
]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    INVALID_VALUES,
    ids=[f"{field}={value or 'empty'}" for field, value, _ in INVALID_VALUES],
)
def test_an_invalid_setting_is_explained_inline_and_nothing_is_saved_half_way(
    field: str, value: str, message: str, tmp_path: Path, qloop: LoopRunner, qtbot: Any
) -> None:
    """Two profiles: the first gets a new name and a new key (valid), the second one bad
    value. OK must save neither: not the first profile's key, not the file."""
    settings_file = SettingsFile(tmp_path / "config" / "settings.json")
    saved_before = Settings(profiles=(GOOD, OTHER), active_profile_id=GOOD.id)
    settings_file.save(saved_before)
    file_before = settings_file.path.read_bytes()
    keyring = MemoryKeyring()
    keyring.set(GOOD.id, "sk-old-key-000000000000")
    window = QWidget()  # the dialog's parent, as the main window would be
    qtbot.addWidget(window)
    window.show()
    keys = ApiKeys(keyring, SessionSecretStore(), EnvironmentKey({}))
    dialog = SettingsDialog(saved_before, settings_file, keys, parent=window)
    emitted: list[object] = []
    dialog.settings_saved.connect(emitted.append)
    dialog.open()

    def type_into(name: str, text: str) -> None:
        edit = {
            "name": dialog.form.name_edit,
            "api_key": dialog.form.api_key_edit,
            "base_url": dialog.form.base_url_edit,
            "max_tokens": dialog.form.max_tokens_edit,
            "temperature": dialog.form.temperature_edit,
        }[name]
        edit.clear()
        qtbot.keyClicks(edit, text)

    dialog.profile_list.setCurrentRow(0)
    type_into("name", "Renamed")
    type_into("api_key", "sk-new-key-111111111111")
    dialog.profile_list.setCurrentRow(1)
    type_into(field, value)
    qtbot.mouseClick(
        dialog.button_box.button(dialog.button_box.StandardButton.Ok), Qt.MouseButton.LeftButton
    )

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.field_errors().get(field) == message
    assert dialog.current_profile_id == OTHER.id  # the profile with the problem is shown
    assert dialog.save_error_label.text() == "Some fields need fixing (marked in red)."
    # Nothing saved half-way: the file, the keyring and the app's settings are as before.
    assert settings_file.path.read_bytes() == file_before
    assert keyring.entries == {GOOD.id: "sk-old-key-000000000000"}
    assert emitted == []

    # Fixing the value lets OK save everything at once.
    type_into(field, {"base_url": "http://127.0.0.1:9/v1"}.get(field, ""))
    qtbot.mouseClick(
        dialog.button_box.button(dialog.button_box.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert keyring.entries == {GOOD.id: "sk-new-key-111111111111"}
    assert [p.name for p in settings_file.load().settings.profiles] == ["Renamed", "Other"]
