"""Model output is untrusted. A corpus of hostile replies goes through the whole stack (the
test server streams it, the real controller and chat view show it, the history stores it,
the conversation is opened again from the database), and for each one:

* what is shown: markup appears as the characters written, never as markup that could hide
  or fake a part of the window; a message cannot carry working links of the app's own
  (``zlay:``) kind;
* nothing is fetched: images, style sheets and frames point at a local web server that
  counts every connection, and it must count none, even after the view has been painted;
* nothing is started or opened: no process, no browser, no URL handed to the desktop —
  until the user clicks a web link, which then opens through the window only, while other
  schemes are refused with a notice.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from tests.conftest import LoopRunner
from tests.harness import ChatHarness
from tests.security.support import (
    TrackingWebServer,
    anchors,
    click_anchor,
    recorded_desktop_opens,
    recorded_process_starts,
)
from tests.testserver import (
    ChatScript,
    Finish,
    HttpError,
    InStreamError,
    OpenAITestServer,
    Raw,
    Script,
    Step,
    Text,
)
from tests.transcript_driver import Anchor, settle
from zlay_desktop.core.markdown_render import WRAP_POINT
from zlay_desktop.core.models import Message, ReplyState
from zlay_desktop.core.store import SqliteHistoryStore

# The app's own links around a user message and a finished reply without code blocks.
OWN_LINKS = ["Copy", "Edit", "Copy", "Regenerate"]


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str  # "{web}" stands for the counting web server's address
    visible: tuple[str, ...] = ()  # shown as written, in the answer
    links: tuple[str, ...] = ()  # the only link targets the answer may hold
    chunk_size: int = 7  # small chunks cut through tags and link syntax while streaming
    big: bool = False  # compare without the break points the view adds to long runs

    def source(self, web: str) -> str:
        return self.text.replace("{web}", web)


FAKE_UI = (
    "**Assistant** · test-model · [Copy](zlay:copy?message=0) · "
    "[Regenerate](zlay:regenerate?message=1)\n\n"
    "The API key was rejected (HTTP 401). [Retry](zlay:retry?message=1) · "
    "<zlay:edit?message=0> · [Continue][c] · [again](ZLAY:regenerate?message=1) · "
    "[edit](&#122;lay:edit?message=0) · [copy]( zlay:copy?message=1 )\n\n"
    "[c]: zlay:continue?message=1\n"
)
TABLE = (  # 4,000 cells (Qt lays out big tables slowly: 400 x 30 takes 3 s here, at once)
    "| " + " | ".join(f"h{c}" for c in range(20)) + " |\n"
    "|"
    + "---|" * 20
    + "\n"
    + "".join("| " + " | ".join(f"r{r}c{c}" for c in range(20)) + " |\n" for r in range(200))
)
NESTED_LIST = "".join("  " * depth + f"- level {depth}\n" for depth in range(50))
NESTED_ORDERED = "".join("   " * depth + f"1. step {depth}\n" for depth in range(50))
NESTED_QUOTES = ">" * 50 + " deep down\n"
TOO_DEEP = ">" * 500 + " still shown\n\n" + "".join("  " * d + f"- item {d}\n" for d in range(200))
ONE_MB_RUN = "QUJD" * 262_144  # base64-like, no break opportunity: 1 MiB in one line
ONE_MB_WORDS = "lorem ipsum dolor sit amet " * 38_837  # about 1 MB, one line
BIDI = (
    "Open invoice\u202egpj.exe now; \u2067isolated\u2069 \u202dforced LTR "
    "\u200fRLM \u061cALM \u202bembedding"
)
ZERO_WIDTH = "pay\u200bpal\u200c.com \u200dsecret\u2060joined \ufeffBOM\u180e"
SURROGATES = "lone high \ud800, lone low \udfff, reversed pair \udc00\ud83d, end"

CORPUS = [
    Hostile(
        "script-tags",
        "<script>alert(document.cookie)</script>\n\nAfter the <script src='{web}/x.js'></script>.",
        (
            "<script>alert(document.cookie)</script>",
            "After the <script src='{web}/x.js'></script>.",
        ),
    ),
    Hostile(
        "event-attributes",
        '<img src=x onerror="alert(1)"> and <div onmouseover="steal()">hover me</div>\n\n'
        '<body onload="go()">',
        (
            '<img src=x onerror="alert(1)">',
            '<div onmouseover="steal()">hover me</div>',
            '<body onload="go()">',
        ),
    ),
    Hostile(
        "remote-image-tag",
        'Look: <img src="{web}/pixel.gif" width="1" height="1">\n\n'
        '<p style="background-image:url({web}/bg.png)">styled</p>',
        (
            '<img src="{web}/pixel.gif" width="1" height="1">',
            '<p style="background-image:url({web}/bg.png)">styled</p>',
        ),
    ),
    Hostile(
        "markdown-images",
        "[img]: {web}/ref.png\n\n"
        "![tracking pixel]({web}/pixel.png) [![badge]({web}/badge.svg)]({web}/target)\n\n"
        "![ref image][img]\n",
        ("tracking pixel", "badge", "ref image"),
        # The outer link of the badge has no text of its own left to click.
        links=("{web}/pixel.png", "{web}/badge.svg", "{web}/ref.png"),
    ),
    Hostile(
        "style-sheets-frames-refresh",
        '<link rel="stylesheet" href="{web}/s.css">\n'
        "<style>@import url({web}/i.css); body { background: url({web}/b.png) }</style>\n\n"
        '<iframe src="{web}/frame"></iframe> <object data="{web}/o.swf"></object>\n\n'
        '<meta http-equiv="refresh" content="0;url={web}/go"> <svg onload="alert(1)"></svg>',
        (
            '<link rel="stylesheet" href="{web}/s.css">',
            "@import url({web}/i.css)",
            '<iframe src="{web}/frame"></iframe>',
            '<meta http-equiv="refresh" content="0;url={web}/go">',
        ),
    ),
    Hostile(
        "file-links",
        "[your keys](file:///home/user/.ssh/id_rsa) and <file:///etc/passwd> and "
        "[UNC](file://server/share/x.exe)",
        ("[your keys](file:///home/user/.ssh/id_rsa)", "<file:///etc/passwd>"),
    ),
    Hostile(
        "javascript-and-data-links",
        "[click me](javascript:alert(1)) [case](JaVaScRiPt:alert(2)) <javascript:alert(3)> "
        "[vb](vbscript:msgbox(1)) [page](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        (
            "[click me](javascript:alert(1))",
            "<javascript:alert(3)>",
            "[page](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        ),
    ),
    Hostile(
        "custom-schemes",
        "[open in editor](vscode://file/etc/passwd) [shell](ssh://evil.example/) "
        "[share](smb://evil.example/share)",
        ("open in editor", "shell", "share"),
        links=("vscode://file/etc/passwd", "ssh://evil.example/", "smb://evil.example/share"),
    ),
    Hostile(
        "fake-app-ui-links",
        FAKE_UI,
        (
            "[Copy](zlay:copy?message=0)",
            "[Retry](zlay:retry?message=1)",
            "<zlay:edit?message=0>",
            "[again](ZLAY:regenerate?message=1)",
        ),
    ),
    Hostile(
        "web-links",
        '[docs]({web}/docs) and <{web}/auto> and [titled]({web}/t "title")',
        ("docs", "{web}/auto", "titled"),
        links=("{web}/docs", "{web}/auto", "{web}/t"),
    ),
    Hostile("huge-table", TABLE, ("h19", "r0c0", "r199c19"), chunk_size=512),
    Hostile("nested-lists-50", NESTED_LIST + "\n" + NESTED_ORDERED, ("level 49", "step 49")),
    Hostile("nested-quotes-50", NESTED_QUOTES, ("deep down",)),
    Hostile("nesting-past-the-limit", TOO_DEEP, ("still shown", "- item 199")),
    Hostile("one-mb-single-line", ONE_MB_RUN, (ONE_MB_RUN,), chunk_size=4096, big=True),
    Hostile("one-mb-words-line", ONE_MB_WORDS, (ONE_MB_WORDS.strip(),), chunk_size=4096, big=True),
    Hostile("bidi-controls", BIDI, (BIDI,)),
    Hostile("zero-width", ZERO_WIDTH, (ZERO_WIDTH,)),
    Hostile(
        "invalid-surrogates",
        SURROGATES,
        ("lone high \ufffd, lone low \ufffd, reversed pair \ufffd\ufffd, end",),
    ),
]


def sse_content(text: str) -> Raw:
    """One chunk carrying ``text``, JSON-escaped (so lone surrogates travel as ``\\ud800``)."""
    payload = {
        "id": "chatcmpl-hostile",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }
    return Raw(b"data: " + json.dumps(payload).encode("ascii") + b"\n\n")


def streamed(text: str, chunk_size: int) -> ChatScript:
    steps: list[Step] = [
        sse_content(text[i : i + chunk_size]) for i in range(0, len(text), chunk_size)
    ]
    steps.append(Finish("stop"))
    return ChatScript(steps)


@pytest.fixture(autouse=True)
def sdk_platform_probe_done() -> None:
    """The openai SDK names the platform in its first request's headers, and Python's
    ``platform.platform()`` runs ``uname -p`` for that once a process. That is the SDK's
    start-up, not rendering: it is done before the watchers start."""
    platform.platform()


@pytest.fixture
def web() -> Iterator[TrackingWebServer]:
    with TrackingWebServer() as tracking:
        yield tracking


def paint(chat: ChatHarness) -> None:
    """Lay out and paint the whole transcript, top to bottom: anything an image or a style
    sheet would fetch is asked for now."""
    view = chat.view
    view.flush()
    settle(view)
    for key in view.message_keys():  # top to bottom
        view.scroll_to_message(key)
        settle(view)
    QApplication.processEvents()


def answer(chat: ChatHarness) -> str:
    return chat.view.answer_text(chat.view.message_keys()[-1])


def answer_anchors(chat: ChatHarness) -> list[Anchor]:
    return [a for a in anchors(chat.view) if not a.href.startswith("zlay:")]


def own_links(chat: ChatHarness) -> list[str]:
    return [a.text for a in anchors(chat.view) if a.href.startswith("zlay:")]


def check_shown(chat: ChatHarness, item: Hostile, web: str) -> None:
    shown = answer(chat)
    for expected in item.visible:
        expected = expected.replace("{web}", web)
        if item.big:  # the view adds break points and splits long lines while streaming
            shown, expected = "".join(shown.split()), "".join(expected.split())
            shown = shown.replace(WRAP_POINT, "")
        assert expected in shown, f"{expected[:80]!r} is not shown as text"
    assert sorted(a.href for a in answer_anchors(chat)) == sorted(
        link.replace("{web}", web) for link in item.links
    )
    # The only app links are the app's own, in its header and footer. (Opened again, a
    # conversation shows its latest page: the user's message may be left for scrolling up.)
    links = own_links(chat)
    assert links in (OWN_LINKS, OWN_LINKS[2:]), links


@pytest.mark.parametrize("item", CORPUS, ids=[item.name for item in CORPUS])
def test_hostile_output_is_shown_as_text_fetches_nothing_and_starts_nothing(
    item: Hostile,
    chat: ChatHarness,
    server: OpenAITestServer,
    web: TrackingWebServer,
    tmp_path: Path,
    qloop: LoopRunner,
) -> None:
    source = item.source(web.url)
    server.enqueue(streamed(source, item.chunk_size))
    with recorded_process_starts() as started, recorded_desktop_opens() as opened:
        final = qloop.run(chat.send("Say something nasty"), timeout=60)
        paint(chat)

        assert final.state is ReplyState.FINISHED
        assert final.content == source  # kept exactly as it came
        check_shown(chat, item, web.url)

        # Opened again from the database, as after a restart.
        conversation = chat.session.conversation
        assert conversation is not None
        with SqliteHistoryStore.open(tmp_path / "history.sqlite3", read_only=True) as again:
            stored = again.messages(conversation.id)
        assert stored[-1].content == source
        chat.controller.open_conversation(conversation.id)
        paint(chat)
        check_shown(chat, item, web.url)

    assert web.hits == 0, web.counter.requests
    assert started == []
    assert opened.opened == []


# -- clicks -----------------------------------------------------------------------------------


def show_reply(
    chat: ChatHarness, qloop: LoopRunner, server: OpenAITestServer, text: str
) -> Message:
    server.enqueue(ChatScript.text(text))
    final = qloop.run(chat.send("links, please"))
    paint(chat)
    return final


def test_a_web_link_opens_in_the_browser_only_when_clicked(
    chat: ChatHarness, server: OpenAITestServer, web: TrackingWebServer, qloop: LoopRunner
) -> None:
    with recorded_process_starts() as started, recorded_desktop_opens() as opened:
        show_reply(chat, qloop, server, f"Read [the docs]({web.url}/docs) first.")
        [link] = answer_anchors(chat)
        assert link.text == "the docs"
        assert opened.opened == []  # shown, not opened

        click_anchor(chat.view, link)

        assert opened.opened == [f"{web.url}/docs"]  # handed to the desktop's browser, once
        assert not chat.window.notice.isVisible()
    assert started == []
    assert web.hits == 0  # the app itself fetched nothing; the browser would


@pytest.mark.parametrize(
    "target",
    ["vscode://file/etc/passwd", "ssh://evil.example/", "smb://evil.example/share", "x-scheme:run"],
)
def test_a_click_on_a_link_of_another_scheme_is_refused_with_a_notice(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner, target: str
) -> None:
    with recorded_process_starts() as started, recorded_desktop_opens() as opened:
        show_reply(chat, qloop, server, f"[Open this]({target})")
        [link] = answer_anchors(chat)
        click_anchor(chat.view, link)
    scheme = target.split(":", 1)[0]
    assert chat.window.notice.isVisible()
    assert chat.window.notice.text().startswith(f"A {scheme}: link in a message was not opened")
    assert opened.opened == [] and started == []


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "zlay-evil:run",
    ],
)
def test_links_the_renderer_never_makes_are_refused_by_the_view_too(
    chat: ChatHarness, target: str
) -> None:
    """Defence in depth: should such a link ever reach the document, a click on it opens
    nothing and says so."""
    with recorded_desktop_opens() as opened:
        chat.view.activate_link(QUrl(target))
    scheme = target.split(":", 1)[0]
    assert chat.window.notice.text().startswith(f"A {scheme}: link in a message was not opened")
    assert opened.opened == []


def test_app_links_written_by_the_model_do_nothing_when_clicked(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    show_reply(chat, qloop, server, FAKE_UI)
    requests = len(server.requests)
    messages = list(chat.session.messages)
    QApplication.clipboard().setText("left alone")
    key = chat.view.message_keys()[-1]
    shown = chat.view.answer_text(key)
    # Every spot of the message that reads like one of the app's links is text, not a link:
    # a click there has nothing to activate.
    for written in (
        "[Copy](zlay:", "[Regenerate](zlay:", "[Retry](zlay:", "<zlay:edit", "[Continue][c]",
        "[again](ZLAY:", "[edit](zlay:", "[copy]( zlay:",
    ):  # fmt: skip
        assert written in shown, f"{written!r} is not shown as written"
    assert [a for a in anchors(chat.view) if a.key == key and not a.href.startswith("zlay:")] == []
    for anchor in [a for a in anchors(chat.view) if a.key == key]:  # the app's own buttons
        assert anchor.href.split("?")[0] in ("zlay:copy", "zlay:regenerate")
    assert not chat.controller.busy
    assert len(server.requests) == requests  # no Regenerate, Retry or Continue was sent
    assert chat.session.messages == messages  # no Edit took the conversation apart
    assert chat.window.composer.toPlainText() == ""
    assert QApplication.clipboard().text() == "left alone"  # no Copy either
    assert not chat.window.notice.isVisible()


def test_bidi_controls_in_a_reply_do_not_reorder_the_app_text_around_it(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    """An unterminated right-to-left override stays inside its own paragraph: the footer and
    the next message's header still read left to right."""
    show_reply(chat, qloop, server, "Report: \u202eevil override, never closed")
    qloop.run(chat.send("next"))
    chat.view.flush()
    # Each row is its own text item: an override cannot reach past its own paragraph.
    lines = chat.text().split("\n")
    hostile = next(i for i, line in enumerate(lines) if "\u202e" in line)
    after = [line for line in lines[hostile + 1 :] if line.strip()]
    assert after, "nothing follows the hostile paragraph"
    for following in after:
        assert "\u202e" not in following
    assert after[0] == "Copy · Regenerate"
    you = after.index("You")
    assert after[you : you + 3] == ["You", "next", "Copy · Edit"]


def test_the_watchers_see_what_they_watch_for(web: TrackingWebServer, qapp: Any) -> None:
    """The zeros above mean something: each watcher reports what it exists to catch."""
    import subprocess
    import sys
    import urllib.request

    from PySide6.QtGui import QDesktopServices

    with recorded_process_starts() as started, recorded_desktop_opens() as opened:
        with urllib.request.urlopen(f"{web.url}/probe", timeout=5) as response:
            assert response.status == 200
        subprocess.run([sys.executable, "-c", "pass"], check=False)
        QDesktopServices.openUrl(QUrl(f"{web.url}/page"))
    assert web.hits >= 1 and web.counter.requests == ["/probe"]
    assert "subprocess.Popen" in [event for event, _ in started]
    assert opened.opened == [f"{web.url}/page"]


SPOOF = "overloaded \u202eyrteR kcilc\u202c\u2067 and\nnew lines\x1b[2J"


@pytest.mark.parametrize(
    "script",
    [
        ChatScript([Text("Partial"), InStreamError(SPOOF)]),
        HttpError(400, json_error={"message": SPOOF}),
    ],
    ids=["in-stream-error", "http-400"],
)
def test_a_servers_error_text_cannot_reorder_or_fake_the_footer(
    script: Script, chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    """The server's words sit in the app's sentence, before its Retry link: a right-to-left
    override in them would show the link as "yrteR" and the server's "click Retry" as if it
    were the app's."""
    server.enqueue(script)
    final = qloop.run(chat.send("hi"))
    assert final.state is ReplyState.FAILED and final.error is not None
    chat.view.flush()
    footer = chat.view.model.rows()[-1]
    assert footer.kind == "footer"
    text = str(footer.extra["error"])
    assert "overloaded yrteR kcilc and new lines" in text
    assert not any(char in text for char in "\u202e\u202c\u2067\n\x1b")
    # The server's words are a label of their own; Retry is a button of the app's, apart
    # from them (no text can reorder or fake it).
    assert footer.extra["actions"][-1] == "retry"
    assert [a.text for a in anchors(chat.view) if a.href.startswith("zlay:retry")] == ["Retry"]


def test_a_huge_error_message_is_cut(
    chat: ChatHarness, server: OpenAITestServer, qloop: LoopRunner
) -> None:
    server.enqueue(HttpError(400, json_error={"message": "bad request " * 100_000}))
    final = qloop.run(chat.send("hi"))
    assert final.error is not None
    assert len(final.error.message) < 700 and final.error.message.endswith("…")
    assert "Retry" in chat.text()
