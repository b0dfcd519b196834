"""The prompt library: saved prompts with a name and a text that may hold `{{placeholders}}`,
picked in the composer by typing "/". Pure Python: no Qt."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from zlay_desktop.core.i18n import translate

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


class PromptImportError(ValueError):
    """A file of prompts that cannot be read; the message says why, in plain words."""


@dataclass(frozen=True)
class SavedPrompt:
    id: str
    name: str
    text: str

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    @property
    def placeholders(self) -> tuple[str, ...]:
        return placeholders(self.text)


def placeholders(text: str) -> tuple[str, ...]:
    """The names of `{{…}}` placeholders, each once, in order of first use."""
    return tuple(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(text)))


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with its placeholders filled in; one without a value stays as written."""

    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return _PLACEHOLDER.sub(value, text)


def matching(prompts: Sequence[SavedPrompt], query: str) -> list[SavedPrompt]:
    """The prompts for what follows "/": names starting with it first, then names holding
    it, then texts holding it; case does not matter."""
    q = query.strip().casefold()
    if not q:
        return list(prompts)
    starts = [p for p in prompts if p.name.casefold().startswith(q)]
    inside = [p for p in prompts if q in p.name.casefold() and p not in starts]
    in_text = [p for p in prompts if q in p.text.casefold() and p not in starts + inside]
    return starts + inside + in_text


def prompt_to_json(p: SavedPrompt) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "text": p.text}


def prompt_from_json(data: object, where: str = "") -> SavedPrompt:
    where = where or translate("Prompts", "a prompt")
    if not isinstance(data, dict):
        raise PromptImportError(translate("Prompts", "{0} is not an object.").format(where))
    name, text, pid = data.get("name"), data.get("text"), data.get("id", "")
    if not isinstance(name, str) or not name.strip():
        raise PromptImportError(translate("Prompts", "{0} has no name.").format(where))
    if not isinstance(text, str) or not text.strip():
        raise PromptImportError(
            translate("Prompts", "{0} (“{1}”) has no text.").format(where, name)
        )
    if not isinstance(pid, str):
        raise PromptImportError(
            translate("Prompts", "{0} (“{1}”): “id” should be text.").format(where, name)
        )
    return SavedPrompt(id=pid or SavedPrompt.new_id(), name=name.strip(), text=text)


def export_prompts(prompts: Sequence[SavedPrompt]) -> str:
    data = {"zlay_prompts": 1, "prompts": [prompt_to_json(p) for p in prompts]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def import_prompts(text: str, existing: Sequence[SavedPrompt]) -> tuple[SavedPrompt, ...]:
    """The prompts of an exported file, ready to add (fresh ids where taken). Raises
    PromptImportError, having changed nothing."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise PromptImportError(
            translate("Prompts", "This is not a JSON file ({0}).").format(e.args[0])
        ) from e
    if not isinstance(data, dict) or not isinstance(data.get("prompts"), list):
        raise PromptImportError(
            translate("Prompts", "This file holds no prompts (no “prompts” list).")
        )
    taken = {p.id for p in existing}
    imported: list[SavedPrompt] = []
    for i, item in enumerate(data["prompts"], 1):
        prompt = prompt_from_json(item, translate("Prompts", "Prompt {0}").format(i))
        if prompt.id in taken:
            prompt = replace(prompt, id=SavedPrompt.new_id())
        taken.add(prompt.id)
        imported.append(prompt)
    return tuple(imported)
