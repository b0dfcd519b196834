"""Which server, model and key a reply goes to: saved profiles, the command line and the
environment, combined in one place."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from zlay_desktop.core.assistants import Assistant, ParamsOverride
from zlay_desktop.core.chat_session import ReplyTarget
from zlay_desktop.core.models import ChatParams, Endpoint
from zlay_desktop.core.secrets import ApiKeys, ResolvedKey
from zlay_desktop.core.settings import ProviderProfile, Settings

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"

NOT_CONFIGURED = (
    "No provider is set up yet: open Settings (Ctrl+,) and add one — OpenAI, a local "
    "server such as Ollama or LM Studio, or any OpenAI-compatible API."
)


@dataclass(frozen=True)
class Overrides:
    """From the command line and the environment: they win over saved settings, for this run."""

    base_url: str | None = None
    model: str | None = None
    idle_timeout_s: float | None = None
    environment_key: str = field(default="", repr=False)

    @property
    def configures_a_server(self) -> bool:
        return bool(self.base_url or self.environment_key)


@dataclass(frozen=True)
class Resolution:
    target: ReplyTarget | None
    problem: str | None = None  # why there is no target, in plain words


def resolve_target(
    settings: Settings,
    profile: ProviderProfile | None,
    key: ResolvedKey | None,
    overrides: Overrides,
    proxy_password: str | None = None,
    assistant: Assistant | None = None,
    override: ParamsOverride | None = None,
) -> Resolution:
    """`assistant`: its system prompt and parameters go over the profile's, the command
    line's model (for this run) over both, and the conversation's own `override`, chosen
    for it alone, over all."""
    idle = overrides.idle_timeout_s or settings.idle_timeout_s
    assistant_id = assistant.id if assistant is not None else None
    tool_servers = assistant.mcp_servers if assistant is not None else ()
    if profile is None:
        if not overrides.configures_a_server:
            return Resolution(None, NOT_CONFIGURED)
        params = assistant.params(DEFAULT_MODEL) if assistant else ChatParams(DEFAULT_MODEL)
        if overrides.model:
            params = replace(params, model=overrides.model)
        if override is not None:
            params = override.apply(params)
        return Resolution(
            ReplyTarget(
                endpoint=Endpoint(
                    base_url=overrides.base_url or DEFAULT_BASE_URL,
                    api_key=overrides.environment_key,
                    idle_timeout_s=idle,
                ),
                params=params,
                assistant_id=assistant_id,
                tool_servers=tool_servers,
            )
        )
    if overrides.base_url:
        profile = replace(profile, base_url=overrides.base_url)
    params = profile.chat_params()
    if assistant is not None:
        params = assistant.params(
            params.model, params.temperature, params.max_tokens, params.system_prompt
        )
    if overrides.model:
        params = replace(params, model=overrides.model)
    if override is not None:
        params = override.apply(params)
    api_key = key.value if key is not None else ""
    if profile.needs_key and not api_key:
        if key is not None and key.problem is not None:
            return Resolution(
                None,
                f"The API key for “{profile.name}” could not be read: {key.problem.message} "
                f"{key.problem.how_to_fix}",
            )
        return Resolution(
            None, f"No API key is set for “{profile.name}”: add one in Settings (Ctrl+,)."
        )
    if not params.model:
        return Resolution(None, f"No model is chosen for “{profile.name}”: pick one in Settings.")
    return Resolution(
        ReplyTarget(
            endpoint=profile.endpoint(
                api_key, proxy_password=proxy_password, idle_timeout_s=idle
            ),
            params=params,
            profile_id=profile.id,
            accepts_images=profile.accepts_images,
            assistant_id=assistant_id,
            tool_servers=tool_servers,
        )
    )


class KeyCache:
    """Keyring reads go over D-Bus and may prompt: read once per profile, until settings
    change."""

    def __init__(self, keys: ApiKeys) -> None:
        self.keys = keys
        self._cache: dict[str, tuple[ResolvedKey, str | None]] = {}

    def lookup(self, profile: ProviderProfile) -> tuple[ResolvedKey, str | None]:
        """The key and the proxy password of a profile."""
        found = self._cache.get(profile.id)
        if found is None:
            key = self.keys.lookup(profile)
            proxy_password = self.keys.proxy_password(profile) if profile.proxy else None
            found = (key, proxy_password)
            if key.problem is None:
                self._cache[profile.id] = found
        return found

    def clear(self) -> None:
        self._cache.clear()
