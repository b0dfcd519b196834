"""The main window: layout and wiring only. Behaviour lives in the controller and views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QMainWindow, QWidget

from zlay_desktop import APP_NAME

# The window can be built and shown before its body and its controller exist (see
# `build_body` and `attach`): the app paints its shell first, then imports and builds the
# rest. So this module imports little: each Qt class fetched from PySide6 builds its
# Python enums then. Why and how much: zlay_desktop.ui.startup.
if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout

    from zlay_desktop.core.assistants import Assistant
    from zlay_desktop.core.chat_session import LiveReply
    from zlay_desktop.core.models import Message
    from zlay_desktop.core.settings import ProviderProfile
    from zlay_desktop.ui.composer import Composer
    from zlay_desktop.ui.controller import ChatController
    from zlay_desktop.ui.export_actions import ConversationFileActions
    from zlay_desktop.ui.transcript import TranscriptView

COPIED_SHOWN_MS = 1_500  # how long "Copied" shows after a Copy
SIDEBAR_WIDTH = 260  # the sidebar shown again after it was hidden

RELEASE_MEMORY_DELAY_MS = 1_000
"""After a reply ends or a conversation is shown, idle this long, then give the memory
rendering freed back to the OS (see zlay_desktop.core.heap)."""


class MainWindow(QMainWindow):
    close_requested = Signal()  # the window was closed: the app decides what that means
    quit_requested = Signal()  # File → Quit: the app quits (after cleanup)
    settings_requested = Signal()
    about_requested = Signal()
    profile_chosen = Signal(str)  # a provider profile id, picked beside the message box
    assistant_chosen = Signal(str)  # an assistant's id, picked beside the message box
    conversation_settings_requested = Signal()  # "Edit…" beside the assistant picker
    memory_released = Signal()  # freed memory went back to the OS, once the window was idle

    controller: ChatController
    file_actions: ConversationFileActions

    chat_view: TranscriptView
    composer: Composer
    send_button: QPushButton
    stop_button: QPushButton
    notice: QLabel
    reply_status: QLabel
    sidebar_slot: QWidget
    sidebar_layout: QVBoxLayout
    splitter: QSplitter

    def __init__(
        self,
        controller: ChatController | None = None,
        *,
        body: bool = True,
        transcript: Callable[[], TranscriptView] | None = None,
    ) -> None:
        """The window. Without a controller, only its frame (menus, toolbar, an empty
        transcript and the composer) until `attach` is called; with `body=False` only its
        shell (menus and toolbar) until `build_body` is called. `transcript` makes the
        transcript when the body is built (a plain `TranscriptView` by default; tests and
        benchmarks may give another)."""
        super().__init__()
        self._closing_allowed = False
        self._body_built = False
        self._make_transcript = transcript
        self.setWindowTitle(APP_NAME)
        self.resize(1100, 760)
        self._build_actions()
        if body:
            self.build_body()
        else:
            # Until the body is built: an empty area in the window's colours.
            self.setCentralWidget(QWidget())
        if controller is not None:
            self.attach(controller)

    def build_body(self) -> None:
        """Builds the transcript, the composer and their buttons (once)."""
        if self._body_built:
            return
        self._body_built = True
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout

        make_transcript = self._make_transcript
        if make_transcript is None:
            from zlay_desktop.ui.transcript import TranscriptView

            make_transcript = TranscriptView
        from zlay_desktop.ui.composer import Composer
        from zlay_desktop.ui.editing import EditBar, VersionUndoBar

        self.chat_view = make_transcript()
        self.composer = Composer()
        self.edit_bar = EditBar()
        self.edit_bar.cancel_requested.connect(self.cancel_edit)
        self.version_undo = VersionUndoBar()
        self.chat_view.addAction(self.version_undo.undo_action)
        self._editing: int | None = None  # the index of the message being edited
        # A search hit to reveal once its conversation is on show: (conversation, message,
        # the words searched).
        self._pending_reveal: tuple[int, int, str] | None = None
        self._content_before_edit: tuple[str, str] = ("", "")
        self.question: QWidget | None = None  # a question asked before sending, kept alive
        self._copied_timer: QTimer | None = None
        self._hit: tuple[int, int] | None = None  # conversation, message: see open_hit
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setAccessibleName(self.tr("Send"))
        self.send_button.setDefault(True)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the answer (Esc)"))
        self.stop_button.setEnabled(False)
        self.notice = QLabel()
        self.notice.setAccessibleName(self.tr("Notice"))
        self.notice.setWordWrap(True)
        self.notice.setOpenExternalLinks(False)
        self.notice.setVisible(False)
        self.notice.setStyleSheet(
            "padding: 6px; border-radius: 4px; background: palette(alternate-base);"
        )
        # An action the notice offers ("Show in folder"), shown with it when there is one.
        self.notice_action = QPushButton()
        self.notice_action.setVisible(False)
        self.notice_action.clicked.connect(self._notice_action_clicked)
        self._on_notice_action: Callable[[], object] | None = None
        self.reply_status = QLabel()
        self.reply_status.setAccessibleName(self.tr("Reply status"))

        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.composer.attach_button)
        buttons.addStretch(1)
        composer_row = QHBoxLayout()
        composer_row.addWidget(self.composer, 1)
        composer_row.addLayout(buttons)
        picker_row = self._build_pickers()

        chat_column = QWidget()
        column = QVBoxLayout(chat_column)
        column.setContentsMargins(6, 6, 6, 6)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.notice_action)
        column.addLayout(notice_row)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.reply_status)
        column.addWidget(self.version_undo)
        column.addWidget(self.edit_bar)
        column.addLayout(picker_row)
        column.addLayout(composer_row)

        # The conversation sidebar is put here by the composition root when history exists.
        self.sidebar_slot = QWidget()
        self.sidebar_layout = QVBoxLayout(self.sidebar_slot)
        self.sidebar_layout.setContentsMargins(0, 0, 0, 0)
        self.sidebar_slot.setVisible(False)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar_slot)
        self.splitter.addWidget(chat_column)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([SIDEBAR_WIDTH, 840])
        self.setCentralWidget(self.splitter)
        self.composer.setFocus()
        self._release_memory_timer = QTimer(self)
        self._release_memory_timer.setSingleShot(True)
        self._release_memory_timer.setInterval(RELEASE_MEMORY_DELAY_MS)
        self._release_memory_timer.timeout.connect(self._release_memory)

    def attach(self, controller: ChatController) -> None:
        """Connects the window to its controller: from now on it chats."""
        from zlay_desktop.ui.export_actions import ConversationFileActions

        self.build_body()
        self._set_shortcuts()
        self.controller = controller
        self.file_actions = ConversationFileActions(controller.session, self)
        self._file_menu.insertActions(
            self._settings_separator,
            [
                self.file_actions.export_markdown_action,
                self.file_actions.export_json_action,
                self.file_actions.import_action,
            ],
        )
        self.new_action.triggered.connect(self.new_conversation)
        self.stop_action.triggered.connect(self.stop_or_cancel_edit)
        self._wire()
        # The app is built: now the transcript's Qt Quick part (after the first paint).
        self.chat_view.ensure_loaded()

    # -- construction --------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.new_action = QAction(self.tr("&New conversation"), self)
        self.stop_action = QAction(self.tr("&Stop answer"), self)
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.triggered.connect(self.settings_requested)
        self.copy_conversation_action = QAction(self.tr("&Copy conversation as Markdown"), self)
        self.copy_conversation_action.triggered.connect(self._copy_conversation)
        self.search_action = QAction(self.tr("&Search conversations"), self)
        self.search_action.setEnabled(False)
        self.addAction(self.search_action)
        self.about_action = QAction(self.tr("&About"), self)
        self.about_action.triggered.connect(self.about_requested)
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.triggered.connect(self.quit_requested)
        self.close_to_tray_action = QAction(self.tr("Keep running in the &tray when closed"), self)
        self.close_to_tray_action.setCheckable(True)
        self.sidebar_action = QAction(self.tr("Show &sidebar"), self)
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setEnabled(False)  # until there is a sidebar (a history)
        self.sidebar_action.toggled.connect(self._show_sidebar)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        # Export and import go here once the window is attached to its controller.
        self._settings_separator = file_menu.addSeparator()
        self._file_menu = file_menu
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        chat_menu = menu.addMenu(self.tr("&Chat"))
        chat_menu.addAction(self.stop_action)
        chat_menu.addAction(self.search_action)
        chat_menu.addAction(self.copy_conversation_action)
        view_menu = menu.addMenu(self.tr("&View"))
        view_menu.addAction(self.sidebar_action)
        view_menu.addAction(self.close_to_tray_action)
        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)
        self.addAction(self.stop_action)

        toolbar = self.toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.settings_action)
        settings_button = toolbar.widgetForAction(self.settings_action)
        if settings_button is not None:
            settings_button.setAccessibleName(self.tr("Settings"))
        self.conversation_settings_action = QAction(self.tr("Edit…"), self)
        self.conversation_settings_action.setToolTip(
            self.tr("This conversation's own model, temperature and system prompt (Ctrl+Shift+E)")
        )
        self.conversation_settings_action.triggered.connect(self.conversation_settings_requested)
        self.addAction(self.conversation_settings_action)  # its key works wherever the focus is

    def _build_pickers(self) -> QHBoxLayout:
        """The assistant and provider pickers, just above the message box: what the next
        message goes with is chosen where it is written."""
        from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton

        self.assistant_picker = QComboBox()
        self.assistant_picker.setAccessibleName(self.tr("Assistant"))
        self.assistant_picker.setToolTip(
            self.tr("The assistant of this conversation (or of the next new one)")
        )
        self.assistant_picker.setMinimumContentsLength(14)
        self.assistant_picker.activated.connect(self._assistant_activated)
        self.conversation_settings_button = QToolButton()
        self.conversation_settings_button.setDefaultAction(self.conversation_settings_action)
        self.conversation_settings_button.setAutoRaise(True)
        self.conversation_settings_button.setAccessibleName(
            self.tr("Edit conversation settings")
        )
        self.edited_label = QLabel()
        self.edited_label.setAccessibleName(self.tr("Edited from"))
        self.edited_label.setVisible(False)
        self.profile_picker = QComboBox()
        self.profile_picker.setAccessibleName(self.tr("Provider"))
        self.profile_picker.setToolTip(self.tr("The provider the next message goes to"))
        self.profile_picker.setMinimumContentsLength(18)
        self.profile_picker.activated.connect(self._profile_activated)
        row = QHBoxLayout()
        row.addWidget(self.assistant_picker)
        row.addWidget(self.conversation_settings_button)
        row.addWidget(self.edited_label)
        row.addStretch(1)
        row.addWidget(self.profile_picker)
        return row

    def _set_shortcuts(self) -> None:
        # With the controller: they would do nothing before, and the first QKeySequence
        # builds PySide6's `Qt` enums (~20 ms), which the first paints need not wait for.
        from PySide6.QtGui import QKeySequence

        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.stop_action.setShortcut(QKeySequence("Esc"))
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        # (The keyboard's way to the panel, wherever the focus is.)
        self.conversation_settings_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.search_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
        self.sidebar_action.setShortcut(QKeySequence("Ctrl+B"))
        self.version_undo.set_shortcut()
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)

    def _wire(self) -> None:
        c, v = self.controller, self.chat_view
        self.send_button.clicked.connect(self.send_from_composer)
        self.composer.submitted.connect(self.send_from_composer)
        self.composer.stop_requested.connect(self.stop_or_cancel_edit)
        self.composer.attachment_failed.connect(self.show_notice)
        c.current_conversation_changed.connect(self._conversation_changed)
        self.stop_button.clicked.connect(c.stop)

        c.user_message_added.connect(v.add_message)
        c.reply_started.connect(self._reply_started)
        c.waiting_updated.connect(self._waiting_updated)
        c.first_token_received.connect(self._first_output)
        c.chunk_received.connect(v.append_text)
        c.reasoning_received.connect(v.append_reasoning)
        c.refusal_received.connect(v.append_refusal)
        c.tool_calls_updated.connect(v.tool_calls_changed)
        # Tool calls: the approval card and the result cards are in the transcript.
        c.tool_approval_requested.connect(v.ask_tool_approval)
        c.tool_approval_withdrawn.connect(v.withdraw_tool_approval)
        c.tool_call_started.connect(v.tool_call_started)
        c.tool_message_added.connect(v.add_message)
        v.tool_decided.connect(c.approve)
        c.reply_finished.connect(self._reply_ended)
        c.reply_failed.connect(self._reply_ended)
        c.busy_changed.connect(self._busy_changed)
        c.conversation_loaded.connect(self.show_messages)
        c.path_changed.connect(self._path_changed)
        c.version_deleted.connect(self.version_undo.offer)
        self.version_undo.undo_requested.connect(c.restore_version)
        self.version_undo.expired.connect(self._version_deletion_final)
        v.version_of = c.session.version_of
        c.configuration_needed.connect(self.show_notice)
        c.context_exceeded.connect(self._context_exceeded)
        c.conversation_open_failed.connect(self.show_notice)
        c.storage_failed.connect(self.show_notice)
        self.file_actions.failed.connect(self.show_notice)
        self.file_actions.succeeded.connect(self.show_notice)
        self.file_actions.exported.connect(self._exported)

        v.action_requested.connect(self._message_action)
        v.done_acting.connect(self.composer.setFocus)
        v.typed.connect(self._typed_in_transcript)
        v.link_activated.connect(self._open_url)
        v.link_refused.connect(self._link_refused)
        v.copied.connect(self._copied)
        self._wire_attachments()

    def _wire_attachments(self) -> None:
        """Stored images (sent files, tools' pictures) from the session's payloads; a click
        on a sent file shows a copy."""
        from zlay_desktop.ui.attachment_opener import AttachmentOpener

        session = self.controller.session

        def payload(sha256: str) -> bytes | None:  # (on Qt's image loader thread)
            return session.attachment_payloads([sha256]).get(sha256)

        self.chat_view.set_payload_source(payload)
        self.attachment_opener = AttachmentOpener(session.attachment_payloads, self)
        self.chat_view.attachment_activated.connect(self.attachment_opener.open)
        self.attachment_opener.failed.connect(self.show_notice)

    # -- behaviour -----------------------------------------------------------------------

    def send_from_composer(self) -> None:
        text = self.composer.toPlainText()
        attachments = self.composer.attachments()
        if self.composer.attachments_pending:
            self.show_notice(self.tr("An attachment is still being read: send it in a moment."))
            return
        if not (text.strip() or attachments):
            return
        if self.controller.busy:
            self.show_notice(
                self.tr("An answer is still coming: stop it (Esc) or wait for it to end.")
            )
            return
        if self._editing is not None:
            self._send_edit(self._editing, text)
            return
        if self.controller.send(text, attachments):
            self._sent()

    def _sent(self) -> None:
        self.composer.clear()
        self.hide_notice()
        self.chat_view.scroll_to_end()

    def _context_exceeded(self, tokens: int, context: int, model: str) -> None:
        """A message with documents too large for the model: said, and the user chooses to
        send it anyway or to remove a file (the files stay in the composer)."""
        from PySide6.QtWidgets import QMessageBox

        text = self.composer.toPlainText()
        attachments = self.composer.attachments()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Too long for the model"))
        box.setAccessibleName(self.tr("Too long for the model"))
        box.setText(
            self.tr(
                "With the attached documents, this conversation comes to about {0} tokens: "
                "more than the {1} tokens {2} can take."
            ).format(f"{tokens:,}", f"{context:,}", model or self.tr("the model"))
        )
        box.setInformativeText(
            self.tr(
                "The server may refuse it, or the model may see only part of it. Remove a "
                "file (×) or send it anyway."
            )
        )
        send = box.addButton(self.tr("Send anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is send:
                if self.controller.send(text, attachments, beyond_context=True):
                    self._sent()
            else:
                self.show_notice(
                    self.tr("Not sent: remove a file (×) to make it shorter, or send anyway.")
                )
            # (A child of the window: it would stay until the app quits.)
            if self.question is box:
                self.question = None
            box.deleteLater()

        box.finished.connect(answered)
        box.open()
        self.question = box

    # -- editing a message ---------------------------------------------------------------

    def start_edit(self, index: int) -> None:
        """The message's words in the composer; nothing is removed until the edit is sent."""
        from zlay_desktop.core.models import Role

        messages = self.controller.session.messages
        if not (0 <= index < len(messages)) or messages[index].role is not Role.USER:
            return
        if self._editing is None:
            self._content_before_edit = self.composer.content()
        self._editing = index
        self.composer.setPlainText(messages[index].content)
        self.edit_bar.show()
        self.composer.setFocus()

    def cancel_edit(self) -> None:
        if self._editing is None:
            return
        self._editing = None
        self.edit_bar.hide()
        self.composer.set_content(self._content_before_edit)
        self._content_before_edit = ("", "")

    def draft(self) -> str:
        """What to keep as the conversation's unsent draft: while a message is being
        edited, what was being typed before (the edit itself is not a draft)."""
        if self._editing is not None:
            held, typed = self._content_before_edit
            return f"{held}\n\n{typed}" if held and typed.strip() else held or typed
        return self.composer.toPlainText()

    def _conversation_changed(self, _conversation_id: int) -> None:
        # What was said about the conversation left behind no longer applies here.
        self.version_undo.finish()
        self.cancel_edit()
        self.hide_notice()

    def stop_or_cancel_edit(self) -> None:
        """Esc: denies the tool call the transcript asks about, else stops the answer that
        is coming, else leaves an edit unsent."""
        if self.chat_view.deny_pending_tool():
            return
        if self.controller.busy:
            self.controller.stop()
        else:
            self.cancel_edit()

    def _send_edit(self, index: int, text: str) -> None:
        # (Nothing is removed: the edit is a new version of the message.)
        if self._editing != index or not self.controller.resend_edited(index, text):
            return
        # What was being typed before the edit comes back: it was not sent.
        self._editing = None
        self.edit_bar.hide()
        self.composer.set_content(self._content_before_edit)
        self._content_before_edit = ("", "")
        self.hide_notice()

    def new_conversation(self) -> None:
        self.controller.new_conversation()
        self.composer.setFocus()

    def open_hit(self, conversation_id: int, message_id: int) -> None:
        """A search hit is opened next (`open_conversation`): the path shown goes through
        its message, whichever version it is in."""
        self._hit = (conversation_id, message_id)

    def open_conversation(self, conversation_id: int) -> None:
        hit, self._hit = self._hit, None
        through = hit[1] if hit is not None and hit[0] == conversation_id else None
        session = self.controller.session
        current_id = session.conversation.id if session.conversation is not None else None
        shown = through is None or any(m.id == through for m in session.messages)
        if shown and current_id == conversation_id and not self.controller.busy:
            return
        self.controller.open_conversation(conversation_id, through)

    def reveal_search_hit(self, conversation_id: int, message_id: int, query: str) -> None:
        """A search hit opened: its message scrolled into view and highlighted, the words
        searched for marked in it (once its conversation is on show)."""
        # While a reply streams the conversation opens only once it has ended (Stopped),
        # even when it is the one on show (it is shown again then): revealed when it opens.
        self._pending_reveal = (conversation_id, message_id, query)
        if not self.controller.busy:
            self._reveal_pending()

    def _reveal_pending(self) -> None:
        pending, self._pending_reveal = self._pending_reveal, None
        session = self.controller.session
        if pending is None or session.conversation is None:
            return
        conversation_id, message_id, query = pending
        if session.conversation.id != conversation_id:
            return
        for index, message in enumerate(session.messages):
            if message.id == message_id:
                self.chat_view.reveal_message(index, query.split())
                return

    def set_sidebar(self, sidebar: QWidget) -> None:
        """Puts the conversation list in the window (when there is a history)."""
        self.sidebar_layout.addWidget(sidebar)
        self.sidebar_slot.setVisible(True)
        # One "New" button: the sidebar's, above the list (the menu and Ctrl+N stay).
        self.toolbar.removeAction(self.new_action)
        self.sidebar_action.setEnabled(True)
        self.sidebar_action.setChecked(True)
        self.splitter.splitterMoved.connect(self.sidebar_resized)
        focus_search = getattr(sidebar, "focus_search", None)
        if focus_search is not None:
            self.search_action.triggered.connect(focus_search)
            self.search_action.setEnabled(True)

    def _show_sidebar(self, shown: bool) -> None:
        sizes = self.splitter.sizes()
        if len(sizes) != 2 or (sizes[0] > 0) == shown:
            return
        total = sum(sizes)
        width = min(SIDEBAR_WIDTH, total // 2) if shown else 0
        self.splitter.setSizes([width, total - width])

    def sidebar_resized(self, *_args: object) -> None:
        """Dragged shut or open: the menu's tick follows."""
        shown = self.splitter.sizes()[0] > 0
        if shown != self.sidebar_action.isChecked():
            self.sidebar_action.setChecked(shown)

    def show_messages(self, messages: list[Message]) -> None:
        """Shows a conversation in place of the one on show (all of it: the transcript
        makes delegates only for what is on screen)."""
        self.chat_view.show_messages(list(enumerate(messages)))
        self.reply_status.clear()
        self._release_memory_timer.start()
        self._reveal_pending()  # (a search hit opened while a reply streamed)

    def _path_changed(self, index: int, messages: list[Message]) -> None:
        """Another version shown from `index` on: the messages above stay as they are."""
        self.chat_view.show_messages_from(index, list(enumerate(messages)))
        self.reply_status.clear()

    def _version_deletion_final(self, _message_id: int) -> None:
        self.controller.purge_deleted_versions()

    def _typed_in_transcript(self, text: str) -> None:
        # A key typed while the transcript has focus starts (or goes on with) a message.
        self.composer.setFocus()
        self.composer.insertPlainText(text)

    def _copy_conversation(self) -> None:
        if not self._body_built:  # (only the window's shell so far: nothing to copy)
            return
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.chat_view.conversation_markdown())

    def set_profiles(
        self,
        profiles: Sequence[ProviderProfile],
        current_id: str | None,
        fallback: str = "",
    ) -> None:
        """Fills the provider picker; `fallback` is shown when there is no profile."""
        fallback = fallback or self.tr("No provider: open Settings")
        picker = self.profile_picker
        picker.blockSignals(True)
        picker.clear()
        for profile in profiles:
            label = f"{profile.name} · {profile.model}" if profile.model else profile.name
            picker.addItem(label, profile.id)
        index = picker.findData(current_id) if current_id is not None else -1
        picker.setCurrentIndex(index if index >= 0 else (0 if profiles else -1))
        picker.setEnabled(bool(profiles))
        if not profiles:
            picker.addItem(fallback)
        picker.blockSignals(False)

    def set_assistants(self, assistants: Sequence[Assistant], current_id: str) -> None:
        """Fills the assistant picker (its icon and name; its description as a tip)."""
        from PySide6.QtCore import Qt

        picker = self.assistant_picker
        picker.blockSignals(True)
        picker.clear()
        from zlay_desktop.core.assistants import DEFAULT_ASSISTANT

        for assistant in assistants:
            name, description = assistant.name, assistant.description
            if assistant == DEFAULT_ASSISTANT:  # as shipped (not renamed): in the UI's language
                name = self.tr("Assistant")
                description = self.tr("Answers with the provider's settings")
            picker.addItem(f"{assistant.icon} {name}".strip(), assistant.id)
            if description:
                picker.setItemData(picker.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
        picker.setCurrentIndex(max(0, picker.findData(current_id)))
        picker.blockSignals(False)

    def show_edited_from(self, assistant_name: str | None) -> None:
        """Says that the conversation runs with its own changes to the assistant's settings
        (None: it does not)."""
        if assistant_name is not None:
            text = self.tr("edited from “{0}”").format(assistant_name)
            self.edited_label.setText(text)
            # A screen reader reads a label's accessible name instead of its text: the
            # assistant's name must be part of it.
            self.edited_label.setAccessibleName(text)
        self.edited_label.setVisible(assistant_name is not None)

    def _assistant_activated(self, index: int) -> None:
        assistant_id = self.assistant_picker.itemData(index)
        if isinstance(assistant_id, str):
            self.assistant_chosen.emit(assistant_id)

    def _profile_activated(self, index: int) -> None:
        profile_id = self.profile_picker.itemData(index)
        if isinstance(profile_id, str):
            self.profile_chosen.emit(profile_id)

    def show_notice(
        self, text: str, action: str = "", on_action: Callable[[], object] | None = None
    ) -> None:
        """Says `text` above the transcript; `action` names a button that runs `on_action`."""
        self.notice.setText(text)
        self.notice.setVisible(True)
        self._on_notice_action = on_action if action else None
        self.notice_action.setText(action)
        self.notice_action.setAccessibleName(action)
        self.notice_action.setVisible(bool(action))

    def _notice_action_clicked(self) -> None:
        if self._on_notice_action is not None:
            self._on_notice_action()
        self.composer.setFocus()

    def _exported(self, path: str) -> None:
        from pathlib import Path

        from PySide6.QtCore import QUrl

        folder = QUrl.fromLocalFile(str(Path(path).parent))
        self.show_notice(
            self.tr("Exported to {0}.").format(path),
            self.tr("Show in folder"),
            lambda: self._open_url(folder),
        )

    def _copied(self, _text: str) -> None:
        """Every Copy says it worked, for a moment, where the reply's status shows."""
        from PySide6.QtCore import QTimer

        if self._copied_timer is None:
            # A child of the window: it never fires after the window is gone.
            self._copied_timer = QTimer(self)
            self._copied_timer.setSingleShot(True)
            self._copied_timer.setInterval(COPIED_SHOWN_MS)
            self._copied_timer.timeout.connect(self._copied_shown)
        self.reply_status.setText(self.tr("Copied"))
        self._copied_timer.start()

    def _copied_shown(self) -> None:
        if self.reply_status.text() == self.tr("Copied"):  # (a reply's status may follow)
            self.reply_status.clear()

    def _open_url(self, url: QUrl) -> None:
        """A web or mail link the user clicked, or a folder to show: the desktop opens it."""
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(url)

    def hide_notice(self) -> None:
        self.notice.clear()
        self.notice.setVisible(False)
        self.notice_action.setVisible(False)
        self._on_notice_action = None

    def _reply_started(self, key: int, model: str, source: LiveReply) -> None:
        self.chat_view.begin_reply(key, model, source)
        self.reply_status.setText(self.tr("Waiting for first token…"))

    def _first_output(self, key: int) -> None:
        self.reply_status.setText(self.tr("Receiving… (Esc stops)"))

    def _waiting_updated(self, key: int, seconds: float) -> None:
        self.chat_view.set_waiting(key, seconds)
        self.reply_status.setText(
            self.tr("Waiting for first token… {0} s").format(f"{seconds:.0f}")
        )

    def _reply_ended(self, key: int, message: Message) -> None:
        # The reply's own footer shows its figures and any error; the status line is for
        # what is happening now.
        self.chat_view.end_reply(key, message)
        self.reply_status.clear()
        self._release_memory_timer.start()

    def _release_memory(self) -> None:
        from zlay_desktop.core.heap import release_free_memory

        controller = getattr(self, "controller", None)
        if controller is not None and controller.busy:  # done again when this reply ends
            return
        release_free_memory()
        self.memory_released.emit()

    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self.chat_view.tool_loop_ended()
        self.stop_button.setEnabled(busy)
        self.send_button.setEnabled(not busy)

    def _message_action(self, action: str, index: int) -> None:
        if self.controller.busy:
            self.show_notice(
                self.tr("An answer is still coming: stop it (Esc) or wait for it to end.")
            )
            return
        if action in ("retry", "continue") and index != len(self.controller.session.messages) - 1:
            # Both act on the last reply; an earlier one can be asked again with Regenerate.
            self.show_notice(
                self.tr(
                    "Only the last reply can be retried or continued. To ask again for an "
                    "earlier reply, use its Regenerate button (a new version of it)."
                )
            )
            return
        if action == "retry":
            self.controller.retry()
        elif action == "continue":
            self.controller.continue_reply()
        elif action == "regenerate":
            self.controller.regenerate(index)
        elif action == "edit":
            self.start_edit(index)
        elif action in ("previous-version", "next-version"):
            self.cancel_edit()  # (the message being edited may be the one going)
            self.controller.show_version(index, -1 if action == "previous-version" else 1)
        elif action == "delete-version":
            self.cancel_edit()
            self.controller.delete_version(index)

    def _link_refused(self, url: QUrl) -> None:
        if url.scheme():
            notice = self.tr(
                "A {0}: link in a message was not opened: only web (http, https) and mail "
                "links are opened from messages."
            ).format(url.scheme())
        else:
            notice = self.tr(
                "A link without a scheme in a message was not opened: only web (http, https) "
                "and mail links are opened from messages."
            )
        self.show_notice(notice)

    def allow_close(self) -> None:
        self._closing_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing_allowed:
            event.accept()
            return
        # Cleanup (cancel the stream, save it as stopped, close connections) is async:
        # the app does it, then closes for real.
        event.ignore()
        self.close_requested.emit()
