"""Watchers at the app's edges for the security tests: links in the transcript, URLs handed
to the desktop, processes started, network connections made."""

from __future__ import annotations

import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from tests.transcript_driver import Anchor, html_anchors, press
from zlay_desktop.ui.transcript import TranscriptView
from zlay_desktop.ui.transcript.view import ACTION_LABELS

# -- links in the transcript ----------------------------------------------------------------


def anchors(view: TranscriptView) -> list[Anchor]:
    """Every link the transcript shows, in order: the links in the messages' rendered
    Markdown, and the app's own action buttons (as ``zlay:<action>?message=<key>``)."""
    found: list[Anchor] = []
    for row in view.model.rows():
        for action in row.extra.get("actions", ()):
            found.append(Anchor(ACTION_LABELS[action], f"zlay:{action}?message={row.key}", row.key))
        if row.html:
            found += html_anchors(row.html, row.key)
    return found


def click_anchor(view: TranscriptView, anchor: Anchor) -> None:
    """A click on a link: an action button is pressed through the accessibility tree (as a
    screen reader does), a link in a message goes where the QML's click on a link sends it."""
    if anchor.href.startswith("zlay:") and "block=" not in anchor.href:
        press(view, anchor.text, anchor.key)
    else:
        view.activate_link(QUrl(anchor.href))


# -- URLs handed to the desktop -------------------------------------------------------------

WATCHED_SCHEMES = (
    "http", "https", "mailto", "file", "ftp", "javascript", "data", "zlay", "vscode", "ssh",
    "smb", "x-scheme",
)  # fmt: skip


class UrlHandlerRecorder(QObject):
    """Takes the place of the desktop's browser for ``QDesktopServices.openUrl``.

    Qt calls a handler registered with ``QDesktopServices.setUrlHandler`` instead of starting
    the system's opener, so whatever the app asks the desktop to open lands here."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@contextmanager
def recorded_desktop_opens() -> Iterator[UrlHandlerRecorder]:
    recorder = UrlHandlerRecorder()
    for scheme in WATCHED_SCHEMES:
        # The stubs say bytes; PySide6 6.12 accepts only a str here.
        QDesktopServices.setUrlHandler(scheme, recorder, "open_url")  # type: ignore[arg-type]
    try:
        yield recorder
    finally:
        for scheme in WATCHED_SCHEMES:
            QDesktopServices.unsetUrlHandler(scheme)


# -- processes started ------------------------------------------------------------------------

# Audit events (PEP 578) raised when Python code starts a process or opens a browser.
PROCESS_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.fork",
        "os.forkpty",
        "os.posix_spawn",
        "os.spawn",
        "os.startfile",
        "pty.spawn",
        "webbrowser.open",
    }
)


class _ProcessWatch:
    """One audit hook for the whole test session (hooks cannot be removed); it records
    only while a ``recorded_process_starts()`` block is active."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active: list[list[tuple[str, str]]] = []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or event not in PROCESS_EVENTS:
            return
        with self.lock:
            for records in self.active:
                records.append((event, repr(args)[:200]))


_watch: _ProcessWatch | None = None


@contextmanager
def recorded_process_starts() -> Iterator[list[tuple[str, str]]]:
    """Every process start or browser launch from Python code while the block runs."""
    global _watch
    if _watch is None:
        _watch = _ProcessWatch()
    records: list[tuple[str, str]] = []
    with _watch.lock:
        _watch.active.append(records)
    try:
        yield records
    finally:
        with _watch.lock:
            _watch.active.remove(records)


# -- network connections --------------------------------------------------------------------


@dataclass
class HitCounter:
    """Counts every TCP connection and HTTP request that reaches a local web server."""

    connections: int = 0
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    counter: HitCounter

    def do_GET(self) -> None:
        with self.counter.lock:
            self.counter.requests.append(self.path)
        body = b"GIF89a"  # anything: nothing should ever ask
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _CountingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    counter: HitCounter

    def verify_request(self, request: Any, client_address: Any) -> bool:
        with self.counter.lock:
            self.counter.connections += 1
        return True


class TrackingWebServer:
    """A web server on loopback that hostile output points its images and links at; after
    rendering, ``hits`` must still be zero."""

    def __init__(self) -> None:
        self.counter = HitCounter()
        handler = type("Handler", (_CountingHandler,), {"counter": self.counter})
        self._server = _CountingServer(("127.0.0.1", 0), handler)
        self._server.counter = self.counter
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="tracking-web-server", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def hits(self) -> int:
        with self.counter.lock:
            return self.counter.connections + len(self.counter.requests)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5.0)
