"""Composition root: builds everything once, runs the qasync loop, shuts down cleanly."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from zlay_desktop import APP_ID, APP_NAME, __version__

# Little is imported up front: `main` shows the window's frame first, and only then imports
# and builds the rest (asyncio and qasync, the chat session and its SDK client, settings,
# keyring, history). See `show_window_frame`.
if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    from zlay_desktop.core.chat_session import ReplyTarget
    from zlay_desktop.core.paths import AppPaths
    from zlay_desktop.core.settings import ProviderProfile, Settings
    from zlay_desktop.core.store import SqliteHistoryStore
    from zlay_desktop.core.targets import Overrides
    from zlay_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class Options(NamedTuple):
    """What the command line and the environment asked for. (A named tuple, not a
    dataclass: `dataclasses` is not imported before the window's first paint.)"""

    base_url: str | None = None
    model: str | None = None
    data_dir: Path | None = None
    idle_timeout: float | None = None
    api_key: str = ""
    smoke: bool = False

    def __repr__(self) -> str:
        # Never the key itself: options end up in logs and tracebacks.
        shown = ", ".join(
            f"{name}={'<hidden>' if name == 'api_key' and value else repr(value)}"
            for name, value in zip(self._fields, self, strict=True)
        )
        return f"Options({shown})"


def parse_args(argv: Sequence[str], environ: dict[str, str] | None = None) -> Options:
    env = os.environ if environ is None else environ
    env_base_url = env.get("OPENAI_BASE_URL") or None
    env_key = env.get("OPENAI_API_KEY", "")
    if not argv:
        # The usual launch (from a desktop menu): nothing to parse, and building a parser
        # costs ~3 ms before the window shows (gettext looks for translations).
        return Options(base_url=env_base_url, api_key=env_key)
    import argparse

    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description=f"{APP_NAME} {__version__}: a desktop chat client for OpenAI and "
        "OpenAI-compatible APIs.",
        epilog="Environment: OPENAI_API_KEY (an API key, used read-only; never saved) and "
        "OPENAI_BASE_URL (the server) are read when set. Command-line options win over "
        "both and over saved settings, for this run only.",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="OpenAI-compatible server, e.g. http://localhost:11434/v1 (overrides settings)",
    )
    parser.add_argument("--model", metavar="NAME", help="model name (overrides settings)")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        help="keep all settings, history and logs under DIR (portable mode; a clean slate)",
    )
    parser.add_argument(
        "--idle-timeout",
        metavar="SECONDS",
        type=float,
        help="give up on a reply after this long without data (default 60)",
    )
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    ns = parser.parse_args(list(argv))
    return Options(
        base_url=ns.base_url or env_base_url,
        model=ns.model,
        data_dir=ns.data_dir,
        idle_timeout=ns.idle_timeout,
        api_key=env_key,
        smoke=ns.smoke,
    )


def overrides_from(options: Options) -> Overrides:
    from zlay_desktop.core.targets import Overrides

    return Overrides(
        base_url=options.base_url,
        model=options.model,
        idle_timeout_s=options.idle_timeout,
        environment_key=options.api_key,
    )


# Languages replies are most often highlighted in. Pygments compiles a lexer's rules the
# first time one is made (~5-50 ms each); opening the first conversation should not wait.
_COMMON_LANGUAGES = (
    "python", "bash", "javascript", "typescript", "json", "html", "css", "sql", "c", "cpp",
    "rust", "go", "java", "yaml",
)  # fmt: skip


def _warm_up_highlighting() -> None:
    # Pygments only: its rule tables are per class and complete once built, so this thread
    # and the GUI thread may build them at the same time. (The Markdown parser is left
    # alone: it is built on the GUI thread, at the first render, in about a millisecond.)
    from pygments.lexers import get_lexer_by_name
    from pygments.styles import get_style_by_name

    for style in ("default", "monokai"):
        get_style_by_name(style)
    for language in _COMMON_LANGUAGES:
        get_lexer_by_name(language)


AFTER_FIRST_PAINT_MS = 150
"""Long enough for the main window's first paint (~30-50 ms after show on 2 cores)."""


def _warm_up_imports() -> None:
    """Prepares in the background once the window is up: code highlighting (the first
    conversation opened should not pay for it), then the SDK (it costs about a second,
    and the first Send should not pay it); then, back on the loop's thread (where the
    app's own imports happen), forgets the source lines those imports left behind."""
    import asyncio

    from zlay_desktop.core.heap import forget_source_lines

    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:  # no loop runs (a bare window in a test): nothing to come back to
        loop = None

    def work() -> None:
        _warm_up_highlighting()
        import openai  # noqa: F401

        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed: the app is quitting
                loop.call_soon_threadsafe(forget_source_lines)

    threading.Thread(target=work, name="warm-up", daemon=True).start()


def open_history(paths: AppPaths) -> tuple[SqliteHistoryStore | None, str | None]:
    """The history database, and what the user should be told about it (a damaged file
    kept aside, a read-only disk…). Without a usable database the app still chats."""
    from zlay_desktop.core.store import SqliteHistoryStore, StoreError

    try:
        store = SqliteHistoryStore.open(paths.database_file)
    except StoreError as exc:
        log.error("history unavailable: %s", exc)
        return None, f"{exc} Conversations will not be saved in this session."
    notice = store.startup_message()
    try:
        interrupted = store.mark_streaming_as_interrupted()
    except StoreError as exc:
        return store, str(exc)
    if interrupted:
        log.info("%d reply(s) were interrupted by the last exit", interrupted)
    return store, notice


class Application:
    """Owns the QApplication, the loop, and every long-lived object."""

    def __init__(self, options: Options, window: MainWindow | None = None) -> None:
        """`window`: the main window's frame when it is already on screen (see `main`)."""
        import asyncio

        from zlay_desktop.core.chat_session import ChatSession
        from zlay_desktop.core.logging_setup import setup_logging
        from zlay_desktop.core.paths import AppPaths
        from zlay_desktop.core.secrets import (
            ApiKeys,
            EnvironmentKey,
            KeyringSecretStore,
            SessionSecretStore,
        )
        from zlay_desktop.core.settings import SettingsFile
        from zlay_desktop.core.streaming import OpenAIChatBackend
        from zlay_desktop.core.targets import KeyCache

        self.options = options
        self.paths = AppPaths.portable(options.data_dir) if options.data_dir else AppPaths.default()
        self.paths.ensure()
        setup_logging(self.paths.log_file, secrets=[options.api_key])
        log.info("starting %s %s", APP_NAME, __version__)

        self.qt_app = _qt_application()
        from zlay_desktop.ui.about_dialog import app_icon

        self.qt_app.setWindowIcon(app_icon())

        from zlay_desktop.ui.controller import ChatController
        from zlay_desktop.ui.main_window import MainWindow

        self.settings_file = SettingsFile(self.paths.settings_file)
        loaded = self.settings_file.load()
        self.settings: Settings = loaded.settings
        self.keyring_store = KeyringSecretStore()
        self.session_keys = SessionSecretStore()
        self.environment_key = EnvironmentKey()
        self.keys = KeyCache(ApiKeys(self.keyring_store, self.session_keys, self.environment_key))
        self.overrides = overrides_from(options)
        self.profile_id: str | None = self.settings.active_profile_id
        self.settings_dialog: QDialog | None = None

        self.store, store_notice = open_history(self.paths)
        self.session = ChatSession(OpenAIChatBackend(), self.store)
        self.controller = ChatController(self.session, self.current_target)
        if window is None:
            window = MainWindow(self.controller)
        else:
            window.attach(self.controller)
        self.window = window
        self.window.close_requested.connect(self.request_quit)
        self.window.about_requested.connect(self.show_about)
        if self.store is not None:
            self._attach_sidebar(self.store)
        self.window.settings_requested.connect(self.open_settings)
        self.window.profile_chosen.connect(self.choose_profile)
        self.controller.conversation_opened.connect(self._conversation_opened)
        self._show_profiles(self._current_profile_id())
        for notice in (loaded.problem, store_notice):
            if notice:
                self.window.show_notice(notice)
        self._quit_task: asyncio.Task[None] | None = None
        self.finished = asyncio.Event()

    def _attach_sidebar(self, store: SqliteHistoryStore) -> None:
        from zlay_desktop.ui.conversation_list import ConversationSidebar

        sidebar = ConversationSidebar(store)
        self.sidebar = sidebar
        self.window.set_sidebar(sidebar)
        controller, window = self.controller, self.window
        sidebar.conversation_selected.connect(window.open_conversation)
        sidebar.new_conversation_requested.connect(window.new_conversation)
        sidebar.storage_failed.connect(window.show_notice)
        sidebar.conversation_deleted.connect(self._conversation_deleted)
        controller.conversation_saved.connect(self._conversation_saved)
        controller.reply_finished.connect(lambda *_: sidebar.refresh())
        controller.reply_failed.connect(lambda *_: sidebar.refresh())
        window.file_actions.set_importer(store)
        window.file_actions.imported.connect(lambda _added: sidebar.refresh())

    def _conversation_saved(self, conversation_id: int) -> None:
        self.sidebar.refresh()
        self.sidebar.select_conversation(conversation_id)

    def _conversation_deleted(self, conversation_id: int) -> None:
        conversation = self.session.conversation
        if conversation is not None and conversation.id == conversation_id:
            self.controller.new_conversation()

    # -- providers and settings ----------------------------------------------------------

    def _show_profiles(self, current_id: str | None) -> None:
        fallback = "No provider: open Settings"
        if not self.settings.profiles and self.overrides.configures_a_server:
            target = self.current_target()
            if not isinstance(target, str):
                fallback = f"{target.params.model} at {target.endpoint.base_url} (command line)"
        self.window.set_profiles(self.settings.profiles, current_id, fallback)

    def _current_profile(self) -> ProviderProfile | None:
        return self.settings.profile(self.profile_id) or self.settings.active_profile()

    def _current_profile_id(self) -> str | None:
        profile = self._current_profile()
        return profile.id if profile is not None else None

    def current_target(self) -> ReplyTarget | str:
        """Where the next reply goes (asked at every send), or why it can't go anywhere."""
        profile = self._current_profile()
        key = proxy_password = None
        from zlay_desktop.core.logging_setup import redacting_filter
        from zlay_desktop.core.targets import resolve_target

        if profile is not None:
            key, proxy_password = self.keys.lookup(profile)
            redacting_filter.add_secret(key.value)
        resolution = resolve_target(self.settings, profile, key, self.overrides, proxy_password)
        if resolution.target is None:
            return resolution.problem or "No provider is set up."
        return resolution.target

    def choose_profile(self, profile_id: str) -> None:
        """The user picked a provider: used from now on, and remembered."""
        if self.settings.profile(profile_id) is None:
            return
        self.profile_id = profile_id
        if self.settings.active_profile_id != profile_id:
            from dataclasses import replace

            self._save_settings(replace(self.settings, active_profile_id=profile_id))

    def _conversation_opened(self, profile_id: object) -> None:
        """A conversation remembers its provider: switch to it when it still exists."""
        if isinstance(profile_id, str) and self.settings.profile(profile_id) is not None:
            self.profile_id = profile_id
            self._show_profiles(profile_id)

    def _save_settings(self, settings: Settings) -> None:
        from zlay_desktop.core.settings import SettingsError

        self.settings = settings
        try:
            self.settings_file.save(settings)
        except SettingsError as exc:
            self.window.show_notice(str(exc))

    def open_settings(self) -> None:
        from zlay_desktop.ui.settings import SettingsDialog

        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        dialog = SettingsDialog(
            self.settings, self.settings_file, self.keys.keys, parent=self.window
        )
        dialog.settings_saved.connect(self._settings_saved)
        self.settings_dialog = dialog  # keep a reference while it is open
        dialog.open()  # never exec(): it would nest the event loop under qasync

    def _settings_saved(self, settings: Settings) -> None:
        self.settings = settings
        self.keys.clear()
        if self.settings.profile(self.profile_id) is None:
            self.profile_id = settings.active_profile_id
        self._show_profiles(self._current_profile_id())
        self.window.hide_notice()

    # -- errors --------------------------------------------------------------------------

    def install_excepthook(self) -> None:
        """Unhandled exceptions (incl. those of asyncSlots and tasks) are logged and shown;
        the app goes on."""
        import asyncio

        sys.excepthook = self._excepthook
        loop = asyncio.get_event_loop()
        loop.set_exception_handler(self._loop_exception)

    def _excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        log.error(
            "unhandled exception\n%s", "".join(traceback.format_exception(exc_type, exc, tb))
        )
        if issubclass(exc_type, KeyboardInterrupt):
            return
        self.show_error(
            f"Something went wrong inside {APP_NAME}: {exc_type.__name__}. "
            f"Your conversation is safe. Details are in the log: {self.paths.log_file}"
        )

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self._excepthook(type(exc), exc, exc.__traceback__)
        else:
            log.error("event loop error: %s", context.get("message"))

    def show_error(self, text: str) -> None:
        self.window.show_notice(text)

    # -- dialogs -------------------------------------------------------------------------

    def show_about(self) -> None:
        from zlay_desktop.ui.about_dialog import AboutDialog

        self.about_dialog = AboutDialog(self.paths, self.window)
        self.about_dialog.open()  # never exec(): it would nest the event loop under qasync

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        from PySide6.QtCore import QTimer

        from zlay_desktop.core.targets import NOT_CONFIGURED

        self.install_excepthook()
        self.window.show()
        first_run = not self.settings.profiles and not self.overrides.configures_a_server
        if first_run:
            # Guide the user to Settings instead of failing on the first Send.
            self.window.show_notice(NOT_CONFIGURED)
        # The rest waits for the window's first paint: the warm-up thread holds the GIL
        # most of the time while it imports, and the Settings dialog takes ~0.5 s to build.
        QTimer.singleShot(AFTER_FIRST_PAINT_MS, lambda: self._after_first_paint(first_run))

    def _after_first_paint(self, first_run: bool) -> None:
        _warm_up_imports()
        if first_run and not self.options.smoke:
            self.open_settings()

    def request_quit(self) -> None:
        import asyncio

        if self._quit_task is None:
            self._quit_task = asyncio.ensure_future(self.shutdown())

    async def shutdown(self) -> None:
        """Cancel the stream (saved as stopped), close connections, then close the window."""
        try:
            await self.controller.aclose()
            await self.window.file_actions.aclose()
            if self.store is not None:
                self.store.close()
        finally:
            self.window.allow_close()
            self.window.close()
            self.finished.set()


def _qt_application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    instance = QApplication.instance()
    qt_app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    qt_app.setApplicationName(APP_NAME)
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName(APP_ID)
    return qt_app


FIRST_PAINT_WAIT_S = 0.1
"""How long `show_window_frame` waits for the window system to let a widget paint."""


def _wait_for_paint(qt_app: QApplication, widget: QWidget) -> None:
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


def show_window_frame() -> MainWindow:
    """Shows the main window and lets it paint before the rest of the app is imported and
    built (~150 ms): first its shell (menus and toolbar, about as cheap as a bare window),
    then its frame (an empty transcript and the composer, ~65 ms more: their modules)."""
    from zlay_desktop.ui.main_window import MainWindow

    qt_app = _qt_application()
    window = MainWindow(body=False)
    window.show()
    _wait_for_paint(qt_app, window)
    window.build_body()
    _wait_for_paint(qt_app, window.composer.viewport())
    return window


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    window = show_window_frame()

    from zlay_desktop.ui.event_loop import close_event_loop, create_event_loop

    qt_app = _qt_application()
    loop = create_event_loop(qt_app)
    try:
        app = Application(options, window)
        app.start()
        if options.smoke:
            # Installed-package self-test: see zlay_desktop/smoke.py.
            from zlay_desktop.smoke import run_smoke

            return loop.run_until_complete(run_smoke(app))
        qt_app.aboutToQuit.connect(app.request_quit)
        loop.run_until_complete(app.finished.wait())
        return 0
    finally:
        close_event_loop(loop)
