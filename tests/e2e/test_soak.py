"""A long session: 500 streamed replies in one app instance, then nothing has piled up.

The whole app runs in this process (window, sidebar, history database, the real SDK over a
real socket); the project's test server runs in a process of its own, with no delay between
chunks, so that what it records of every request does not count as the app's memory. Every
reply is the server's Markdown demo (headings, a list, a table, a code block: 197 chunks,
the renderer's whole path). The replies go into ten conversations of fifty (File > New
conversation in between), so that what legitimately grows with one conversation (its
document, its history) is let go ten times, and what is left over would be a leak. The
figures are taken after each conversation, once warmed up (20–35 s in all: ``slow``):

===============================  ========================================================
what                             budget (growth from the end of conversation 2 to the end)
===============================  ========================================================
resident memory (RSS)            ``RSS_BUDGET_BYTES``, 8 MiB: 20 kB a reply would break it.
                                 Measured: 2.5 MB, less with every conversation, while
                                 the Python heap grew 170 kB (tracemalloc): native
                                 caches filling up (SQLite's page cache, most likely)
Python objects (``gc``)          ``OBJECT_BUDGET`` (measured: ±300 of ~129,000), not
                                 counting cancelled timer handles (below)
cancelled timer handles          ``TIMERS_PER_REPLY`` a reply, for a while: qasync keeps a
                                 cancelled ``call_later`` (a Qt timer, an asyncio Handle
                                 and its Context) until its time would have come — the
                                 SDK's timeouts, up to the 60 s idle timeout — so they
                                 are let go, but only then (measured: 3 a reply)
open file descriptors            ``FD_BUDGET`` (measured: none)
widgets (``allWidgets``)         none
QObjects under the window        none
threads                          none
asyncio tasks                    none: only the test's own task runs between replies
===============================  ========================================================
"""

from __future__ import annotations

import asyncio
import gc
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextvars import Context
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication

from tests.conftest import AppFactory, LoopRunner, until
from tests.testserver import MARKDOWN_DEMO
from zlay_desktop.app import Application
from zlay_desktop.core.models import ReplyState

ROOT = Path(__file__).resolve().parents[2]

CONVERSATIONS = 10
REPLIES_PER_CONVERSATION = 50
WARM_UP_CONVERSATIONS = 2
RSS_BUDGET_BYTES = 8 * 1024 * 1024
OBJECT_BUDGET = 2_000
TIMERS_PER_REPLY = 4
FD_BUDGET = 4


@dataclass(frozen=True)
class Figures:
    rss: int
    objects: int
    cancelled_timers: int
    fds: int
    widgets: int
    qobjects: int
    threads: int
    tasks: int


def figures(app: Application) -> Figures:
    # Widgets closed with deleteLater go on the next turns; Python garbage now.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    objects = gc.get_objects()
    process = psutil.Process()
    if sys.platform == "win32":
        fds = process.num_handles()
    else:
        fds = process.num_fds()
    return Figures(
        rss=process.memory_info().rss,
        objects=sum(1 for o in objects if not isinstance(o, asyncio.Handle | Context)),
        cancelled_timers=sum(1 for o in objects if isinstance(o, asyncio.Handle) and o.cancelled()),
        fds=fds,
        widgets=len(QApplication.allWidgets()),
        qobjects=len(app.window.findChildren(QObject)),
        threads=threading.active_count(),
        tasks=len(asyncio.all_tasks()),
    )


@pytest.fixture
def server_url() -> Iterator[str]:
    """``python -m tests.testserver`` on a free port, no delay between chunks."""
    command = [sys.executable, "-m", "tests.testserver", "--port", "0", "--delay", "0"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()  # "Test server on http://127.0.0.1:PORT/v1 — …"
        match = re.search(r"(http://\S+/v1)", first_line)
        assert match, f"the test server did not start: {first_line!r}"
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def app(server_url: str, make_app: AppFactory) -> Application:
    application = make_app(base_url=server_url, model="test-model")
    application.install_excepthook()
    application.window.show()
    return application


@pytest.mark.slow
def test_500_replies_leave_no_growth_behind(app: Application, qloop: LoopRunner) -> None:
    samples: list[Figures] = []

    async def session() -> None:
        for conversation in range(CONVERSATIONS):
            for number in range(REPLIES_PER_CONVERSATION):
                assert app.controller.send(f"Some markdown, please ({conversation}-{number})")
                task = app.controller.task
                assert task is not None
                final = await task
                assert final.state is ReplyState.FINISHED, final.error
                assert final.content == MARKDOWN_DEMO
            await until(lambda: not app.controller.busy)
            app.window.new_action.trigger()  # File > New conversation
            await asyncio.sleep(0)
            samples.append(figures(app))

    qloop.run(session(), timeout=600)

    assert app.store is not None
    assert app.store.count_conversations() == CONVERSATIONS
    baseline, end = samples[WARM_UP_CONVERSATIONS - 1], samples[-1]
    report = "\n".join(f"after conversation {i + 1}: {s}" for i, s in enumerate(samples))
    assert end.rss - baseline.rss <= RSS_BUDGET_BYTES, report
    assert end.objects - baseline.objects <= OBJECT_BUDGET, report
    replies = (CONVERSATIONS - WARM_UP_CONVERSATIONS) * REPLIES_PER_CONVERSATION
    assert end.cancelled_timers - baseline.cancelled_timers <= TIMERS_PER_REPLY * replies, report
    assert end.fds - baseline.fds <= FD_BUDGET, report
    assert end.widgets <= baseline.widgets, report
    assert end.qobjects <= baseline.qobjects, report
    assert end.threads <= baseline.threads, report
    assert end.tasks <= baseline.tasks == 1, report
