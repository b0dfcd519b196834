"""Assistants and the prompt library through the real app: made in Settings, picked beside
the message box, sent to the test server, remembered per conversation across a restart,
and the "/" picker driven with the keyboard only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.conftest import AppFactory, LoopRunner, until
from tests.testserver import OpenAITestServer
from zlay_desktop.app import Application
from zlay_desktop.core.assistants import DEFAULT_ASSISTANT_ID, Assistant
from zlay_desktop.core.paths import AppPaths
from zlay_desktop.core.prompts import SavedPrompt
from zlay_desktop.core.settings import ProviderProfile, Settings, SettingsFile
from zlay_desktop.ui.settings import SettingsDialog

PIRATE = Assistant(id="pirate", name="Pirate", icon="🏴‍☠️", system_prompt="Answer as a pirate.")


def settings_file(data_dir: Path) -> SettingsFile:
    return SettingsFile(AppPaths.portable(data_dir).settings_file)


def started(make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer) -> Application:
    app = make_app(base_url=server.base_url, model="test-model")
    app.window.resize(1000, 700)
    app.window.show()
    qtbot.waitExposed(app.window)
    return app


def picker_names(app: Application) -> list[str]:
    picker = app.window.assistant_picker
    return [picker.itemText(i) for i in range(picker.count())]


def pick_assistant(app: Application, label: str) -> None:
    """As a user does: the picker's item is activated."""
    picker = app.window.assistant_picker
    index = picker.findText(label)
    assert index >= 0, f"{label!r} is not offered: {picker_names(app)}"
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


def send(app: Application, qloop: LoopRunner, text: str) -> None:
    async def scenario() -> None:
        app.window.composer.setPlainText(text)
        app.window.send_from_composer()
        task = app.controller.task
        assert task is not None, "nothing was sent"
        await task
        await until(lambda: not app.sidebar.busy)

    qloop.run(scenario())


def last_chat_body(server: OpenAITestServer) -> dict[str, Any]:
    chats = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert chats, "the server received no chat request"
    body = chats[-1].body
    assert body is not None
    return body


def system_prompt_sent(server: OpenAITestServer) -> str | None:
    messages = last_chat_body(server)["messages"]
    return messages[0]["content"] if messages[0]["role"] == "system" else None


def in_loop(qloop: LoopRunner, steps: Callable[[], None]) -> None:
    """Runs `steps` with the qasync loop running: the Settings dialog starts background
    work (looking for local servers) as it opens, and closing it cancels that work."""

    async def scenario() -> None:
        steps()

    qloop.run(scenario())


def open_settings(app: Application) -> SettingsDialog:
    app.open_settings()
    dialog = app.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    return dialog


def replace_text(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def test_an_assistant_made_in_settings_is_offered_and_its_settings_reach_the_server(
    make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    app = started(make_app, qtbot, server)
    assert picker_names(app) == ["Assistant"]  # the default one, before any is made


    def make_one() -> None:
        dialog = open_settings(app)
        page = dialog.assistants_page
        dialog.tabs.setCurrentWidget(page)
        QTest.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
        replace_text(page.name_edit, "Reviewer")
        page.icon_edit.insert("🔍")  # (QTest types ASCII only)
        replace_text(page.system_prompt_edit, "You review code, briefly.")
        replace_text(page.temperature_edit, "0.2")
        replace_text(page.top_p_edit, "0.5")
        replace_text(page.max_tokens_edit, "321")
        QTest.mouseClick(
            dialog.button_box.button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )
        assert not dialog.isVisible(), dialog.save_error_label.text()

    in_loop(qloop, make_one)

    assert picker_names(app) == ["Assistant", "🔍 Reviewer"]
    # Saved: a new app would offer it too.
    saved = settings_file(make_app.data_dir).load().settings
    assert [a.name for a in saved.assistants] == ["Assistant", "Reviewer"]

    pick_assistant(app, "🔍 Reviewer")
    send(app, qloop, "look at this")
    body = last_chat_body(server)
    assert body["messages"][0] == {"role": "system", "content": "You review code, briefly."}
    assert body["messages"][-1]["content"] == "look at this"
    assert (body["temperature"], body["top_p"], body["max_tokens"]) == (0.2, 0.5, 321)
    assert body["model"] == "test-model"


def test_a_conversation_keeps_its_own_assistant_across_a_restart(
    make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    settings_file(make_app.data_dir).save(
        Settings(assistants=(*Settings().assistants, PIRATE))
    )
    app = started(make_app, qtbot, server)
    send(app, qloop, "ahoy?")
    assert system_prompt_sent(server) is None  # the default assistant adds nothing
    conversation = app.session.conversation
    assert conversation is not None

    pick_assistant(app, "🏴‍☠️ Pirate")  # for this conversation only
    send(app, qloop, "where is the treasure?")
    assert system_prompt_sent(server) == "Answer as a pirate."

    # A new conversation starts with the assistant for new ones, which did not change.
    QTest.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: app.session.conversation is None)
    assert app.window.assistant_picker.currentText() == "Assistant"
    app.window.open_conversation(conversation.id)
    qtbot.waitUntil(lambda: app.window.assistant_picker.currentText() == "🏴‍☠️ Pirate")
    make_app.close(app)

    again = started(make_app, qtbot, server)
    assert again.window.assistant_picker.currentText() == "Assistant"
    again.window.open_conversation(conversation.id)
    qtbot.waitUntil(lambda: again.window.assistant_picker.currentText() == "🏴‍☠️ Pirate")
    send(again, qloop, "and now?")
    assert system_prompt_sent(server) == "Answer as a pirate."
    body = last_chat_body(server)
    assert [m["content"] for m in body["messages"] if m["role"] == "user"] == [
        "ahoy?",
        "where is the treasure?",
        "and now?",
    ]
    assert settings_file(make_app.data_dir).load().settings.active_assistant_id == (
        DEFAULT_ASSISTANT_ID
    )


def test_picking_an_assistant_in_a_new_conversation_makes_it_the_one_for_new_ones(
    make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    settings_file(make_app.data_dir).save(
        Settings(assistants=(*Settings().assistants, PIRATE))
    )
    app = started(make_app, qtbot, server)
    pick_assistant(app, "🏴‍☠️ Pirate")
    send(app, qloop, "hello")
    assert system_prompt_sent(server) == "Answer as a pirate."
    QTest.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: app.session.conversation is None)
    assert app.window.assistant_picker.currentText() == "🏴‍☠️ Pirate"
    assert settings_file(make_app.data_dir).load().settings.active_assistant_id == "pirate"


LEGACY_SETTINGS = {
    "version": 1,
    "active_profile_id": "p1",
    "profiles": [
        {
            "id": "p1",
            "name": "Local",
            "kind": "openai-compatible",
            "base_url": "http://127.0.0.1:9/v1",
            "model": "test-model",
            "temperature": 0.3,
            "max_tokens": None,
            "system_prompt": "Be terse.",
            "needs_key": False,
        },
        {"id": "p2", "name": "Plain", "base_url": "http://127.0.0.1:9/v1", "needs_key": False},
    ],
}


def test_profiles_system_prompts_become_assistants_once_and_nothing_is_lost(
    make_app: AppFactory, qtbot: QtBot, qloop: LoopRunner
) -> None:
    path = AppPaths.portable(make_app.data_dir).settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LEGACY_SETTINGS), encoding="utf-8")
    legacy = dict(LEGACY_SETTINGS["profiles"][0])  # type: ignore[index]

    app = make_app()
    assert picker_names(app) == ["Assistant", "Local"]
    data = json.loads(path.read_text(encoding="utf-8"))  # written at once
    migrated = {a["name"]: a for a in data["assistants"]}
    assert migrated["Local"]["system_prompt"] == "Be terse."
    assert migrated["Local"]["temperature"] == 0.3
    assert migrated["Local"]["profile_id"] == "p1"
    # The profile keeps what it had: nothing is lost, and it works as it did.
    assert data["profiles"][0]["system_prompt"] == legacy["system_prompt"]

    # The user deletes the migrated assistant: it does not come back on the next start.
    def delete_it() -> None:
        dialog = open_settings(app)
        page = dialog.assistants_page
        page.select("profile-p1")
        QTest.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
        assert dialog.save(), dialog.save_error_label.text()

    in_loop(qloop, delete_it)
    make_app.close(app)

    again = make_app()
    assert picker_names(again) == ["Assistant"]
    assert settings_file(make_app.data_dir).load().assistants_migrated is False


# -- the "/" prompt picker ---------------------------------------------------------------


PROMPTS = (
    SavedPrompt("p-translate", "Translate", "Translate {{text}} into {{ language }}."),
    SavedPrompt("p-summary", "Summarize", "Summarize the following in three bullet points:"),
    SavedPrompt("p-review", "Review code", "Review this code for bugs."),
)


@pytest.fixture
def prompt_app(make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer) -> Application:
    settings_file(make_app.data_dir).save(Settings(prompts=PROMPTS))
    app = started(make_app, qtbot, server)
    app.window.composer.setFocus()
    return app


def test_slash_offers_the_prompts_filtered_as_one_types_and_inserts_the_chosen_one(
    prompt_app: Application, qtbot: QtBot
) -> None:
    composer, picker = prompt_app.window.composer, prompt_app.prompt_picker
    QTest.keyClicks(composer, "/")
    qtbot.waitUntil(lambda: picker.is_open)
    assert picker.shown_names() == ["Translate", "Summarize", "Review code"]
    QTest.keyClicks(composer, "s")
    # Names starting with "s" first, then names holding it, then texts holding it.
    assert picker.shown_names() == ["Summarize", "Translate", "Review code"]
    QTest.keyClicks(composer, "um")
    assert picker.shown_names() == ["Summarize"]
    QTest.keyClick(composer, Qt.Key.Key_Backspace)
    QTest.keyClick(composer, Qt.Key.Key_Backspace)
    assert picker.current_name() == "Summarize"
    QTest.keyClick(composer, Qt.Key.Key_Down)
    assert picker.current_name() == "Translate"
    QTest.keyClick(composer, Qt.Key.Key_Up)
    assert picker.current_name() == "Summarize"
    QTest.keyClick(composer, Qt.Key.Key_Return)

    assert not picker.is_open
    assert composer.toPlainText() == "Summarize the following in three bullet points:"
    assert not prompt_app.controller.busy  # Enter chose the prompt; it sent nothing
    QTest.keyClicks(composer, " tea")
    assert composer.toPlainText().endswith("points: tea")  # the cursor is after the text


def test_a_prompt_with_placeholders_is_filled_in_before_it_is_inserted(
    prompt_app: Application, qtbot: QtBot
) -> None:
    composer, picker = prompt_app.window.composer, prompt_app.prompt_picker
    QTest.keyClicks(composer, "Please:")
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(composer, "/tra")
    qtbot.waitUntil(lambda: picker.is_open)
    assert picker.shown_names() == ["Translate"]
    QTest.keyClick(composer, Qt.Key.Key_Return)
    form = picker.form
    assert form is not None and form.isVisible()
    assert list(form.fields) == ["text", "language"]
    qtbot.waitUntil(lambda: form.fields["text"].hasFocus())
    QTest.keyClicks(form.fields["text"], "good morning")
    QTest.keyClick(form.fields["text"], Qt.Key.Key_Return)  # on to the next field
    assert form.fields["language"].hasFocus()
    QTest.keyClicks(form.fields["language"], "German")
    QTest.keyClick(form.fields["language"], Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: picker.form is None)
    assert composer.toPlainText() == "Please:\nTranslate good morning into German."
    assert composer.hasFocus()


def test_esc_closes_the_prompt_list_and_the_placeholder_form_leaving_the_text(
    prompt_app: Application, qtbot: QtBot
) -> None:
    composer, picker = prompt_app.window.composer, prompt_app.prompt_picker
    QTest.keyClicks(composer, "/rev")
    qtbot.waitUntil(lambda: picker.is_open)
    QTest.keyClick(composer, Qt.Key.Key_Escape)
    assert not picker.is_open
    QTest.keyClicks(composer, "i")  # still dismissed while the same "/word" is typed
    assert not picker.is_open
    assert composer.toPlainText() == "/revi"

    composer.clear()
    QTest.keyClicks(composer, "/tr")
    qtbot.waitUntil(lambda: picker.is_open)
    QTest.keyClick(composer, Qt.Key.Key_Tab)
    form = picker.form
    assert form is not None
    qtbot.waitUntil(lambda: form.fields["text"].hasFocus())
    QTest.keyClick(form.fields["text"], Qt.Key.Key_Escape)
    assert picker.form is None
    assert composer.toPlainText() == "/tr"  # as it was: nothing inserted


def test_a_slash_inside_a_line_or_with_no_prompts_opens_nothing(prompt_app: Application) -> None:
    composer, picker = prompt_app.window.composer, prompt_app.prompt_picker
    QTest.keyClicks(composer, "and/or ")
    assert not picker.is_open
    QTest.keyClicks(composer, "/x")
    assert not picker.is_open
    picker.set_prompts(())
    composer.clear()
    QTest.keyClicks(composer, "/")
    assert not picker.is_open


def test_a_bad_assistants_file_is_refused_with_a_reason_and_changes_nothing(
    make_app: AppFactory,
    qtbot: QtBot,
    server: OpenAITestServer,
    tmp_path: Path,
    qloop: LoopRunner,
) -> None:
    app = started(make_app, qtbot, server)
    in_loop(qloop, lambda: check_import_and_export(open_settings(app), tmp_path))


def check_import_and_export(dialog: SettingsDialog, tmp_path: Path) -> None:
    page = dialog.assistants_page
    bad = tmp_path / "bad.json"
    bad.write_text('{"assistants": [{"name": "x", "temperature": "hot"}]}', encoding="utf-8")
    assert not page.import_file(str(bad))
    assert "temperature" in page.problem_label.text() and "number" in page.problem_label.text()
    assert [a.name for a in page.assistants()] == ["Assistant"]

    # An export imports back as copies (new ids), beside the originals.
    page.add_assistant()
    replace_text(page.name_edit, "Tester")
    exported = tmp_path / "assistants.json"
    assert page.export_file(str(exported))
    assert page.import_file(str(exported))
    names = [a.name for a in page.assistants()]
    assert names == ["Assistant", "Tester", "Assistant", "Tester"]
    assert len({a.id for a in page.assistants()}) == 4
    dialog.done(0)  # (ends the dialog's background work)


def test_an_assistant_that_names_a_provider_decides_where_the_message_goes(
    make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    def profile(profile_id: str, model: str) -> ProviderProfile:
        return ProviderProfile(
            id=profile_id, name=profile_id, base_url=server.base_url, model=model, needs_key=False
        )

    pinned = Assistant(id="pinned", name="On B", profile_id="b", system_prompt="Use B.")
    settings_file(make_app.data_dir).save(
        Settings(
            profiles=(profile("a", "model-a"), profile("b", "model-b")),
            active_profile_id="a",
            assistants=(*Settings().assistants, pinned),
        )
    )
    app = make_app()
    app.window.show()
    providers = app.window.profile_picker
    assert providers.currentText() == "a · model-a" and providers.isEnabled()

    pick_assistant(app, "On B")
    assert providers.currentText() == "b · model-b"
    assert not providers.isEnabled()  # the assistant decides it
    send(app, qloop, "hello")
    assert last_chat_body(server)["model"] == "model-b"
    assert system_prompt_sent(server) == "Use B."

    pick_assistant(app, "Assistant")  # the default: the provider picked in the toolbar again
    assert providers.currentText() == "a · model-a" and providers.isEnabled()
    send(app, qloop, "and again")
    assert last_chat_body(server)["model"] == "model-a"
    assert system_prompt_sent(server) is None


def test_the_prompt_list_closes_when_the_message_box_loses_the_focus(
    prompt_app: Application, qtbot: QtBot
) -> None:
    composer, picker = prompt_app.window.composer, prompt_app.prompt_picker
    QTest.keyClicks(composer, "/")
    qtbot.waitUntil(lambda: picker.is_open)
    prompt_app.window.assistant_picker.setFocus()
    qtbot.waitUntil(lambda: not picker.is_open)
    composer.setFocus()
    QTest.keyClicks(composer, "s")  # typing on brings it back
    assert picker.is_open and picker.shown_names()[0] == "Summarize"


def test_a_conversation_edited_from_its_assistant_keeps_its_own_settings(
    make_app: AppFactory, qtbot: QtBot, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    settings_file(make_app.data_dir).save(
        Settings(assistants=(*Settings().assistants, PIRATE))
    )
    app = started(make_app, qtbot, server)
    pick_assistant(app, "🏴‍☠️ Pirate")
    send(app, qloop, "first")
    conversation = app.session.conversation
    assert conversation is not None
    assert not app.window.edited_label.isVisible()

    QTest.mouseClick(
        app.window.toolbar.widgetForAction(app.window.conversation_settings_action),
        Qt.MouseButton.LeftButton,
    )
    panel = app.conversation_panel
    qtbot.waitUntil(panel.isVisible)
    assert panel.model_edit.text() == "test-model"  # what it runs with now
    assert panel.system_prompt_edit.toPlainText() == "Answer as a pirate."
    replace_text(panel.model_edit, "other-model")
    replace_text(panel.temperature_edit, "1.5")
    replace_text(panel.system_prompt_edit, "Answer as a parrot.")

    async def apply() -> None:
        QTest.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
        await until(app.window.edited_label.isVisible, what="“edited from”")

    qloop.run(apply())
    assert app.window.edited_label.text() == "edited from “Pirate”"
    assert not panel.isVisible()

    send(app, qloop, "second")
    body = last_chat_body(server)
    assert (body["model"], body["temperature"]) == ("other-model", 1.5)
    assert system_prompt_sent(server) == "Answer as a parrot."
    make_app.close(app)

    # After a restart the conversation runs as edited; a new one as its assistant says.
    again = started(make_app, qtbot, server)
    again.window.open_conversation(conversation.id)
    qtbot.waitUntil(lambda: again.window.edited_label.isVisible())
    send(again, qloop, "third")
    assert last_chat_body(server)["model"] == "other-model"
    assert system_prompt_sent(server) == "Answer as a parrot."
    QTest.keyClick(again.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not again.window.edited_label.isVisible())
    send(again, qloop, "fresh")
    assert last_chat_body(server)["model"] == "test-model"
    assert system_prompt_sent(server) == "Answer as a pirate."

    # Choosing the assistant again drops the conversation's own settings.
    again.window.open_conversation(conversation.id)
    qtbot.waitUntil(lambda: again.window.edited_label.isVisible())

    async def pick_again() -> None:
        pick_assistant(again, "🏴‍☠️ Pirate")
        await until(lambda: not again.window.edited_label.isVisible(), what="no “edited”")

    qloop.run(pick_again())
    send(again, qloop, "fourth")
    assert last_chat_body(server)["model"] == "test-model"
    stored = again.store.get_conversation(conversation.id) if again.store else None
    assert stored is not None and stored.override is None
