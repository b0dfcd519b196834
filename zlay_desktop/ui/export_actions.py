"""File menu actions: export the open conversation (Markdown, JSON), import conversations
(the app's own JSON, or a ChatGPT `conversations.json`).

File dialogs are opened with ``open()`` and answer through ``fileSelected``: ``exec()``
would nest an event loop under qasync. Reading, parsing and writing files run on a worker
thread, so a large ChatGPT export does not freeze the window.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QDir, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from zlay_desktop.core.background import SerialWorker
from zlay_desktop.core.chat_session import ChatSession
from zlay_desktop.core.export import (
    ExportedConversation,
    ImportFormatError,
    attachment_file_names,
    read_import_file,
    to_json,
    to_markdown,
    write_text_file,
)
from zlay_desktop.core.files import write_bytes_atomically
from zlay_desktop.core.history import Conversation
from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP
from zlay_desktop.core.models import Message, Role
from zlay_desktop.core.store import StoreError
from zlay_desktop.ui.background import BackgroundTasks

log = logging.getLogger(__name__)
T = TypeVar("T")

MARKDOWN_FILTER = QT_TRANSLATE_NOOP("ConversationFileActions", "Markdown (*.md);;All files (*)")
JSON_FILTER = QT_TRANSLATE_NOOP("ConversationFileActions", "JSON (*.json);;All files (*)")
IMPORT_FILTER = QT_TRANSLATE_NOOP(
    "ConversationFileActions", "Conversations (*.json);;All files (*)"
)

# Characters no file system likes in a name, and control characters.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


class ConversationImporter(Protocol):
    """What importing needs from the history (`SqliteHistoryStore` has it)."""

    def import_conversations(self, items: Iterable[ExportedConversation]) -> list[Conversation]: ...


def file_name_for(title: str, suffix: str) -> str:
    """A file name suggested for a conversation's export: its title, made safe."""
    name = _UNSAFE_NAME.sub("-", title).strip(" .-")[:80].rstrip(" .-")
    return f"{name or 'conversation'}{suffix}"


def _untitled(messages: list[Message]) -> str:
    first = next((m.content for m in messages if m.role is Role.USER), "")
    return " ".join(first.split())[:60] or QCoreApplication.translate(
        "ConversationFileActions", "Conversation"
    )


class ConversationFileActions(QObject):
    """The Export/Import actions, their dialogs, and the file work behind them."""

    succeeded = Signal(str)  # what was done, in words for the user
    failed = Signal(str)  # what went wrong, in words for the user
    imported = Signal(list)  # list[Conversation]: the conversations just added
    exported = Signal(str)  # the file a conversation was just exported to

    def __init__(self, session: ChatSession, window: QWidget) -> None:
        super().__init__(window)
        self._session = session
        self._window = window
        self._importer: ConversationImporter | None = None
        self._directory = QDir.homePath()
        self._files = SerialWorker("files")
        self._background = BackgroundTasks(self)
        self.dialog: QFileDialog | None = None  # the open file dialog, if any

        self.export_markdown_action = QAction(self.tr("Export conversation as &Markdown…"), self)
        self.export_markdown_action.triggered.connect(self.export_markdown)
        self.export_json_action = QAction(self.tr("Export conversation as &JSON…"), self)
        self.export_json_action.triggered.connect(self.export_json)
        self.import_action = QAction(self.tr("&Import conversations…"), self)
        self.import_action.setToolTip(
            self.tr(
                "Add conversations from a file: this app's JSON export or a ChatGPT "
                "conversations.json"
            )
        )
        self.import_action.triggered.connect(self.import_conversations)
        self.import_action.setEnabled(False)

    @property
    def busy(self) -> bool:
        """An export or import is running (its result not yet reported)."""
        return self._background.busy

    def set_importer(self, importer: ConversationImporter | None) -> None:
        """Where imported conversations go; without one (no history) Import is off."""
        self._importer = importer
        self.import_action.setEnabled(importer is not None)

    # -- export ----------------------------------------------------------------------------

    def export_markdown(self) -> None:
        self._ask_export(
            self.tr("Export conversation as Markdown"),
            ".md",
            self.tr(MARKDOWN_FILTER),
            markdown=True,
        )

    def export_json(self) -> None:
        self._ask_export(
            self.tr("Export conversation as JSON"), ".json", self.tr(JSON_FILTER), markdown=False
        )

    def _ask_export(self, caption: str, suffix: str, name_filter: str, *, markdown: bool) -> None:
        item = self._current()
        if item is None:
            self.failed.emit(self.tr("There is nothing to export yet: this conversation is empty."))
            return
        dialog = self._dialog(caption, name_filter, QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix.lstrip("."))
        dialog.selectFile(file_name_for(item.conversation.title, suffix))
        # The conversation as it is when the user asked, even if a reply goes on meanwhile.
        dialog.fileSelected.connect(lambda path: self._export_to(Path(path), item, markdown))
        dialog.open()

    def _current(self) -> ExportedConversation | None:
        messages = list(self._session.messages)
        if not messages:
            return None
        conversation = self._session.conversation
        if conversation is None:  # not stored (no history): still worth exporting
            conversation = Conversation(id=0, title=_untitled(messages))
        return ExportedConversation(conversation, tuple(messages))

    def _export_to(self, path: Path, item: ExportedConversation, markdown: bool) -> None:
        self._remember_directory(path)

        session = self._session

        def work() -> None:
            if not markdown:
                # JSON keeps every version (Markdown is the path shown, as it reads).
                tree, shown_id = session.message_tree(item.messages)
                whole = replace(item, messages=tree, shown_id=shown_id)
                hashes = {a.sha256 for m in whole.messages for a in m.attachments}
                payloads = session.attachment_payloads(hashes) if hashes else {}
                write_text_file(path, to_json([replace(whole, payloads=payloads)]))
                return
            hashes = {a.sha256 for m in item.messages for a in m.attachments}
            payloads = session.attachment_payloads(hashes) if hashes else {}
            # The attachments go beside the transcript, in "<name> files/", linked from it.
            places = attachment_file_names(item.messages, f"{path.stem} files")
            for sha, relative in list(places.items()):
                if sha not in payloads:
                    del places[sha]  # (its file is gone: it is named, not linked)
                    continue
                target = path.parent / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                write_bytes_atomically(target, payloads[sha])
            write_text_file(path, to_markdown(item.conversation, item.messages, places))

        self._run(
            work,
            lambda _: self.exported.emit(str(path)),
            self.tr("Could not save {0}").format(path),
        )

    # -- import ----------------------------------------------------------------------------

    def import_conversations(self) -> None:
        if self._importer is None:
            self.failed.emit(self.tr("Importing needs the history, which is not available."))
            return
        dialog = self._dialog(
            self.tr("Import conversations"),
            self.tr(IMPORT_FILTER),
            QFileDialog.AcceptMode.AcceptOpen,
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self._import_from(Path(path)))
        dialog.open()

    def _import_from(self, path: Path) -> None:
        importer = self._importer
        if importer is None:
            return
        self._remember_directory(path)

        def work() -> list[Conversation]:
            items = read_import_file(path)
            return importer.import_conversations(items) if items else []

        def done(added: list[Conversation]) -> None:
            if not added:
                self.failed.emit(self.tr("No conversations were found in {0}.").format(path.name))
                return
            self.imported.emit(added)
            self.succeeded.emit(
                self.tr("Imported %n conversation(s) from {0}.", "", len(added)).format(path.name)
            )

        self._run(work, done, self.tr("Could not import {0}").format(path.name))

    # -- plumbing --------------------------------------------------------------------------

    def _dialog(self, caption: str, name_filter: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        if self.dialog is not None:
            self.dialog.close()
        dialog = QFileDialog(self._window, caption, self._directory, name_filter)
        dialog.setAcceptMode(mode)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        return dialog

    def _forget(self, dialog: QFileDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _remember_directory(self, path: Path) -> None:
        self._directory = str(path.parent)

    def _run(self, work: Callable[[], T], done: Callable[[T], None], action: str) -> None:
        """Runs `work` on the files thread, then `done` with its result here; `action` says
        what failed ("Could not save /path/x.md") in a message when it fails."""
        if self._background.busy:
            self.failed.emit(self.tr("An export or import is still running: wait for it to end."))
            return
        self._background.start_in_thread(
            self._files,
            work,
            on_success=done,
            on_failure=lambda exc: self.failed.emit(self._failure_text(action, exc)),
        )

    @staticmethod
    def _failure_text(action: str, exc: Exception) -> str:
        if isinstance(exc, ImportFormatError | StoreError):
            return f"{action}: {exc}"
        if isinstance(exc, OSError):
            log.warning("%s: %s", action, exc)
            return f"{action}: {exc.strerror or type(exc).__name__}."
        log.error("%s", action, exc_info=exc)
        return QCoreApplication.translate(
            "ConversationFileActions",
            "{0}: something unexpected went wrong ({1}). Details are in the log.",
        ).format(action, type(exc).__name__)

    async def aclose(self) -> None:
        """Lets a running export or import finish (a file is never left half written)."""
        if self.dialog is not None:
            self.dialog.close()
        await self._background.aclose(cancel=False)
        self._files.shutdown()
