"""Assistants and the prompt library (core/assistants.py, core/prompts.py)."""

from __future__ import annotations

import json

import pytest

from zlay_desktop.core.assistants import (
    DEFAULT_ASSISTANT_ID,
    Assistant,
    AssistantImportError,
    ProfilePrompt,
    duplicate,
    export_assistants,
    import_assistants,
    migrated_from_profiles,
)
from zlay_desktop.core.models import ChatParams
from zlay_desktop.core.prompts import (
    PromptImportError,
    SavedPrompt,
    export_prompts,
    fill,
    import_prompts,
    matching,
    placeholders,
)

REVIEWER = Assistant(
    id="rev",
    name="Code reviewer",
    system_prompt="Review carefully.",
    model="model-x",
    temperature=0.2,
    top_p=0.9,
    icon="🧐",
)


def test_an_assistants_own_settings_win_and_the_providers_fill_the_rest() -> None:
    assert REVIEWER.params("provider-model", temperature=0.7, max_tokens=500) == ChatParams(
        model="model-x", temperature=0.2, max_tokens=500, system_prompt="Review carefully.", top_p=0.9
    )
    plain = Assistant(id="a", name="Plain")
    assert plain.params("m", 0.7, None, "Be brief.") == ChatParams(
        model="m", temperature=0.7, system_prompt="Be brief."
    )


def test_profiles_system_prompts_become_assistants_and_nothing_is_lost() -> None:
    migrated = migrated_from_profiles(
        [
            ProfilePrompt("p1", "Local", system_prompt="Answer in French.", temperature=0.3),
            ProfilePrompt("p2", "Bare"),  # nothing of its own: served by the default one
        ]
    )
    assert [a.id for a in migrated] == [DEFAULT_ASSISTANT_ID, "profile-p1"]
    french = migrated[1]
    assert (french.name, french.profile_id, french.system_prompt, french.temperature) == (
        "Local",
        "p1",
        "Answer in French.",
        0.3,
    )


def test_a_duplicate_gets_a_new_id_and_a_free_name() -> None:
    first = duplicate(REVIEWER, [REVIEWER])
    second = duplicate(REVIEWER, [REVIEWER, first])
    assert (first.name, second.name) == ("Code reviewer (copy)", "Code reviewer (copy 2)")
    assert len({REVIEWER.id, first.id, second.id}) == 3
    assert first.system_prompt == REVIEWER.system_prompt


def test_assistants_export_and_import_back_without_replacing_any() -> None:
    text = export_assistants([REVIEWER])
    [again] = import_assistants(text, existing=[])
    assert again == REVIEWER
    [copy] = import_assistants(text, existing=[REVIEWER])  # same id already there
    assert copy.id != REVIEWER.id and copy.name == REVIEWER.name


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not json", "not a JSON file"),
        ('{"prompts": []}', "holds no assistants"),
        ('{"assistants": [{"name": ""}]}', "Assistant 1: An assistant needs a name."),
        ('{"assistants": [{"name": "x", "temperature": "hot"}]}', "should be a number"),
        ('{"assistants": [{"name": "x", "temperature": 5}]}', "between 0 and 2"),
        ('{"assistants": [{"name": "x", "mcp_servers": "all"}]}', "list of names"),
    ],
)
def test_a_bad_assistants_file_is_explained(text: str, says: str) -> None:
    with pytest.raises(AssistantImportError, match=says):
        import_assistants(text, existing=[])


def test_placeholders_are_found_once_each_and_filled() -> None:
    text = "Translate {{ text }} into {{language}}. Keep {{text}} short."
    assert placeholders(text) == ("text", "language")
    assert fill(text, {"text": "hello", "language": "German"}) == (
        "Translate hello into German. Keep hello short."
    )
    assert fill(text, {"language": "German"}).startswith("Translate {{ text }} into German")


def test_typing_after_the_slash_finds_names_first_then_texts() -> None:
    prompts = [
        SavedPrompt("1", "Summarize", "Summarize {{text}}"),
        SavedPrompt("2", "Review code", "Find bugs"),
        SavedPrompt("3", "Explain like I am five", "Explain simply; summarize at the end"),
    ]
    assert [p.id for p in matching(prompts, "sum")] == ["1", "3"]
    assert [p.id for p in matching(prompts, "CODE")] == ["2"]
    assert [p.id for p in matching(prompts, "")] == ["1", "2", "3"]


def test_prompts_round_trip_and_a_bad_file_changes_nothing() -> None:
    saved = [SavedPrompt("1", "Summarize", "Summarize {{text}}")]
    again = import_prompts(export_prompts(saved), existing=[])
    assert again == tuple(saved)
    with pytest.raises(PromptImportError, match="has no text"):
        import_prompts(json.dumps({"prompts": [{"name": "Empty", "text": " "}]}), existing=[])
