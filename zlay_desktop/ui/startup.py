"""How the app gets on screen fast: every start-up trick, in one place.

From a desktop menu the main window shows about as fast as a bare Qt window (1.07-1.08×,
~155 ms), its whole frame paints ~60 ms later and the app is ready ~130 ms after that
(bench/README.md, "5. Startup", has the measurements). What it takes:

1. **Import little before the first paint.** `zlay_desktop.app` and `ui.main_window` import
   their heavy modules (asyncio and qasync ~50 ms, the chat session, settings, keyring and
   store ~40 ms, the SDK ~1 s) inside the functions that need them, and this module imports
   nothing at its top but the standard library's cheapest. PySide6 builds the Python enums
   of a Qt class the first time the class is fetched from its module (~0.25 ms each; the
   `Qt` namespace alone, 94 of them, ~20 ms, reached by the first `QKeySequence` given to
   `setShortcut`): so the shell fetches five classes, and `MainWindow` sets its shortcuts
   only once it has a controller (`MainWindow.attach`). `app.Options` is a named tuple, not a
   dataclass: `dataclasses` (~3 ms) is not imported before the paint; and a launch without
   arguments builds no argparse parser (~3 ms: gettext looks for translations).
2. **Paint in two steps, before the loop** (`show_window_frame`): the window's shell first
   (`MainWindow(body=False)`: menus, toolbar and provider picker, about as cheap as a bare
   window), then its frame (`MainWindow.build_body`: an empty transcript and the composer,
   ~65 ms more, their modules), each waited for with `wait_for_paint` (bounded by
   FIRST_PAINT_WAIT_S). Only then are the loop, the controller and the rest imported and
   built, and `MainWindow.attach` connects the controller to the window already on screen.
3. **Warm up after the first paint** (`warm_up_imports`, AFTER_FIRST_PAINT_MS after the app
   started): a background thread builds Pygments' styles and the lexers of the languages
   replies most often use (~5-50 ms each: the first conversation opened should not wait),
   the Markdown parser, then the SDK with what its first request needs (~1 s: the first
   Send should not pay it; `warm_up_sdk`). It waits for the first
   paint because it holds the GIL most of the time while it imports; the first run's
   Settings dialog (~0.5 s to build) waits for it too.
4. **Forget the source lines those imports left behind** (`core.heap.forget_source_lines`,
   on the loop's thread once the warm-up is done): PySide6 reads the source of every module
   imported after it, and `linecache` keeps it: ~15 MB once the SDK is in. (It stays in
   `core.heap`: the window calls it again whenever it gives memory back, and the core never
   imports the Qt layer.)
5. **Freeze what start-up built** (`gc.freeze()`, at the same moment): the SDK's types and
   schemas, Qt's wrappers and the app's modules (over a million objects) move to the
   collector's permanent generation, so its full passes, which come as a long reply
   allocates, walk only what was made since (one took 80 ms on the GUI thread while a
   1 MB reply rendered; the objects are alive for the whole run anyway).

Benchmarks and tests watch these moments through `painted` (`show_window_frame`) and
`done` (`warm_up_imports`) instead of patching anything.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from zlay_desktop import APP_ID, APP_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from zlay_desktop.ui.main_window import MainWindow
    from zlay_desktop.ui.transcript import TranscriptView

FIRST_PAINT_WAIT_S = 0.1
"""How long `show_window_frame` waits for the window system to let a widget paint."""

AFTER_FIRST_PAINT_MS = 150
"""Long enough for the main window's first paint (~30-50 ms after show on 2 cores)."""

# Languages replies are most often highlighted in. Pygments compiles a lexer's rules the
# first time one is made (~5-50 ms each); opening the first conversation should not wait.
COMMON_LANGUAGES = (
    "python", "bash", "javascript", "typescript", "json", "html", "css", "sql", "c", "cpp",
    "rust", "go", "java", "yaml",
)  # fmt: skip

FramePart = Literal["shell", "frame"]
"""What `show_window_frame` has let paint: the shell (menus, toolbar), then the whole frame
(the transcript and the composer too)."""


def use_software_quick_renderer() -> None:
    """Qt Quick (the transcript) draws with its software renderer: no OpenGL/Vulkan
    driver is needed, it works the same offscreen, over remote desktops and in VMs, and a
    text-heavy list draws fast enough with it. It must be chosen before the QApplication
    exists (tests/conftest.py does the same).

    Through QT_QUICK_BACKEND, which is what `QQuickWindow.setGraphicsApi(Software)` sets
    too, rather than that call: importing PySide6.QtQuick loads Qt Quick, Qt QML and
    Qt Network (~200 ms on 2 cores), which the first paint must not wait for. (A user's
    own QT_QUICK_BACKEND wins.)"""
    os.environ.setdefault("QT_QUICK_BACKEND", "software")


def qt_application() -> QApplication:
    """The process's QApplication (made on first use), named for the desktop."""
    from PySide6.QtWidgets import QApplication

    instance = QApplication.instance()
    if instance is None:
        use_software_quick_renderer()
    qt_app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    qt_app.setApplicationName(APP_NAME)
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName(APP_ID)
    return qt_app


def wait_for_paint(qt_app: QApplication, widget: QWidget) -> None:
    """Processes events until `widget` has painted (bounded by FIRST_PAINT_WAIT_S)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    watcher = FirstPaint()
    widget.installEventFilter(watcher)
    # Offscreen and most window systems let it paint at once; an X server may take a round
    # trip or two to expose it. Bounded: the app goes on to build the rest either way.
    deadline = time.monotonic() + FIRST_PAINT_WAIT_S
    while not watcher.seen and time.monotonic() < deadline:
        qt_app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    widget.removeEventFilter(watcher)


def show_window_frame(
    transcript: Callable[[], TranscriptView] | None = None,
    painted: Callable[[FramePart], None] | None = None,
) -> MainWindow:
    """Shows the main window and lets it paint before the rest of the app is imported and
    built (~150 ms): first its shell (menus and toolbar, about as cheap as a bare window),
    then its frame (an empty transcript and the composer, ~65 ms more: their modules).

    `transcript` makes the window's transcript (see `MainWindow`); `painted` is told when
    each part has painted (benchmarks time the start with it)."""
    from zlay_desktop.ui.main_window import MainWindow

    qt_app = qt_application()
    window = MainWindow(body=False, transcript=transcript)
    window.show()
    wait_for_paint(qt_app, window)
    if painted is not None:
        painted("shell")
    window.build_body()
    wait_for_paint(qt_app, window.composer.viewport())
    if painted is not None:
        painted("frame")
    return window


def warm_up_highlighting() -> None:
    """Builds Pygments' styles and the common languages' lexers (see COMMON_LANGUAGES)."""
    # Pygments only: its rule tables are per class and complete once built, so this thread
    # and the GUI thread may build them at the same time. (The Markdown parser is left
    # alone: it is built on the GUI thread, at the first render, in about a millisecond.)
    from pygments.lexers import get_lexer_by_name
    from pygments.styles import get_style_by_name

    for style in ("default", "monokai"):
        get_style_by_name(style)
    for language in COMMON_LANGUAGES:
        get_lexer_by_name(language)


def warm_up_sdk() -> None:
    """Imports the SDK, and what a client and its first chat request import on first use
    (the HTTP transport, the chat resources: ~60 ms more), by making a client that is never
    used: the first Send then builds its own client without importing anything."""
    import openai

    client = openai.AsyncOpenAI(api_key="unused", base_url="http://127.0.0.1:9/v1")
    _ = client.chat.completions


def warm_up_imports(done: Callable[[], None] | None = None) -> None:
    """Prepares in the background once the window is up: code highlighting (the first
    conversation opened should not pay for it), then the SDK (it costs about a second,
    and the first Send should not pay it); then, back on the loop's thread (where the
    app's own imports happen), forgets the source lines those imports left behind and
    calls `done` (benchmarks wait for it: a user's first Send comes long after). Without a
    running loop (a bare window in a test) nothing comes back."""
    import asyncio

    from zlay_desktop.core.heap import forget_source_lines

    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:  # no loop runs (a bare window in a test): nothing to come back to
        loop = None

    def finish() -> None:
        forget_source_lines()
        gc.freeze()
        if done is not None:
            done()

    def work() -> None:
        warm_up_highlighting()
        import markdown_it  # noqa: F401  (the first reply's render)

        warm_up_sdk()

        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed: the app is quitting
                loop.call_soon_threadsafe(finish)

    threading.Thread(target=work, name="warm-up", daemon=True).start()
