"""The conversation transcript: one QTextDocument for the whole conversation.

Each message is a run of sections, in this order: header (role, model, action links),
reasoning, answer (the committed blocks, then the live tail), tool calls, refusal, footer.
The view remembers how many characters each section spans; a section's start is the sum
of the lengths before it, so no position is ever searched for. Every section begins with a
block separator, which keeps its blocks (and their formats) apart from the previous ones.

Messages are not QTextFrames on purpose: Qt lays out a nested frame as a whole whenever
anything inside it changes, so appending to a long reply in its own frame costs time in
proportion to the reply (measured: 1 ms at 2k characters, 7 ms at 200k); blocks of the
root frame are laid out incrementally.

Streaming keeps a chunk's cost flat however long the reply is: chunks are buffered and
applied on a short coalescing timer (or ``flush()``); complete Markdown blocks are inserted
once, only the live tail is replaced, and an open code block grows by plain text appends
(see ``zlay_desktop.core.markdown_render``). Nothing on that path touches the whole
document.

Memory stays bounded however long an answer grows: Qt keeps every laid-out paragraph's
layout (~25 MB per million characters of Markdown). Of a streamed answer longer than
``SHOWN_ANSWER_CHARS``, the blocks far above what is on screen are set aside, ~1,000
characters at a time, behind an empty block of exactly their height, the spacer: nothing
below moves, so neither the scroll bar nor the picture changes, and Qt lays out again only
the tables within as many characters after the edit as it removed, and moves the rest (a
step costs ~3-6 ms with 100,000 characters shown). When
the user scrolls near the spacer, the pieces come back the same way, nearest first.
Copying a selection across the spacer copies the text set aside.
"""

from __future__ import annotations

import html
import json
import logging
import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextFrame,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QTextBrowser, QWidget

from zlay_desktop.core.markdown_render import (
    MarkdownUpdate,
    StreamingMarkdown,
    break_long_runs,
    code_blocks,
    render_markdown,
    theme_for,
    zlay_url,
)
from zlay_desktop.core.math_render import render_key
from zlay_desktop.core.models import Message, ReplyState, Role, ToolCall
from zlay_desktop.core.reply_stats import reply_figures
from zlay_desktop.core.shaping import needs_shaping

if TYPE_CHECKING:
    # (Not at run time: the window frame paints before asyncio, which it imports, loads.)
    from zlay_desktop.core.chat_session import LiveReply

log = logging.getLogger(__name__)

_MATH = "image://math/"

__all__ = ["ChatView"]

CODE_FONT_WARM_UP_DELAY_MS = 300
"""After the window has shown (the first paint comes first)."""

FLUSH_INTERVAL_MS = 8
"""Chunks arriving within this window cost one document update (well inside a 16 ms frame)."""

NEAR_TOP_CHECK_DELAY_MS = 25
"""How long after a scroll or a layout change the view looks whether older messages fit."""

SHOWN_USER_CHARS = 100_000
"""Of a longer message of the user's, only this many characters are shown (see below)."""

SHOWN_ANSWER_CHARS = 100_000
"""Of a longer streamed answer, about this much stays laid out; the rest far from the
screen is set aside (see the module's docstring)."""

_FAR_SCREENS = 3  # pieces this many screens above the top of the view may be set aside
_NEAR_SCREENS = 1  # and come back when the spacer gets this close (less: no ping-pong)
_SET_ASIDE_CHARS_PER_STEP = 1_000  # at least, per edit (~3-6 ms with 100k characters shown)
_RESTORED_CHARS_PER_STEP = 4_000  # brought back per step as the user scrolls up (~8 ms)
_REBUILT_CHARS_PER_UPDATE = 4_000  # a long answer rendered again comes in pieces this big
_RUN_WITHOUT_CLEAN_CUT = 2  # steps' worth of characters, at most, looking for a clean cut
ARRANGE_DELAY_MS = 4
"""Between steps of setting aside or bringing back: half a flush interval, so that a step
and a document update seldom fall in the same frame."""

_FOLLOW_SLACK_PX = 4  # "at the bottom" tolerates a few pixels of rounding
_SECTIONS = ("header", "reasoning", "body", "tail", "tools", "refusal", "footer")
# WORKAROUND (Qt 6.9-6.12): Qt's HTML import drops the block format of a fragment's first
# block (it merges into the block at the cursor); an empty first paragraph takes that loss.
_LEAD = '<p style="-qt-paragraph-type:empty"></p>'
_MESSAGE_ACTIONS = frozenset({"regenerate", "edit", "retry", "continue"})
_OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
_ROLE_LABELS = {
    Role.USER: "You",
    Role.ASSISTANT: "Assistant",
    Role.SYSTEM: "System",
    Role.TOOL: "Tool result",
}


@dataclass(slots=True)
class _LiveReply:
    """What has arrived for a reply still streaming, and what is not shown yet."""

    markdown: StreamingMarkdown
    source: LiveReply  # the text so far, as the session accumulates it
    # Characters that reached the view. WORKAROUND (PySide6 6.9-6.12): a chunk crosses a
    # Qt signal as a QString, which drops lone surrogates and byte-order marks; when this
    # falls short of the final text, the final text is rendered instead of what streamed.
    fed_chars: int = 0
    text_pending: bool = False
    reasoning_pending: list[str] = field(default_factory=list)
    refusal_pending: bool = False
    tools_pending: bool = False
    waiting: bool = True  # nothing arrived yet: the footer says "Waiting for first token…"
    answer_started: bool = False  # some non-blank answer text arrived


@dataclass(slots=True)
class _Piece:
    """Markdown blocks committed to an answer's body in one update."""

    html: str
    length: int  # characters in the document
    height: float = 0.0  # on screen, measured when it was set aside
    text: str = ""  # its plain text, kept when it was set aside


@dataclass(slots=True)
class _Entry:
    key: int
    role: Role
    lengths: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_SECTIONS, 0))
    message: Message | None = None  # the complete message, once there is one
    model: str | None = None  # the model named when the reply began
    live: _LiveReply | None = None
    reasoning_expanded: bool = False
    reasoning_toggled: bool = False  # the user chose; no more automatic collapsing
    # A streamed body, piece by piece: those in the document (after the spacer, if any),
    # and those set aside (top first), for which the spacer stands in.
    pieces: deque[_Piece] = field(default_factory=deque)
    shown_chars: int = 0  # in the pieces shown
    aside: list[_Piece] = field(default_factory=list)
    spacer_height: float = 0.0

    def add_piece(self, piece: _Piece, *, first: bool = False) -> None:
        if first:
            self.pieces.appendleft(piece)
        else:
            self.pieces.append(piece)
        self.shown_chars += piece.length

    def take_first_piece(self) -> _Piece:
        piece = self.pieces.popleft()
        self.shown_chars -= piece.length
        return piece

    def forget_pieces(self) -> None:
        self.pieces.clear()
        self.shown_chars = 0
        self.aside.clear()
        self.spacer_height = 0.0

    def content(self) -> str:
        if self.live is not None:
            return self.live.source.content_text()
        return self.message.content if self.message is not None else ""

    def reasoning(self) -> str:
        if self.live is not None:
            return self.live.source.reasoning_text()
        return self.message.reasoning if self.message is not None else ""

    def length(self) -> int:
        return sum(self.lengths.values())


class ChatView(QTextBrowser):
    """Shows a conversation; streams replies into it at a flat cost per chunk."""

    # action ("regenerate", "edit", "retry", "continue"), the message's index
    action_requested = Signal(str, int)
    copied = Signal(str)  # the text put on the clipboard
    link_activated = Signal(QUrl)  # an http/https/mailto link the user clicked
    link_refused = Signal(QUrl)  # any other link the user clicked; nothing was opened
    # The top of what is shown is within a screen of the visible part (the user scrolled
    # up, or everything shown fits): a moment to show older messages, if there are any.
    scrolled_near_top = Signal()
    # Long answers are arranged for where the view is: what is far is set aside, what is
    # near is back (emitted when a pass found nothing more to do).
    long_answers_arranged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Conversation")
        # WORKAROUND (Qt 6.11-6.12): a QTextLayout keeps HarfBuzz's buffers, ~40 bytes per
        # character, as long as it lives (~75 MB for a reply of a million characters). Text
        # is drawn without a shaping engine unless it needs one; paragraphs that need it get
        # it back as they are inserted (`_shape_where_needed`; see core.shaping).
        font = self.font()
        font.setStyleStrategy(font.styleStrategy() | QFont.StyleStrategy.PreferNoShaping)
        self.setFont(font)
        self._shaped = QTextCharFormat()
        self._shaped.setFontStyleStrategy(QFont.StyleStrategy.PreferDefault)
        self.shown_answer_chars = SHOWN_ANSWER_CHARS
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        document = self.document()
        # Read-only, and an undo history would keep every chunk alive.
        document.setUndoRedoEnabled(False)
        self._entries: dict[int, _Entry] = {}  # in document order
        self._start_cache: dict[int, int] = {}  # message key -> position where it starts
        self._dirty: set[int] = set()
        self._theme = theme_for(self._palette_is_dark())
        self._apply_theme_to_document()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self.flush)
        # The first code block of a session would load the monospace font (~20 ms) in the
        # middle of a reply; done once, soon after the window shows, it costs nothing there.
        QTimer.singleShot(CODE_FONT_WARM_UP_DELAY_MS, self, self._warm_up_code_font)
        self._follow = True
        self._scrolling = False
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_scroll_range_changed)
        # Checked a little later, never inside a document edit: whoever listens may prepend
        # messages, which must wait for the edit that moved the scroll bar to finish, and
        # for the paint of what is already there (opening a conversation paints first).
        # Streaming and scrolling restart the wait, so they trigger one check, not many.
        self._near_top_timer = QTimer(self)
        self._near_top_timer.setSingleShot(True)
        self._near_top_timer.setInterval(NEAR_TOP_CHECK_DELAY_MS)
        self._near_top_timer.timeout.connect(self._check_near_top)
        bar.valueChanged.connect(self._schedule_near_top_check)
        bar.rangeChanged.connect(self._schedule_near_top_check)
        # Content that fits the view moves no scroll bar, but it may leave room above.
        document.documentLayout().documentSizeChanged.connect(self._schedule_near_top_check)
        # Setting parts of long answers aside, and bringing them back, a step per turn of
        # the event loop (after updates, scrolls and resizes), never inside an edit.
        self._arrange_timer = QTimer(self)
        self._arrange_timer.setSingleShot(True)
        self._arrange_timer.setInterval(ARRANGE_DELAY_MS)
        self._arrange_timer.timeout.connect(self._arrange_pieces)
        bar.valueChanged.connect(self._schedule_arrange)

    # -- public API ---------------------------------------------------------------------

    def clear_conversation(self) -> None:
        self._flush_timer.stop()
        self._arrange_timer.stop()
        self._dirty.clear()
        self._entries.clear()
        self._start_cache.clear()
        self.document().clear()
        self._follow = True

    def add_message(self, key: int, message: Message) -> None:
        """Show a complete message (any role, any state)."""
        entry = self._entry_for(key, message.role)
        entry.message = message
        entry.model = message.model
        entry.live = None
        self._dirty.discard(key)
        entry.reasoning_expanded = bool(message.reasoning) and not message.content.strip()
        entry.reasoning_toggled = False
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._set_header(cursor, entry)
        if message.role is Role.ASSISTANT:
            self._render_reasoning(cursor, entry)
            if len(message.content) > self.shown_answer_chars:
                self._render_in_pieces(cursor, entry, message.content)
            else:
                self._set_section_html(
                    cursor, entry, "body", self._markdown_html(key, message.content)
                )
            self._render_tools(cursor, entry, message.tool_calls)
            self._render_refusal(cursor, entry, message.refusal)
            self._set_section_html(cursor, entry, "footer", self._footer_html(key, message))
        else:
            self._set_section_html(cursor, entry, "body", self._plain_text_html(message.content))
        cursor.endEditBlock()
        if entry.pieces:
            self._schedule_arrange()

    def prepend_messages(self, items: list[tuple[int, Message]]) -> None:
        """Show complete messages (oldest first) above the first one shown: older history.

        What the user is looking at stays where it is on screen. The batch is one edit:
        after an insertion Qt lays out everything below it again, a cost in proportion to
        the document, paid here once per batch instead of once per message.
        """
        fresh = [(key, message) for key, message in items if key not in self._entries]
        if not fresh:
            return
        bar = self.verticalScrollBar()
        layout = self.document().documentLayout()
        height_before = layout.documentSize().height()
        value_before = bar.value()
        # Empty entries first in document order; add_message then fills each in place.
        shown = self._entries
        self._entries = {key: _Entry(key=key, role=message.role) for key, message in fresh}
        self._entries.update(shown)
        self._start_cache.clear()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for key, message in fresh:
            self.add_message(key, message)
        cursor.endEditBlock()
        if not self._follow:  # (when following, the range change kept the bottom in view)
            grown = layout.documentSize().height() - height_before
            self._scrolling = True
            try:
                bar.setValue(value_before + round(grown))
            finally:
                self._scrolling = False

    def begin_reply(self, key: int, model: str | None, source: LiveReply) -> None:
        """Start a live assistant reply, showing that the first token is awaited; `source`
        is the reply as it streams (read at the end and when rendered again)."""
        entry = self._entry_for(key, Role.ASSISTANT)
        entry.message = None
        entry.live = _LiveReply(
            markdown=StreamingMarkdown(message_key=key, theme=self._theme), source=source
        )
        entry.model = model or None
        entry.reasoning_expanded = True
        entry.reasoning_toggled = False
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._set_header(cursor, entry)
        self._set_section_html(cursor, entry, "footer", self._waiting_html(None))
        cursor.endEditBlock()
        already = source.content_text()
        if already:  # a reply continued: its text so far, then what comes
            self.append_text(key, already)
            self.flush()

    def set_waiting(self, key: int, elapsed_s: float) -> None:
        entry = self._entries.get(key)
        if entry is None or entry.live is None or not entry.live.waiting:
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._set_section_html(cursor, entry, "footer", self._waiting_html(elapsed_s))
        cursor.endEditBlock()

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
        live.reasoning_pending.append(text)
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
        self._dirty.discard(key)
        self._flush_entry(entry)
        live = entry.live
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        if live.fed_chars == len(message.content):
            self._apply_markdown(cursor, entry, live.markdown.finish())
        else:
            # The final text is not what streamed (a chunk never reached the view):
            # show the final text, rendered at once.
            self._set_section_html(cursor, entry, "tail", "")
            self._set_section_html(cursor, entry, "body", self._markdown_html(key, message.content))
        if not entry.reasoning_toggled and message.content.strip():
            entry.reasoning_expanded = False
        entry.live = None
        entry.message = message
        self._render_tools(cursor, entry, message.tool_calls)
        self._render_refusal(cursor, entry, message.refusal)
        self._set_section_html(cursor, entry, "footer", self._footer_html(key, message))
        cursor.endEditBlock()
        # What lies above the answer (header, reasoning) is a change of its own: one edit
        # from the header to the footer makes Qt lay out the whole reply again (~120 ms
        # for 200k characters), two small ones cost a few milliseconds.
        cursor.beginEditBlock()
        self._render_reasoning(cursor, entry)
        self._set_header(cursor, entry)
        cursor.endEditBlock()
        if entry.pieces:  # the last blocks committed may make the answer long enough
            self._schedule_arrange()

    def flush(self) -> None:
        """Apply every buffered chunk to the document now."""
        self._flush_timer.stop()
        keys = list(self._dirty)
        self._dirty.clear()
        for key in keys:
            entry = self._entries.get(key)
            if entry is not None:
                self._flush_entry(entry)
                if entry.pieces:
                    self._schedule_arrange()

    def transcript_text(self) -> str:
        """The plain text of the whole conversation (with what is set aside)."""
        return self._plain_text(0, self.document().characterCount() - 1)

    def answer_text(self, key: int) -> str:
        """The plain text of one message's answer (its Markdown as rendered), as shown."""
        entry = self._entries[key]
        start = self._section_start(entry, "body")
        end = start + entry.lengths["body"] + entry.lengths["tail"]
        return self._plain_text(start, end).removeprefix("\n")

    def message_keys(self) -> list[int]:
        return list(self._entries)

    def loadResource(self, type: int, name: QUrl | str, /) -> Any:
        # Nothing is ever loaded from outside: no images, no style sheets, no files. Only the
        # formulas the Markdown renderer typeset (image://math/KEY), drawn from their SVG.
        url = QUrl(name)
        formula = render_key(url.path().lstrip("/")) if url.toString().startswith(_MATH) else None
        if formula is None:
            return None
        ratio = self.devicePixelRatioF()
        size = (math.ceil(formula.width * ratio), math.ceil(formula.height * ratio))
        image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)  # transparent (not Qt.GlobalColor: the Qt namespace loads late)
        painter = QPainter(image)
        QSvgRenderer(QByteArray(formula.svg)).render(painter)
        painter.end()
        image.setDevicePixelRatio(ratio)
        return image

    # -- Qt events ----------------------------------------------------------------------

    def resizeEvent(self, e: QResizeEvent, /) -> None:
        super().resizeEvent(e)
        self._schedule_arrange()

    def createMimeDataFromSelection(self) -> QMimeData:
        # What is set aside is copied too: the user selected it, blank or not.
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        if not any(start <= spacer < end for spacer, _ in self._spacers()):
            return super().createMimeDataFromSelection()
        data = QMimeData()
        data.setText(self._plain_text(start, end))
        return data

    def changeEvent(self, e: QEvent, /) -> None:
        super().changeEvent(e)
        if e.type() == QEvent.Type.PaletteChange:
            theme = theme_for(self._palette_is_dark())
            if theme != self._theme:
                self._theme = theme
                self._apply_theme_to_document()
                self._rebuild()

    # -- links --------------------------------------------------------------------------

    def _on_anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == "zlay":
            self._run_action(url)
        elif scheme in _OPENABLE_SCHEMES:
            self.link_activated.emit(url)
        else:
            self.link_refused.emit(url)

    def _run_action(self, url: QUrl) -> None:
        action = url.path()
        query = parse_qs(url.query(QUrl.ComponentFormattingOption.FullyEncoded))
        try:
            key = int(query.get("message", [""])[0])
        except ValueError:  # a model-written zlay: link never gets here; be safe anyway
            return
        entry = self._entries.get(key)
        if entry is None:
            return
        if action == "copy":
            self._copy(entry.content())
        elif action == "copy-code":
            blocks = code_blocks(entry.content())
            try:
                index = int(query.get("block", [""])[0])
            except ValueError:
                return
            if 0 <= index < len(blocks):
                self._copy(blocks[index])
        elif action == "toggle-reasoning":
            entry.reasoning_expanded = not entry.reasoning_expanded
            entry.reasoning_toggled = True
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            self._render_reasoning(cursor, entry)
            cursor.endEditBlock()
        elif action in _MESSAGE_ACTIONS:
            self.action_requested.emit(action, key)
        else:
            self.link_refused.emit(url)

    def _copy(self, text: str) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(text)
        self.copied.emit(text)

    # -- follow mode --------------------------------------------------------------------

    def _on_scrolled(self, value: int) -> None:
        if self._scrolling:
            return
        # The user scrolled: follow new text only if they are (back) at the bottom.
        self._follow = value >= self.verticalScrollBar().maximum() - _FOLLOW_SLACK_PX

    def _on_scroll_range_changed(self, _minimum: int, maximum: int) -> None:
        # Layout sets the new range after the document changed, possibly on a later loop
        # turn; following happens here rather than right after an update.
        if self._follow:
            self._scrolling = True
            try:
                self.verticalScrollBar().setValue(maximum)
            finally:
                self._scrolling = False

    def _schedule_near_top_check(self, *_args: object) -> None:
        self._near_top_timer.start()

    def _check_near_top(self) -> None:
        # Hidden, the view has no real height yet: everything would look "near the top".
        if self.isVisible() and self.verticalScrollBar().value() <= self.viewport().height():
            self.scrolled_near_top.emit()

    # -- streaming ----------------------------------------------------------------------

    def _live(self, key: int) -> _LiveReply | None:
        entry = self._entries.get(key)
        if entry is None or entry.live is None:
            log.debug("chunk for a message that is not streaming: %s", key)
            return None
        return entry.live

    def _mark_dirty(self, key: int) -> None:
        self._dirty.add(key)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush_entry(self, entry: _Entry) -> None:
        live = entry.live
        if live is None:
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        if live.waiting and (
            live.text_pending
            or live.reasoning_pending
            or live.refusal_pending
            or live.tools_pending
        ):
            live.waiting = False
            self._set_section_html(cursor, entry, "footer", "")
        if live.reasoning_pending:
            pending = "".join(live.reasoning_pending)
            live.reasoning_pending.clear()
            if entry.lengths["reasoning"] and entry.reasoning_expanded:
                self._append_plain(
                    cursor, entry, "reasoning", pending, self._reasoning_formats()[1]
                )
            else:
                self._render_reasoning(cursor, entry)
        if live.text_pending:
            live.text_pending = False
            self._apply_markdown(cursor, entry, live.markdown.update())
            if live.answer_started and entry.reasoning_expanded and not entry.reasoning_toggled:
                # The answer began: the thinking steps aside (a click shows it again).
                entry.reasoning_expanded = False
                self._render_reasoning(cursor, entry)
        if live.tools_pending:
            live.tools_pending = False
            self._render_tools(cursor, entry, live.source.tool_calls())
        if live.refusal_pending:
            live.refusal_pending = False
            self._render_refusal(cursor, entry, live.source.refusal_text())
        cursor.endEditBlock()

    def _apply_markdown(self, cursor: QTextCursor, entry: _Entry, update: MarkdownUpdate) -> None:
        if update.replaces_tail:
            self._set_section_html(cursor, entry, "tail", "")
            if update.committed_html:
                start = self._section_start(entry, "tail")
                length = self._insert_html(cursor, start, update.committed_html)
                self._grow(entry, "body", length)
                entry.add_piece(_Piece(update.committed_html, length))
            if update.open_code is not None:
                start = self._section_start(entry, "tail")
                length = self._insert_html(cursor, start, update.open_code.header_html)
                block_format, char_format = self._code_formats()
                cursor.setPosition(start + length)
                cursor.insertBlock(block_format, char_format)
                self._insert_text(cursor, update.code_text, char_format)
                self._grow(entry, "tail", cursor.position() - start)
            elif update.tail_html:
                self._set_section_html(cursor, entry, "tail", update.tail_html)
        elif update.code_text:
            self._append_plain(cursor, entry, "tail", update.code_text, self._code_formats()[1])

    def _render_in_pieces(self, cursor: QTextCursor, entry: _Entry, content: str) -> None:
        """Show a long answer as streaming would have, in pieces that can be set aside."""
        self._set_section_html(cursor, entry, "body", "")
        self._set_section_html(cursor, entry, "tail", "")
        markdown = StreamingMarkdown(message_key=entry.key, theme=self._theme)
        for start in range(0, len(content), _REBUILT_CHARS_PER_UPDATE):
            markdown.feed(content[start : start + _REBUILT_CHARS_PER_UPDATE])
            self._apply_markdown(cursor, entry, markdown.update())
        self._apply_markdown(cursor, entry, markdown.finish())

    # -- long answers: pieces set aside ----------------------------------------------------

    def _schedule_arrange(self, *_args: object) -> None:
        if not self._arrange_timer.isActive():
            self._arrange_timer.start()

    def _arrange_pieces(self) -> None:
        """A step: bring pieces back near the view, or set a piece far from it aside."""
        if not self.isVisible():  # no real geometry yet
            return
        more = False
        for entry in list(self._entries.values()):
            if (entry.aside and self._bring_back(entry)) or (
                len(entry.pieces) > 1 and self._set_aside(entry)
            ):
                more = True
        if more:
            self._arrange_timer.start()
        else:
            self.long_answers_arranged.emit()

    def _set_aside(self, entry: _Entry) -> bool:
        """Set the first pieces shown aside if the answer is long and they are far above.

        A run of pieces goes at once, as one piece, up to a boundary with no table on
        either side: there the spacer's height is exact at the first try (Qt does not
        overlap a table's margins with a block's as it does two blocks'; otherwise a
        second edit corrects it), and pieces brought back are never inserted just before
        a table (see `_bring_back`)."""
        if entry.shown_chars <= self.shown_answer_chars:
            return False
        body = self._section_start(entry, "body")
        start = body + (1 if entry.aside else 0)  # the first piece's first separator
        # A selection stays whole: nothing from where it begins on is set aside.
        selection = self.textCursor()
        limit = selection.selectionStart() if selection.hasSelection() else None
        end = start
        run = 0
        for piece in entry.pieces:
            if limit is not None and end + piece.length > limit:
                break
            end += piece.length  # the next piece's first separator
            run += 1
            if run == len(entry.pieces) - 1:
                break
            size = end - start
            if size >= _SET_ASIDE_CHARS_PER_STEP and (
                size >= _RUN_WITHOUT_CLEAN_CUT * _SET_ASIDE_CHARS_PER_STEP  # one long table
                or not _table_between(piece, entry.pieces[run])
            ):
                break
        if run == 0:
            return False
        below = self._top_at(end + 1)  # where what stays begins
        if below > self._view_top() - _FAR_SCREENS * self.height():
            return False
        top = self._top_at(start + 1)
        bottom_margin = self._bottom_margin_at(end - 1)
        run_pieces = [entry.take_first_piece() for _ in range(run)]
        piece = _Piece(
            html="".join(piece.html for piece in run_pieces),
            length=end - start,
            height=below - top,
            text=self._document_text(start, end),
        )
        cursor_in_run = limit is None and start <= selection.position() <= end
        height_before = self._document_height()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._remove(cursor, start, end)
        if not entry.aside:
            cursor.setPosition(body)
            cursor.insertBlock()
            self._grow(entry, "body", 1)
        height = entry.spacer_height + piece.height  # it covers the run now
        self._set_spacer_height(cursor, body, height, bottom_margin)
        cursor.endEditBlock()
        self._grow(entry, "body", start - end)
        entry.aside.append(piece)
        if cursor_in_run:
            # The cursor (where a click left it) would be in the spacer: a shift-click
            # would then select all that is set aside. It goes to what follows instead,
            # and the view stays where it is (setting a cursor scrolls to it).
            selection.setPosition(body + 2)
            bar = self.verticalScrollBar()
            value = bar.value()
            self._scrolling = True
            try:
                self.setTextCursor(selection)
                bar.setValue(value)
            finally:
                self._scrolling = False
        entry.spacer_height = self._keep_in_place(body, height_before, height)
        return True

    def _bring_back(self, entry: _Entry) -> bool:
        """Bring pieces back, the nearest first, if the view is near the spacer.

        Several at once, as one piece inserted in one edit: Qt moves every block after an
        edit (~1.5 ms per 100k characters), and a block inserted just before a table is
        sometimes left without a layout (its text not drawn), so a batch ends where no
        table is on either side of the boundary, as the runs set aside do."""
        body = self._section_start(entry, "body")
        spacer_bottom = self._top_at(body + 2)
        spacer_top = spacer_bottom - entry.spacer_height
        near = _NEAR_SCREENS * self.height()
        view_top = self._view_top()
        if spacer_bottom < view_top - near or spacer_top > view_top + self.height() + near:
            return False
        batch: list[_Piece] = []
        size = 0
        while entry.aside:
            batch.append(entry.aside.pop())
            size += batch[-1].length
            if (
                not entry.aside
                or size >= _RUN_WITHOUT_CLEAN_CUT * _RESTORED_CHARS_PER_STEP
                or (
                    size >= _RESTORED_CHARS_PER_STEP
                    and not _table_between(entry.aside[-1], batch[-1])
                )
            ):
                break
        batch.reverse()
        height_before = self._document_height()
        height = max(entry.spacer_height - sum(piece.height for piece in batch), 0.0)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        html_text = "".join(piece.html for piece in batch)
        length = self._insert_html(cursor, body + 1, html_text)  # just after the spacer
        if entry.aside:
            self._set_spacer_height(cursor, body, height)
        else:
            self._remove(cursor, body, body + 1)  # the spacer goes
        cursor.endEditBlock()
        if (
            entry.pieces
            and entry.pieces[0].html.lstrip().startswith("<table")
            and not batch[-1].html.rstrip().endswith("</table>")
        ):
            # A block inserted just before a table may be left without a layout (the
            # batch was cut there for want of a clean cut): lay the batch out again.
            self.document().markContentsDirty(body + 1, length + 1)
        self._grow(entry, "body", length - (0 if entry.aside else 1))
        entry.add_piece(_Piece(html_text, length), first=True)
        if entry.aside:
            entry.spacer_height = self._keep_in_place(body, height_before, height)
        else:
            entry.spacer_height = 0.0
            self._scroll_past_overflow(body, height_before)
        return True

    def _keep_in_place(self, body: int, height_before: float, height: float) -> float:
        """Make the spacer's height what keeps the document as tall as before, so that
        nothing after it moves: margins between blocks overlap, so the first guess may be
        off by a few pixels (or more, if the width changed since a piece was measured)."""
        moved = self._document_height() - height_before
        if moved:
            height = max(height - moved, 0.0)
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            self._set_spacer_height(cursor, body, height)
            cursor.endEditBlock()
            self._scroll_past_overflow(body, height_before)
        return height

    def _scroll_past_overflow(self, body: int, height_before: float) -> None:
        """The spacer cannot be shorter than nothing (after the view got narrower, the
        pieces brought back are taller than when they were set aside): what it could not
        take up moves the text below; the view, if it shows that text, moves with it."""
        document_height = self._document_height()
        overflow = document_height - height_before
        if overflow <= 0 or self._view_top() < self._top_at(body + 2) - overflow:
            return
        bar = self.verticalScrollBar()
        self._scrolling = True
        try:
            # The scroll bar learns the new height only later: tell it now.
            bar.setMaximum(max(bar.maximum(), round(document_height) - self.height()))
            bar.setValue(bar.value() + round(overflow))
        finally:
            self._scrolling = False

    def _set_spacer_height(
        self, cursor: QTextCursor, body: int, height: float, bottom_margin: float | None = None
    ) -> None:
        cursor.setPosition(body + 1)
        if bottom_margin is None:
            bottom_margin = cursor.block().blockFormat().bottomMargin()
        block_format = QTextBlockFormat()
        # The margin between blocks is the larger of the two blocks' (Qt collapses them):
        # the spacer ends with the last piece's, so the next block stays where it was.
        block_format.setBottomMargin(bottom_margin)
        # A margin, not a fixed line height: Qt places a table after a block by the
        # block's natural height, whatever its line height says.
        block_format.setTopMargin(max(height, 0.0))
        cursor.setBlockFormat(block_format)
        cursor.setBlockCharFormat(QTextCharFormat())
        text_list = cursor.block().textList()
        if text_list is not None:
            text_list.remove(cursor.block())

    def _top_level_frame(self, position: int) -> QTextFrame | None:
        """The table (or other frame) holding ``position`` at the top level, if any."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        frame = cursor.currentFrame()
        root = self.document().rootFrame()
        if frame is None or frame == root:
            return None
        while frame.parentFrame() != root:
            frame = frame.parentFrame()
        return frame

    def _top_at(self, position: int) -> float:
        """Where the top-level block or table holding ``position`` begins on screen."""
        document = self.document()
        layout = document.documentLayout()
        frame = self._top_level_frame(position)
        if frame is None:
            return layout.blockBoundingRect(document.findBlock(position)).top()
        # Below its margin, as a block's rectangle is.
        return layout.frameBoundingRect(frame).top() + frame.frameFormat().topMargin()

    def _bottom_margin_at(self, position: int) -> float:
        """The bottom margin of the top-level block or table holding ``position``."""
        frame = self._top_level_frame(position)
        if frame is None:
            return float(self.document().findBlock(position).blockFormat().bottomMargin())
        return float(frame.frameFormat().bottomMargin())

    def _document_height(self) -> float:
        document = self.document()
        layout = document.documentLayout()
        layout.blockBoundingRect(document.lastBlock())  # lays out what is still waiting
        return layout.documentSize().height()

    def _view_top(self) -> float:
        return float(self.verticalScrollBar().value())

    def _spacers(self) -> list[tuple[int, _Entry]]:
        """Where each spacer is (its block's position), with its message."""
        return [
            (self._section_start(entry, "body") + 1, entry)
            for entry in self._entries.values()
            if entry.aside
        ]

    def _plain_text(self, start: int, end: int) -> str:
        """The document's text from ``start`` to ``end``, with what is set aside in it."""
        parts: list[str] = []
        for spacer, entry in sorted(self._spacers(), key=lambda item: item[0]):
            if not start <= spacer < end:
                continue
            # The spacer's own separator stands for none of the text: each piece's begins
            # with its own.
            parts.append(self._document_text(start, max(start, spacer - 1)))
            parts.append("".join(piece.text for piece in entry.aside))
            start = spacer
        parts.append(self._document_text(start, end))
        return "".join(parts)

    def _document_text(self, start: int, end: int) -> str:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return QTextDocumentFragment(cursor).toPlainText()

    # -- sections -----------------------------------------------------------------------

    def _entry_for(self, key: int, role: Role) -> _Entry:
        """The message's entry, emptied; a new one at the end if the key is new."""
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry(key=key, role=role)
            self._entries[key] = entry
            return entry
        # Remove the whole message at once: count it all as its first section, clear that.
        self._start_cache.clear()
        entry.forget_pieces()
        entry.lengths = {_SECTIONS[0]: entry.length(), **dict.fromkeys(_SECTIONS[1:], 0)}
        self._clear_section(QTextCursor(self.document()), entry, _SECTIONS[0])
        entry.role = role
        return entry

    def _message_start(self, entry: _Entry) -> int:
        # Position 0 is the end of the document's first (always empty) block.
        position = self._start_cache.get(entry.key)
        if position is None:
            position = 0
            for other in self._entries.values():
                if other is entry:
                    break
                position += other.length()
            self._start_cache[entry.key] = position
        return position

    def _grow(self, entry: _Entry, section: str, delta: int) -> None:
        """Record that a section got ``delta`` characters longer (or shorter)."""
        entry.lengths[section] += delta
        if delta and next(reversed(self._entries.values())) is not entry:
            self._start_cache.clear()  # later messages moved

    def _section_start(self, entry: _Entry, section: str) -> int:
        position = self._message_start(entry)
        for name in _SECTIONS:
            if name == section:
                return position
            position += entry.lengths[name]
        raise ValueError(section)

    def _insert_html(self, cursor: QTextCursor, position: int, fragment: str) -> int:
        """Insert block-level HTML as new blocks at ``position``; returns the length added."""
        cursor.setPosition(position)
        # A newline after the last tag would become a space at the end of the last block.
        cursor.insertHtml(_LEAD + fragment.rstrip())
        self._shape_where_needed(position, cursor.position())
        return cursor.position() - position

    def _insert_text(self, cursor: QTextCursor, text: str, char_format: QTextCharFormat) -> None:
        """Insert plain text at the cursor (it may hold line breaks: new blocks)."""
        start = cursor.position()
        cursor.insertText(text, char_format)
        self._shape_where_needed(start, cursor.position())

    def _shape_where_needed(self, start: int, end: int) -> None:
        """Shape the paragraphs from ``start`` to ``end`` whose text needs it (Arabic, emoji
        sequences…): the whole paragraph, so that no run is cut from its context."""
        block = self.document().findBlock(start)
        while block.isValid() and block.position() < end:
            if needs_shaping(block.text()):
                cursor = QTextCursor(block)
                cursor.movePosition(
                    QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                )
                cursor.mergeCharFormat(self._shaped)
            block = block.next()

    def _clear_section(self, cursor: QTextCursor, entry: _Entry, section: str) -> int:
        start = self._section_start(entry, section)
        if section == "body":
            entry.forget_pieces()
        if entry.lengths[section]:
            self._remove(cursor, start, start + entry.lengths[section])
            self._grow(entry, section, -entry.lengths[section])
        return start

    def _remove(self, cursor: QTextCursor, start: int, end: int) -> None:
        """Remove whole blocks: from the separator at ``start`` to the one at ``end``."""
        cursor.setPosition(start)
        before = cursor.block()
        # An empty block (after a table, a rule) merging with the removed blocks takes
        # the last one's format, list included: give it its own back.
        kept = (before.blockFormat(), before.charFormat()) if before.length() == 1 else None
        kept_in_list = before.textList() is not None
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if kept is not None:
            cursor.setBlockFormat(kept[0])
            cursor.setBlockCharFormat(kept[1])
            joined = cursor.block().textList()
            if joined is not None and not kept_in_list:
                joined.remove(cursor.block())

    def _set_section_html(
        self, cursor: QTextCursor, entry: _Entry, section: str, fragment: str
    ) -> None:
        start = self._clear_section(cursor, entry, section)
        if fragment:
            self._grow(entry, section, self._insert_html(cursor, start, fragment))

    def _append_plain(
        self,
        cursor: QTextCursor,
        entry: _Entry,
        section: str,
        text: str,
        char_format: QTextCharFormat,
    ) -> None:
        end = self._section_start(entry, section) + entry.lengths[section]
        cursor.setPosition(end)
        self._insert_text(cursor, text, char_format)
        self._grow(entry, section, cursor.position() - end)

    def _set_header(self, cursor: QTextCursor, entry: _Entry) -> None:
        self._set_section_html(cursor, entry, "header", self._header_html(entry))

    def _render_reasoning(self, cursor: QTextCursor, entry: _Entry) -> None:
        reasoning = entry.reasoning()
        if not reasoning:
            self._set_section_html(cursor, entry, "reasoning", "")
            return
        arrow = "▾" if entry.reasoning_expanded else "▸"
        href = html.escape(zlay_url("toggle-reasoning", entry.key))
        header = (
            f'<p style="margin-top:4px; margin-bottom:2px; font-size:small">'
            f'<a href="{href}">{arrow} Thinking</a></p>'
        )
        self._set_section_html(cursor, entry, "reasoning", header)
        if entry.reasoning_expanded:
            block_format, char_format = self._reasoning_formats()
            end = self._section_start(entry, "reasoning") + entry.lengths["reasoning"]
            cursor.setPosition(end)
            cursor.insertBlock(block_format, char_format)
            self._insert_text(cursor, reasoning, char_format)
            self._grow(entry, "reasoning", cursor.position() - end)

    def _render_tools(
        self, cursor: QTextCursor, entry: _Entry, calls: tuple[ToolCall, ...]
    ) -> None:
        parts: list[str] = []
        theme = self._theme
        for call in calls:
            parts.append(
                f'<p style="margin-top:6px; margin-bottom:0px"><span style="color:{theme.muted}">'
                f"Tool call</span> <b>{html.escape(call.name or '(unnamed)')}</b></p>"
                f'<pre style="background-color:{theme.code_background};'
                f' color:{theme.code_foreground}; margin-top:2px; margin-bottom:6px">'
                f"{html.escape(_pretty_arguments(call.arguments))}</pre>"
            )
        self._set_section_html(cursor, entry, "tools", "".join(parts))

    def _render_refusal(self, cursor: QTextCursor, entry: _Entry, refusal: str) -> None:
        fragment = ""
        if refusal:
            fragment = (
                f'<p style="color:{self._theme.error}"><b>The model refused:</b> '
                f"{html.escape(refusal)}</p>"
            )
        self._set_section_html(cursor, entry, "refusal", fragment)

    # -- HTML and formats ---------------------------------------------------------------

    def _markdown_html(self, key: int, text: str) -> str:
        return render_markdown(text, message_key=key, theme=self._theme)

    def _header_html(self, entry: _Entry) -> str:
        theme = self._theme
        parts = [f"<b>{_ROLE_LABELS.get(entry.role, entry.role.value.title())}</b>"]
        model = entry.model
        if entry.message is not None:
            model = entry.message.model or model
        if model and entry.role is Role.ASSISTANT:
            parts.append(f'<span style="color:{theme.muted}">{html.escape(model)}</span>')
        if entry.live is None:
            actions = [("copy", "Copy")]
            if entry.role is Role.USER:
                actions.append(("edit", "Edit"))
            elif entry.role is Role.ASSISTANT:
                actions.append(("regenerate", "Regenerate"))
            links = " · ".join(
                f'<a href="{html.escape(zlay_url(action, entry.key))}">{label}</a>'
                for action, label in actions
            )
            parts.append(f'<span style="font-size:small">{links}</span>')
        return f'<p style="margin-top:14px; margin-bottom:2px">{" · ".join(parts)}</p>'

    def _waiting_html(self, elapsed_s: float | None) -> str:
        text = "Waiting for first token…"
        if elapsed_s is not None:
            text += f" {int(elapsed_s)} s"
        return f'<p style="font-size:small; color:{self._theme.muted}">{text}</p>'

    def _footer_html(self, key: int, message: Message) -> str:
        theme = self._theme
        lines: list[str] = []

        def action(name: str, label: str) -> str:
            return f'<a href="{html.escape(zlay_url(name, key))}">{label}</a>'

        if message.state is ReplyState.FAILED:
            error = message.error
            words = html.escape(error.message) if error is not None else "The reply failed."
            line = f'<span style="color:{theme.error}"><b>{words}</b></span>'
            if message.content.strip():  # cut off (a reset, a stall): it can go on
                line += " · " + action("continue", "Continue")
            # Even for a rejected key: the user may fix it in Settings and try again.
            line += " · " + action("retry", "Retry")
            if error is not None and error.retry_after:
                line += f" (retry in {error.retry_after:.0f} s)"
            lines.append(line)
        elif message.state is ReplyState.STOPPED:
            line = f'<span style="color:{theme.muted}"><i>Stopped.</i></span>'
            if message.content.strip():
                line += " · " + action("continue", "Continue")
            lines.append(line + " · " + action("retry", "Retry"))
        elif message.state is ReplyState.INTERRUPTED:
            lines.append(
                f'<span style="color:{theme.muted}"><i>Interrupted: the app closed while this'
                " reply was arriving.</i></span> · "
                + action("continue", "Continue")
                + " · "
                + action("retry", "Retry")
            )
        elif message.was_cut:
            lines.append(
                "The answer was cut at the token limit. · " + action("continue", "Continue")
            )
        elif message.finish_reason == "content_filter":
            lines.append(
                f'<span style="color:{theme.error}">The provider\'s content filter ended'
                " the answer.</span>"
            )
        stats = reply_figures(message)
        if stats:
            lines.append(f'<span style="font-size:small; color:{theme.muted}">{stats}</span>')
        return "".join(f'<p style="margin-top:4px; margin-bottom:0px">{line}</p>' for line in lines)

    def _plain_text_html(self, text: str) -> str:
        """A user's words as written: escaped, lines and spaces kept, in a tinted box.

        Of a very long message (a pasted file) only the start is shown: Qt lays out about
        a megabyte a second, all at once. The message itself is whole (Copy, Edit, sent)."""
        more = ""
        if len(text) > SHOWN_USER_CHARS:
            more = (
                f'<p style="color:{self._theme.muted}"><i>… and {len(text) - SHOWN_USER_CHARS:,}'
                " more characters, not shown here (Copy copies the whole message).</i></p>"
            )
            text = text[:SHOWN_USER_CHARS]
        return (
            '<table width="100%" cellpadding="8" cellspacing="0"'
            f' bgcolor="{self._theme.inline_code_background}"><tr><td>'
            # NUL is shown as U+FFFD, as in replies (Markdown does the same).
            f'<p style="white-space:pre-wrap">'
            f'{html.escape(break_long_runs(text).replace(chr(0), chr(0xFFFD)))}</p>'
            f"{more}</td></tr></table>"
        )

    def _reasoning_formats(self) -> tuple[QTextBlockFormat, QTextCharFormat]:
        block_format = QTextBlockFormat()
        block_format.setLeftMargin(12)
        block_format.setBottomMargin(2)
        char_format = QTextCharFormat()
        char_format.setForeground(QColor(self._theme.muted))
        char_format.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
        return block_format, char_format

    def _warm_up_code_font(self) -> None:
        scratch = QTextDocument()
        block_format, char_format = self._code_formats()
        cursor = QTextCursor(scratch)
        cursor.insertBlock(block_format, char_format)
        cursor.insertText("x = 1", char_format)
        scratch.documentLayout().documentSize()  # lays it out: loads the font

    def _code_formats(self) -> tuple[QTextBlockFormat, QTextCharFormat]:
        """An open code block, shown as plain text until its fence closes."""
        block_format = QTextBlockFormat()
        block_format.setNonBreakableLines(True)
        block_format.setBackground(QColor(self._theme.code_background))
        block_format.setTopMargin(2)
        char_format = QTextCharFormat()
        char_format.setFontFamilies(["monospace"])
        char_format.setFontFixedPitch(True)
        char_format.setForeground(QColor(self._theme.code_foreground))
        return block_format, char_format

    # -- theme --------------------------------------------------------------------------

    def _palette_is_dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def _apply_theme_to_document(self) -> None:
        self.document().setDefaultStyleSheet(f"a {{ color: {self._theme.link}; }}")

    def _rebuild(self) -> None:
        """Render every message again (after a theme change)."""
        self.flush()
        entries = list(self._entries.values())
        self._entries.clear()
        self._start_cache.clear()
        self.document().clear()
        for old in entries:
            if old.live is None and old.message is not None:
                self.add_message(old.key, old.message)
                new = self._entries[old.key]
                if old.reasoning_toggled:
                    self._restore_reasoning_state(new, old.reasoning_expanded)
            elif old.live is not None:
                live = old.live
                source = live.source
                self.begin_reply(old.key, old.model, source)
                if not live.waiting:
                    self.append_reasoning(old.key, source.reasoning_text())
                    content, step = source.content_text(), _REBUILT_CHARS_PER_UPDATE
                    for start in range(0, len(content), step):
                        self.append_text(old.key, content[start : start + step])
                        self.flush()  # pieces of a size that can be set aside one by one
                    self.append_refusal(old.key, source.refusal_text())
                    if source.tool_calls():
                        self.tool_calls_changed(old.key)
                new = self._entries[old.key]
                self._restore_reasoning_state(new, old.reasoning_expanded, old.reasoning_toggled)
        self.flush()

    def _restore_reasoning_state(self, entry: _Entry, expanded: bool, toggled: bool = True) -> None:
        entry.reasoning_expanded = expanded
        entry.reasoning_toggled = toggled
        if entry.live is None:
            cursor = QTextCursor(self.document())
            self._render_reasoning(cursor, entry)


def _table_between(before: _Piece, after: _Piece) -> bool:
    """Whether a table ends ``before`` or starts ``after`` (pieces are whole blocks)."""
    return before.html.rstrip().endswith("</table>") or after.html.lstrip().startswith("<table")


def _pretty_arguments(arguments: str) -> str:
    """Tool arguments as indented JSON when they are complete JSON, else as written."""
    try:
        return json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except ValueError:
        return arguments
