"""Hand-written stand-ins typed against the app's protocols (never mocks)."""

from __future__ import annotations

from zlay_desktop.core.secrets import SecretStoreUnavailable


class MemoryKeyring:
    """The `SecretStore` protocol over a dict: a working keyring, which a test can lock
    (every call then fails as an unusable keyring does) or have refuse one write (an unlock
    prompt dismissed halfway through a save). It counts its reads."""

    def __init__(
        self, entries: dict[str, str] | None = None, *, refused_write: int | None = None
    ) -> None:
        self.entries = dict(entries or {})
        self.locked = False
        self.reads = 0
        self.writes = 0
        self.refused_write = refused_write  # the n-th write (from 0) fails

    def _check(self) -> None:
        if self.locked:
            raise SecretStoreUnavailable("The keyring is locked.", "Unlock it.")

    def get(self, profile_id: str) -> str | None:
        self.reads += 1
        self._check()
        return self.entries.get(profile_id)

    def set(self, profile_id: str, secret: str) -> None:
        self._check()
        self.writes += 1
        if self.writes - 1 == self.refused_write:
            raise SecretStoreUnavailable("The keyring is locked.", "Unlock it.")
        if secret:
            self.entries[profile_id] = secret
        else:
            self.entries.pop(profile_id, None)

    def delete(self, profile_id: str) -> None:
        self._check()
        self.entries.pop(profile_id, None)

    def describe(self) -> str:
        return "test keyring"
