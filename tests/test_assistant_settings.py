"""Assistants and prompts in the settings file, in a reply's target and with a stored
conversation (model level; the window's side is tests/ui/test_assistants_ui.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zlay_desktop.core.assistants import (
    DEFAULT_ASSISTANT,
    DEFAULT_ASSISTANT_ID,
    Assistant,
    AssistantForm,
    ParamsOverride,
)
from zlay_desktop.core.models import ChatParams
from zlay_desktop.core.prompts import SavedPrompt
from zlay_desktop.core.secrets import KeySource, ResolvedKey
from zlay_desktop.core.settings import ProviderProfile, Settings, SettingsFile
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.core.targets import Overrides, resolve_target

PROFILE = ProviderProfile(
    id="p1",
    name="Local",
    base_url="http://127.0.0.1:9/v1",
    model="small",
    temperature=0.7,
    max_tokens=500,
    system_prompt="Be terse.",
    needs_key=False,
)
REVIEWER = Assistant(
    id="rev", name="Reviewer", system_prompt="Review.", temperature=0.2, top_p=0.9, model="big"
)


def test_a_file_from_before_assistants_is_migrated_once(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    file = SettingsFile(path)
    file.save(Settings(profiles=(PROFILE,)))
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("assistants", "active_assistant_id", "prompts"):
        del data[key]  # as the app wrote it before assistants existed
    path.write_text(json.dumps(data), encoding="utf-8")

    loaded = file.load()
    assert loaded.assistants_migrated and loaded.problem is None
    migrated = loaded.settings.assistants
    assert [a.id for a in migrated] == [DEFAULT_ASSISTANT_ID, "profile-p1"]
    assert (migrated[1].system_prompt, migrated[1].temperature, migrated[1].max_tokens) == (
        "Be terse.",
        0.7,
        500,
    )
    assert loaded.settings.profiles == (PROFILE,)  # the profile keeps its own too

    file.save(loaded.settings)
    without = Settings(profiles=(PROFILE,), assistants=(DEFAULT_ASSISTANT,))
    file.save(without)  # the user deleted the migrated one
    again = file.load()
    assert not again.assistants_migrated
    assert again.settings.assistants == (DEFAULT_ASSISTANT,)


def test_assistants_prompts_and_the_active_one_round_trip(tmp_path: Path) -> None:
    file = SettingsFile(tmp_path / "settings.json")
    prompts = (SavedPrompt("t", "Translate", "Translate {{text}}"),)
    # The default one goes first even when the file lists it later, and is never missing.
    settings = Settings(
        assistants=(DEFAULT_ASSISTANT, REVIEWER), active_assistant_id="rev", prompts=prompts
    )
    file.save(settings)
    assert file.load().settings == settings
    data = json.loads(file.path.read_text(encoding="utf-8"))
    data["assistants"] = [data["assistants"][1]]
    file.path.write_text(json.dumps(data), encoding="utf-8")
    assert [a.id for a in file.load().settings.assistants] == [DEFAULT_ASSISTANT_ID, "rev"]


def test_the_active_assistant_falls_back_to_the_default_one() -> None:
    settings = Settings(assistants=(DEFAULT_ASSISTANT, REVIEWER), active_assistant_id="gone")
    assert settings.active_assistant() == DEFAULT_ASSISTANT
    assert Settings(active_assistant_id="rev").active_assistant() == DEFAULT_ASSISTANT


def key() -> ResolvedKey:
    return ResolvedKey("", KeySource.NONE)


def test_the_assistant_goes_over_the_profile_and_the_command_line_over_both() -> None:
    target = resolve_target(Settings(), PROFILE, key(), Overrides(), assistant=REVIEWER).target
    assert target is not None and target.assistant_id == "rev"
    assert target.params == ChatParams(
        model="big", temperature=0.2, max_tokens=500, system_prompt="Review.", top_p=0.9
    )
    # The default assistant: the profile's settings, as before assistants existed.
    plain = resolve_target(Settings(), PROFILE, key(), Overrides(), assistant=DEFAULT_ASSISTANT)
    assert plain.target is not None and plain.target.params == PROFILE.chat_params()
    overridden = resolve_target(
        Settings(), PROFILE, key(), Overrides(model="cli-model"), assistant=REVIEWER
    ).target
    assert overridden is not None and overridden.params.model == "cli-model"
    cli_only = resolve_target(
        Settings(), None, None, Overrides(base_url="http://h/v1"), assistant=REVIEWER
    ).target
    assert cli_only is not None
    assert (cli_only.params.model, cli_only.params.system_prompt) == ("big", "Review.")


def test_an_assistant_with_a_model_needs_none_from_the_profile() -> None:
    no_model = ProviderProfile(id="p", name="P", base_url="http://h/v1", needs_key=False)
    assert resolve_target(Settings(), no_model, key(), Overrides()).target is None
    target = resolve_target(Settings(), no_model, key(), Overrides(), assistant=REVIEWER).target
    assert target is not None and target.params.model == "big"


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("temperature", "warm", "Temperature must be a number"),
        ("temperature", "3", "Temperature must be between 0 and 2"),
        ("top_p", "0", "Top-p must be above 0"),
        ("max_tokens", "1.5", "Max tokens must be a positive whole number"),
        ("name", " ", "An assistant needs a name."),
    ],
)
def test_the_form_says_what_is_wrong(field: str, text: str, problem: str) -> None:
    form = AssistantForm.from_assistant(REVIEWER)
    parsed, problems = AssistantForm(**{**form.__dict__, field: text}).parse()
    assert parsed is None
    assert len(problems) == 1 and problems[0].startswith(problem)


def test_the_form_gives_back_the_assistant_it_was_made_from() -> None:
    big = Assistant(id="b", name="B", max_tokens=1_000_000, temperature=1.25)
    for assistant in (REVIEWER, DEFAULT_ASSISTANT, big):
        assert AssistantForm.from_assistant(assistant).parse() == (assistant, [])
    assert AssistantForm.from_assistant(big).max_tokens == "1000000"


def test_a_conversations_assistant_changes_alone(tmp_path: Path) -> None:
    with SqliteHistoryStore.open(tmp_path / "h.sqlite3") as store:
        params = ChatParams(model="m", system_prompt="Review.")
        first = store.create_conversation("First", "p1", params, "rev")
        second = store.create_conversation("Second", None, None)
        assert store.get_conversation(first.id) == first
        store.rename_conversation(first.id, "Renamed")
        store.set_conversation_assistant(first.id, "pirate")
        store.set_conversation_assistant(second.id, "rev")
        got = store.get_conversation(first.id)
        assert got is not None
        assert (got.title, got.profile_id, got.params, got.assistant_id) == (
            "Renamed",
            "p1",
            params,
            "pirate",
        )
        assert got.updated_at == first.updated_at  # its place in the list is kept
        other = store.get_conversation(second.id)
        assert other is not None and (other.params, other.assistant_id) == (None, "rev")
        # One from before assistants: its parameters as they were, no assistant.
        legacy = store.create_conversation("Old", None, params)
        old = store.get_conversation(legacy.id)
        assert old is not None and (old.params, old.assistant_id) == (params, None)


def test_a_conversations_override_goes_over_everything_and_is_kept_apart(tmp_path: Path) -> None:
    override = ParamsOverride(model="mine", temperature=1.1, system_prompt="")
    target = resolve_target(
        Settings(), PROFILE, key(), Overrides(model="cli"), assistant=REVIEWER, override=override
    ).target
    assert target is not None
    assert target.params == ChatParams(
        model="mine", temperature=1.1, max_tokens=500, system_prompt="", top_p=0.9
    )
    assert ParamsOverride().is_empty and ParamsOverride.from_json({"model": ""}) is None
    assert ParamsOverride.from_json({"temperature": "hot"}) is None  # unreadable: none
    with SqliteHistoryStore.open(tmp_path / "h.sqlite3") as store:
        params = ChatParams(model="m")
        conversation = store.create_conversation("C", None, params, "rev")
        store.set_conversation_override(conversation.id, override)
        got = store.get_conversation(conversation.id)
        assert got is not None and (got.params, got.assistant_id, got.override) == (
            params,
            "rev",
            override,
        )
        store.set_conversation_assistant(conversation.id, "pirate")  # drops the override
        got = store.get_conversation(conversation.id)
        assert got is not None and (got.assistant_id, got.override) == ("pirate", None)
        store.set_conversation_override(conversation.id, override)
        store.set_conversation_override(conversation.id, None)
        got = store.get_conversation(conversation.id)
        assert got is not None and (got.params, got.override) == (params, None)
