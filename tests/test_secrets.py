"""API keys in a real Secret Service, the no-backend path, and the session/environment sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keyring
import pytest
from keyring.backends import SecretService
from keyring.errors import KeyringLocked

from tests.fakes import MemoryKeyring
from zlay_desktop.core.errors import redact
from zlay_desktop.core.secrets import (
    ApiKeys,
    EnvironmentKey,
    KeyChange,
    KeyringSecretStore,
    KeysNotStored,
    KeySource,
    SecretStore,
    SecretStoreUnavailable,
    SessionSecretStore,
)
from zlay_desktop.core.settings import ProviderProfile, proxy_secret_id

pytest_plugins = ["tests.secret_service"]

SECRET = "sk-test-0123456789abcdefSECRET"


def test_keys_round_trip_through_a_real_secret_service(keyring_on_secret_service: Any) -> None:
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    store = KeyringSecretStore(service="zlay-desktop-test")
    store.check()
    assert "Secret Service" in store.describe()

    assert store.get("profile-1") is None
    store.set("profile-1", SECRET)
    assert store.get("profile-1") == SECRET

    store.set("profile-1", SECRET + "-replaced")
    assert store.get("profile-1") == SECRET + "-replaced"

    store.set("profile-2", "another")
    store.delete("profile-1")
    assert store.get("profile-1") is None
    assert store.get("profile-2") == "another"
    store.delete("profile-1")  # deleting what is not there is fine
    store.delete("profile-2")


def test_deleting_a_profile_deletes_its_key_and_proxy_password(
    keyring_on_secret_service: Any,
) -> None:
    store = KeyringSecretStore(service="zlay-desktop-test")
    keys = ApiKeys(store, SessionSecretStore(), EnvironmentKey({}))
    profile = ProviderProfile(id=ProviderProfile.new_id(), name="p", base_url="http://x/v1")
    store.set(profile.id, SECRET)
    store.set(proxy_secret_id(profile.id), "proxy-pw")
    assert keys.lookup(profile).value == SECRET
    assert keys.proxy_password(profile) == "proxy-pw"

    keys.apply([], deleted_profile_ids=[profile.id])

    assert store.get(profile.id) is None
    assert store.get(proxy_secret_id(profile.id)) is None
    assert keys.lookup(profile).source is KeySource.NONE


def test_no_dbus_session_means_a_clear_unavailable_error(keyring_without_backend: Any) -> None:
    store = KeyringSecretStore(service="zlay-desktop-test")
    operations: list[Callable[[], object]] = [
        store.check,
        lambda: store.get("p"),
        lambda: store.set("p", SECRET),
    ]
    for operation in operations:
        with pytest.raises(SecretStoreUnavailable) as caught:
            operation()
        assert "keyring" in caught.value.message
        assert "gnome-keyring" in caught.value.how_to_fix.lower()
        assert SECRET not in str(caught.value)
        assert SECRET not in repr(caught.value)


def test_a_secret_service_backend_without_a_bus_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/zlay-no-bus")
    store = KeyringSecretStore(service="zlay-desktop-test", backend=SecretService.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.set("p", SECRET)
    assert "could not be reached" in caught.value.message
    assert SECRET not in str(caught.value)


class LockedKeyring:
    """A keyring whose unlock prompt the user dismissed, and which quotes what it was given.

    Not a KeyringBackend subclass: those register themselves with `keyring` for every test.
    """

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked(f"Failed to unlock the collection to store {password}!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def test_a_locked_keyring_says_so_and_never_quotes_the_secret() -> None:
    store = KeyringSecretStore(backend=LockedKeyring())
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.set("p", SECRET)
    assert "locked" in caught.value.message
    assert SECRET not in str(caught.value)
    assert SECRET not in caught.value.detail
    assert caught.value.__cause__ is None


def test_session_store_keeps_keys_in_memory_only() -> None:
    store: SecretStore = SessionSecretStore()
    store.set("p", SECRET)
    assert store.get("p") == SECRET
    assert SECRET not in repr(store)
    store.delete("p")
    assert store.get("p") is None
    assert "session" in store.describe()


def test_key_lookup_order_session_then_keyring_then_environment() -> None:
    stored = SessionSecretStore()  # stands in for the keyring: same protocol
    session = SessionSecretStore()
    env = EnvironmentKey({"OPENAI_API_KEY": "sk-from-environment-1234"})
    keys = ApiKeys(stored, session, env)
    openai_profile = ProviderProfile(id="o", name="OpenAI", kind="openai", base_url="https://a/v1")
    other = ProviderProfile(id="c", name="Other", kind="openai-compatible", base_url="http://b/v1")

    assert keys.lookup(openai_profile).source is KeySource.ENVIRONMENT
    # The user's OpenAI key is never offered to another provider's server.
    assert keys.lookup(other).source is KeySource.NONE

    stored.set("o", "sk-stored-key-5678")
    assert keys.lookup(openai_profile).source is KeySource.KEYRING
    session.set("o", "sk-session-key-9012")
    found = keys.lookup(openai_profile)
    assert (found.value, found.source) == ("sk-session-key-9012", KeySource.SESSION)
    assert "sk-session" not in repr(found)


def test_key_lookup_reports_an_unusable_keyring(keyring_without_backend: Any) -> None:
    keys = ApiKeys(KeyringSecretStore(), SessionSecretStore(), EnvironmentKey({}))
    profile = ProviderProfile(id="p", name="p", base_url="http://x/v1")
    found = keys.lookup(profile)
    assert found.source is KeySource.NONE
    assert found.problem is not None and "keyring" in found.problem.message


def test_redact_removes_the_key_and_key_shaped_tokens() -> None:
    text = f"Incorrect API key provided: {SECRET}; also sk-proj-****abcd1234"
    cleaned = redact(text, [SECRET])
    assert SECRET not in cleaned
    assert "abcd1234" not in cleaned


class UnavailableKeyring:
    """A keyring that cannot be used at all (no backend, locked, no D-Bus)."""

    def __init__(self) -> None:
        self.calls = 0

    def _fail(self) -> None:
        self.calls += 1
        raise SecretStoreUnavailable(
            "No system keyring is available, so API keys cannot be stored.", "Install one."
        )

    def get(self, profile_id: str) -> str | None:
        self._fail()
        return None

    def set(self, profile_id: str, secret: str) -> None:
        self._fail()

    def delete(self, profile_id: str) -> None:
        self._fail()

    def describe(self) -> str:
        return "no keyring"


def _profile(profile_id: str = "p", kind: Any = "openai-compatible") -> ProviderProfile:
    return ProviderProfile(id=profile_id, name=profile_id, kind=kind, base_url="http://x/v1")


def test_apply_stores_a_key_in_the_keyring_and_drops_the_session_copy(
    keyring_on_secret_service: Any,
) -> None:
    store = KeyringSecretStore(service="zlay-desktop-test")
    session = SessionSecretStore()
    keys = ApiKeys(store, session, EnvironmentKey({}))
    session.set("p", "sk-old-session-key-1111")

    result = keys.apply([KeyChange("p", SECRET, session_only=False, proxy_password="pw")])

    assert result.not_removed == ()
    assert store.get("p") == SECRET
    assert store.get(proxy_secret_id("p")) == "pw"
    assert session.get("p") is None
    assert keys.lookup(_profile()).source is KeySource.KEYRING
    keys.apply([], deleted_profile_ids=["p"])


def test_apply_moves_a_key_to_the_session_and_removes_the_stored_copy(
    keyring_on_secret_service: Any,
) -> None:
    store = KeyringSecretStore(service="zlay-desktop-test")
    session = SessionSecretStore()
    keys = ApiKeys(store, session, EnvironmentKey({}))
    store.set("p", SECRET)

    keys.apply([KeyChange("p", SECRET, session_only=True)])

    assert store.get("p") is None
    assert session.get("p") == SECRET
    assert keys.lookup(_profile()).source is KeySource.SESSION


def test_clearing_a_key_removes_every_copy(keyring_on_secret_service: Any) -> None:
    store = KeyringSecretStore(service="zlay-desktop-test")
    session = SessionSecretStore()
    keys = ApiKeys(store, session, EnvironmentKey({}))
    store.set("p", SECRET)
    session.set("p", SECRET)

    keys.apply([KeyChange("p", "")])

    assert (store.get("p"), session.get("p")) == (None, None)
    assert keys.lookup(_profile()).source is KeySource.NONE


def test_without_a_keyring_storing_a_key_is_refused_and_nothing_is_written() -> None:
    session = SessionSecretStore()
    keys = ApiKeys(UnavailableKeyring(), session, EnvironmentKey({}))

    with pytest.raises(KeysNotStored) as caught:
        keys.apply([KeyChange("a", "", session_only=True, proxy_password=None),
                    KeyChange("b", SECRET), KeyChange("c", "sk-session-key-2222", session_only=True)])  # fmt: skip

    assert caught.value.profile_ids == ("b",)
    assert "keyring" in caught.value.message
    assert SECRET not in str(caught.value)
    assert session.get("c") is None  # nothing written half-way


def test_without_a_keyring_clearing_or_session_keys_never_block() -> None:
    session = SessionSecretStore()
    session.set("gone", "sk-deleted-profile-3333")
    keys = ApiKeys(UnavailableKeyring(), session, EnvironmentKey({}))

    result = keys.apply(
        [KeyChange("cleared", ""), KeyChange("s", SECRET, session_only=True, proxy_password="pw")],
        deleted_profile_ids=["gone"],
    )

    assert session.get("s") == SECRET
    assert session.get(proxy_secret_id("s")) == "pw"
    assert session.get("gone") is None
    # The old keyring copies could not be reached: said, not raised.
    assert "cleared" in result.not_removed and "gone" in result.not_removed
    assert result.problem is not None
    found = keys.lookup(_profile("s"))
    assert (found.value, found.source) == (SECRET, KeySource.SESSION)


def test_a_pending_change_is_looked_up_as_it_will_be_after_apply() -> None:
    keys = ApiKeys(
        UnavailableKeyring(),
        SessionSecretStore(),
        EnvironmentKey({"OPENAI_API_KEY": "sk-from-environment-1234"}),
    )
    other = _profile("c")
    openai = _profile("o", kind="openai")

    # Nothing typed, no keyring: what Send would see, with the reason.
    found = keys.lookup(other)
    assert found.source is KeySource.NONE and found.problem is not None
    typed = keys.lookup(other, KeyChange("c", SECRET, session_only=True))
    assert (typed.value, typed.source) == (SECRET, KeySource.SESSION)
    assert keys.lookup(other, KeyChange("c", SECRET)).source is KeySource.KEYRING
    # A cleared key falls back to the environment, for OpenAI profiles only.
    assert keys.lookup(openai, KeyChange("o", "")).source is KeySource.ENVIRONMENT
    assert keys.lookup(other, KeyChange("c", "")).source is KeySource.NONE
    assert keys.keyring_problem() is not None


def test_a_keyring_write_failing_halfway_leaves_every_secret_as_it_was() -> None:
    stored = MemoryKeyring({"a": "old-a", "gone": "old-gone"}, refused_write=1)
    session = SessionSecretStore()
    session.set("b", "session-b")
    keys = ApiKeys(stored, session)
    changes = [KeyChange("a", "new-a"), KeyChange("b", "new-b"), KeyChange("c", "new-c")]
    with pytest.raises(KeysNotStored) as refused:
        keys.apply(changes, ["gone"])
    assert set(refused.value.profile_ids) == {"a", "b", "c"}
    assert stored.entries == {"a": "old-a", "gone": "old-gone"}  # "a" was put back
    assert session.get("b") == "session-b"
