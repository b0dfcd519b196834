"""The transcript widget: the public face the window and the controller's signals use.

A chunk's way to the screen: the controller's signal calls `append_text`, which feeds the
message's `StreamingMarkdown` and marks the message dirty; `flush` (on a short timer) asks
it what changed and replaces the rows of that message's live tail in the model
(`TranscriptModel.set_rows`: one `dataChanged`, or new rows for blocks just finished);
the QML `ListView` redraws that one delegate. Everything else is data: only the rows near
the viewport have delegates.

The widget shows a plain placeholder until `ensure_loaded` builds the Qt Quick part (the
window's first paint does not wait for the Qt Quick engine); the model works without it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QMetaType,
    QMimeData,
    QObject,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QClipboard,
    QGuiApplication,
    QPalette,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import QVBoxLayout, QWidget

from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP
from zlay_desktop.core.markdown_render import (
    WRAP_POINT,
    MarkdownUpdate,
    StreamingMarkdown,
    Theme,
    code_blocks,
    render_blocks,
    theme_for,
)
from zlay_desktop.core.models import Attachment, Message, ReplyState, Role, ToolCall
from zlay_desktop.core.tools import ApprovalDecision, ToolApprovalRequest, ToolStatus
from zlay_desktop.ui.i18n import number
from zlay_desktop.ui.transcript import rows as r
from zlay_desktop.ui.transcript import tool_cards as tc
from zlay_desktop.ui.transcript.attachments import attachment_rows, attachments_text
from zlay_desktop.ui.transcript.model import Row, TranscriptModel
from zlay_desktop.ui.transcript.theme import colors_for

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtQuick import QQuickItem
    from PySide6.QtQuickWidgets import QQuickWidget

    from zlay_desktop.core.chat_session import LiveReply

log = logging.getLogger(__name__)

__all__ = ["FLUSH_INTERVAL_MS", "TranscriptView"]

FLUSH_INTERVAL_MS = 10
"""Chunks that arrive within this long of the last flush wait for the next one (a chunk
after a pause is shown at the loop's next turn): a fast stream updates the model about
once a frame, each chunk in it within a frame of its arrival."""

SLICE_CHARS = 1_000
FLUSH_BUDGET_S = 0.006
"""A timed flush renders a reply's new Markdown in slices of SLICE_CHARS for at most
FLUSH_BUDGET_S, the rest at the next flush: one huge delta, or a reply whose text arrived
all at once, then shows a frame's worth at a time instead of freezing the window while
all of it is parsed (~3 µs a character)."""
"""Chunks arriving within this window cost one model update (one frame)."""

OPEN_FIRST_CHARS = 12_000
"""Of a conversation opened, about this much of the newest is rendered before it shows."""

OLDER_BATCH_S = 0.006
"""Rendering older messages goes on in batches this long, one per turn of the event loop."""

HIGHLIGHT_MS = 2500
"""How long a message revealed (a search hit opened) stays highlighted."""

QML_FILE = Path(__file__).with_name("qml") / "Transcript.qml"
_SEGMENTS = ("header", "attachments", "reasoning", "blocks", "tail", "tools", "refusal", "footer")
_MESSAGE_ACTIONS = frozenset(
    {
        "regenerate",
        "edit",
        "retry",
        "continue",
        "previous-version",
        "next-version",
        "delete-version",
    }
)
_OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
ACTION_LABELS = {
    "copy": QT_TRANSLATE_NOOP("Transcript", "Copy"),
    "edit": QT_TRANSLATE_NOOP("Transcript", "Edit"),
    "regenerate": QT_TRANSLATE_NOOP("Transcript", "Regenerate"),
    "retry": QT_TRANSLATE_NOOP("Transcript", "Retry"),
    "continue": QT_TRANSLATE_NOOP("Transcript", "Continue"),
    "delete-version": QT_TRANSLATE_NOOP("Transcript", "Delete this version"),
}


@dataclass(slots=True)
class _Live:
    """A reply still streaming: its renderer, its source, and what is not shown yet."""

    markdown: StreamingMarkdown
    source: LiveReply  # the text so far, as the session accumulates it
    # Characters that reached the view. WORKAROUND (PySide6 6.9-6.12): a chunk crosses a
    # Qt signal as a QString, which drops lone surrogates and byte-order marks; when this
    # falls short of the final text, the final text is rendered instead of what streamed.
    fed_chars: int = 0
    text_pending: bool = False
    reasoning_pending: bool = False
    refusal_pending: bool = False
    tools_pending: bool = False
    waiting: bool = True
    answer_started: bool = False
    open_code: tuple[str, int] | None = None  # an open fence's language and number
    thinking_since: float | None = None
    ended: Message | None = None  # the reply ended while text was still to render


@dataclass(slots=True)
class _Entry:
    key: int
    role: Role
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_SEGMENTS, 0))
    message: Message | None = None
    model: str | None = None
    live: _Live | None = None
    reasoning_expanded: bool = False
    reasoning_toggled: bool = False  # the user chose: no more automatic folding
    thought_s: float | None = None

    def content(self) -> str:
        if self.live is not None:
            return self.live.source.content_text()
        return self.message.content if self.message is not None else ""

    def reasoning(self) -> str:
        if self.live is not None:
            return self.live.source.reasoning_text()
        return self.message.reasoning if self.message is not None else ""

    def size(self) -> int:
        return sum(self.counts.values())


class _Bridge(QObject):
    """What the QML calls, and the requests it listens to."""

    scrollToEnd = Signal()
    scrollToRow = Signal(int, bool)  # the row; whether at the top of the view
    toolCardFocusRequested = Signal()  # the card asking now is to take the focus (claimFocus)
    highlightChanged = Signal()
    replyRowChanged = Signal()

    def __init__(self, view: TranscriptView) -> None:
        super().__init__(view)
        self._view = view
        self._highlighted_key = -1
        self._highlighted_words: list[str] = []
        self._reply_row = -1

    def reply_row(self) -> int:
        """The first row of the reply streaming in (-1: none streams)."""
        return self._reply_row

    replyRow = Property(int, reply_row, notify=replyRowChanged)

    def set_reply_row(self, row: int) -> None:
        if row != self._reply_row:
            self._reply_row = row
            self.replyRowChanged.emit()

    def _get_highlighted_key(self) -> int:
        return self._highlighted_key

    def _get_highlighted_words(self) -> list[str]:
        return self._highlighted_words

    # The message shown highlighted (-1: none), and the words to mark in it (lower case).
    highlightedKey = Property(int, _get_highlighted_key, notify=highlightChanged)
    highlightedWords = Property(list, _get_highlighted_words, notify=highlightChanged)

    def set_highlight(self, key: int, words: list[str]) -> None:
        if (key, words) != (self._highlighted_key, self._highlighted_words):
            self._highlighted_key, self._highlighted_words = key, words
            self.highlightChanged.emit()

    @Slot(int, int)
    def openAttachment(self, key: int, index: int) -> None:
        self._view.open_attachment(key, index)

    @Slot(int, str)
    def matchShown(self, key: int, text: str) -> None:
        self._view.match_shown.emit(key, text)

    @Slot(str, int)
    def act(self, action: str, key: int) -> None:
        self._view.run_action(action, key)

    @Slot(int, int)
    def copyCode(self, key: int, fence: int) -> None:
        self._view.copy_code(key, fence)

    @Slot(int, int, int, int)
    def copySelection(self, first_row: int, first_pos: int, last_row: int, last_pos: int) -> None:
        self._view.copy_selection(first_row, first_pos, last_row, last_pos)

    @Slot(int, int, int, int)
    def selectionMade(self, first_row: int, first_pos: int, last_row: int, last_pos: int) -> None:
        self._view.offer_selection(first_row, first_pos, last_row, last_pos)

    @Slot(int)
    def toggleReasoning(self, key: int) -> None:
        self._view.toggle_reasoning(key)

    @Slot(str)
    def openLink(self, url: str) -> None:
        self._view.activate_link(QUrl(url))

    @Slot(str)
    def typed(self, text: str) -> None:
        self._view.typed.emit(text)

    @Slot(bool)
    def following(self, follow: bool) -> None:
        self._view.follow = follow

    # -- tool cards (tool_cards.py, qml/ToolCard.qml) --

    @Slot(int, int)
    def toggleToolCard(self, key: int, index: int) -> None:
        self._view.toggle_tool_card(key, index)

    @Slot(int, str)
    def decideTool(self, request_id: int, decision: str) -> None:
        self._view.decide_tool(request_id, ApprovalDecision(decision))

    @Slot(int, int)
    def copyToolResult(self, key: int, index: int) -> None:
        self._view.copy_tool_result(key, index)

    @Slot(int, int)
    def toggleToolArguments(self, key: int, index: int) -> None:
        self._view.toggle_tool_arguments(key, index)

    @Slot(int, int)
    def copyToolArguments(self, key: int, index: int) -> None:
        self._view.copy_tool_arguments(key, index)

    @Slot(int, result=bool)
    def claimFocus(self, request_id: int) -> bool:
        """Whether the approval card of `request_id` should take the keyboard focus (once):
        only after the user moved the keyboard to the transcript."""
        return self._view.claim_focus(request_id)


class TranscriptView(QWidget):
    """Shows a conversation; streams replies into it at a flat cost per chunk."""

    # action ("regenerate", "edit", "retry", "continue", "previous-version",
    # "next-version", "delete-version"), the message's index
    action_requested = Signal(str, int)
    copied = Signal(str)  # the text put on the clipboard
    link_activated = Signal(QUrl)  # an http/https/mailto link the user clicked
    link_refused = Signal(QUrl)  # any other link the user clicked; nothing was opened
    typed = Signal(str)  # a printable key pressed in the transcript: it belongs to the composer
    done_acting = Signal()  # an action ran: keyboard focus may go back to the composer
    attachment_activated = Signal(Attachment)  # a sent file clicked: show it
    match_shown = Signal(int, str)  # a revealed message's text marked: its key, the text
    flushed = Signal()  # buffered chunks reached the model (benchmarks time it)
    # request id, the user's answer on a tool call's approval card
    tool_decided = Signal(int, ApprovalDecision)
    history_shown = Signal()  # the older messages of the conversation opened are all in

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(QCoreApplication.translate("Transcript", "Conversation"))
        self.model = TranscriptModel()
        self.follow = True
        # Which version of its message the message at an index is, of how many (the
        # session's `version_of`: the one place that knows).
        self.version_of: Callable[[int], tuple[int, int]] = lambda _key: (1, 1)
        self._bridge = _Bridge(self)
        self._quick: QQuickWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QWidget()
        self._layout.addWidget(self._placeholder)
        self._entries: dict[int, _Entry] = {}  # in conversation order
        self._starts: dict[int, int] = {}  # message key -> its first row (cache)
        self._dirty: set[int] = set()
        self._dark_override: bool | None = None
        self._theme = theme_for(self._palette_is_dark())
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flushed_at = 0.0
        self._flush_timer.timeout.connect(self._flush_due)
        self._older: list[tuple[int, Message]] = []  # still to show, above (oldest first)
        self._pending_rows: dict[int, dict[str, list[Row]]] = {}
        self._older_timer = QTimer(self)
        self._older_timer.setSingleShot(True)
        self._older_timer.setInterval(0)
        self._older_timer.timeout.connect(self._show_older)
        # Where stored images (sent files, tools' pictures) are read from, by sha256;
        # blocking, called on Qt's image loader thread (`set_payload_source`).
        self._payload: Callable[[str], bytes | None] = lambda _sha: None
        self._reveal: tuple[int, list[str]] | None = None  # a message to reveal once shown
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.setInterval(HIGHLIGHT_MS)
        self._highlight_timer.timeout.connect(self.end_highlight)
        self._tools = tc.ToolCards()
        self._focus_request = -1  # the approval card the user tabbed to (it takes the focus)

    # -- the Qt Quick part --------------------------------------------------------------

    @property
    def quick(self) -> QQuickWidget | None:
        """The QQuickWidget, once `ensure_loaded` built it."""
        return self._quick

    def ensure_loaded(self) -> QQuickWidget:
        """Builds the Qt Quick part in place of the placeholder (once)."""
        if self._quick is not None:
            return self._quick
        from PySide6.QtQuickWidgets import QQuickWidget

        from zlay_desktop.ui.transcript.engine import prepare_engine
        from zlay_desktop.ui.transcript.quick_widget import TranscriptQuickWidget

        quick = TranscriptQuickWidget()
        quick.tabbed_in.connect(self._focus_asking_card)
        quick.setAccessibleName(QCoreApplication.translate("Transcript", "Conversation"))
        quick.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        prepare_engine(quick.engine(), self._payload_for_thumbnail)
        context = quick.rootContext()
        context.setContextProperty("transcriptModel", self.model)
        context.setContextProperty("transcript", self._bridge)
        context.setContextProperty("colors", colors_for(self._theme, self.palette()))
        quick.setSource(QUrl.fromLocalFile(str(QML_FILE)))
        for error in quick.errors():
            log.error("transcript QML: %s", error.toString())
        self._layout.replaceWidget(self._placeholder, quick)
        self._placeholder.deleteLater()
        self._quick = quick
        self.setFocusProxy(quick)
        return quick

    def root_item(self) -> QQuickItem | None:
        return None if self._quick is None else self._quick.rootObject()

    # -- public API ---------------------------------------------------------------------

    def set_payload_source(self, payload: Callable[[str], bytes | None]) -> None:
        """Where stored images come from (by sha256; called on a loader thread): the files
        the user sent and the pictures tools returned."""
        self._payload = payload

    def _payload_for_thumbnail(self, sha256: str) -> bytes | None:
        return self._payload(sha256)

    def open_attachment(self, key: int, index: int) -> None:
        """A click on a sent file: `attachment_activated` (the window shows it)."""
        entry = self._entries.get(key)
        message = entry.message if entry is not None else None
        if message is not None and 0 <= index < len(message.attachments):
            self.attachment_activated.emit(message.attachments[index])
        self.done_acting.emit()

    def reveal_message(self, key: int, words: list[str] | None = None) -> None:
        """Scrolls a message into view and highlights it for a moment, with `words` marked
        in it (a search hit opened). A message not shown yet (older ones go in over the next
        moments) is revealed when it is."""
        self._reveal = (key, [w.casefold() for w in words or [] if w.strip()])
        self._reveal_if_shown()

    def highlighted_message(self) -> int | None:
        """The message highlighted now, if any."""
        key = int(self._bridge.property("highlightedKey"))
        return None if key < 0 else key

    def end_highlight(self) -> None:
        """The highlight of a revealed message ends (HIGHLIGHT_MS after it began), and
        the words marked in it with it."""
        self._highlight_timer.stop()
        self._bridge.set_highlight(-1, [])

    def _reveal_if_shown(self) -> None:
        if self._reveal is None:
            return
        if self._reveal[0] not in self._entries:
            if not self._older:
                self._reveal = None  # (not in this conversation)
            return
        key, words = self._reveal
        self._reveal = None
        self.scroll_to_message(key)
        self._bridge.set_highlight(key, words)
        self._highlight_timer.start()

    def clear_conversation(self) -> None:
        self.end_highlight()
        self._flush_timer.stop()
        self._older_timer.stop()
        self._older.clear()
        self._pending_rows.clear()
        self._dirty.clear()
        self._entries.clear()
        self._starts.clear()
        self._tools.clear()
        self.model.clear()
        self._bridge.set_reply_row(-1)
        self.scroll_to_end()

    def add_message(self, key: int, message: Message) -> None:
        """Show a complete message (any role, any state). A tool's result goes into the
        card of the call it answers."""
        if message.role is Role.TOOL:
            self._tool_result_added(key, message)
        entry = self._entry_for(key, message.role)
        self._dirty.discard(key)
        was_live = entry.live is not None
        for name, rows in self._message_rows(entry, message).items():
            self._set(entry, name, rows)
        if was_live:  # (shown whole in place of the reply that streamed)
            self._show_reply_row()

    def show_messages(self, items: list[tuple[int, Message]]) -> None:
        """Show these complete messages in place of the conversation on show, at its end.

        The newest (about OPEN_FIRST_CHARS of them) are rendered at once, so that the
        conversation is on screen in a frame or two; the older ones go in above, a batch
        per turn of the event loop (`history_shown` when all are in). They are data: only
        what is on screen gets delegates."""
        self.clear_conversation()
        self._tools.index_results(items)
        split, chars = len(items), 0
        while split > 0 and (chars < OPEN_FIRST_CHARS or len(items) - split < 2):
            chars += _size(items[split - 1][1])
            split -= 1
        with self.model.batch():
            for key, message in items[split:]:
                self.add_message(key, message)
        self._older = items[:split]
        if self._older:
            self._older_timer.start()
        self.scroll_to_end()

    def _show_older(self) -> None:
        """One batch of older messages (OLDER_BATCH_S of rendering), above those shown."""
        deadline = time.perf_counter() + OLDER_BATCH_S
        end = len(self._older)
        start = end
        while start > 0 and (start == end or time.perf_counter() < deadline):
            start -= 1
            key, message = self._older[start]
            self._pending_rows[key] = self._message_rows(_Entry(key, message.role), message)
        batch = self._older[start:end]
        del self._older[start:]
        self.prepend_messages(batch)
        self._reveal_if_shown()
        if self._older:
            self._older_timer.start()
        else:
            self.history_shown.emit()

    def history_pending(self) -> bool:
        """Whether older messages of the conversation shown are still to go in."""
        return bool(self._older)

    def prepend_messages(self, items: list[tuple[int, Message]]) -> None:
        """Show complete messages (oldest first) above the first one shown, in one insert."""
        fresh = [(key, message) for key, message in items if key not in self._entries]
        if not fresh:
            return
        entries: dict[int, _Entry] = {}
        rows: list[Row] = []
        for key, message in fresh:
            entry = _Entry(key=key, role=message.role)
            segments = self._pending_rows.pop(key, None) or self._message_rows(entry, message)
            self._fill(entry, message)
            for name, part in segments.items():
                entry.counts[name] = len(part)
                rows.extend(part)
            entries[key] = entry
        entries.update(self._entries)
        self._entries = entries
        self._starts.clear()
        self.model.set_rows(0, 0, rows)
        if self._bridge.reply_row() >= 0:
            self._show_reply_row()  # (its rows moved down)

    def _fill(self, entry: _Entry, message: Message) -> None:
        entry.message = message
        entry.model = message.model
        entry.live = None
        entry.reasoning_expanded = bool(message.reasoning) and not message.content.strip()
        entry.reasoning_toggled = False

    def _message_rows(self, entry: _Entry, message: Message) -> dict[str, list[Row]]:
        """A complete message's rows, by segment (`entry` takes the message)."""
        self._fill(entry, message)
        key = entry.key
        if message.role is Role.USER:
            user = r.user_row(key, message, self.version_of(key))
            return {n: [] for n in _SEGMENTS} | {
                "header": [user],
                "attachments": attachment_rows(key, message),
            }
        if message.role is Role.TOOL:  # shown in its call's card
            return {n: [] for n in _SEGMENTS}
        blocks = render_blocks(message.content, message_key=key, theme=self._theme)
        last = key >= max(self._entries, default=key)
        footer = (
            [r.footer_row(key, message, last=last, version=self.version_of(key))]
            if message.role is Role.ASSISTANT
            else []
        )
        return {
            "header": [self._header(entry)],
            "reasoning": self._reasoning_rows(entry),
            "blocks": r.block_rows(key, blocks, self._theme),
            "tail": [],
            "tools": self._tools.rows(key, message.tool_calls, message),
            "refusal": r.refusal_rows(key, message.refusal),
            "footer": footer,
        }

    def begin_reply(self, key: int, model: str | None, source: LiveReply) -> None:
        """Start a live assistant reply, showing that the first token is awaited; `source`
        is the reply as it streams (read when the whole is needed)."""
        entry = self._entry_for(key, Role.ASSISTANT)
        entry.message = None
        entry.model = model or None
        entry.live = _Live(StreamingMarkdown(message_key=key, theme=self._theme), source)
        entry.reasoning_expanded = True
        entry.reasoning_toggled = False
        entry.thought_s = None
        self._set(entry, "header", [self._header(entry)])
        for name in ("reasoning", "blocks", "tail", "tools", "refusal"):
            self._set(entry, name, [])
        self._set(entry, "footer", [r.waiting_row(key, None)])
        self._show_reply_row()
        already = source.content_text()
        if already:  # a reply continued in place: its text so far, then what comes
            self.append_text(key, already)
            self.flush()
        self.scroll_to_end()

    def set_waiting(self, key: int, elapsed_s: float) -> None:
        entry = self._entries.get(key)
        if entry is None or entry.live is None or not entry.live.waiting:
            return
        self._set(entry, "footer", [r.waiting_row(key, elapsed_s)])

    def append_text(self, key: int, text: str) -> None:
        live = self._live(key)
        if live is None or not text:
            return
        live.markdown.feed(text)
        live.fed_chars += len(text)
        live.text_pending = True
        if not live.answer_started and not text.isspace():
            live.answer_started = True
        self._mark_dirty(key)

    def append_reasoning(self, key: int, text: str) -> None:
        live = self._live(key)
        if live is None or not text:
            return
        if live.thinking_since is None:
            live.thinking_since = time.monotonic()
        live.reasoning_pending = True
        self._mark_dirty(key)

    def append_refusal(self, key: int, text: str) -> None:
        live = self._live(key)
        if live is None or not text:
            return
        live.refusal_pending = True
        self._mark_dirty(key)

    def tool_calls_changed(self, key: int) -> None:
        live = self._live(key)
        if live is None:
            return
        live.tools_pending = True
        self._mark_dirty(key)

    def end_reply(self, key: int, message: Message) -> None:
        """Show the reply's final state: status footer, actions; the text stays as streamed."""
        entry = self._entries.get(key)
        if entry is None or entry.live is None:
            self.add_message(key, message)
            return
        if entry.live.markdown.pending_chars > SLICE_CHARS:
            # More text than a frame can render (one huge delta): the timed flushes render
            # it a slice at a time, then end the reply.
            entry.live.ended = message
            self._mark_dirty(key)
            return
        self._dirty.discard(key)
        self._end_reply(entry, message)

    def _end_reply(self, entry: _Entry, message: Message) -> None:
        key = entry.key
        self._flush_entry(entry)
        live = entry.live
        assert live is not None
        if live.fed_chars == len(message.content):
            self._apply_markdown(entry, live.markdown.finish())
        else:
            # The final text is not what streamed (a chunk never reached the view): the
            # final text, rendered at once.
            blocks = render_blocks(message.content, message_key=key, theme=self._theme)
            self._set(entry, "tail", [])
            self._set(entry, "blocks", r.block_rows(key, blocks, self._theme))
        self._stop_thinking(entry)
        if not entry.reasoning_toggled and message.content.strip():
            entry.reasoning_expanded = False
        entry.live = None
        self._show_reply_row()
        entry.message = message
        self._set(entry, "header", [self._header(entry)])
        self._set_reasoning(entry)
        if message.tool_calls and message.state is ReplyState.FINISHED:
            self._tools.looping.add(key)  # (until `tool_loop_ended`)
        self._set(entry, "tools", self._tools.rows(key, message.tool_calls, message))
        self._set(entry, "refusal", r.refusal_rows(key, message.refusal))
        self._set(entry, "footer", [r.footer_row(key, message, version=self.version_of(key))])
        # The question it answers may be a new version too (an edit), stored by now.
        self.refresh_versions((key - 1,))

    def flush(self, budget_s: float | None = None) -> None:
        """Apply the buffered chunks to the model now: all of them, or as much of each
        reply's text as renders in `budget_s` (the rest at the next timed flush)."""
        self._flush_timer.stop()
        keys = list(self._dirty)
        self._dirty.clear()
        deadline = None if budget_s is None else time.perf_counter() + budget_s
        for key in keys:
            entry = self._entries.get(key)
            if entry is not None:
                self._flush_entry(entry, deadline)
                live = entry.live
                if live is not None and live.markdown.pending_chars:
                    live.text_pending = True
                    self._mark_dirty(key)
                elif live is not None and live.ended is not None:
                    self._end_reply(entry, live.ended)
        self._flushed_at = time.perf_counter()
        if keys:
            if self.follow:
                self.scroll_to_end()
            self.flushed.emit()

    def _flush_due(self) -> None:
        """The timer's flush: each reply's new text for at most FLUSH_BUDGET_S."""
        self.flush(FLUSH_BUDGET_S)

    def transcript_text(self) -> str:
        """The plain text of the whole conversation, as shown."""
        return "\n".join(filter(None, (self._row_text(row) for row in self.model.rows())))

    def answer_text(self, key: int) -> str:
        """The plain text of one message's answer (its Markdown as rendered), as shown."""
        entry = self._entries[key]
        if entry.role is Role.USER:
            return self.model.row(self._start(entry)).text
        counts = entry.counts
        start = self._start(entry) + counts["header"] + counts["attachments"] + counts["reasoning"]
        count = entry.counts["blocks"] + entry.counts["tail"]
        rows = self.model.rows()[start : start + count]
        return "\n".join(_plain(row.html) for row in rows)

    def markdown_text(self, key: int) -> str:
        """One message's Markdown source (what Copy copies)."""
        return self._entries[key].content()

    def conversation_markdown(self) -> str:
        """The conversation as Markdown: each message under its role."""
        parts: list[str] = []
        for entry in self._entries.values():
            name = r.role_name(entry.role)
            parts.append(f"**{name}**\n\n{entry.content()}")
        return "\n\n---\n\n".join(parts) + ("\n" if parts else "")

    def message_keys(self) -> list[int]:
        return list(self._entries)

    def message_rows(self, key: int) -> range:
        """The rows of one message in the model."""
        entry = self._entries[key]
        start = self._start(entry)
        return range(start, start + entry.size())

    def scroll_to_end(self) -> None:
        self.follow = True
        self._bridge.scrollToEnd.emit()

    def scroll_to_message(self, key: int, *, end: bool = False) -> None:
        """Bring a message (its first row, or its last) into view."""
        rows = self.message_rows(key)
        if rows:
            self.follow = False
            self._bridge.scrollToRow.emit(rows[-1] if end else rows[0], not end)

    def set_dark(self, dark: bool | None) -> None:
        """Light or dark whatever the palette says (None: follow the palette again)."""
        self._dark_override = dark
        self._theme_changed()

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def rendering(self) -> bool:
        """A reply is streaming, or its text is still being shown a slice at a time."""
        return any(entry.live is not None for entry in self._entries.values())

    # -- actions (from the QML) -----------------------------------------------------------

    def run_action(self, action: str, key: int) -> None:
        entry = self._entries.get(key)
        if entry is None:
            return
        if action == "copy":
            self._copy(entry.content())
        elif action in _MESSAGE_ACTIONS:
            self.action_requested.emit(action, key)
            if action == "delete-version":
                return  # the focus stays here, where Ctrl+Z undoes it
        self.done_acting.emit()

    def copy_code(self, key: int, fence: int) -> None:
        entry = self._entries.get(key)
        if entry is None:
            return
        blocks = code_blocks(entry.content())
        if 0 <= fence < len(blocks):
            self._copy(blocks[fence])
        elif entry.live is not None and entry.live.open_code is not None:
            self._copy(entry.live.markdown.open_code_text())
        self.done_acting.emit()

    def toggle_reasoning(self, key: int) -> None:
        entry = self._entries.get(key)
        if entry is None:
            return
        entry.reasoning_expanded = not entry.reasoning_expanded
        entry.reasoning_toggled = True
        self._set_reasoning(entry)

    # -- tool calls ---------------------------------------------------------------------

    def ask_tool_approval(self, request: ToolApprovalRequest) -> None:
        """Turns the call's card into the approval card. The keyboard stays where it is: keys
        meant for the composer (Enter, Space) must never answer a card that just appeared;
        Tab into the transcript gives the card the focus (`_focus_asking_card`)."""
        key = self._reply_of_call(request.call_id)
        if key is None:
            return
        self._tools.asked[request.request_id] = tc.Asked(key, request)
        self._tools.live[(key, request.call_id)] = tc.ASKING
        self._tools.servers[(key, request.call_id)] = request.server_name
        self._refresh_tools(key)
        self.scroll_to_end()

    def withdraw_tool_approval(self, request_id: int) -> None:
        """The question no longer stands (Stop, closing): the card waits for its result."""
        asked = self._tools.asked.pop(request_id, None)
        if asked is not None:
            self._tools.live.pop((asked.key, asked.request.call_id), None)
            self._refresh_tools(asked.key)

    def pending_tool_approval(self) -> ToolApprovalRequest | None:
        return self._tools.pending_request()

    def decide_tool(self, request_id: int, decision: ApprovalDecision) -> None:
        """The user's answer on an approval card (a button, Enter, Esc)."""
        asked = self._tools.asked.pop(request_id, None)
        if asked is None:
            return
        call = (asked.key, asked.request.call_id)
        denied = decision is ApprovalDecision.DENY
        self._tools.live[call] = ToolStatus.DENIED.value if denied else tc.RUNNING
        self._refresh_tools(asked.key)
        self.tool_decided.emit(request_id, decision)
        self.done_acting.emit()

    def deny_pending_tool(self) -> bool:
        """Esc anywhere in the window while a card asks: Deny. False when none asks."""
        request = self._tools.pending_request()
        if request is None:
            return False
        self.decide_tool(request.request_id, ApprovalDecision.DENY)
        return True

    def tool_call_started(self, key: int, call_id: str) -> None:
        if (key, call_id) not in self._tools.live or self._tools.live[(key, call_id)] != tc.ASKING:
            self._tools.live[(key, call_id)] = tc.RUNNING
            self._refresh_tools(key)

    def tool_loop_ended(self) -> None:
        """No more answers come: calls still without one say so."""
        keys = self._tools.looping | {k for k, _call in self._tools.live}
        self._tools.looping.clear()
        self._tools.live.clear()
        self._tools.asked.clear()
        for key in keys:
            self._refresh_tools(key)

    def toggle_tool_card(self, key: int, index: int) -> None:
        self._toggle_card_state(self._tools.expanded, key, index)

    def toggle_tool_arguments(self, key: int, index: int) -> None:
        """The "Show all arguments" / "Show fewer" toggle (kept here: a delegate scrolled out
        is gone)."""
        self._toggle_card_state(self._tools.all_arguments, key, index)

    def _toggle_card_state(self, cards: set[tuple[int, str]], key: int, index: int) -> None:
        calls = self._calls_of(self._entries.get(key))
        if not 0 <= index < len(calls):
            return
        cards.symmetric_difference_update({(key, calls[index].id)})
        self._refresh_tools(key)

    def copy_tool_result(self, key: int, index: int) -> None:
        calls = self._calls_of(self._entries.get(key))
        if 0 <= index < len(calls):
            result = self._tools.results.get(key, {}).get(calls[index].id)
            if result is not None:
                self._copy(result.content)
        self.done_acting.emit()

    def copy_tool_arguments(self, key: int, index: int) -> None:
        """The whole arguments of a call (its card shows SHOWN_ARGUMENT_CHARS of them)."""
        calls = self._calls_of(self._entries.get(key))
        if 0 <= index < len(calls):
            call = calls[index]
            asked = [a.request for a in self._tools.asked.values() if a.request.call_id == call.id]
            self._copy(asked[0].arguments if asked else r.pretty_arguments(call.arguments))
        self.done_acting.emit()

    def _focus_asking_card(self) -> None:
        """Tab into the transcript while a card asks: that card takes the focus (its Allow
        button), now or when its delegate is made."""
        request = self._tools.pending_request()
        if request is None:
            return
        self._focus_request = request.request_id
        self.scroll_to_end()
        self._bridge.toolCardFocusRequested.emit()

    def claim_focus(self, request_id: int) -> bool:
        if request_id < 0 or request_id != self._focus_request:
            return False
        self._focus_request = -1
        return True

    def _calls_of(self, entry: _Entry | None) -> tuple[ToolCall, ...]:
        if entry is None:
            return ()
        if entry.live is not None:
            return entry.live.source.tool_calls()
        return entry.message.tool_calls if entry.message is not None else ()

    def _reply_of_call(self, call_id: str) -> int | None:
        """The (latest) reply that made the call `call_id`."""
        for entry in reversed(self._entries.values()):
            if any(call.id == call_id for call in self._calls_of(entry)):
                return entry.key
        return None

    def _tool_result_added(self, key: int, message: Message) -> None:
        reply = next(
            (
                e.key
                for e in reversed(self._entries.values())
                if e.key < key and e.role is Role.ASSISTANT
            ),
            None,
        )
        if reply is None:
            return
        self._tools.add_result(reply, message)
        self._refresh_tools(reply)

    def _refresh_tools(self, key: int) -> None:
        entry = self._entries.get(key)
        if entry is None:
            return
        message = None if entry.live is not None else entry.message
        self._set(entry, "tools", self._tools.rows(key, self._calls_of(entry), message))

    def activate_link(self, url: QUrl) -> None:
        """A click on a link in a message: only web and mail links are handed over."""
        scheme = url.scheme().lower()
        if scheme == "zlay" and url.path() == "copy-code":
            # The renderer's own Copy link of a code block nested in a list or a quote (a
            # model-written zlay: link never reaches the HTML).
            query = dict(item.split("=", 1) for item in url.query().split("&") if "=" in item)
            try:
                self.copy_code(int(query.get("message", "")), int(query.get("block", "")))
            except ValueError:
                self.link_refused.emit(url)
        elif scheme in _OPENABLE_SCHEMES:
            self.link_activated.emit(url)
        else:
            self.link_refused.emit(url)

    def selected_text(self, first_row: int, first_pos: int, last_row: int, last_pos: int) -> str:
        """The text of a selection across rows, from `first_pos` in the text of `first_row` to
        `last_pos` in that of `last_row` (positions as the QML's TextEdit counts them): read
        from the model, so rows scrolled out of view (no delegate) are in it all the same.
        Rows without text (headers, footers, tool cards) are left out; the others are
        separated by a blank line."""
        return _selection_text(self._selected_rows(first_row, last_row), first_pos, last_pos)

    def _selected_rows(self, first_row: int, last_row: int) -> list[Row]:
        rows = self.model.rows()
        return rows[max(0, first_row) : max(0, min(last_row, len(rows) - 1) + 1)]

    def copy_selection(self, first_row: int, first_pos: int, last_row: int, last_pos: int) -> None:
        """Ctrl+C on a selection across rows (see `selected_text`)."""
        text = self.selected_text(first_row, first_pos, last_row, last_pos)
        if text:
            self._copy(text)

    def offer_selection(self, first_row: int, first_pos: int, last_row: int, last_pos: int) -> None:
        """The mouse made a selection: where the platform has one (X11, Wayland), it becomes
        the primary selection, which a middle click pastes, as any selected text does."""
        clipboard = QGuiApplication.clipboard()
        if not clipboard.supportsSelection():
            return
        # Its text is made when it is pasted (a drag over a huge reply costs nothing more on
        # release), from the rows as they are now (they are replaced, never changed).
        rows = self._selected_rows(first_row, last_row)
        # (A selection without text, e.g. from a paragraph's end into the footer, leaves the
        # primary selection to whoever had it.)
        if _selects_text(rows, first_pos, last_pos):
            selection = _SelectionData(rows, first_pos, last_pos)
            clipboard.setMimeData(selection, QClipboard.Mode.Selection)

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(text)

    # -- streaming ----------------------------------------------------------------------

    def _live(self, key: int) -> _Live | None:
        entry = self._entries.get(key)
        if entry is None or entry.live is None:
            log.debug("chunk for a message that is not streaming: %s", key)
            return None
        return entry.live

    def _mark_dirty(self, key: int) -> None:
        self._dirty.add(key)
        if not self._flush_timer.isActive():
            since_ms = (time.perf_counter() - self._flushed_at) * 1000
            self._flush_timer.start(max(0, int(FLUSH_INTERVAL_MS - since_ms)))

    def _flush_entry(self, entry: _Entry, deadline: float | None = None) -> None:
        """Applies what arrived for `entry`: all of its text, or slices of it until
        `deadline` (a `time.perf_counter()` value)."""
        live = entry.live
        if live is None:
            return
        if live.waiting and (
            live.text_pending
            or live.reasoning_pending
            or live.refusal_pending
            or live.tools_pending
        ):
            live.waiting = False
            self._set(entry, "footer", [])
        if live.reasoning_pending:
            live.reasoning_pending = False
            self._set_reasoning(entry)
        if live.text_pending:
            live.text_pending = False
            if deadline is None:
                update = live.markdown.update()
            else:
                update = live.markdown.update(SLICE_CHARS)
                while live.markdown.pending_chars and time.perf_counter() < deadline:
                    update = update.then(live.markdown.update(SLICE_CHARS))
            self._apply_markdown(entry, update)
            if live.answer_started and live.thinking_since is not None:
                self._stop_thinking(entry)
                if entry.reasoning_expanded and not entry.reasoning_toggled:
                    # The answer began: the thinking steps aside (a click shows it again).
                    entry.reasoning_expanded = False
                self._set_reasoning(entry)
        if live.tools_pending:
            live.tools_pending = False
            self._set(entry, "tools", self._tools.rows(entry.key, live.source.tool_calls(), None))
        if live.refusal_pending:
            live.refusal_pending = False
            self._set(entry, "refusal", r.refusal_rows(entry.key, live.source.refusal_text()))

    def _apply_markdown(self, entry: _Entry, update: MarkdownUpdate) -> None:
        live = entry.live
        assert live is not None
        key = entry.key
        if update.replaces_tail:
            tail: list[Row] | None = None
            if update.open_code is not None:
                live.open_code = (update.open_code.language, update.open_code.index)
            elif update.tail_html is not None:
                live.open_code = None
                tail = r.tail_row(key, update.tail_html, self._theme)
            if update.committed:
                self._commit_blocks(entry, r.block_rows(key, update.committed, self._theme), tail)
            elif tail is not None:
                self._set(entry, "tail", tail)
        if live.open_code is not None and (update.open_code is not None or update.code_text):
            language, fence = live.open_code
            code = live.markdown.open_code_text()
            self._set(entry, "tail", [r.open_code_row(key, language, fence, code, self._theme)])

    def _stop_thinking(self, entry: _Entry) -> None:
        live = entry.live
        if live is not None and live.thinking_since is not None and entry.thought_s is None:
            entry.thought_s = time.monotonic() - live.thinking_since

    # -- rows ---------------------------------------------------------------------------

    def _header(self, entry: _Entry) -> Row:
        model = entry.model
        if entry.message is not None:
            model = entry.message.model or model
        plain = entry.message.content if entry.message is not None else ""
        return r.header_row(entry.key, entry.role, model, plain)

    def _reasoning_rows(self, entry: _Entry) -> list[Row]:
        return r.reasoning_row(
            entry.key,
            entry.reasoning(),
            expanded=entry.reasoning_expanded,
            seconds=entry.thought_s,
            live=entry.live is not None and not entry.live.answer_started,
        )

    def _set_reasoning(self, entry: _Entry) -> None:
        self._set(entry, "reasoning", self._reasoning_rows(entry))

    def _entry_for(self, key: int, role: Role) -> _Entry:
        entry = self._entries.get(key)
        if entry is None:
            earlier = next(reversed(self._entries.values()), None)
            entry = _Entry(key=key, role=role)
            self._entries[key] = entry  # (keys grow: a new one goes last)
            self._starts[key] = self.model.rowCount()
            if earlier is not None and earlier.key < key:
                self._no_longer_last(earlier)
        entry.role = role
        return entry

    def _no_longer_last(self, entry: _Entry) -> None:
        """A reply that is not the last one any more: no Retry or Continue under it."""
        message = entry.message
        if entry.live is None and message is not None and message.role is Role.ASSISTANT:
            row = r.footer_row(entry.key, message, last=False, version=self.version_of(entry.key))
            self._set(entry, "footer", [row])

    def refresh_versions(self, keys: Iterable[int] | None = None) -> None:
        """The version switchers again, of the messages at `keys` (None: all): a message
        just stored may be a new version."""
        last = next(reversed(self._entries), None)
        entries = (
            list(self._entries.values())
            if keys is None
            else [self._entries[k] for k in keys if k in self._entries]
        )
        for entry in entries:
            message = entry.message
            if entry.live is not None or message is None:
                continue
            version = self.version_of(entry.key)
            if message.role is Role.USER:
                self._set(entry, "header", [r.user_row(entry.key, message, version)])
            elif message.role is Role.ASSISTANT:
                row = r.footer_row(entry.key, message, last=entry.key == last, version=version)
                self._set(entry, "footer", [row])

    def show_messages_from(self, key: int, items: list[tuple[int, Message]]) -> None:
        """The conversation `items` (all of it), where only the messages from `key` on
        differ from those shown (another version): those are replaced, the ones above
        stay as they are, and so does the scroll position."""
        if self._older or key not in self._entries:
            self.show_messages(items)
            return
        self.flush()
        start = self._start(self._entries[key])
        for stale in [k for k in self._entries if k >= key]:
            del self._entries[stale]
            self._dirty.discard(stale)
        self._starts.clear()
        self.model.set_rows(start, self.model.rowCount() - start, [])
        self._show_reply_row()
        for k, message in items:
            if k >= key:
                self.add_message(k, message)

    def _show_reply_row(self) -> None:
        """Tells the QML where the reply streaming in begins (it stops making rows ahead
        while that reply passes by)."""
        # (The reply streaming is the last message or near it.)
        live = next((e for e in reversed(self._entries.values()) if e.live is not None), None)
        self._bridge.set_reply_row(-1 if live is None else self._start(live))

    def _start(self, entry: _Entry) -> int:
        start = self._starts.get(entry.key)
        if start is None:
            position = 0
            for other in self._entries.values():
                self._starts[other.key] = position
                position += other.size()
            start = self._starts[entry.key]
        return start

    def _segment_start(self, entry: _Entry, name: str) -> int:
        position = self._start(entry)
        for segment in _SEGMENTS:
            if segment == name:
                return position
            position += entry.counts[segment]
        raise ValueError(name)

    def _set(self, entry: _Entry, name: str, rows: list[Row]) -> None:
        count = entry.counts[name]
        if not count and not rows:
            return
        self.model.set_rows(self._segment_start(entry, name), count, rows)
        self._grow(entry, name, len(rows) - count)

    def _append(self, entry: _Entry, name: str, rows: list[Row]) -> None:
        at = self._segment_start(entry, name) + entry.counts[name]
        self.model.set_rows(at, 0, rows)
        self._grow(entry, name, len(rows))

    def _commit_blocks(self, entry: _Entry, blocks: list[Row], tail: list[Row] | None) -> None:
        """Finished blocks take the live tail's row (changed in place: its text is where
        they began, and a selection in it stays), the rest and the new tail come after it.
        `tail` None: the tail rows stay as they are (an open code block sets its own)."""
        at = self._segment_start(entry, "tail")
        count = entry.counts["tail"]
        if tail is None:
            tail = self.model.rows()[at : at + count]
        self.model.set_rows(at, count, blocks + tail)
        self._grow(entry, "blocks", len(blocks))
        self._grow(entry, "tail", len(tail) - count)

    def _grow(self, entry: _Entry, name: str, delta: int) -> None:
        if not delta:
            return
        entry.counts[name] += delta
        if next(reversed(self._entries)) != entry.key:
            self._starts.clear()  # later messages moved

    def _row_text(self, row: Row) -> str:
        extra = row.extra
        if row.kind == "header":
            return " · ".join(filter(None, [str(extra["role"]), str(extra["model"])]))
        if row.kind == "user":
            hidden = int(extra["hidden"])
            more = (
                "\n"
                + QCoreApplication.translate(
                    "Transcript",
                    "… and %1 more characters, not shown here (Copy copies the whole message).",
                ).replace("%1", number(hidden))
                if hidden
                else ""
            )
            return (
                f"{extra['role']}\n{row.text}{more}\n"
                + _version_text(extra)
                + _actions_text(extra["actions"])
            )
        if row.kind in ("block", "code"):
            return _plain(row.html)
        if row.kind == "attachments":
            return attachments_text(extra)
        if row.kind == "reasoning":
            return QCoreApplication.translate("Transcript", "Thinking") + (
                f"\n{row.text}" if row.text else ""
            )
        if row.kind == "toolcard":
            return tc.card_text(row)
        if row.kind == "notice":
            return QCoreApplication.translate("Transcript", "The model refused: %1").replace(
                "%1", row.text
            )
        if row.kind == "waiting":
            seconds = int(extra["seconds"])
            if seconds >= 0:
                return QCoreApplication.translate(
                    "Transcript", "Waiting for first token… %1 s"
                ).replace("%1", str(seconds))
            return QCoreApplication.translate("Transcript", "Waiting for first token…")
        if row.kind == "footer":
            status = footer_status(extra)
            actions = _version_text(extra) + _actions_text(extra["actions"])
            lines = [" · ".join(filter(None, [status, actions]))]
            if row.text:
                lines.append(row.text)
            return "\n".join(lines)
        return row.text

    # -- theme --------------------------------------------------------------------------

    def changeEvent(self, e: QEvent, /) -> None:
        super().changeEvent(e)
        from PySide6.QtCore import QEvent

        if e.type() == QEvent.Type.PaletteChange:
            self._theme_changed()

    def _palette_is_dark(self) -> bool:
        if self._dark_override is not None:
            return self._dark_override
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def _theme_changed(self) -> None:
        theme = theme_for(self._palette_is_dark())
        if self._quick is not None:
            colors = colors_for(theme, self.palette())
            self._quick.rootContext().setContextProperty("colors", colors)
        if theme == self._theme:
            return
        self._theme = theme
        self._rebuild()

    def _rebuild(self) -> None:
        """Render every message again (code colours follow the theme)."""
        self.flush()
        entries = list(self._entries.values())
        tools, self._tools = self._tools, tc.ToolCards()  # (the cards' state stays)
        self.clear_conversation()
        self._tools = tools
        for old in entries:
            if old.live is None and old.message is not None:
                self.add_message(old.key, old.message)
            elif old.live is not None:
                live, source = old.live, old.live.source
                self.begin_reply(old.key, old.model, source)
                if not live.waiting:  # (begin_reply shows the text so far itself)
                    self.append_reasoning(old.key, source.reasoning_text())
                    self.append_refusal(old.key, source.refusal_text())
                    if source.tool_calls():
                        self.tool_calls_changed(old.key)
            new = self._entries[old.key]
            new.thought_s = old.thought_s
            if old.reasoning_toggled:
                new.reasoning_expanded = old.reasoning_expanded
                new.reasoning_toggled = True
            self._set_reasoning(new)
        self.flush()


def footer_status(extra: dict[str, object]) -> str:
    """The words of a footer's status line (the QML shows the same, translated)."""
    state = extra["state"]
    if state == "failed":
        words = str(extra["error"]) or QCoreApplication.translate("Transcript", "The reply failed.")
        retry_after = float(str(extra["retryAfter"]))
        if retry_after > 0:
            return (
                QCoreApplication.translate("Transcript", "%1 (retry in %2 s)")
                .replace("%2", f"{retry_after:.0f}")
                .replace("%1", words)
            )
        return words
    return {
        "stopped": QCoreApplication.translate("Transcript", "Stopped."),
        "interrupted": QCoreApplication.translate(
            "Transcript", "Interrupted: the app closed while this reply was arriving."
        ),
        "cut": QCoreApplication.translate("Transcript", "The answer was cut at the token limit."),
        "filtered": QCoreApplication.translate(
            "Transcript", "The provider's content filter ended the answer."
        ),
    }.get(str(state), "")


def _size(message: Message) -> int:
    return len(message.content) + len(message.reasoning) + len(message.refusal)


def _version_text(extra: dict[str, object]) -> str:
    """The version switcher as read: "‹ 2 / 3 › · " (nothing without other versions)."""
    version = extra.get("version")
    if not isinstance(version, list):
        return ""
    return f"‹ {version[0]} / {version[1]} › · "


def _actions_text(actions: object) -> str:
    assert isinstance(actions, list)
    return " · ".join(
        QCoreApplication.translate("Transcript", ACTION_LABELS[action]) for action in actions
    )


def _selectable_document(row: Row) -> QTextDocument | None:
    """The text a row's delegate lets the user select, as the delegate's TextEdit holds it
    (so that its positions count the same), or None for a row without such a text."""
    document = QTextDocument()
    if row.kind in ("block", "code"):
        document.setHtml(row.html)
    elif row.kind == "user" or (row.kind == "reasoning" and row.extra.get("expanded")):
        document.setPlainText(row.text)
    else:
        return None
    return document


def _selection_text(rows: list[Row], first_pos: int, last_pos: int) -> str:
    """The text of a selection from `first_pos` in the text of `rows[0]` to `last_pos` in
    that of `rows[-1]` (see `TranscriptView.selected_text`)."""
    parts: list[str] = []
    for document, start, stop in _selected_ranges(rows, first_pos, last_pos):
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(stop, QTextCursor.MoveMode.KeepAnchor)
        text = _with_formulas(cursor.selection().toPlainText(), document, cursor)
        if text:
            parts.append(text)
    # (Without the break points that let a very long word wrap: a pasted token or link must
    # be the one the model wrote.)
    return "\n\n".join(parts).replace(WRAP_POINT, "")


def _selected_ranges(
    rows: list[Row], first_pos: int, last_pos: int
) -> Iterator[tuple[QTextDocument, int, int]]:
    """The selected range of each row's text (rows without text left out), its ends moved
    out of the renderer's break points."""
    for at, row in enumerate(rows):
        document = _selectable_document(row)
        if document is None:
            continue
        end = document.characterCount() - 1
        start = min(max(first_pos, 0), end) if at == 0 else 0
        stop = min(max(last_pos, 0), end) if at == len(rows) - 1 else end
        yield document, _outside_wrap_point(document, start, 1), _outside_wrap_point(
            document, stop, -1
        )


def _selects_text(rows: list[Row], first_pos: int, last_pos: int) -> bool:
    """Whether the selection holds any text (cheap: the first row with some says so)."""
    return any(stop > start for _, start, stop in _selected_ranges(rows, first_pos, last_pos))


class _SelectionData(QMimeData):
    """A selection offered as the primary selection: plain text, made the first time it is
    asked for (a paste), not when it is offered."""

    _FORMATS = ("text/plain;charset=utf-8", "text/plain")

    def __init__(self, rows: list[Row], first_pos: int, last_pos: int) -> None:
        super().__init__()
        self._rows = rows
        self._first_pos, self._last_pos = first_pos, last_pos
        self._text: str | None = None

    def formats(self) -> list[str]:
        return list(self._FORMATS)

    def hasFormat(self, mimetype: str, /) -> bool:
        return mimetype in self._FORMATS

    def retrieveData(self, mimetype: str, preferredType: QMetaType | QMetaType.Type, /) -> object:
        if mimetype not in self._FORMATS:
            return None
        if self._text is None:
            self._text = _selection_text(self._rows, self._first_pos, self._last_pos)
            self._rows = []
        return self._text


def _outside_wrap_point(document: QTextDocument, position: int, step: int) -> int:
    """`position`, or (when it falls inside one of the renderer's break points, between its
    two characters) the position `step` (1 or -1) away, out of it."""
    inside = document.characterAt(position - 1) + document.characterAt(position) == WRAP_POINT
    return position + step if inside else position


def _with_formulas(text: str, document: QTextDocument, cursor: QTextCursor) -> str:
    """`text` (the plain text of the cursor's selection) with each typeset formula in it
    (an image, U+FFFC in plain text) written as its TeX source between dollars."""
    if "\ufffc" not in text:
        return text
    from zlay_desktop.core.math_render import resolve_key

    formulas: list[str] = []
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    block = document.findBlock(start)
    while block.isValid() and block.position() < end:
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            at = fragment.position()
            if start <= at < end and fragment.charFormat().isImageFormat():
                name = fragment.charFormat().toImageFormat().name()
                spec = resolve_key(name.removeprefix("image://math/"))
                dollars = "$$" if spec is not None and spec.display else "$"
                formulas.extend(
                    [f"{dollars}{spec.tex}{dollars}" if spec is not None else ""]
                    * fragment.length()
                )
            it += 1
        block = block.next()
    pieces = text.split("\ufffc")
    formulas += [""] * (len(pieces) - 1 - len(formulas))  # (not expected: an image unknown)
    return pieces[0] + "".join(f + piece for f, piece in zip(formulas, pieces[1:], strict=False))


def _plain(fragment: str) -> str:
    return QTextDocumentFragment.fromHtml(fragment).toPlainText() if fragment else ""

