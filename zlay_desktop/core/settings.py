"""Provider profiles, presets and the settings file. Never holds a secret.

API keys and proxy passwords live in the OS keyring (see `secrets.py`); the settings file
only knows *which* profiles exist. A broken settings file is kept aside, never overwritten.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from zlay_desktop.core.assistants import (
    DEFAULT_ASSISTANT,
    DEFAULT_ASSISTANT_ID,
    Assistant,
    ProfilePrompt,
    assistant_from_json,
    assistant_to_json,
    migrated_from_profiles,
)
from zlay_desktop.core.files import write_atomically
from zlay_desktop.core.mcp.config import McpServerConfig, server_from_json, server_to_json
from zlay_desktop.core.models import ChatParams, Endpoint
from zlay_desktop.core.prompts import SavedPrompt, prompt_from_json, prompt_to_json
from zlay_desktop.core.tools import DEFAULT_TOOL_ROUNDS

ProviderKind = Literal["openai", "openai-compatible"]
PROVIDER_KINDS: tuple[ProviderKind, ...] = ("openai", "openai-compatible")

SETTINGS_VERSION = 1
DEFAULT_IDLE_TIMEOUT_S = 60.0
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
_MAX_TOKENS_PROBLEM = "Max tokens must be a positive whole number, or empty."


@dataclass(frozen=True, slots=True)
class FieldError:
    """A validation problem, shown next to the field it belongs to."""

    field: str  # the ProviderProfile attribute name ("base_url", "temperature", ...)
    message: str


@dataclass(frozen=True, slots=True)
class ProviderProfile:
    """One configured provider. The API key is not part of it: it is kept in the keyring."""

    id: str
    name: str
    kind: ProviderKind = "openai-compatible"
    base_url: str = ""
    model: str = ""
    temperature: float | None = None  # None: the server's default
    max_tokens: int | None = None  # None: the server's default
    system_prompt: str = ""
    # None: the system proxy environment (HTTP(S)_PROXY, NO_PROXY) is respected.
    # Otherwise a proxy URL that may carry a user name but never a password: the password
    # is a secret and lives in the keyring under `proxy_secret_id(id)`.
    proxy: str | None = None
    needs_key: bool = True
    # Images are sent to the model. Off: a message with images is not sent (the user is
    # told why); on, a model that cannot read them gets them and its server says so.
    accepts_images: bool = True

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def validate(self) -> list[FieldError]:
        """Every problem with this profile; an empty list when it can be saved."""
        errors: list[FieldError] = []
        if not self.name.strip():
            errors.append(FieldError("name", "Give the profile a name."))
        if self.kind not in PROVIDER_KINDS:
            errors.append(FieldError("kind", f"Unknown provider kind {self.kind!r}."))
        url_problem = base_url_problem(self.base_url)
        if url_problem:
            errors.append(FieldError("base_url", url_problem))
        if self.temperature is not None and not (
            math.isfinite(self.temperature) and 0.0 <= self.temperature <= 2.0
        ):
            errors.append(
                FieldError("temperature", "Temperature must be between 0 and 2, or empty.")
            )
        if self.max_tokens is not None and (
            isinstance(self.max_tokens, bool) or self.max_tokens <= 0
        ):
            errors.append(FieldError("max_tokens", _MAX_TOKENS_PROBLEM))
        if self.proxy is not None:
            proxy_problem = proxy_url_problem(self.proxy)
            if proxy_problem:
                errors.append(FieldError("proxy", proxy_problem))
            elif urlsplit(self.proxy).password is not None:
                # The form splits the password off; a profile must never carry one.
                errors.append(FieldError("proxy", "The proxy password belongs in the keyring."))
        return errors

    def endpoint(
        self,
        api_key: str,
        *,
        proxy_password: str | None = None,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
    ) -> Endpoint:
        """Where to send requests, with the secrets fetched by the caller from the keyring."""
        return Endpoint(
            base_url=self.base_url.strip().rstrip("/"),
            api_key=api_key,
            proxy=proxy_with_password(self.proxy, proxy_password),
            idle_timeout_s=idle_timeout_s,
        )

    def chat_params(self) -> ChatParams:
        return ChatParams(
            model=self.model.strip(),
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            system_prompt=self.system_prompt,
        )


def proxy_secret_id(profile_id: str) -> str:
    """The keyring entry holding a profile's proxy password."""
    return f"{profile_id}:proxy"


def base_url_problem(url: str) -> str | None:
    url = url.strip()
    if not url:
        return "Enter the server's base URL, e.g. http://localhost:11434/v1."
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "The base URL must start with http:// or https://."
    if not parts.hostname:
        return "The base URL needs a host name, e.g. https://api.openai.com/v1."
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "The port in the base URL is not a number between 0 and 65535."
    if parts.query or parts.fragment:
        return "The base URL must not contain '?' or '#'."
    if parts.username or parts.password:
        return "Do not put credentials in the base URL; use the API key field."
    return None


def proxy_url_problem(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in PROXY_SCHEMES:
        return "The proxy must be an http://, https:// or socks5:// URL, or empty."
    if not parts.hostname:
        return "The proxy URL needs a host, e.g. http://proxy.example:3128."
    try:
        parts.port  # noqa: B018
    except ValueError:
        return "The port in the proxy URL is not a number between 0 and 65535."
    if parts.scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        return "SOCKS proxies need the 'socksio' package (pip install 'httpx[socks]')."
    return None


def split_proxy_password(url: str) -> tuple[str, str | None]:
    """`scheme://user:pw@host` -> (`scheme://user@host`, `pw`). The password is a secret."""
    parts = urlsplit(url.strip())
    if parts.password is None:
        return url.strip(), None
    netloc = parts.netloc.rpartition("@")[2]
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.password)


def proxy_with_password(url: str | None, password: str | None) -> str | None:
    if url is None or not password:
        return url
    parts = urlsplit(url)
    user = parts.username or ""
    host_port = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host_port}"))


# --- presets ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    kind: ProviderKind
    base_url: str
    needs_key: bool
    model: str = ""  # a sensible default model, when there is one

    @property
    def is_local(self) -> bool:
        return not self.needs_key

    def new_profile(self, name: str | None = None) -> ProviderProfile:
        return ProviderProfile(
            id=ProviderProfile.new_id(),
            name=name or self.name,
            kind=self.kind,
            base_url=self.base_url,
            model=self.model,
            needs_key=self.needs_key,
            accepts_images=likely_accepts_images(self.model),
        )


# Models known to read text only (a preset's default): images would only earn a 400.
_TEXT_ONLY_MODELS = re.compile(r"deepseek-(chat|reasoner|coder)|gpt-3\.5|o1-mini|o3-mini")


def likely_accepts_images(model: str) -> bool:
    """On for known vision models and for models not known (their server then answers);
    off only for models known to take text alone."""
    return not _TEXT_ONLY_MODELS.search(model.lower())


PRESETS: tuple[Preset, ...] = (
    Preset("OpenAI", "openai", "https://api.openai.com/v1", True, "gpt-4o-mini"),
    Preset("Ollama", "openai-compatible", "http://localhost:11434/v1", False),
    Preset("LM Studio", "openai-compatible", "http://localhost:1234/v1", False),
    Preset("llama.cpp server", "openai-compatible", "http://localhost:8080/v1", False),
    Preset("vLLM", "openai-compatible", "http://localhost:8000/v1", False),
    Preset("OpenRouter", "openai-compatible", "https://openrouter.ai/api/v1", True),
    Preset("Groq", "openai-compatible", "https://api.groq.com/openai/v1", True),
    Preset("DeepSeek", "openai-compatible", "https://api.deepseek.com/v1", True, "deepseek-chat"),
    Preset("Mistral", "openai-compatible", "https://api.mistral.ai/v1", True),
    Preset("Custom", "openai-compatible", "", True),
)


def preset_named(name: str) -> Preset:
    for preset in PRESETS:
        if preset.name == name:
            return preset
    raise KeyError(name)


# --- the form: text in, profile or field errors out ------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileForm:
    """What the user typed, as text. `parse()` turns it into a profile or field errors."""

    name: str = ""
    kind: ProviderKind = "openai-compatible"
    base_url: str = ""
    model: str = ""
    temperature: str = ""
    max_tokens: str = ""
    system_prompt: str = ""
    proxy: str = ""
    needs_key: bool = True
    accepts_images: bool = True

    @classmethod
    def from_profile(cls, profile: ProviderProfile) -> ProfileForm:
        return cls(
            name=profile.name,
            kind=profile.kind,
            base_url=profile.base_url,
            model=profile.model,
            temperature="" if profile.temperature is None else f"{profile.temperature:g}",
            max_tokens="" if profile.max_tokens is None else str(profile.max_tokens),
            system_prompt=profile.system_prompt,
            proxy=profile.proxy or "",
            needs_key=profile.needs_key,
            accepts_images=profile.accepts_images,
        )

    def parse(self, profile_id: str) -> ParsedProfile:
        """The profile, or every field error at once. A proxy password is split off."""
        errors: list[FieldError] = []
        temperature: float | None = None
        if self.temperature.strip():
            try:
                temperature = float(self.temperature.strip().replace(",", "."))
            except ValueError:
                errors.append(
                    FieldError("temperature", "Temperature must be a number from 0 to 2, or empty.")
                )
        max_tokens: int | None = None
        if self.max_tokens.strip():
            try:
                max_tokens = int(self.max_tokens.strip())
            except ValueError:
                errors.append(FieldError("max_tokens", _MAX_TOKENS_PROBLEM))
        proxy: str | None = None
        proxy_password: str | None = None
        if self.proxy.strip():
            proxy, proxy_password = split_proxy_password(self.proxy)
        profile = ProviderProfile(
            id=profile_id,
            name=self.name.strip(),
            kind=self.kind,
            base_url=self.base_url.strip().rstrip("/"),
            model=self.model.strip(),
            temperature=temperature,
            max_tokens=max_tokens,
            system_prompt=self.system_prompt,
            proxy=proxy,
            needs_key=self.needs_key,
            accepts_images=self.accepts_images,
        )
        failed_fields = {e.field for e in errors}
        errors.extend(e for e in profile.validate() if e.field not in failed_fields)
        if errors:
            return ParsedProfile(None, tuple(errors), None)
        return ParsedProfile(profile, (), proxy_password)


@dataclass(frozen=True, slots=True)
class ParsedProfile:
    profile: ProviderProfile | None
    errors: tuple[FieldError, ...]
    proxy_password: str | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.profile is not None


# --- settings and the settings file -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    profiles: tuple[ProviderProfile, ...] = ()
    active_profile_id: str | None = None
    ui: Mapping[str, Any] = field(default_factory=dict)  # window geometry and small prefs
    idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
    # MCP servers (their secrets are in the keyring; see core/mcp/secrets.py).
    mcp_servers: tuple[McpServerConfig, ...] = ()
    tool_round_limit: int = DEFAULT_TOOL_ROUNDS
    # Assistants (the default one always first) and the one new conversations start with.
    assistants: tuple[Assistant, ...] = (DEFAULT_ASSISTANT,)
    active_assistant_id: str = DEFAULT_ASSISTANT_ID
    prompts: tuple[SavedPrompt, ...] = ()  # the prompt library ("/" in the composer)

    def assistant(self, assistant_id: str | None) -> Assistant | None:
        for a in self.assistants:
            if a.id == assistant_id:
                return a
        return None

    def active_assistant(self) -> Assistant:
        """The assistant for new conversations: the chosen one, else the default."""
        return (
            self.assistant(self.active_assistant_id)
            or self.assistant(DEFAULT_ASSISTANT_ID)
            or DEFAULT_ASSISTANT
        )

    def profile(self, profile_id: str | None) -> ProviderProfile | None:
        for p in self.profiles:
            if p.id == profile_id:
                return p
        return None

    def active_profile(self) -> ProviderProfile | None:
        """The chosen profile, else the first one, else None (first run)."""
        return self.profile(self.active_profile_id) or (self.profiles[0] if self.profiles else None)

    def with_profile(self, profile: ProviderProfile) -> Settings:
        """Replaces the profile with the same id, or appends it."""
        if self.profile(profile.id) is None:
            return replace(self, profiles=(*self.profiles, profile))
        return replace(
            self, profiles=tuple(profile if p.id == profile.id else p for p in self.profiles)
        )

    def without_profile(self, profile_id: str) -> Settings:
        active = None if self.active_profile_id == profile_id else self.active_profile_id
        return replace(
            self,
            profiles=tuple(p for p in self.profiles if p.id != profile_id),
            active_profile_id=active,
        )


@dataclass(frozen=True, slots=True)
class LoadResult:
    settings: Settings
    problem: str | None = None  # shown to the user when the file could not be used
    # The file predates assistants: its profiles' system prompts and parameters were made
    # into assistants, which the file holds once it is saved again (the caller saves it).
    assistants_migrated: bool = False


class SettingsError(Exception):
    """The settings could not be saved. The message says why, in plain words."""


class SettingsFile:
    """`settings.json`: loaded leniently, saved atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> LoadResult:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadResult(Settings())
        except OSError as e:
            # Unreadable (permissions, a directory in the way): leave it where it is, since
            # saving would fail the same way and the user may want to fix it by hand.
            return LoadResult(
                Settings(),
                f"The settings file {self.path} could not be read ({e.strerror or e}). "
                "Default settings are used for now.",
            )
        try:
            settings, migrated = _settings_from_json(json.loads(raw.decode("utf-8")))
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            aside = self._move_aside()
            where = f" It was kept as {aside}." if aside else ""
            return LoadResult(
                Settings(),
                f"The settings file {self.path} is damaged ({_short(e)}), so default settings "
                f"are used.{where}",
            )
        return LoadResult(settings, assistants_migrated=migrated)

    def save(self, settings: Settings) -> None:
        """Written atomically and durably (temp file, fsync, rename, fsync of the folder)."""
        data = json.dumps(settings_to_json(settings), indent=2, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, data, durable=True)
        except OSError as e:
            raise SettingsError(
                f"The settings could not be saved to {self.path}: {e.strerror or e}."
            ) from e

    def _move_aside(self) -> Path | None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.broken-{stamp}-{n}")
        try:
            self.path.rename(target)
        except OSError:
            return None
        return target


def _short(e: Exception) -> str:
    text = str(e) or type(e).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def settings_to_json(settings: Settings) -> dict[str, Any]:
    return {
        "version": SETTINGS_VERSION,
        "active_profile_id": settings.active_profile_id,
        "idle_timeout_s": settings.idle_timeout_s,
        "ui": dict(settings.ui),
        "profiles": [_profile_to_json(p) for p in settings.profiles],
        "mcp_servers": [server_to_json(s) for s in settings.mcp_servers],
        "tool_round_limit": settings.tool_round_limit,
        "assistants": [assistant_to_json(a) for a in settings.assistants],
        "active_assistant_id": settings.active_assistant_id,
        "prompts": [prompt_to_json(p) for p in settings.prompts],
    }


def _profile_to_json(p: ProviderProfile) -> dict[str, Any]:
    # A password in a proxy URL must never reach the file, whoever built the profile.
    proxy = split_proxy_password(p.proxy)[0] if p.proxy else None
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "base_url": p.base_url,
        "model": p.model,
        "temperature": p.temperature,
        "max_tokens": p.max_tokens,
        "system_prompt": p.system_prompt,
        "proxy": proxy,
        "needs_key": p.needs_key,
        "accepts_images": p.accepts_images,
    }


def settings_from_json(data: object) -> Settings:
    """Strict about types (a wrong type means a damaged file), lenient about missing keys."""
    return _settings_from_json(data)[0]


def _settings_from_json(data: object) -> tuple[Settings, bool]:
    """The settings, and whether assistants were made from the profiles (a file written
    before assistants existed)."""
    obj = _expect(data, dict, "the top level")
    version = obj.get("version", SETTINGS_VERSION)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        raise ValueError(f"unsupported settings version {version!r}")
    profiles = tuple(
        _profile_from_json(p) for p in _expect(obj.get("profiles", []), list, "profiles")
    )
    ids = [p.id for p in profiles]
    if len(set(ids)) != len(ids):
        raise ValueError("two profiles share an id")
    active = obj.get("active_profile_id")
    if active is not None and not isinstance(active, str):
        raise TypeError("active_profile_id is not a string")
    idle = obj.get("idle_timeout_s", DEFAULT_IDLE_TIMEOUT_S)
    if isinstance(idle, bool) or not isinstance(idle, int | float) or idle <= 0:
        raise ValueError("idle_timeout_s is not a positive number")
    ui = _expect(obj.get("ui", {}), dict, "ui")
    servers = tuple(
        server_from_json(s) for s in _expect(obj.get("mcp_servers", []), list, "mcp_servers")
    )
    if len({s.id for s in servers}) != len(servers):
        raise ValueError("two MCP servers share an id")
    rounds = obj.get("tool_round_limit", DEFAULT_TOOL_ROUNDS)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise ValueError("tool_round_limit is not a positive whole number")
    migrated = "assistants" not in obj
    if migrated:
        assistants = migrated_from_profiles(
            [
                ProfilePrompt(p.id, p.name, p.system_prompt, p.temperature, p.max_tokens)
                for p in profiles
            ]
        )
    else:
        assistants = with_default_assistant(
            assistant_from_json(a, f"Assistant {i}")
            for i, a in enumerate(_expect(obj["assistants"], list, "assistants"), 1)
        )
    if len({a.id for a in assistants}) != len(assistants):
        raise ValueError("two assistants share an id")
    active_assistant = obj.get("active_assistant_id", DEFAULT_ASSISTANT_ID)
    if not isinstance(active_assistant, str):
        raise TypeError("active_assistant_id is not a string")
    prompts = tuple(
        prompt_from_json(p, f"Prompt {i}")
        for i, p in enumerate(_expect(obj.get("prompts", []), list, "prompts"), 1)
    )
    settings = Settings(
        profiles=profiles,
        active_profile_id=active,
        ui=ui,
        idle_timeout_s=float(idle),
        mcp_servers=servers,
        tool_round_limit=rounds,
        assistants=assistants,
        active_assistant_id=active_assistant,
        prompts=prompts,
    )
    return settings, migrated


def with_default_assistant(assistants: Iterable[Assistant]) -> tuple[Assistant, ...]:
    """The default assistant first (it cannot be deleted: new conversations fall back to
    it), then the others in their order."""
    found = list(assistants)
    default = next((a for a in found if a.id == DEFAULT_ASSISTANT_ID), DEFAULT_ASSISTANT)
    return (default, *(a for a in found if a.id != DEFAULT_ASSISTANT_ID))


def _profile_from_json(data: object) -> ProviderProfile:
    obj = _expect(data, dict, "a profile")

    def text(key: str, default: str | None = None) -> str:
        value = obj.get(key, default)
        if not isinstance(value, str):
            raise TypeError(f"profile field {key!r} is not text")
        return value

    def optional(key: str, types: tuple[type, ...]) -> Any:
        value = obj.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, types)):
            raise TypeError(f"profile field {key!r} has the wrong type")
        return value

    kind = text("kind", "openai-compatible")
    if kind not in PROVIDER_KINDS:
        raise ValueError(f"unknown provider kind {kind!r}")
    temperature = optional("temperature", (int, float))
    needs_key = obj.get("needs_key", True)
    if not isinstance(needs_key, bool):
        raise TypeError("profile field 'needs_key' is not true/false")
    proxy = optional("proxy", (str,))
    accepts_images = obj.get("accepts_images", True)
    if not isinstance(accepts_images, bool):
        raise TypeError("profile field 'accepts_images' is not true/false")
    return ProviderProfile(
        id=text("id"),
        name=text("name", ""),
        kind=kind,
        base_url=text("base_url", ""),
        model=text("model", ""),
        temperature=None if temperature is None else float(temperature),
        max_tokens=optional("max_tokens", (int,)),
        system_prompt=text("system_prompt", ""),
        proxy=split_proxy_password(proxy)[0] if proxy else None,
        needs_key=needs_key,
        accepts_images=accepts_images,
    )


def _expect(value: object, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"{what} is not a JSON {'object' if kind is dict else 'list'}")
    return value
