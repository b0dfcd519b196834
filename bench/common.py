"""What every benchmark shares: the machine, the server process, an instrumented chat stack
(the app's own classes, watched from outside), statistics, targets and result files."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import importlib
import importlib.metadata
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import time
from collections.abc import AsyncGenerator, Callable, Coroutine, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tests.waiting import until
from zlay_desktop.core.chat_session import ChatSession, ReplyTarget
from zlay_desktop.core.events import StreamEvent, TextDelta
from zlay_desktop.core.models import ChatParams, ChatRequest, Endpoint, Message
from zlay_desktop.core.streaming import OpenAIChatBackend

if TYPE_CHECKING:
    from PySide6.QtQuickWidgets import QQuickWidget

    from zlay_desktop.core.history import HistoryStore
    from zlay_desktop.ui.controller import ChatController
    from zlay_desktop.ui.transcript import TranscriptView

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FRAME_MS = 1000.0 / 60.0
MODEL = "test-model"
API_KEY = "sk-bench-0123456789"

T = TypeVar("T")

# Before any QApplication exists: the benchmarks run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# "This plugin does not support propagateSizeHints()" on every window, offscreen.
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


# -- the machine ---------------------------------------------------------------------------


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def machine_info() -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    mem_total = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) // 1024
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_mb": mem_total,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": pyside_version,
        "qt": qVersion(),
        "openai": _version("openai"),
        "qasync": _version("qasync"),
        "qpa_platform": os.environ.get("QT_QPA_PLATFORM", ""),
        # Other work on the machine skews wall-clock figures; ratios within a run less so.
        "load_average_1min": round(os.getloadavg()[0], 2),
        "commit": _git_commit(),
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"{info['cpu']}, {info['usable_cores']} cores, {info['memory_mb']} MB; "
        f"Python {info['python']}, PySide6 {info['pyside6']} (Qt {info['qt']}), "
        f"openai {info['openai']}, qasync {info['qasync']}; QPA {info['qpa_platform']}; "
        f"load {info['load_average_1min']}"
    )


# -- statistics ----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p99 / max / mean of durations given in seconds, in milliseconds."""
    if not seconds:
        return {}
    ms = [s * 1000.0 for s in seconds]
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 50), 3),
        "p99": round(percentile(ms, 99), 3),
        "max": round(max(ms), 3),
        "mean": round(sum(ms) / len(ms), 3),
    }


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


# -- targets and results -------------------------------------------------------------------


@dataclass
class Target:
    metric: str
    target: str  # as the issue says it, e.g. "≤ 16.7 ms"
    limit: float
    measured: float | None
    unit: str
    higher_is_better: bool = False
    met: bool = field(init=False)

    def __post_init__(self) -> None:
        if self.measured is None:
            self.met = False
        elif self.higher_is_better:
            self.met = self.measured >= self.limit
        else:
            self.met = self.measured <= self.limit

    def shortfall(self) -> str:
        """How far from the target, in words ("" when met)."""
        if self.met:
            return ""
        if self.measured is None:
            return "not measured"
        if self.higher_is_better:
            return f"{self.limit / self.measured:.2f}× short ({self.measured:g} vs {self.limit:g})"
        return f"{self.measured / self.limit:.2f}× over ({self.measured:g} vs {self.limit:g})"

    def measured_text(self) -> str:
        if self.measured is None:
            return "—"
        return f"{self.measured:g} {self.unit}".strip()


@dataclass
class Result:
    name: str
    title: str
    params: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def write(self, machine: dict[str, Any]) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        data = asdict(self)
        data["machine"] = machine
        data["written_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return path

    def report(self, machine: dict[str, Any]) -> None:
        print(f"\n== {self.title}")
        print(f"machine: {machine_line(machine)}")
        print(f"params:  {json.dumps(self.params)}")
        for key, value in self.metrics.items():
            print(f"  {key}: {json.dumps(value)}")
        for t in self.targets:
            verdict = "MET" if t.met else f"NOT MET: {t.shortfall()}"
            print(f"  target {t.metric}: {t.target}; measured {t.measured_text()} -> {verdict}")
        for note in self.notes:
            print(f"  note: {note}")

    def finish(self) -> None:
        if "--quick" in sys.argv:
            self.params["quick"] = True  # the table marks figures taken at smaller sizes
        machine = machine_info()
        self.report(machine)
        path = self.write(machine)
        print(f"  written: {path.relative_to(ROOT)}")


# -- arguments and profiling ---------------------------------------------------------------


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    p.add_argument(
        "--profile",
        action="store_true",
        help="profile the measured phase (pyinstrument if installed, else cProfile) into "
        "bench/results/<name>.profile.txt; figures taken while profiling are inflated",
    )
    return p


@contextlib.contextmanager
def profiling(enabled: bool, name: str) -> Iterator[None]:
    """Profiles the block when enabled; writes bench/results/<name>.profile.txt."""
    if not enabled:
        yield
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.profile.txt"
    try:
        pyinstrument = importlib.import_module("pyinstrument")
    except ImportError:
        pyinstrument = None
    if pyinstrument is not None:
        profiler = pyinstrument.Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            out.write_text(profiler.output_text(unicode=True, color=False))
            # Every frame, library ones too (the default view folds them).
            out.with_suffix(".all.txt").write_text(
                profiler.output_text(unicode=True, color=False, show_all=True)
            )
    else:
        prof = cProfile.Profile()
        prof.enable()
        try:
            yield
        finally:
            prof.disable()
            buffer = io.StringIO()
            pstats.Stats(prof, stream=buffer).sort_stats("cumulative").print_stats(60)
            buffer.write("\n\n--- by own time ---\n")
            pstats.Stats(prof, stream=buffer).sort_stats("tottime").print_stats(40)
            out.write_text(buffer.getvalue())
    print(f"  profile: {out.relative_to(ROOT)}")


# -- the server, in its own process ---------------------------------------------------------


def spec(*, chars: int = 0, chunks: int = 0, rate: float = 0.0, whole: bool = False) -> str:
    """The user message that asks the bench server (bench/server.py) for such a reply. (Here,
    not there: the measured process does not load the test server's code.)"""
    return json.dumps({"chars": chars, "chunks": chunks, "rate": rate, "whole": int(whole)})


class ServerProcess:
    """``python -m bench.server`` for the duration of a ``with`` block."""

    def __init__(self) -> None:
        self.base_url = ""
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> ServerProcess:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.server"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.startswith("READY "):
            self._proc.kill()
            raise RuntimeError(f"the benchmark server did not start: {line!r}")
        self.base_url = line.split(" ", 1)[1]
        return self

    def __exit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# -- the instrumented stack ----------------------------------------------------------------


@dataclass
class Probe:
    """Timestamps (time.perf_counter) of each text chunk on its way to the screen."""

    sample_cpu: bool = False
    # Off: nothing is recorded (the memory benchmark: a timestamp per chunk is the
    # benchmark's memory, not the app's).
    record: bool = True
    arrivals: list[float] = field(default_factory=list)  # parsed in the backend
    chars: list[int] = field(default_factory=list)  # reply length after this chunk
    cpu: list[float] = field(default_factory=list)  # GUI thread CPU time at arrival
    process_cpu: list[float] = field(default_factory=list)  # whole process, at arrival
    received: int = 0  # chunks handed to the view's append_text
    in_doc: list[float] = field(default_factory=list)  # the chunk's text is in the document
    painted: list[float] = field(default_factory=list)  # a paint that included it ended
    flush_s: list[float] = field(default_factory=list)  # each document update
    flush_at: list[float] = field(default_factory=list)  # when each began
    paint_s: list[float] = field(default_factory=list)  # each paint of the view
    paint_at: list[float] = field(default_factory=list)
    prepend_s: list[float] = field(default_factory=list)  # each older page rendered
    paint_listeners: list[Callable[[float], None]] = field(default_factory=list)

    def reset(self) -> None:
        self.arrivals.clear()
        self.chars.clear()
        self.cpu.clear()
        self.process_cpu.clear()
        self.received = 0
        self.in_doc.clear()
        self.painted.clear()
        self.flush_s.clear()
        self.flush_at.clear()
        self.paint_s.clear()
        self.paint_at.clear()
        self.prepend_s.clear()

    def chunk_arrived(self, text: str) -> None:
        if not self.record:
            return
        self.arrivals.append(time.perf_counter())
        if self.sample_cpu:
            self.cpu.append(time.thread_time())
            self.process_cpu.append(time.process_time())
            self.chars.append((self.chars[-1] if self.chars else 0) + len(text))

    def mark_in_doc(self, now: float) -> None:
        if not self.record:
            return
        missing = self.received - len(self.in_doc)
        if missing > 0:
            self.in_doc.extend([now] * missing)

    def mark_painted(self, now: float) -> None:
        missing = len(self.in_doc) - len(self.painted)
        if missing > 0 and self.record:
            self.painted.extend([now] * missing)
        for listener in list(self.paint_listeners):
            listener(now)


class TimedBackend(OpenAIChatBackend):
    """The app's backend, stamping each text chunk as it leaves the SSE parser."""

    def __init__(self, probe: Probe) -> None:
        super().__init__()
        self.probe = probe

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        arrived = self.probe.chunk_arrived
        async with contextlib.aclosing(super().stream(request)) as events:
            async for event in events:
                if type(event) is TextDelta:
                    arrived(event.text)
                yield event


def timed_chat_view(probe: Probe) -> TranscriptView:
    """The app's transcript, stamping when chunks reach the model and the screen (what
    `MainWindow` is given to make its transcript with). The view's `flushed` signal and
    its QQuickWindow's rendering signals are the hooks: nothing is overridden but the
    calls timed around them."""
    from zlay_desktop.ui.transcript import TranscriptView

    class TimedTranscript(TranscriptView):
        def __init__(self) -> None:
            super().__init__()
            self.probe = probe
            self._render_started = 0.0

        def append_text(self, key: int, text: str) -> None:
            super().append_text(key, text)
            self.probe.received += 1

        def flush(self, budget_s: float | None = None) -> None:
            start = time.perf_counter()
            super().flush(budget_s)
            end = time.perf_counter()
            self.probe.flush_s.append(end - start)
            self.probe.flush_at.append(start)
            self.probe.mark_in_doc(end)

        def prepend_messages(self, items: list[tuple[int, Message]]) -> None:
            # Older history rendered above what is shown (in batches, after opening).
            start = time.perf_counter()
            super().prepend_messages(items)
            self.probe.prepend_s.append(time.perf_counter() - start)

        def end_reply(self, key: int, message: Message) -> None:
            # The last model update of a reply (its final blocks, footer and header).
            start = time.perf_counter()
            super().end_reply(key, message)
            end = time.perf_counter()
            self.probe.flush_s.append(end - start)
            self.probe.flush_at.append(start)
            self.probe.mark_in_doc(end)

        def ensure_loaded(self) -> QQuickWidget:
            quick = super().ensure_loaded()
            window = quick.quickWindow()
            if not self._render_started:
                # The software renderer draws on this thread: a frame is these two.
                window.beforeRendering.connect(self._before_rendering)
                window.afterRendering.connect(self._after_rendering)
                self._render_started = -1.0
            return quick

        def _before_rendering(self) -> None:
            self._render_started = time.perf_counter()

        def _after_rendering(self) -> None:
            end = time.perf_counter()
            self.probe.paint_s.append(end - self._render_started)
            self.probe.paint_at.append(self._render_started)
            self.probe.mark_painted(end)

    return TimedTranscript()


class BenchStack:
    """The app's session, controller and main window, built the way the app builds them,
    with a TimedBackend and a timed transcript in place of the plain ones."""

    def __init__(self, base_url: str, store: HistoryStore | None, probe: Probe) -> None:
        from zlay_desktop.ui.controller import ChatController
        from zlay_desktop.ui.main_window import MainWindow

        self.probe = probe
        self.base_url = base_url
        self.storage_errors: list[str] = []
        self.backend = TimedBackend(probe)
        self.session = ChatSession(self.backend, store, self.storage_errors.append)
        self.controller: ChatController = ChatController(self.session, self.target)
        self.window = MainWindow(self.controller, transcript=lambda: timed_chat_view(probe))
        self.view = self.window.chat_view

    def target(self) -> ReplyTarget:
        return ReplyTarget(
            endpoint=Endpoint(base_url=self.base_url, api_key=API_KEY, idle_timeout_s=60.0),
            params=ChatParams(model=MODEL),
        )

    async def show(self) -> None:
        """Shows the window and does what the app does once its window is up (its
        background warm-up), then waits for that to end: a user's first Send comes seconds
        after the start, when the warm-up is long done."""
        self.window.resize(1100, 760)
        self.window.show()
        await self.next_paint(timeout=10.0)
        from zlay_desktop.ui.startup import warm_up_imports

        warmed_up: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def done() -> None:
            if not warmed_up.done():
                warmed_up.set_result(None)

        warm_up_imports(done)
        await asyncio.wait_for(warmed_up, 60.0)

    async def next_paint(self, timeout: float = 5.0) -> float | None:
        """Waits for the view's next paint to end; its time, or None if none came."""
        loop = asyncio.get_running_loop()
        painted: asyncio.Future[float] = loop.create_future()

        def listener(now: float) -> None:
            if not painted.done():
                painted.set_result(now)

        self.probe.paint_listeners.append(listener)
        try:
            return await asyncio.wait_for(painted, timeout)
        except TimeoutError:
            return None
        finally:
            self.probe.paint_listeners.remove(listener)

    async def send(self, text: str) -> Message:
        if not self.controller.send(text):
            raise RuntimeError("the controller refused to send")
        task = self.controller.task
        assert task is not None
        result: Message = await task
        return result

    async def settle_paints(self, timeout: float = 2.0) -> None:
        """Waits until every chunk in the model has been painted (or the timeout)."""
        self.view.flush()
        if self.view.quick is not None:
            self.view.quick.update()
        with contextlib.suppress(AssertionError):  # at most `timeout`: not a failure
            await until(lambda: len(self.probe.painted) >= len(self.probe.in_doc), timeout)

    async def close(self) -> None:
        await self.controller.aclose()
        self.window.allow_close()
        self.window.close()


async def bare_sdk_stream(base_url: str, user_text: str) -> tuple[int, float, float]:
    """The baseline: the SDK alone, ``async for chunk in stream: pass`` over the same reply.

    Returns (chunks, wall seconds, thread CPU seconds).
    """
    import openai

    client = openai.AsyncOpenAI(base_url=base_url, api_key=API_KEY, max_retries=0)
    try:
        wall, cpu = time.perf_counter(), time.thread_time()
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": user_text}],
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = 0
        async for _chunk in stream:
            chunks += 1
        return chunks, time.perf_counter() - wall, time.thread_time() - cpu
    finally:
        await client.close()


UNRAISABLE: list[str] = []


def _count_unraisable(info: Any) -> None:
    # Errors raised where nothing can catch them (an HTTP stream's async generator left
    # half-read used to end that way): counted and summarised instead of printed per reply.
    UNRAISABLE.append(f"{type(info.exc_value).__name__}: {info.exc_value}")


def run_qt(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs ``main()`` on a qasync loop over a QApplication, as the app does."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from zlay_desktop.ui.startup import use_software_quick_renderer

    instance = QApplication.instance()
    if instance is None:
        use_software_quick_renderer()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _count_unraisable
    try:
        with loop:
            result: T = loop.run_until_complete(main())
            return result
    finally:
        sys.unraisablehook = previous_hook
        if UNRAISABLE:
            kinds = sorted(set(UNRAISABLE))
            print(f"  ({len(UNRAISABLE)} unraisable errors while streams closed: {kinds[:3]})")


def open_store(directory: Path) -> Any:
    from zlay_desktop.core.store import SqliteHistoryStore

    return SqliteHistoryStore.open(directory / "history.sqlite3")
