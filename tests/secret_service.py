"""A real Secret Service for tests: a private D-Bus session bus plus gnome-keyring-daemon.

`secret_service` (session scope) starts both in a temporary HOME and tears them down at the
end; `keyring_on_secret_service` (per test) points this process's D-Bus address and the
`keyring` package at it, and restores both afterwards. Nothing touches the user's own keyring.

Use by importing the fixtures into a test module (or list this module in `pytest_plugins`).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

STARTUP_TIMEOUT_S = 15.0
SECRETS_BUS_NAME = "org.freedesktop.secrets"
KEYRING_PASSWORD = "zlay-test-login-password"


@dataclass(frozen=True)
class SecretServiceSession:
    bus_address: str
    home: Path


class SecretServiceStartError(RuntimeError):
    pass


def _missing_binaries() -> list[str]:
    return [b for b in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(b) is None]


def _read_line(proc: subprocess.Popen[bytes], deadline: float) -> str:
    """One line of the process's stdout, or an error once the deadline passes."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
            raise SecretServiceStartError("dbus-daemon did not print its address in time")
    return proc.stdout.readline().decode().strip()


def _name_has_owner(bus_address: str, name: str) -> bool:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                      interface="org.freedesktop.DBus")
    with open_dbus_connection(bus=bus_address) as conn:
        reply = conn.send_and_get_reply(new_method_call(bus, "NameHasOwner", "s", (name,)))
    return bool(reply.body[0])


def _wait_for_owner(bus_address: str, daemon: subprocess.Popen[bytes], deadline: float) -> None:
    while not _name_has_owner(bus_address, SECRETS_BUS_NAME):
        if time.monotonic() > deadline:
            raise SecretServiceStartError(f"{SECRETS_BUS_NAME} was not claimed in time")
        # Waiting on the daemon doubles as the poll interval and notices an early exit.
        with contextlib.suppress(subprocess.TimeoutExpired):
            code = daemon.wait(timeout=0.02)
            raise SecretServiceStartError(f"gnome-keyring-daemon exited with status {code}")


def _check_login_collection(bus_address: str) -> None:
    """gnome-keyring --unlock creates the 'login' collection; make sure it is there, unlocked."""
    import secretstorage
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus=bus_address) as conn:
        collection = secretstorage.get_default_collection(conn)
        if collection.is_locked():
            raise SecretServiceStartError("the default (login) collection is locked")


def _stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@contextlib.contextmanager
def running_secret_service() -> Iterator[SecretServiceSession]:
    """Starts dbus-daemon and gnome-keyring-daemon in a temporary home; stops them on exit."""
    with tempfile.TemporaryDirectory(prefix="zlay-secret-service-") as tmp:
        root = Path(tmp)
        home = root / "home"
        runtime = root / "runtime"
        for d in (home / ".local" / "share", home / ".config", home / ".cache", runtime):
            d.mkdir(parents=True)
        runtime.chmod(0o700)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "LANG": "C.UTF-8",
        }
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        bus: subprocess.Popen[bytes] | None = None
        keyring_daemon: subprocess.Popen[bytes] | None = None
        try:
            bus = subprocess.Popen(
                [
                    "dbus-daemon",
                    "--session",
                    "--nofork",
                    "--print-address=1",
                    f"--address=unix:dir={runtime}",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            address = _read_line(bus, deadline)
            if not address:
                raise SecretServiceStartError(f"dbus-daemon exited with status {bus.wait()}")
            env["DBUS_SESSION_BUS_ADDRESS"] = address
            keyring_daemon = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            assert keyring_daemon.stdin is not None
            # --unlock reads the login password from stdin, up to EOF.
            keyring_daemon.stdin.write(KEYRING_PASSWORD.encode())
            keyring_daemon.stdin.close()
            _wait_for_owner(address, keyring_daemon, deadline)
            _check_login_collection(address)
            yield SecretServiceSession(bus_address=address, home=home)
        finally:
            _stop(keyring_daemon)
            _stop(bus)


@pytest.fixture(scope="session")
def secret_service() -> Iterator[SecretServiceSession]:
    missing = _missing_binaries()
    if missing:
        pytest.skip(
            f"a real Secret Service needs {', '.join(missing)} "
            "(Debian: apt-get install dbus gnome-keyring; scripts/test installs them)"
        )
    with running_secret_service() as session:
        yield session


@pytest.fixture
def keyring_on_secret_service(
    secret_service: SecretServiceSession, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """This process talks to the private Secret Service; `keyring` re-detects its backend."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.bus_address)
    with _redetected_backend(monkeypatch) as backend:
        yield backend


@pytest.fixture
def keyring_without_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """No D-Bus session at all: `keyring` finds no usable backend."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/zlay-no-bus")
    with _redetected_backend(monkeypatch) as backend:
        yield backend


@contextlib.contextmanager
def _redetected_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Lets `keyring` pick its backend afresh for the current environment, then restores it.

    keyring caches the list of viable backends for the life of the process (a real app never
    changes its D-Bus session); tests do, so the cache is cleared on the way in and out.
    """
    import keyring
    import keyring.backend
    import keyring.core

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    previous = keyring.core._keyring_backend
    _forget_viable_backends()
    keyring.core.init_backend()
    try:
        yield keyring.get_keyring()
    finally:
        _forget_viable_backends()
        keyring.core._keyring_backend = previous


def _forget_viable_backends() -> None:
    import keyring.backend

    with contextlib.suppress(KeyError):  # nothing cached yet
        keyring.backend.get_all_keyring.reset()
