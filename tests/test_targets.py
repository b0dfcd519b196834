"""Which server, model and key a reply goes to (core/targets.py): a saved profile, with the
command line and environment winning, and a plain reason when nothing can be sent."""

from __future__ import annotations

from tests.fakes import MemoryKeyring
from zlay_desktop.core.models import ChatParams
from zlay_desktop.core.secrets import (
    ApiKeys,
    EnvironmentKey,
    KeySource,
    ResolvedKey,
    SecretStoreUnavailable,
    SessionSecretStore,
)
from zlay_desktop.core.settings import ProviderProfile, Settings
from zlay_desktop.core.targets import KeyCache, Overrides, resolve_target

PROFILE = ProviderProfile(
    id="p1", name="Local", base_url="http://127.0.0.1:11434/v1/", model="llama", temperature=0.2
)
KEY = ResolvedKey("sk-local-key-123456", KeySource.KEYRING)


def test_a_profile_with_its_key_is_the_target() -> None:
    target = resolve_target(Settings(), PROFILE, KEY, Overrides()).target
    assert target is not None
    assert target.endpoint.base_url == "http://127.0.0.1:11434/v1"
    assert target.endpoint.api_key == KEY.value
    assert target.params == ChatParams(model="llama", temperature=0.2)
    assert target.profile_id == "p1"  # the conversation remembers which profile answered


def test_the_command_line_wins_over_the_profile() -> None:
    overrides = Overrides(base_url="http://other:8000/v1", model="qwen", idle_timeout_s=5)
    target = resolve_target(Settings(), PROFILE, KEY, overrides).target
    assert target is not None
    assert (target.endpoint.base_url, target.params.model) == ("http://other:8000/v1", "qwen")
    assert target.endpoint.idle_timeout_s == 5


def test_a_missing_key_says_where_to_add_it() -> None:
    resolution = resolve_target(Settings(), PROFILE, ResolvedKey(), Overrides())
    assert resolution.target is None
    assert resolution.problem == "No API key is set for “Local”: add one in Settings (Ctrl+,)."


def test_an_unreadable_keyring_says_what_is_wrong_and_how_to_fix_it() -> None:
    problem = SecretStoreUnavailable("The keyring is locked.", "Unlock it and try again.")
    resolution = resolve_target(Settings(), PROFILE, ResolvedKey(problem=problem), Overrides())
    assert resolution.target is None
    assert resolution.problem is not None
    assert "could not be read: The keyring is locked. Unlock it and try again." in resolution.problem


def test_a_server_without_keys_needs_none_but_needs_a_model() -> None:
    keyless = ProviderProfile(id="p2", name="LM Studio", base_url="http://h/v1", needs_key=False)
    resolution = resolve_target(Settings(), keyless, None, Overrides())
    assert resolution.problem == "No model is chosen for “LM Studio”: pick one in Settings."
    chosen = resolve_target(Settings(), keyless, None, Overrides(model="phi")).target
    assert chosen is not None and chosen.endpoint.api_key == "" and chosen.params.model == "phi"


def test_the_key_cache_reads_the_keyring_once_until_cleared() -> None:
    keyring = MemoryKeyring({"p1": "sk-first-key-1234567"})
    cache = KeyCache(ApiKeys(keyring, SessionSecretStore(), EnvironmentKey({})))
    assert cache.lookup(PROFILE)[0].value == "sk-first-key-1234567"
    reads = keyring.reads
    keyring.entries["p1"] = "sk-second-key-7654321"
    assert cache.lookup(PROFILE)[0].value == "sk-first-key-1234567"  # no second read
    assert keyring.reads == reads
    cache.clear()  # settings changed
    assert cache.lookup(PROFILE)[0].value == "sk-second-key-7654321"


def test_a_keyring_problem_is_not_cached() -> None:
    keyring = MemoryKeyring({"p1": "sk-first-key-1234567"})
    keyring.locked = True
    cache = KeyCache(ApiKeys(keyring, SessionSecretStore(), EnvironmentKey({})))
    assert cache.lookup(PROFILE)[0].problem is not None
    keyring.locked = False  # unlocked: the next Send finds the key
    assert cache.lookup(PROFILE)[0].value == "sk-first-key-1234567"
