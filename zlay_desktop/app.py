"""Composition root: builds everything once, runs the qasync loop, shuts down cleanly.

`zlay_desktop.__main__` parses the command line and calls `run`; how the window gets on
screen before all this is built is zlay_desktop.ui.startup's business."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from zlay_desktop import APP_ID, APP_NAME, __version__

# Little is imported up front: `run` shows the window's frame first, and only then imports
# and builds the rest (see zlay_desktop.ui.startup).
if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QDialog

    from zlay_desktop.core.assistants import Assistant, ParamsOverride
    from zlay_desktop.core.background import SerialWorker
    from zlay_desktop.core.chat_session import ReplyTarget
    from zlay_desktop.core.mcp.config import McpServerConfig
    from zlay_desktop.core.paths import AppPaths
    from zlay_desktop.core.settings import ProviderProfile, Settings
    from zlay_desktop.core.store import SqliteHistoryStore
    from zlay_desktop.core.targets import Overrides
    from zlay_desktop.ui.controller import ChatController
    from zlay_desktop.ui.main_window import MainWindow
    from zlay_desktop.ui.quick_ask import QuickAskWindow
    from zlay_desktop.ui.single_instance import InstanceServer, LaunchRequest
    from zlay_desktop.ui.startup import FramePart
    from zlay_desktop.ui.tray import Tray

from zlay_desktop.core.i18n import translate

log = logging.getLogger(__name__)


class Options(NamedTuple):
    """What the command line and the environment asked for. (A named tuple: see
    zlay_desktop.ui.startup on what is imported before the first paint.)"""

    base_url: str | None = None
    model: str | None = None
    data_dir: Path | None = None
    idle_timeout: float | None = None
    api_key: str = ""
    smoke: bool = False
    ask: str | None = None  # a question to ask at once (in the app already running, if any)
    quick: bool = False  # show the quick-ask window
    mcp_config: Path | None = None  # MCP servers for this run only (never saved)

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
    parser.add_argument(
        "--ask",
        metavar="TEXT",
        help="ask TEXT in a new conversation (in the app already running, if there is one)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="show the quick-ask window (bind this to a global shortcut of your desktop)",
    )
    parser.add_argument(
        "--mcp-config",
        metavar="FILE",
        type=Path,
        help='MCP servers for this run only, from a {"mcpServers": {...}} JSON file '
        "(as Claude Desktop writes it; nothing is saved)",
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
        ask=ns.ask,
        quick=ns.quick,
        mcp_config=ns.mcp_config,
    )


def launch_request(options: Options) -> LaunchRequest:
    from zlay_desktop.ui.single_instance import LaunchRequest

    if options.ask:
        return LaunchRequest("ask", options.ask)
    return LaunchRequest("quick" if options.quick else "focus")


def overrides_from(options: Options) -> Overrides:
    from zlay_desktop.core.targets import Overrides

    return Overrides(
        base_url=options.base_url,
        model=options.model,
        idle_timeout_s=options.idle_timeout,
        environment_key=options.api_key,
    )


def open_history(paths: AppPaths) -> tuple[SqliteHistoryStore | None, str | None]:
    """The history database, and what the user should be told about it (a damaged file
    kept aside, a read-only disk…). Without a usable database the app still chats."""
    from zlay_desktop.core.store import SqliteHistoryStore, StoreError

    try:
        store = SqliteHistoryStore.open(paths.database_file)
    except StoreError as exc:
        log.error("history unavailable: %s", exc)
        unsaved = translate("Application", "Conversations will not be saved in this session.")
        return None, f"{exc} {unsaved}"
    notice = store.startup_message()
    try:
        interrupted = store.mark_streaming_as_interrupted()
    except StoreError as exc:
        return store, str(exc)
    if interrupted:
        log.info("%d reply(s) were interrupted by the last exit", interrupted)
    return store, notice


def _index_documents(store: SqliteHistoryStore, writer: SerialWorker) -> None:
    """Completes the search index of attached documents (those stored before it existed) on
    the history writer's thread, a batch per turn: the window never waits for it, and the
    chat's writes go in between batches."""
    from zlay_desktop.core.store import StoreError

    def batch(after: str) -> None:  # on the writer's thread
        try:
            last = store.index_documents(after)
        except StoreError as exc:
            log.warning("the search index of attached documents was not completed: %s", exc)
            return
        if last is not None:
            with contextlib.suppress(RuntimeError):  # (the app is quitting: next time)
                writer.submit(batch, last)

    writer.submit(batch, "")


class Application:
    """Owns the QApplication, the loop, and every long-lived object."""

    def __init__(self, options: Options, window: MainWindow | None = None) -> None:
        """`window`: the main window's frame when it is already on screen (see `main`)."""
        import asyncio

        from zlay_desktop.core.background import SerialWorker
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

        from zlay_desktop.ui.startup import qt_application

        self.qt_app = qt_application()
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
        # The assistant of the conversation on show (or of the next new one).
        self.assistant_id: str = self.settings.active_assistant().id
        self.settings_dialog: QDialog | None = None

        self.store, store_notice = open_history(self.paths)
        # Every history write (the chat's saves, the sidebar's renames and deletions) goes
        # through this one thread, in order, off the GUI thread.
        self.history_writer = SerialWorker("history-writer")
        if self.store is not None and not self.store.read_only:
            _index_documents(self.store, self.history_writer)
        self.session = ChatSession(OpenAIChatBackend(), self.store, writer=self.history_writer)
        self._build_mcp()
        self.controller = ChatController(
            self.session, lambda: self.current_target(self.session.params_override)
        )
        self.controller.default_context_tokens = self.settings.default_context_tokens
        if window is None:
            window = MainWindow(self.controller)
        else:
            window.attach(self.controller)
        self.window = window
        # Sent files shown in a viewer are copied into the app's folder for them.
        self.window.attachment_opener.use_folder(self.paths.viewer_copies_dir)
        self.window.close_requested.connect(self._window_closing)
        self.window.quit_requested.connect(self.request_quit)
        self.quick_window: QuickAskWindow | None = None
        self.quick_controller: ChatController | None = None
        self.tray: Tray | None = None
        self.instance_server: InstanceServer | None = None
        self.window.about_requested.connect(self.show_about)

        if self.store is not None:
            self._attach_sidebar(self.store)
        self.window.settings_requested.connect(self.open_settings)
        self.window.profile_chosen.connect(self.choose_profile)
        self.window.assistant_chosen.connect(self.choose_assistant)
        self.controller.conversation_opened.connect(self._conversation_opened)
        self.controller.current_conversation_changed.connect(self._conversation_changed)
        self.controller.conversation_settings_changed.connect(self._show_assistants)
        self.controller.configuration_needed.connect(self._configuration_needed)
        self._attach_tool_notices()
        from zlay_desktop.ui.prompt_picker import PromptPicker

        self.prompt_picker = PromptPicker(self.window.composer, self.window)
        self.prompt_picker.set_prompts(self.settings.prompts)
        from zlay_desktop.ui.conversation_settings import ConversationSettingsPanel

        self.conversation_panel = ConversationSettingsPanel(self.window)
        self.conversation_panel.float_above(self.window.composer)
        self.conversation_panel.override_chosen.connect(self._override_chosen)
        self.window.conversation_settings_requested.connect(self.edit_conversation_settings)
        from zlay_desktop.core.app_state import AppStateFile
        from zlay_desktop.ui.remembered import RememberedState

        self.remembered = RememberedState(
            AppStateFile(self.paths.state_file), self.history_writer, self.window, self.controller
        )
        self.remembered.save_failed.connect(self.window.show_notice)
        sidebar = getattr(self, "sidebar", None)
        if sidebar is not None:
            sidebar.conversation_purged.connect(self.remembered.forget_draft)
        self.window.close_to_tray_action.setChecked(self.remembered.state.close_to_tray)
        if loaded.assistants_migrated:
            # Saved at once: the profiles' prompts become assistants once, and for good.
            self._save_settings(self.settings)
        self._show_assistants()
        for notice in (loaded.problem, store_notice, self._mcp_notice):
            if notice:
                self.window.show_notice(notice)
        self._quit_task: asyncio.Task[None] | None = None
        self.finished = asyncio.Event()
        # Set once the background warm-up (highlighting, the SDK) is done; benchmarks wait
        # for it as a user's first Send comes seconds after the start.
        self.warmed_up = asyncio.Event()

    def _attach_sidebar(self, store: SqliteHistoryStore) -> None:
        from zlay_desktop.ui.conversation_list import ConversationSidebar

        sidebar = ConversationSidebar(store, self.history_writer)
        self.sidebar = sidebar
        self.window.set_sidebar(sidebar)
        controller, window = self.controller, self.window
        sidebar.hit_opened.connect(window.open_hit)
        sidebar.conversation_selected.connect(window.open_conversation)
        sidebar.search_hit_opened.connect(window.reveal_search_hit)
        sidebar.new_conversation_requested.connect(window.new_conversation)
        sidebar.storage_failed.connect(window.show_notice)
        sidebar.conversation_deleted.connect(self._conversation_deleted)
        sidebar.export_requested.connect(self._export_conversation)
        controller.conversation_saved.connect(self._conversation_saved)
        controller.current_conversation_changed.connect(sidebar.select_conversation)
        controller.reply_finished.connect(lambda *_: sidebar.refresh())
        controller.reply_failed.connect(lambda *_: sidebar.refresh())
        window.file_actions.set_importer(store)
        window.file_actions.imported.connect(lambda _added: sidebar.refresh())

    # -- MCP servers and tools -------------------------------------------------------------

    def _build_mcp(self) -> None:
        """The MCP servers: the saved ones, plus `--mcp-config`'s for this run only."""
        from zlay_desktop.core.mcp.config import McpConfigError, servers_from_json
        from zlay_desktop.core.mcp.manager import McpManager
        from zlay_desktop.core.mcp.secrets import resolve_secrets

        self._mcp_notice: str | None = None
        self.run_only_servers: tuple[McpServerConfig, ...] = ()
        path = self.options.mcp_config
        if path is not None:
            try:
                self.run_only_servers = servers_from_json(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, McpConfigError) as exc:
                self._mcp_notice = translate(
                    "Application", "The MCP servers of {0} were not loaded: {1}"
                ).format(path, exc)
        for server in self.run_only_servers:  # their tokens must not reach the log either
            from zlay_desktop.core.logging_setup import redacting_filter

            for _name, value in (*server.env, *server.headers):
                redacting_filter.add_secret(value)
        self.mcp = McpManager(
            self._all_mcp_servers(),
            resolve=lambda config: resolve_secrets(self.keyring_store, config),
            on_always_allowed=self._tool_always_allowed,
        )
        self.session.toolbox = self.mcp
        self.session.max_tool_rounds = self.settings.tool_round_limit

    def _all_mcp_servers(self) -> tuple[McpServerConfig, ...]:
        return (*self.settings.mcp_servers, *self.run_only_servers)

    def _tool_always_allowed(self, server: McpServerConfig) -> None:
        """"Always allow": remembered in the settings (run-only servers: for this run)."""
        if any(s.id == server.id for s in self.settings.mcp_servers):
            from dataclasses import replace

            servers = tuple(server if s.id == server.id else s for s in self.settings.mcp_servers)
            self._save_settings(replace(self.settings, mcp_servers=servers))

    def _attach_tool_notices(self) -> None:
        """(The approval card and the result cards are the transcript's: see MainWindow.)"""
        self.controller.tool_notice.connect(self.window.show_notice)

    def _conversation_saved(self, conversation_id: int) -> None:
        self.sidebar.refresh()
        self.sidebar.select_conversation(conversation_id)

    # -- the desktop: other launches, quick ask, tray -------------------------------------

    def listen_for_launches(self) -> None:
        """Later launches on the same data folder come here instead of opening a window."""
        from zlay_desktop.ui.single_instance import InstanceServer, instance_name

        self.instance_server = InstanceServer(instance_name(self.options.data_dir), self.window)
        self.instance_server.request_received.connect(self.handle_launch)

    def handle_launch(self, request: LaunchRequest) -> None:
        if request.action == "quick":
            self.show_quick_ask()
            return
        self.show_window()
        if request.action == "ask" and request.text.strip():
            self.ask(request.text)

    def show_window(self) -> None:
        if self.window.isMinimized():
            self.window.showNormal()
        else:
            self.window.show()  # (a maximized window stays maximized)
        self.window.raise_()
        self.window.activateWindow()

    def ask(self, text: str) -> None:
        """A question from the command line: a new conversation, sent at once. If it cannot
        be sent now, it waits in a composer (it is never dropped)."""
        if self.controller.busy:
            quick = self.show_quick_ask()  # the main window's answer is still coming
            if not quick.ask(text):
                quick.composer.setPlainText(text)
            return
        self.controller.new_conversation()
        if not self.controller.send(text):
            self.window.composer.setPlainText(text)

    def show_quick_ask(self) -> QuickAskWindow:
        if self.quick_window is None:
            from zlay_desktop.core.chat_session import ChatSession
            from zlay_desktop.core.streaming import OpenAIChatBackend
            from zlay_desktop.ui.controller import ChatController
            from zlay_desktop.ui.quick_ask import QuickAskWindow

            session = ChatSession(OpenAIChatBackend(), self.store, writer=self.history_writer)
            self.quick_controller = ChatController(session, self.current_target)
            # Its own top-level window (no parent): the main window's shortcuts (Esc stops
            # the main answer) are not its own.
            self.quick_window = QuickAskWindow(self.quick_controller)
            self.quick_window.open_requested.connect(self._open_quick_conversation)
            sidebar = getattr(self, "sidebar", None)
            if sidebar is not None:
                self.quick_controller.conversation_saved.connect(lambda _id: sidebar.refresh())
                self.quick_controller.reply_finished.connect(lambda *_: sidebar.refresh())
        self.quick_window.show_and_focus()
        return self.quick_window

    def _open_quick_conversation(self, conversation_id: int) -> None:
        self.show_window()
        self.controller.open_conversation(conversation_id)

    def show_tray(self) -> None:
        from zlay_desktop.ui.tray import Tray, tray_available

        if not tray_available():
            return
        self.tray = Tray(self.qt_app.windowIcon(), self.window)
        self.tray.new_conversation_requested.connect(self._new_from_tray)
        self.tray.quick_ask_requested.connect(self.show_quick_ask)
        self.tray.show_hide_requested.connect(self._show_or_hide)
        self.tray.quit_requested.connect(self.request_quit)

    def _new_from_tray(self) -> None:
        self.show_window()
        self.window.new_conversation()

    def _show_or_hide(self) -> None:
        if self.window.isVisible() and not self.window.isMinimized():
            self.window.hide()
        else:
            self.show_window()

    def _window_closing(self) -> None:
        """Closing the window quits, unless the user chose to keep the app in the tray."""
        if self.tray is not None and self.window.close_to_tray_action.isChecked():
            self.window.hide()
            return
        self.request_quit()

    def _export_conversation(self, conversation_id: int) -> None:
        """Export from the sidebar: the conversation is opened, then exported."""
        if self.controller.busy:
            self.window.show_notice(
                translate("Application", "An answer is still coming: export when it has ended.")
            )
            return
        self.controller.open_conversation(conversation_id)
        conversation = self.session.conversation
        if conversation is not None and conversation.id == conversation_id:
            self.window.file_actions.export_markdown()

    def _conversation_deleted(self, conversation_id: int) -> None:
        conversation = self.session.conversation
        if conversation is not None and conversation.id == conversation_id:
            self.controller.new_conversation()

    # -- providers and settings ----------------------------------------------------------

    def _show_assistants(self) -> None:
        """Both pickers: the assistant, and the provider (the assistant's, if it names one)."""
        from zlay_desktop.core.assistants import shown_name

        self.window.set_assistants(self.settings.assistants, self._current_assistant().id)
        edited = self.session.params_override is not None
        self.window.show_edited_from(shown_name(self._current_assistant()) if edited else None)
        # An assistant that names its provider decides it: the provider picker shows it.
        pinned = self._pinned_profile()
        self._show_profiles(pinned.id if pinned is not None else self._current_profile_id())
        self.window.profile_picker.setEnabled(pinned is None and bool(self.settings.profiles))
        self.window.profile_picker.setToolTip(
            translate("Application", "Chosen by the assistant “{0}”").format(
                shown_name(self._current_assistant())
            )
            if pinned is not None
            else translate("Application", "The provider the next message goes to")
        )

    def edit_conversation_settings(self) -> None:
        """The panel for this conversation's own model, temperature and system prompt."""
        from zlay_desktop.core.assistants import shown_name
        from zlay_desktop.core.chat_session import ReplyTarget

        assistant = self._current_assistant()
        target = self.current_target()  # the assistant's settings, without the override
        base = target.params if isinstance(target, ReplyTarget) else assistant.params("")
        self.conversation_panel.show_for(shown_name(assistant), base, self.session.params_override)

    def _override_chosen(self, override: ParamsOverride | None) -> None:
        self.controller.set_params_override(override)
        self.window.composer.setFocus()

    def _current_assistant(self) -> Assistant:
        return self.settings.assistant(self.assistant_id) or self.settings.active_assistant()

    def _pinned_profile(self) -> ProviderProfile | None:
        """The provider the current assistant names, when it still exists."""
        return self.settings.profile(self._current_assistant().profile_id)

    def choose_assistant(self, assistant_id: str) -> None:
        """The user picked an assistant: for the conversation on show (remembered with it),
        or, in a new conversation, for new conversations from now on."""
        if self.settings.assistant(assistant_id) is None:
            return
        self.assistant_id = assistant_id
        stored = self.session.conversation is not None
        # (Also in a new conversation: its override, made for the other one, goes.)
        self.controller.set_conversation_assistant(assistant_id)
        if not stored and self.settings.active_assistant_id != assistant_id:
            from dataclasses import replace

            self._save_settings(replace(self.settings, active_assistant_id=assistant_id))
        self._show_assistants()

    def _conversation_changed(self, conversation_id: int) -> None:
        from zlay_desktop.ui.controller import NEW_CONVERSATION

        # Its Apply would land on the conversation now on show, which it was not opened for.
        self.conversation_panel.hide()
        if conversation_id == NEW_CONVERSATION:
            self.assistant_id = self.settings.active_assistant().id
            self._show_assistants()
            return
        conversation = self.session.conversation
        assistant_id = conversation.assistant_id if conversation is not None else None
        if assistant_id is not None and self.settings.assistant(assistant_id) is None:
            # (After the window has cleared the last conversation's notices.)
            self.window.show_notice(
                translate(
                    "Application",
                    "The assistant of this conversation was deleted: it goes on with “{0}”."
                ).format(self._current_assistant().name)
            )

    def _show_profiles(self, current_id: str | None) -> None:
        fallback = ""  # the window's own words
        if not self.settings.profiles and self.overrides.configures_a_server:
            target = self.current_target()
            if not isinstance(target, str):
                fallback = translate("Application", "{0} at {1} (command line)").format(
                    target.params.model, target.endpoint.base_url
                )
        self.window.set_profiles(self.settings.profiles, current_id, fallback)

    def _current_profile(self) -> ProviderProfile | None:
        return self.settings.profile(self.profile_id) or self.settings.active_profile()

    def _current_profile_id(self) -> str | None:
        profile = self._current_profile()
        return profile.id if profile is not None else None

    def current_target(self, override: ParamsOverride | None = None) -> ReplyTarget | str:
        """Where the next reply goes (asked at every send), or why it can't go anywhere;
        `override`: the conversation's own changes to its assistant's settings."""
        profile = self._pinned_profile() or self._current_profile()
        key = proxy_password = None
        from zlay_desktop.core.logging_setup import redacting_filter
        from zlay_desktop.core.targets import resolve_target

        if profile is not None:
            key, proxy_password = self.keys.lookup(profile)
            redacting_filter.add_secret(key.value)
        resolution = resolve_target(
            self.settings,
            profile,
            key,
            self.overrides,
            proxy_password,
            self._current_assistant(),
            override,
        )
        if resolution.target is None:
            return resolution.problem or translate("Application", "No provider is set up.")
        return resolution.target

    def choose_profile(self, profile_id: str) -> None:
        """The user picked a provider: used from now on, and remembered."""
        if self.settings.profile(profile_id) is None:
            return
        self.profile_id = profile_id
        if self.settings.active_profile_id != profile_id:
            from dataclasses import replace

            self._save_settings(replace(self.settings, active_profile_id=profile_id))

    def _conversation_opened(self, profile_id: str) -> None:
        """A conversation remembers its provider and its assistant: switch to them when
        they still exist (one from before assistants goes on with the default one, which
        takes the provider's settings as it always did)."""
        from zlay_desktop.core.assistants import DEFAULT_ASSISTANT_ID

        if profile_id and self.settings.profile(profile_id) is not None:
            self.profile_id = profile_id
            self._show_profiles(profile_id)
        conversation = self.session.conversation
        assistant_id = conversation.assistant_id if conversation is not None else None
        if self.settings.assistant(assistant_id) is None:
            assistant_id = DEFAULT_ASSISTANT_ID
        self.assistant_id = assistant_id or DEFAULT_ASSISTANT_ID
        self._show_assistants()

    def _save_settings(self, settings: Settings) -> None:
        from zlay_desktop.core.settings import SettingsError

        self.settings = settings
        try:
            self.settings_file.save(settings)
        except SettingsError as exc:
            self.window.show_notice(str(exc))

    def _configuration_needed(self, _why: str) -> None:
        """A Send with no provider at all: the first-run screen, where one is made in a
        click (the message stays in the composer; the notice says what to do)."""
        if not self.settings.profiles and not self.overrides.configures_a_server:
            self.open_settings()

    def open_settings(self) -> None:
        from zlay_desktop.ui.settings import SettingsDialog

        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        dialog = SettingsDialog(
            self.settings,
            self.settings_file,
            self.keys.keys,
            overrides=self.overrides,
            mcp=self.mcp,
            parent=self.window,
        )
        dialog.settings_saved.connect(self._settings_saved)
        self.settings_dialog = dialog  # keep a reference while it is open
        dialog.open()  # never exec(): it would nest the event loop under qasync

    def _settings_saved(self, settings: Settings) -> None:
        from zlay_desktop.core.assistants import DEFAULT_ASSISTANT, DEFAULT_ASSISTANT_ID

        deleted = None
        if settings.assistant(self.assistant_id) is None:
            deleted = self.settings.assistant(self.assistant_id)
        self.settings = settings
        self.keys.clear()
        if self.settings.profile(self.profile_id) is None:
            self.profile_id = settings.active_profile_id
        if deleted is not None:
            # As when the conversation is opened again: a stored one goes on with the
            # default assistant, a new one with the assistant for new conversations.
            stored = self.session.conversation is not None
            fallback = (
                self.settings.assistant(DEFAULT_ASSISTANT_ID) or DEFAULT_ASSISTANT
                if stored
                else self.settings.active_assistant()
            )
            self.assistant_id = fallback.id
        self._show_assistants()
        self.prompt_picker.set_prompts(settings.prompts)
        self.mcp.configure(self._all_mcp_servers())
        self.session.max_tool_rounds = settings.tool_round_limit
        self.controller.default_context_tokens = settings.default_context_tokens
        self.window.hide_notice()
        if deleted is not None and self.session.conversation is not None:
            self.window.show_notice(
                translate(
                    "Application",
                    "The assistant “{0}” was deleted: this conversation goes on with “{1}”."
                ).format(deleted.name, self._current_assistant().name)
            )

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
            translate(
                "Application",
                "Something went wrong inside {0}: {1}. "
                "Your conversation is safe. Details are in the log: {2}"
            ).format(APP_NAME, exc_type.__name__, self.paths.log_file)
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
        from zlay_desktop.ui.startup import AFTER_FIRST_PAINT_MS

        self.install_excepthook()
        if not self.options.smoke:
            self.listen_for_launches()
            self.show_tray()
        self.remembered.restore_window()
        self.window.show()
        first_run = not self.settings.profiles and not self.overrides.configures_a_server
        if first_run:
            # Guide the user to Settings instead of failing on the first Send.
            self.window.show_notice(translate("Targets", NOT_CONFIGURED))
        # The rest waits for the window's first paint: the warm-up thread holds the GIL
        # most of the time while it imports, and the Settings dialog takes ~0.5 s to build.
        # (The window as context: nothing runs if it is gone by then, as in a short test.)
        QTimer.singleShot(
            AFTER_FIRST_PAINT_MS, self.window, lambda: self._after_first_paint(first_run)
        )

    def _after_first_paint(self, first_run: bool) -> None:
        from zlay_desktop.ui.startup import warm_up_imports

        warm_up_imports(self.warmed_up.set)
        if any(s.enabled for s in self.mcp.servers):
            self.mcp.shell_path.prefetch()  # the first server start need not wait for it
        if first_run and not self.options.smoke:
            self.open_settings()
        self._reopen_last_conversation()
        if self.options.ask:
            self.ask(self.options.ask)
        if self.options.quick:
            self.show_quick_ask()

    def _reopen_last_conversation(self) -> None:
        """The conversation that was open when the app last quit, if it is still there."""
        last = self.remembered.last_conversation_id
        if last is None or self.store is None or self.controller.busy:
            return
        if self.store.get_conversation(last) is not None:
            self.controller.open_conversation(last)

    def request_quit(self) -> None:
        import asyncio

        if self._quit_task is None:
            self._quit_task = asyncio.ensure_future(self.shutdown())

    async def shutdown(self) -> None:
        """Cancel the stream (saved as stopped), close connections, then close the window."""
        try:
            self.remembered.save_now()  # drafts and the window, while it is all there
            if self.instance_server is not None:
                self.instance_server.close()
            try:
                if self.quick_controller is not None:
                    await self.quick_controller.aclose()
                await self.controller.aclose()
                await self.mcp.aclose()  # no server process outlives the app
                await self.window.file_actions.aclose()
                sidebar = getattr(self, "sidebar", None)
                if sidebar is not None:
                    await sidebar.aclose()
            finally:
                self.history_writer.shutdown()  # the last writes land before the store closes
            if self.store is not None:
                self.store.close()
        finally:
            self.window.allow_close()
            self.window.close()
            self.finished.set()


Drive = Callable[["Application"], Coroutine[Any, Any, int]]
"""Runs the started app unattended (the `--smoke` self-test) and gives the exit status."""


def run(
    options: Options,
    drive: Drive | None = None,
    painted: Callable[[FramePart], None] | None = None,
    started: Callable[[Application], None] | None = None,
) -> int:
    """Shows the window's frame, builds and starts the app, then runs the loop until the
    user quits (exit status 0), or until `drive` is done with the app (its status).

    `painted` and `started` are told when the frame's parts have painted and when the app
    has started (the start-up benchmark times them)."""
    # Before anything imports Qt: PySide6 reads the source of each module imported after it
    # (to find those that switch its `__feature__`s), so the first paint's other needs come
    # first: where the settings are and the language chosen in them.
    from zlay_desktop.core.i18n import read_language
    from zlay_desktop.core.paths import AppPaths

    paths = AppPaths.portable(options.data_dir) if options.data_dir else AppPaths.default()
    language = read_language(paths.settings_file)

    from zlay_desktop.ui.startup import qt_application, show_window_frame

    if drive is None:
        # An app already running on the same data folder takes this launch's request; this
        # process then ends before showing anything.
        from zlay_desktop.ui.single_instance import claim_instance, instance_name

        qt_application()
        name, request = instance_name(options.data_dir), launch_request(options)
        instance_lock = claim_instance(name, request)  # held until this app ends
        if instance_lock is None:
            return 0
    from zlay_desktop.ui.i18n import install_translations

    # Before any window is built: its words are looked up as it is made.
    install_translations(language, qt_application())
    window = show_window_frame(painted=painted)

    from zlay_desktop.ui.event_loop import close_event_loop, create_event_loop

    qt_app = qt_application()
    loop = create_event_loop(qt_app)
    try:
        app = Application(options, window)
        app.start()
        if started is not None:
            started(app)
        if drive is not None:
            return loop.run_until_complete(drive(app))
        qt_app.aboutToQuit.connect(app.request_quit)
        loop.run_until_complete(app.finished.wait())
        return 0
    finally:
        close_event_loop(loop)
