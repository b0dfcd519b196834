"""Assistants: reusable setups ("a careful code reviewer on model X at 0.2") — a system
prompt, a provider and model, sampling parameters and (with MCP) the tools allowed.

A conversation records the exact parameters it ran with (`ChatParams`), so editing an
assistant later never rewrites past conversations. Pure Python: no Qt.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from zlay_desktop.core.models import ChatParams

DEFAULT_ASSISTANT_ID = "default"


class AssistantImportError(ValueError):
    """A file of assistants that cannot be read; the message says why, in plain words."""


@dataclass(frozen=True)
class Assistant:
    id: str
    name: str
    system_prompt: str = ""
    profile_id: str | None = None  # None: the provider chosen in the toolbar
    model: str = ""  # "": the provider's model
    temperature: float | None = None  # None: the provider's, else the server's default
    top_p: float | None = None
    max_tokens: int | None = None
    mcp_servers: tuple[str, ...] = ()  # the MCP servers whose tools it may use
    icon: str = ""  # an emoji, shown beside its name
    description: str = ""

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def problems(self) -> list[str]:
        """What is wrong with it, in plain words (empty: it can be saved)."""
        found: list[str] = []
        if not self.name.strip():
            found.append("An assistant needs a name.")
        if self.temperature is not None and not (
            math.isfinite(self.temperature) and 0 <= self.temperature <= 2
        ):
            found.append("Temperature must be between 0 and 2, or empty.")
        if self.top_p is not None and not (math.isfinite(self.top_p) and 0 < self.top_p <= 1):
            found.append("Top-p must be above 0 and at most 1, or empty.")
        if self.max_tokens is not None and self.max_tokens <= 0:
            found.append("Max tokens must be a positive number, or empty.")
        return found

    def params(
        self,
        model: str,
        temperature: float | None = None,
        max_tokens: int | None = None,
        system_prompt: str = "",
    ) -> ChatParams:
        """The parameters a conversation runs with: the assistant's where it sets them,
        else the provider's (given here)."""
        return ChatParams(
            model=self.model or model,
            temperature=self.temperature if self.temperature is not None else temperature,
            max_tokens=self.max_tokens if self.max_tokens is not None else max_tokens,
            system_prompt=self.system_prompt or system_prompt,
            top_p=self.top_p,
        )


@dataclass(frozen=True)
class ParamsOverride:
    """One conversation's own changes to its assistant's settings ("edited from …"):
    what is set here wins; None (or "" for the model) keeps the assistant's."""

    model: str = ""
    temperature: float | None = None
    system_prompt: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.model and self.temperature is None and self.system_prompt is None

    def apply(self, params: ChatParams) -> ChatParams:
        return replace(
            params,
            model=self.model or params.model,
            temperature=self.temperature if self.temperature is not None else params.temperature,
            system_prompt=(
                self.system_prompt if self.system_prompt is not None else params.system_prompt
            ),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "temperature": self.temperature,
            "system_prompt": self.system_prompt,
        }

    @staticmethod
    def from_json(data: object) -> ParamsOverride | None:
        """The override stored with a conversation (None when there is none or it is not
        readable: the assistant's settings then apply, as without one)."""
        if not isinstance(data, dict):
            return None
        model, temperature, prompt = (
            data.get("model", ""),
            data.get("temperature"),
            data.get("system_prompt"),
        )
        if not isinstance(model, str) or not (prompt is None or isinstance(prompt, str)):
            return None
        if temperature is not None and (
            isinstance(temperature, bool) or not isinstance(temperature, int | float)
        ):
            return None
        found = ParamsOverride(model, None if temperature is None else float(temperature), prompt)
        return None if found.is_empty else found


DEFAULT_ASSISTANT = Assistant(
    id=DEFAULT_ASSISTANT_ID, name="Assistant", description="Answers with the provider's settings"
)


@dataclass(frozen=True)
class ProfilePrompt:
    """What a provider profile held before assistants existed (to migrate it)."""

    profile_id: str
    profile_name: str
    system_prompt: str = ""
    temperature: float | None = None
    max_tokens: int | None = None


def migrated_from_profiles(profiles: Sequence[ProfilePrompt]) -> tuple[Assistant, ...]:
    """The default assistant, and one assistant per profile that carried a system prompt or
    parameters of its own (nothing is lost: they keep working as before)."""
    made = [DEFAULT_ASSISTANT]
    for p in profiles:
        if not (p.system_prompt or p.temperature is not None or p.max_tokens is not None):
            continue
        made.append(
            Assistant(
                id=f"profile-{p.profile_id}",
                name=p.profile_name or "Assistant",
                system_prompt=p.system_prompt,
                profile_id=p.profile_id,
                temperature=p.temperature,
                max_tokens=p.max_tokens,
            )
        )
    return tuple(made)


def duplicate(assistant: Assistant, existing: Sequence[Assistant]) -> Assistant:
    """A copy under a new id and a name not taken yet ("Reviewer (copy)", "… (copy 2)")."""
    names = {a.name for a in existing}
    base = f"{assistant.name} (copy)"
    name, n = base, 2
    while name in names:
        name, n = f"{assistant.name} (copy {n})", n + 1
    return replace(assistant, id=Assistant.new_id(), name=name)


# -- JSON: the settings file, and import/export ------------------------------------------


def assistant_to_json(a: Assistant) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "system_prompt": a.system_prompt,
        "profile_id": a.profile_id,
        "model": a.model,
        "temperature": a.temperature,
        "top_p": a.top_p,
        "max_tokens": a.max_tokens,
        "mcp_servers": list(a.mcp_servers),
        "icon": a.icon,
        "description": a.description,
    }


@dataclass
class _Reader:
    obj: dict[str, Any]
    where: str

    def text(self, key: str, default: str = "") -> str:
        value = self.obj.get(key, default)
        if not isinstance(value, str):
            raise AssistantImportError(f"{self.where}: “{key}” should be text.")
        return value

    def number(self, key: str, kind: type) -> Any:
        value = self.obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AssistantImportError(f"{self.where}: “{key}” should be a number.")
        if kind is int and not float(value).is_integer():
            raise AssistantImportError(f"{self.where}: “{key}” should be a whole number.")
        return kind(value)


def assistant_from_json(data: object, where: str = "an assistant") -> Assistant:
    if not isinstance(data, dict):
        raise AssistantImportError(f"{where} is not an object.")
    r = _Reader(data, where)
    servers = data.get("mcp_servers", [])
    if not isinstance(servers, list) or not all(isinstance(s, str) for s in servers):
        raise AssistantImportError(f"{where}: “mcp_servers” should be a list of names.")
    profile_id = data.get("profile_id")
    if profile_id is not None and not isinstance(profile_id, str):
        raise AssistantImportError(f"{where}: “profile_id” should be text.")
    assistant = Assistant(
        id=r.text("id") or Assistant.new_id(),
        name=r.text("name"),
        system_prompt=r.text("system_prompt"),
        profile_id=profile_id,
        model=r.text("model"),
        temperature=r.number("temperature", float),
        top_p=r.number("top_p", float),
        max_tokens=r.number("max_tokens", int),
        mcp_servers=tuple(servers),
        icon=r.text("icon"),
        description=r.text("description"),
    )
    problems = assistant.problems()
    if problems:
        raise AssistantImportError(f"{where}: {problems[0]}")
    return assistant


def export_assistants(assistants: Sequence[Assistant]) -> str:
    """The JSON a user keeps or shares (no secret is part of an assistant)."""
    data = {"zlay_assistants": 1, "assistants": [assistant_to_json(a) for a in assistants]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def import_assistants(text: str, existing: Sequence[Assistant]) -> tuple[Assistant, ...]:
    """The assistants of an exported file, ready to add: ids not already used (an import
    never replaces an assistant). Raises AssistantImportError, having changed nothing."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise AssistantImportError(f"This is not a JSON file ({e.args[0]}).") from e
    if not isinstance(data, dict) or not isinstance(data.get("assistants"), list):
        raise AssistantImportError("This file holds no assistants (no “assistants” list).")
    taken = {a.id for a in existing}
    imported: list[Assistant] = []
    for i, item in enumerate(data["assistants"], 1):
        assistant = assistant_from_json(item, f"Assistant {i}")
        if assistant.id in taken:
            assistant = replace(assistant, id=Assistant.new_id())
        taken.add(assistant.id)
        imported.append(assistant)
    return tuple(imported)


# -- the form in Settings: text in, an assistant or problems out ----------------------------


@dataclass(frozen=True)
class AssistantForm:
    """An assistant as the user typed it: numbers as text, until `parse()`."""

    id: str
    name: str = ""
    icon: str = ""
    description: str = ""
    profile_id: str | None = None
    model: str = ""
    temperature: str = ""
    top_p: str = ""
    max_tokens: str = ""
    system_prompt: str = ""
    mcp_servers: tuple[str, ...] = ()

    @classmethod
    def from_assistant(cls, a: Assistant) -> AssistantForm:
        def shown(value: float | None) -> str:
            return "" if value is None else f"{value:g}"

        return cls(
            id=a.id,
            name=a.name,
            icon=a.icon,
            description=a.description,
            profile_id=a.profile_id,
            model=a.model,
            temperature=shown(a.temperature),
            top_p=shown(a.top_p),
            max_tokens="" if a.max_tokens is None else str(a.max_tokens),
            system_prompt=a.system_prompt,
            mcp_servers=a.mcp_servers,
        )

    def parse(self) -> tuple[Assistant | None, list[str]]:
        """The assistant, or None and every problem, in plain words."""
        found: list[str] = []

        def number(text: str, kind: type, problem: str) -> Any:
            text = text.strip().replace(",", ".")
            if not text:
                return None
            try:
                return kind(text)
            except ValueError:
                found.append(problem)
                return None

        assistant = Assistant(
            id=self.id,
            name=self.name.strip(),
            system_prompt=self.system_prompt,
            profile_id=self.profile_id,
            model=self.model.strip(),
            temperature=number(
                self.temperature, float, "Temperature must be a number from 0 to 2, or empty."
            ),
            top_p=number(self.top_p, float, "Top-p must be a number above 0, at most 1, or empty."),
            max_tokens=number(
                self.max_tokens, int, "Max tokens must be a positive whole number, or empty."
            ),
            mcp_servers=self.mcp_servers,
            icon=self.icon.strip(),
            description=self.description.strip(),
        )
        # (A number that did not parse is None here: said once, above.)
        found.extend(assistant.problems())
        return (None, found) if found else (assistant, [])
