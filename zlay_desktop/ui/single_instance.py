"""One running app per user and data folder.

Two windows on the same history would not see each other's new conversations. So the first
app holds a lock file and listens on a local socket (`QLocalServer`: a Unix socket, or a
named pipe on Windows), both named after the user and the data folder; a second launch finds
the lock taken, hands its request to the socket — focus the window, ask a question, show the
quick-ask window — and exits before showing anything. The first app's start pays only for
the lock: QtNetwork is loaded once the window is up (or by a launch that hands over).
"""

from __future__ import annotations

import getpass
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QDir, QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

log = logging.getLogger(__name__)

HAND_OVER_TIMEOUT_MS = 1_000
MAX_REQUEST_BYTES = 1_000_000


class LaunchRequest(NamedTuple):
    """What a launch asked the running app to do."""

    action: str  # "focus", "ask" or "quick"
    text: str = ""

    def encode(self) -> bytes:
        import json

        return json.dumps({"action": self.action, "text": self.text}).encode() + b"\n"

    @classmethod
    def decode(cls, data: bytes) -> LaunchRequest | None:
        import json

        try:
            raw = json.loads(data.decode("utf-8", errors="replace"))
        except ValueError:
            return None
        if not isinstance(raw, dict):
            return None
        action, text = raw.get("action"), raw.get("text", "")
        if action not in ("focus", "ask", "quick") or not isinstance(text, str):
            return None
        return cls(action, text)


def instance_name(portable_dir: Path | None) -> str:
    """The socket's name: per user, and per data folder: the platform's (None) or a
    portable `--data-dir`. Cheap on purpose: it is worked out before the window shows
    (no platformdirs lookup, no hashlib)."""
    where = "default"
    if portable_dir is not None:
        where = f"{_short_hash(str(portable_dir.expanduser().resolve())):08x}"
    user = "".join(c for c in getpass.getuser() if c.isalnum())[:32] or "user"
    return f"zlay-desktop-{user}-{where}"


def _short_hash(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8", errors="surrogatepass"))


def hand_over(name: str, request: LaunchRequest, timeout_ms: int = HAND_OVER_TIMEOUT_MS) -> bool:
    """Gives `request` to the app already running under `name`; False when none runs."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(request.encode())
    delivered = socket.waitForBytesWritten(timeout_ms)
    if delivered:
        # The running app answers once it read the request. A busy app may answer late;
        # the request waits in its socket all the same, so this launch ends either way
        # (a second app on the same history is what must not happen).
        socket.waitForReadyRead(timeout_ms)
    socket.disconnectFromServer()
    return delivered


CLAIM_TIMEOUT_S = 20.0
"""How long a launch waits for another one, starting at the same moment, to listen."""


def claim_instance(name: str, request: LaunchRequest) -> QLockFile | None:
    """The lock that makes this process the one app under `name`, or None when the app
    that holds it (running, or started at the same moment) has taken this launch's request.

    (A socket alone cannot tell two launches apart that both found nobody listening: the
    lock file can, and Qt sees a lock left by a process that died as stale.)"""
    lock = QLockFile(f"{QDir.tempPath()}/{name}.lock")
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
    if lock.tryLock(0):
        return lock  # no app runs under `name`: this one is it
    # Another app holds the lock: it listens (or will once its window is up).
    if hand_over(name, request):
        return None
    deadline = time.monotonic() + CLAIM_TIMEOUT_S
    while not lock.tryLock(100):
        if hand_over(name, request, timeout_ms=200):
            return None
        if time.monotonic() > deadline:
            log.warning("another app holds %s but does not answer: starting anyway", name)
            return lock
    return lock


class InstanceServer(QObject):
    """Listens for later launches; each request arrives as `request_received`."""

    request_received = Signal(LaunchRequest)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self._server = QLocalServer(self)
        # Only this user may connect (the socket file's permissions on Unix).
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        if not self._server.listen(name):
            # A socket left behind by an app that crashed: nobody answers it (hand_over
            # has just tried), so it is safe to take over.
            QLocalServer.removeServer(name)
            if not self._server.listen(name):
                log.warning("not listening for other launches: %s", self._server.errorString())

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if len(buffer) > MAX_REQUEST_BYTES:
                    socket.abort()
                    return
                if b"\n" not in buffer:
                    return
                request = LaunchRequest.decode(bytes(buffer.split(b"\n", 1)[0]))
                socket.write(b"ok\n")
                socket.flush()
                socket.disconnectFromServer()
                if request is not None:
                    self.request_received.emit(request)

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)
