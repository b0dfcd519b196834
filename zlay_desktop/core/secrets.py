"""Where API keys live: the OS keyring, this session's memory, or the environment.

Never a file of our own: when no keyring backend is usable the user is told why and how to
fix it, and may keep a key in memory for the session (`SessionSecretStore`). Exceptions and
reprs here never carry a secret.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from zlay_desktop.core.errors import redact
from zlay_desktop.core.i18n import translate
from zlay_desktop.core.settings import ProviderProfile, proxy_secret_id

SERVICE_NAME = "zlay-desktop"
ENVIRONMENT_KEY_NAME = "OPENAI_API_KEY"
_PROBE_ENTRY = "zlay-desktop-availability-probe"


class SecretStore(Protocol):
    """One secret per entry name (a profile id, or `proxy_secret_id(profile_id)`)."""

    def get(self, profile_id: str) -> str | None: ...

    def set(self, profile_id: str, secret: str) -> None: ...

    def delete(self, profile_id: str) -> None:
        """Removes the entry; no error when there is none."""
        ...

    def describe(self) -> str:
        """Which backend, in words for the user ("Secret Service (GNOME Keyring, KWallet)")."""
        ...


class SecretStoreUnavailable(Exception):
    """The keyring cannot be used. `message` says what is wrong, `how_to_fix` what to do."""

    def __init__(self, message: str, how_to_fix: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.how_to_fix = how_to_fix
        self.detail = detail  # the backend's own words, redacted

    def __str__(self) -> str:
        return self.message if not self.detail else f"{self.message} ({self.detail})"


def how_to_fix_keyring(platform: str | None = None) -> str:
    """Advice for this OS on getting a usable keyring."""
    platform = platform or sys.platform
    if platform == "darwin":
        return translate(
            "Secrets",
            "Zlay Desktop keeps API keys in the macOS Keychain. Open Keychain "
            "Access, make sure the 'login' keychain is unlocked, and allow Zlay "
            "Desktop when macOS asks.",
        )
    if platform.startswith("win"):
        return translate(
            "Secrets",
            "Zlay Desktop keeps API keys in the Windows Credential Manager. Make "
            "sure the 'Credential Manager' service is running (services.msc) and "
            "that you are signed in with a normal user account.",
        )
    return translate(
        "Secrets",
        "Zlay Desktop keeps API keys in the Secret Service of your desktop. "
        "Install and start GNOME Keyring (e.g. 'sudo apt install "
        "gnome-keyring') or KWallet, and unlock the 'login' keyring (logging "
        "in to a desktop session usually does both). Without a desktop "
        "session, start one with 'dbus-run-session' and "
        "'gnome-keyring-daemon --unlock'.",
    )


class KeyringSecretStore:
    """Secrets in the OS keyring via `keyring`, one entry per name, under one service name.

    `backend` defaults to whatever `keyring.get_keyring()` returns at each call, so a
    backend chosen later (or by the user's keyringrc) is honoured.
    """

    def __init__(self, service: str = SERVICE_NAME, backend: Any = None) -> None:
        self.service = service
        self._backend = backend

    def __repr__(self) -> str:
        return f"KeyringSecretStore(service={self.service!r})"

    def backend(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    def describe(self) -> str:
        try:
            return _backend_label(self.backend())
        except Exception:  # noqa: BLE001 - describing must never fail
            return translate("Secrets", "system keyring")

    def check(self) -> None:
        """Raises `SecretStoreUnavailable` unless the keyring can be read right now."""
        self._call(lambda b: b.get_password(self.service, _PROBE_ENTRY), secret=None)

    def get(self, profile_id: str) -> str | None:
        value = self._call(lambda b: b.get_password(self.service, profile_id), secret=None)
        return value if isinstance(value, str) else None

    def set(self, profile_id: str, secret: str) -> None:
        if not secret:
            self.delete(profile_id)
            return
        self._call(lambda b: b.set_password(self.service, profile_id, secret), secret=secret)

    def delete(self, profile_id: str) -> None:
        from keyring.errors import PasswordDeleteError

        def delete(b: Any) -> None:
            # Nothing stored is already the state we want.
            with contextlib.suppress(PasswordDeleteError):
                b.delete_password(self.service, profile_id)

        self._call(delete, secret=None)

    def _call(self, operation: Any, *, secret: str | None) -> Any:
        backend = self.backend()
        _ensure_usable(backend)
        try:
            return operation(backend)
        except SecretStoreUnavailable:
            raise
        except Exception as e:  # noqa: BLE001 - every backend failure becomes one kind
            # `from None`: the original may quote arguments; the detail is redacted instead.
            raise _unavailable_from(e, secret) from None


def _backend_label(backend: Any) -> str:
    module = type(backend).__module__
    if module.endswith("SecretService"):
        return translate("Secrets", "system keyring (Secret Service)")
    if module.endswith("kwallet"):
        return translate("Secrets", "system keyring (KWallet)")
    if module.endswith("macOS"):
        return translate("Secrets", "macOS Keychain")
    if module.endswith("Windows"):
        return translate("Secrets", "Windows Credential Manager")
    if module.endswith("chainer"):
        labels = [_backend_label(b) for b in getattr(backend, "backends", ())]
        return " + ".join(labels) if labels else translate("Secrets", "no keyring")
    if module.endswith(("fail", "null")):
        return translate("Secrets", "no keyring")
    return translate("Secrets", "keyring backend {0}").format(type(backend).__name__)


def _ensure_usable(backend: Any) -> None:
    from keyring.backends import chainer, fail, null

    reason: str | None = None
    if isinstance(backend, fail.Keyring):
        reason = translate(
            "Secrets", "No system keyring is available, so API keys cannot be stored."
        )
    elif isinstance(backend, null.Keyring):
        reason = translate(
            "Secrets",
            "The keyring is disabled (keyring's null backend), so API keys cannot be stored.",
        )
    elif isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        reason = translate(
            "Secrets", "No system keyring is available, so API keys cannot be stored."
        )
    if reason:
        raise SecretStoreUnavailable(reason, how_to_fix_keyring())


def _unavailable_from(e: Exception, secret: str | None) -> SecretStoreUnavailable:
    from keyring.errors import InitError, KeyringLocked, NoKeyringError, PasswordSetError

    detail = redact(f"{type(e).__name__}: {e}", [secret] if secret else [])
    name = type(e).__name__
    if isinstance(e, KeyringLocked) or name in ("LockedException", "PromptDismissedException"):
        message = translate(
            "Secrets",
            "The system keyring is locked (or the unlock prompt was dismissed), "
            "so API keys cannot be read or stored.",
        )
    elif isinstance(e, NoKeyringError):
        message = translate(
            "Secrets", "No system keyring is available, so API keys cannot be stored."
        )
    elif isinstance(e, InitError) or name in (
        "SecretServiceNotAvailableException",
        "DBusErrorResponse",
    ):
        message = translate(
            "Secrets", "The system keyring (Secret Service over D-Bus) could not be reached."
        )
    elif isinstance(e, PasswordSetError):
        message = translate("Secrets", "The system keyring refused to store the key.")
    elif isinstance(e, OSError | RuntimeError | ConnectionError):
        message = translate("Secrets", "The system keyring could not be reached.")
    else:
        message = translate("Secrets", "The system keyring failed.")
    return SecretStoreUnavailable(message, how_to_fix_keyring(), detail)


class SessionSecretStore:
    """Keys kept in memory for this run only ("use this key for this session only")."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"SessionSecretStore({len(self._secrets)} entries)"

    def get(self, profile_id: str) -> str | None:
        return self._secrets.get(profile_id)

    def set(self, profile_id: str, secret: str) -> None:
        if secret:
            self._secrets[profile_id] = secret
        else:
            self._secrets.pop(profile_id, None)

    def delete(self, profile_id: str) -> None:
        self._secrets.pop(profile_id, None)

    def describe(self) -> str:
        return translate("Secrets", "this session only (kept in memory)")


class EnvironmentKey:
    """`OPENAI_API_KEY` as a read-only key source.

    Only offered to profiles of kind "openai": sending a user's OpenAI key to another
    provider's server would hand that secret to a third party.
    """

    def __init__(
        self, environ: Mapping[str, str] | None = None, name: str = ENVIRONMENT_KEY_NAME
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self.name = name

    def __repr__(self) -> str:
        return f"EnvironmentKey({self.name!r})"

    def get(self) -> str | None:
        value = self._environ.get(self.name, "").strip()
        return value or None

    def applies_to(self, profile: ProviderProfile) -> bool:
        return profile.kind == "openai"

    def describe(self) -> str:
        return translate("Secrets", "environment variable {0} (read-only)").format(self.name)


class KeySource(enum.StrEnum):
    KEYRING = "keyring"
    SESSION = "session"
    ENVIRONMENT = "environment"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    value: str = field(default="", repr=False)
    source: KeySource = KeySource.NONE
    problem: SecretStoreUnavailable | None = None  # the keyring could not be read


@dataclass(frozen=True, slots=True)
class KeyChange:
    """What the user did to one profile's secrets in Settings.

    `key` None: the key was not touched; "" clears it. `proxy_password` likewise.
    `session_only`: keep the secrets in memory for this run instead of the keyring.
    """

    profile_id: str
    key: str | None = field(default=None, repr=False)
    session_only: bool = False
    proxy_password: str | None = field(default=None, repr=False)

    @property
    def needs_keyring(self) -> bool:
        """Only storing a non-empty secret needs the keyring; clearing one never does."""
        return not self.session_only and bool(self.key or self.proxy_password)


class KeysNotStored(SecretStoreUnavailable):
    """Nothing was written: these profiles' secrets need the keyring, which is unusable."""

    def __init__(self, problem: SecretStoreUnavailable, profile_ids: tuple[str, ...]) -> None:
        super().__init__(problem.message, problem.how_to_fix, problem.detail)
        self.profile_ids = profile_ids


@dataclass(frozen=True, slots=True)
class AppliedKeys:
    """What `ApiKeys.apply` could not finish: old keyring copies it could not remove (the
    keyring was unusable), so they may come back when the keyring does."""

    not_removed: tuple[str, ...] = ()
    problem: SecretStoreUnavailable | None = None


class ApiKeys:
    """Finds the key for a profile: this session's key, then the keyring, then the environment;
    and stores what the user changed in Settings."""

    def __init__(
        self,
        stored: SecretStore,
        session: SessionSecretStore,
        environment: EnvironmentKey | None = None,
    ) -> None:
        self.stored = stored
        self.session = session
        self.environment = environment or EnvironmentKey()

    def lookup(self, profile: ProviderProfile, pending: KeyChange | None = None) -> ResolvedKey:
        """The key a request for `profile` uses; with `pending`, the key it will use once
        that change is applied (the same order, so Settings tests what Send will send)."""
        if pending is not None and pending.key is not None:
            if pending.key:
                source = KeySource.SESSION if pending.session_only else KeySource.KEYRING
                return ResolvedKey(pending.key, source)
            return self._environment_key(profile, None)  # cleared: nothing stored remains
        session_key = self.session.get(profile.id)
        if session_key:
            return ResolvedKey(session_key, KeySource.SESSION)
        problem: SecretStoreUnavailable | None = None
        try:
            stored = self.stored.get(profile.id)
        except SecretStoreUnavailable as e:
            stored, problem = None, e
        if stored:
            return ResolvedKey(stored, KeySource.KEYRING)
        return self._environment_key(profile, problem)

    def _environment_key(
        self, profile: ProviderProfile, problem: SecretStoreUnavailable | None
    ) -> ResolvedKey:
        env_key = self.environment_key_for(profile)
        if env_key:
            return ResolvedKey(env_key, KeySource.ENVIRONMENT, problem)
        return ResolvedKey("", KeySource.NONE, problem)

    def environment_key_for(self, profile: ProviderProfile) -> str | None:
        """The environment's key, when this profile may be given it."""
        return self.environment.get() if self.environment.applies_to(profile) else None

    def proxy_password(self, profile: ProviderProfile) -> str | None:
        entry = proxy_secret_id(profile.id)
        session_pw = self.session.get(entry)
        if session_pw:
            return session_pw
        try:
            return self.stored.get(entry)
        except SecretStoreUnavailable:
            return None

    def keyring_problem(self) -> SecretStoreUnavailable | None:
        """Why the keyring cannot be used right now, or None when it can."""
        try:
            self.stored.get(_PROBE_ENTRY)
        except SecretStoreUnavailable as e:
            return e
        return None

    def apply(
        self, changes: Sequence[KeyChange], deleted_profile_ids: Sequence[str] = ()
    ) -> AppliedKeys:
        """Stores the changes and deletes deleted profiles' secrets.

        Raises `KeysNotStored`, having changed nothing, when a change must store a secret in
        the keyring and the keyring is unusable (found before writing, or by a write that
        fails: the keyring entries written before it are put back). Removing an old copy
        never blocks: with the keyring down it is reported in the result instead.
        """
        needing = tuple(c.profile_id for c in changes if c.needs_keyring)
        if needing:
            problem = self.keyring_problem()
            if problem is not None:
                raise KeysNotStored(problem, needing)
        puts = [
            (entry, secret, change)
            for change in changes
            for entry, secret in (
                (change.profile_id, change.key),
                (proxy_secret_id(change.profile_id), change.proxy_password),
            )
            if secret is not None
        ]
        # The writes that can fail come first, all of them, so that a failure leaves
        # nothing half done; then what cannot fail (memory) and what may (old copies).
        self._store_all([(e, s, c) for e, s, c in puts if s and not c.session_only])
        cleanup = _Cleanup(self.stored)
        for entry, secret, change in puts:
            if secret and change.session_only:
                self.session.set(entry, secret)
                cleanup.delete(entry)  # moved to "session only": no stored copy lingers
            else:
                self.session.delete(entry)
                if not secret:
                    cleanup.delete(entry)
        for profile_id in deleted_profile_ids:
            for entry in (profile_id, proxy_secret_id(profile_id)):
                self.session.delete(entry)
                cleanup.delete(entry)
        return AppliedKeys(tuple(cleanup.not_removed), cleanup.problem)

    def _store_all(self, puts: Sequence[tuple[str, str, KeyChange]]) -> None:
        """Writes every secret to the keyring, or puts back what it wrote and raises."""
        written: list[tuple[str, str | None]] = []
        try:
            for entry, secret, _change in puts:
                before = self.stored.get(entry)
                self.stored.set(entry, secret)
                written.append((entry, before))
        except SecretStoreUnavailable as e:
            for entry, before in reversed(written):
                with contextlib.suppress(SecretStoreUnavailable):
                    if before:
                        self.stored.set(entry, before)
                    else:
                        self.stored.delete(entry)
            raise KeysNotStored(e, tuple(dict.fromkeys(c.profile_id for _, _, c in puts))) from e


class _Cleanup:
    """Deletes keyring entries, noting those it could not reach instead of failing."""

    def __init__(self, stored: SecretStore) -> None:
        self._stored = stored
        self.not_removed: list[str] = []
        self.problem: SecretStoreUnavailable | None = None

    def delete(self, entry: str) -> None:
        try:
            self._stored.delete(entry)
        except SecretStoreUnavailable as e:
            self.not_removed.append(entry)
            self.problem = e
