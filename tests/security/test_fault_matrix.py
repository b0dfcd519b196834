"""Every way a server or the network can fail, through the whole stack (real SDK, real
sockets, the project's test server, the window, a real history database): what the user
reads, that the text which arrived is kept on screen and on disk, and that the next message
works."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LoopRunner
from tests.harness import ChatHarness
from tests.security.support import anchors, click_anchor
from tests.testserver import (
    ChatScript,
    Close,
    CloseAfterHeaders,
    HttpError,
    InStreamError,
    Malformed,
    OpenAITestServer,
    Reset,
    Script,
    Stall,
    StallBeforeHeaders,
    Text,
)
from tests.testserver.tls import self_signed_server_context
from zlay_desktop.core.models import ErrorKind, Message, ReplyState, Role
from zlay_desktop.core.store import SqliteHistoryStore

IDLE_TIMEOUT_S = 0.5
PARTIAL = "Half of the answer"


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@dataclass(frozen=True)
class Servers:
    plain: OpenAITestServer
    tls: OpenAITestServer


@dataclass(frozen=True)
class Fault:
    name: str
    script: Script | None  # what the plain server answers (None: the request never gets there)
    base_url: Callable[[Servers], str]
    kind: ErrorKind
    shown: str  # words the user reads in the failed reply's footer
    partial: str = ""  # the text that arrived before the failure


def plain(servers: Servers) -> str:
    return servers.plain.base_url


FAULTS = [
    Fault("connection-refused", None, lambda _: closed_port_url(), ErrorKind.CONNECTION,
          "Nothing is listening at 127.0.0.1:"),
    Fault("dns-failure", None, lambda _: "http://zlay-no-such-host.invalid/v1", ErrorKind.CONNECTION,
          "could not be found (DNS)"),
    Fault("tls-self-signed", None, lambda s: s.tls.base_url, ErrorKind.CONNECTION,
          "A secure connection to 127.0.0.1:"),
    Fault("reset-mid-stream", ChatScript([Text(PARTIAL), Reset()]), plain, ErrorKind.CONNECTION,
          "was lost", PARTIAL),
    Fault("stall-before-first-byte", StallBeforeHeaders(), plain, ErrorKind.TIMEOUT,
          f"No data from the server for {IDLE_TIMEOUT_S:g} s"),
    Fault("stall-mid-stream", ChatScript([Text(PARTIAL), Stall()]), plain, ErrorKind.TIMEOUT,
          f"No data from the server for {IDLE_TIMEOUT_S:g} s", PARTIAL),
    Fault("in-stream-error", ChatScript([Text(PARTIAL), InStreamError("The model is overloaded")]),
          plain, ErrorKind.STREAM_ERROR, "The model is overloaded", PARTIAL),
    Fault("no-done", ChatScript([Text(PARTIAL), Close()], auto_finish=False), plain,
          ErrorKind.INCOMPLETE, "ended before the answer was complete", PARTIAL),
    Fault("malformed-json", ChatScript([Text(PARTIAL), Malformed()], auto_finish=False), plain,
          ErrorKind.MALFORMED, "could not be read", PARTIAL),
    Fault("429-retry-after", HttpError(429, headers={"Retry-After": "7"}), plain,
          ErrorKind.RATE_LIMITED, "Try again in 7 s"),
    Fault("500", HttpError(500), plain, ErrorKind.SERVER, "The server had an error (HTTP 500)"),
    Fault("html-502", HttpError(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>"),
          plain, ErrorKind.NOT_AN_API, "answered with a web page (HTTP 502)"),
    Fault("close-after-headers", CloseAfterHeaders(), plain, ErrorKind.INCOMPLETE,
          "ended before the answer was complete"),
]  # fmt: skip


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    context = self_signed_server_context(tmp_path / "tls")
    with OpenAITestServer() as plain_server, OpenAITestServer(ssl_context=context) as tls_server:
        yield Servers(plain_server, tls_server)


def stored_messages(path: Path, conversation_id: int) -> list[Message]:
    """What a later start of the app would read back: a fresh connection to the file."""
    with SqliteHistoryStore.open(path, read_only=True) as again:
        return again.messages(conversation_id)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_is_explained_keeps_the_partial_text_and_the_next_message_works(
    fault: Fault,
    servers: Servers,
    store: SqliteHistoryStore,
    tmp_path: Path,
    qloop: LoopRunner,
    qtbot: Any,
) -> None:
    chat = ChatHarness(
        base_url=fault.base_url(servers), idle_timeout_s=IDLE_TIMEOUT_S, store=store
    )
    chat.window.show()
    if fault.script is not None:
        servers.plain.enqueue(fault.script)
    try:
        failed = qloop.run(chat.send("Tell me something"))

        # What the user sees: a sentence that names the problem, and a way to try again.
        assert failed.state is ReplyState.FAILED
        assert failed.error is not None and failed.error.kind is fault.kind, failed.error
        assert failed.content == fault.partial
        shown = chat.text()
        assert fault.shown in shown
        assert "Traceback" not in shown and "Exception" not in shown
        assert "Retry" in [a.text for a in anchors(chat.view)]
        if fault.partial:
            assert chat.view.answer_text(chat.view.message_keys()[-1]) == fault.partial

        # The same in the database, read back through a new connection.
        conversation = chat.session.conversation
        assert conversation is not None
        stored = stored_messages(tmp_path / "history.sqlite3", conversation.id)
        assert [(m.role, m.state) for m in stored] == [
            (Role.USER, ReplyState.FINISHED),
            (Role.ASSISTANT, ReplyState.FAILED),
        ]
        assert stored[1].content == fault.partial
        assert stored[1].error is not None and stored[1].error.message == failed.error.message

        # The user fixes what was wrong (starts the server, corrects the URL) and goes on.
        chat.base_url = servers.plain.base_url
        following = qloop.run(chat.send("And now?"))
        assert following.state is ReplyState.FINISHED
        assert following.content == "You said: And now?"
        assert "You said: And now?" in chat.text()
        assert fault.shown in chat.text()  # the failed reply is still there, as it was
        stored = stored_messages(tmp_path / "history.sqlite3", conversation.id)
        assert [m.content for m in stored] == [
            "Tell me something",
            fault.partial,
            "And now?",
            "You said: And now?",
        ]
        assert stored[-1].state is ReplyState.FINISHED
    finally:
        qloop.run(chat.close())


def test_a_stall_offers_retry_and_retry_answers(
    servers: Servers, store: SqliteHistoryStore, tmp_path: Path, qloop: LoopRunner, qtbot: Any
) -> None:
    """The idle timeout's "no data for N s" comes with a Retry link that works."""
    chat = ChatHarness(base_url=servers.plain.base_url, idle_timeout_s=IDLE_TIMEOUT_S, store=store)
    chat.window.show()
    servers.plain.enqueue(ChatScript([Text(PARTIAL), Stall()]))
    try:
        failed = qloop.run(chat.send("Slowly, please"))
        assert failed.error is not None and failed.error.kind is ErrorKind.TIMEOUT
        assert f"No data from the server for {IDLE_TIMEOUT_S:g} s" in chat.text()
        [retry] = [a for a in anchors(chat.view) if a.text == "Retry"]
        click_anchor(chat.view, retry)  # with the mouse, like a user
        again = qloop.run(chat.finish())
        assert again.state is ReplyState.FINISHED
        assert "You said: Slowly, please" in chat.text()
        assert PARTIAL not in chat.text()  # the retry replaced the failed reply
        conversation = chat.session.conversation
        assert conversation is not None
        stored = stored_messages(tmp_path / "history.sqlite3", conversation.id)
        assert [m.content for m in stored] == ["Slowly, please", "You said: Slowly, please"]
    finally:
        qloop.run(chat.close())
