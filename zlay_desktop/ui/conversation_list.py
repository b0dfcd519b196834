"""The sidebar: conversations newest first (loaded lazily), search, rename, delete with undo.

The sidebar reads from the store directly for what it shows. The small writes a user makes
here (rename, delete, undo) go through the history's writer thread, in order with the
chat's own saves, never on the GUI thread; it tells the rest of the app through signals.
"""

from __future__ import annotations

import dataclasses
import html
import math
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zlay_desktop.core.background import SerialWorker
from zlay_desktop.core.history import Conversation
from zlay_desktop.core.i18n import QT_TRANSLATE_NOOP
from zlay_desktop.core.store import SearchHit, StoreError
from zlay_desktop.ui.background import BackgroundTasks, report_unexpected

CONVERSATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # the stored title, "" when untitled
UPDATED_AT_ROLE = Qt.ItemDataRole.UserRole + 3  # unix time of the last activity
GROUP_ROLE = Qt.ItemDataRole.UserRole + 5  # "Today", "Yesterday", … (see `date_group`)
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 6  # the line under the title: model, time
RESULT_HTML_ROLE = Qt.ItemDataRole.UserRole + 4  # title and snippet with the hits in <b>

UNTITLED = QT_TRANSLATE_NOOP("ConversationList", "Untitled conversation")
T = TypeVar("T")


def untitled() -> str:
    """What a conversation without a title is called, in the user's language."""
    return QCoreApplication.translate("ConversationList", UNTITLED)

ModelIndex = QModelIndex | QPersistentModelIndex


class ConversationDirectory(Protocol):
    """What the sidebar needs from the history store (`SqliteHistoryStore` has it all)."""

    def count_conversations(self) -> int: ...

    def list_conversations(self, offset: int, limit: int) -> list[Conversation]: ...

    def rename_conversation(self, conversation_id: int, title: str) -> None: ...

    def delete_conversation(self, conversation_id: int) -> bool: ...

    def restore_conversation(self, conversation_id: int) -> bool: ...

    def purge_deleted(self) -> int: ...

    def search(self, query: str, limit: int = 50) -> list[SearchHit]: ...


def storage_failure_handler(report: Callable[[str], None]) -> Callable[[Exception], None]:
    """What a failed history write does: a store error is told in its own words; anything
    else is a bug, for the excepthook."""

    def handle(exc: Exception) -> None:
        if isinstance(exc, StoreError):
            report(exc.message)
        else:
            report_unexpected(exc)

    return handle


def displayable(text: str) -> str:
    """Lone surrogates as U+FFFD, shown instead of lost.

    WORKAROUND (PySide6 6.9-6.12): converting a str to a QString silently drops them."""
    if text.isascii():
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def date_group(timestamp: float, now: float | None = None) -> str:
    """The sidebar's group for a conversation last active at `timestamp` (local time):
    Today, Yesterday, Previous 7 days, then one group per month."""
    import datetime as dt

    when = dt.datetime.fromtimestamp(timestamp)
    today = dt.datetime.fromtimestamp(time.time() if now is None else now).date()
    days = (today - when.date()).days
    if days <= 0:
        return QCoreApplication.translate("ConversationList", "Today")
    if days == 1:
        return QCoreApplication.translate("ConversationList", "Yesterday")
    if days < 7:
        return QCoreApplication.translate("ConversationList", "Previous 7 days")
    # The month's name and the year, in the order and words of the user's language.
    month_format = QCoreApplication.translate("ConversationList", "MMMM yyyy", "date format")
    return QLocale().toString(QDate(when.year, when.month, 1), month_format)


def _detail(conversation: Conversation) -> str:
    """The line under a title: the model, and when it was last active (the time today, the
    date before)."""
    moment = QDateTime.fromSecsSinceEpoch(int(conversation.updated_at))
    locale = QLocale()
    if moment.date() == QDate.currentDate():
        when = locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    else:
        when = locale.toString(moment.date(), QLocale.FormatType.ShortFormat)
    model = conversation.params.model if conversation.params is not None else ""
    return f"{displayable(model)} · {when}" if model else when


def _format_time(timestamp: float) -> str:
    moment = QDateTime.fromSecsSinceEpoch(int(timestamp))
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def _marked_html(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    parts: list[str] = []
    last = 0
    for start, end in marks:
        parts += [html.escape(text[last:start]), "<b>", html.escape(text[start:end]), "</b>"]
        last = end
    parts.append(html.escape(text[last:]))
    return displayable("".join(parts))


class ConversationListModel(QAbstractListModel):
    """Conversations, newest first, fetched from the store a page at a time."""

    storage_failed = Signal(str)
    conversation_renamed = Signal(int, str)

    def __init__(
        self,
        store: ConversationDirectory,
        writer: SerialWorker,
        parent: QObject | None = None,
        *,
        page_size: int = 100,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._writer = writer
        self._background = BackgroundTasks(self)
        self._page_size = page_size
        self._rows: list[Conversation] = []
        self._ids: set[int] = set()
        self._total = 0
        self.refresh()

    # -- loading

    def refresh(self) -> None:
        """Reloads from the store, keeping as many rows loaded as before."""
        wanted = max(self._page_size, len(self._rows))
        try:
            total = self._store.count_conversations()
            rows = self._store.list_conversations(0, wanted)
        except StoreError as exc:
            self.storage_failed.emit(exc.message)
            return
        self.beginResetModel()
        self._rows = rows
        self._ids = {c.id for c in rows}
        self._total = max(total, len(rows))
        self.endResetModel()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        try:
            page = self._store.list_conversations(len(self._rows), self._page_size)
        except StoreError as exc:
            self._total = len(self._rows)  # stop asking until the next refresh
            self.storage_failed.emit(exc.message)
            return
        # Offsets shift when a conversation moves to the top between pages: skip repeats.
        fresh = [c for c in page if c.id not in self._ids]
        if not fresh:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self._ids.update(c.id for c in fresh)
        self.endInsertRows()

    # -- lookups

    def conversation_at(self, row: int) -> Conversation | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, conversation_id: int) -> int | None:
        """The row of a loaded conversation (None when not loaded yet, or gone)."""
        if conversation_id not in self._ids:
            return None
        return next(i for i, c in enumerate(self._rows) if c.id == conversation_id)

    @property
    def total(self) -> int:
        """How many conversations there are, loaded or not."""
        return self._total

    # -- Qt model interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        conversation = self.conversation_at(index.row()) if index.isValid() else None
        if conversation is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return displayable(conversation.title) or untitled()
        if role == Qt.ItemDataRole.EditRole:
            return displayable(conversation.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            title = displayable(conversation.title) or untitled()
            return f"{title}\n" + self.tr("Last active {0}").format(
                _format_time(conversation.updated_at)
            )
        if role == CONVERSATION_ID_ROLE:
            return conversation.id
        if role == TITLE_ROLE:
            return conversation.title
        if role == UPDATED_AT_ROLE:
            return conversation.updated_at
        if role == GROUP_ROLE:
            return date_group(conversation.updated_at)
        if role == DETAIL_ROLE:
            return _detail(conversation)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            title = displayable(conversation.title) or untitled()
            return f"{title}, {_detail(conversation)}"
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid():
            flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def setData(
        self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Renames (inline editing): shown at once, saved in the background, and put back
        with a message if it cannot be saved. An empty or unchanged title is not a rename."""
        conversation = self.conversation_at(index.row()) if index.isValid() else None
        if conversation is None or role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        title = value.strip()
        if not title or title == displayable(conversation.title):
            return False
        self._set_title(conversation.id, title)
        store, conversation_id = self._store, conversation.id
        report = storage_failure_handler(self.storage_failed.emit)

        def saved(_: None) -> None:
            self._set_title(conversation_id, title)  # (a refresh meanwhile read the old one)
            self.conversation_renamed.emit(conversation_id, title)

        def failed(exc: Exception) -> None:
            row = self.row_of(conversation_id)
            if row is not None and self._rows[row].title == title:  # not renamed again since
                self._set_title(conversation_id, conversation.title)
            report(exc)

        self._background.start_in_thread(
            self._writer,
            lambda: store.rename_conversation(conversation_id, title),
            on_success=saved,
            on_failure=failed,
        )
        return True

    def _set_title(self, conversation_id: int, title: str) -> None:
        row = self.row_of(conversation_id)
        if row is None:
            return
        self._rows[row] = dataclasses.replace(self._rows[row], title=title)
        index = self.index(row)
        self.dataChanged.emit(index, index)


class SearchResultsModel(QAbstractListModel):
    """The conversations a search found, best first, with their hits marked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit_at(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def where(self, hit: SearchHit) -> str:
        """Where the snippet is from, when that is an attached document's text."""
        if not hit.in_file:
            return ""
        return "📎 " + self.tr("in %1: ").replace("%1", displayable(hit.in_file))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        hit = self.hit_at(index.row()) if index.isValid() else None
        if hit is None:
            return None
        title = displayable(hit.title) or untitled()
        where = self.where(hit)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            snippet = displayable(hit.snippet)
            return f"{title}\n{where}{snippet}" if snippet else title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{title}\n" + self.tr("Last active {0}").format(_format_time(hit.updated_at))
        if role == RESULT_HTML_ROLE:
            title_html = _marked_html(hit.title, hit.title_marks) if hit.title else untitled()
            if not hit.snippet:
                return title_html
            snippet_html = _marked_html(hit.snippet, hit.snippet_marks)
            return f"{title_html}<br><small>{html.escape(where)}{snippet_html}</small>"
        if role == CONVERSATION_ID_ROLE:
            return hit.conversation_id
        if role == UPDATED_AT_ROLE:
            return hit.updated_at
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid():
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags


class ConversationDelegate(QStyledItemDelegate):
    """A conversation as two lines (title; model and time), under the name of its date group
    when it is the first of that group, with a "⋯" button for its actions on hover."""

    actions_requested = Signal(int, QPoint)  # the row, where its button is (viewport)

    _PADDING = 6
    _BUTTON = 22

    def _is_group_start(self, index: ModelIndex) -> bool:
        if index.row() == 0:
            return True
        above = index.sibling(index.row() - 1, 0)
        return bool(above.data(GROUP_ROLE) != index.data(GROUP_ROLE))

    def _header_height(self, option: QStyleOptionViewItem, index: ModelIndex) -> int:
        if not self._is_group_start(index):
            return 0
        return option.fontMetrics.height() + 2 * self._PADDING

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        lines = option.fontMetrics.height() * 2 + self._PADDING * 2
        return QSize(200, lines + self._header_height(option, index))

    def button_rect(self, option: QStyleOptionViewItem, index: ModelIndex) -> QRect:
        """Where the "⋯" button of the row is."""
        rect = option.rect.adjusted(0, self._header_height(option, index), 0, 0)
        size = self._BUTTON
        return QRect(
            rect.right() - size - self._PADDING, rect.center().y() - size // 2, size, size
        )

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        header = self._header_height(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        palette = opt.palette
        painter.save()
        if header:
            small = QFont(opt.font)
            small.setPointSizeF(max(small.pointSizeF() * 0.85, 6.0))
            small.setBold(True)
            painter.setFont(small)
            painter.setPen(palette.color(palette.ColorRole.PlaceholderText))
            painter.drawText(
                opt.rect.adjusted(self._PADDING, self._PADDING, -self._PADDING, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                str(index.data(GROUP_ROLE) or ""),
            )
        item = QStyleOptionViewItem(opt)
        item.rect = opt.rect.adjusted(0, header, 0, 0)
        item.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        hovered = bool(opt.state & QStyle.StateFlag.State_MouseOver)
        text_color = palette.color(
            palette.ColorRole.HighlightedText if selected else palette.ColorRole.Text
        )
        right = self._BUTTON + 2 * self._PADDING if hovered else self._PADDING
        area = item.rect.adjusted(self._PADDING, self._PADDING, -right, -self._PADDING)
        line = opt.fontMetrics.height()
        painter.setFont(opt.font)
        painter.setPen(text_color)
        title = opt.fontMetrics.elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            area.width(),
        )
        painter.drawText(QRect(area.left(), area.top(), area.width(), line), 0, title)
        detail_color = QColor(text_color)
        detail_color.setAlphaF(0.65)
        painter.setPen(detail_color)
        detail = opt.fontMetrics.elidedText(
            str(index.data(DETAIL_ROLE) or ""), Qt.TextElideMode.ElideRight, area.width()
        )
        painter.drawText(QRect(area.left(), area.top() + line, area.width(), line), 0, detail)
        if hovered:
            painter.setPen(text_color)
            painter.drawText(
                self.button_rect(opt, index), Qt.AlignmentFlag.AlignCenter, "⋯"
            )
        painter.restore()

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        if (
            event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease)
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            button = self.button_rect(option, index)
            if button.contains(event.position().toPoint()):
                # The press too: it must not select (and so open) the row.
                if event.type() == QEvent.Type.MouseButtonRelease:
                    self.actions_requested.emit(index.row(), button.bottomLeft())
                return True
        return super().editorEvent(event, model, option, index)


class HighlightDelegate(QStyledItemDelegate):
    """Paints `RESULT_HTML_ROLE` as rich text, so the hits show in bold."""

    def _document(self, option: QStyleOptionViewItem, index: ModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(option.font)
        doc.setHtml(str(index.data(RESULT_HTML_ROLE) or ""))
        width = option.rect.width()
        if width > 0:
            doc.setTextWidth(width)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        role = palette.ColorRole.HighlightedText if selected else palette.ColorRole.Text
        context.palette.setColor(palette.ColorRole.Text, palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(opt.rect.translated(-opt.rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class ConversationSidebar(QWidget):
    """Search field, conversation list, and an undo bar after a deletion."""

    conversation_selected = Signal(int)
    # conversation id, message id: a search hit in a message was opened (just before
    # `conversation_selected`): the path shown goes through that message
    hit_opened = Signal(int, int)
    # A search hit opened (after `conversation_selected`): the conversation, its matching
    # message's id, the words searched.
    search_hit_opened = Signal(int, int, str)
    new_conversation_requested = Signal()
    conversation_renamed = Signal(int, str)
    conversation_deleted = Signal(int)  # hidden, undo offered; final after the undo expires
    conversation_restored = Signal(int)  # the user pressed Undo
    export_requested = Signal(int)  # the user asked to export this conversation
    conversation_purged = Signal(int)  # a deletion became final (no undo any more)
    storage_failed = Signal(str)  # a StoreError's message, for the user

    def __init__(
        self,
        store: ConversationDirectory,
        writer: SerialWorker,
        parent: QWidget | None = None,
        *,
        undo_timeout_ms: int = 10_000,
        search_delay_ms: int = 150,
        page_size: int = 100,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._writer = writer
        self._background = BackgroundTasks(self)
        self._report_failure = storage_failure_handler(self.storage_failed.emit)
        self._current_id: int | None = None
        self._quiet = False  # set while the selection changes by program, not by the user
        self._pending_delete: int | None = None

        self._model = ConversationListModel(store, writer, self, page_size=page_size)
        self._model.storage_failed.connect(self.storage_failed)
        self._model.conversation_renamed.connect(self._on_renamed)
        self._results = SearchResultsModel(self)

        self.search_field = QLineEdit(self)
        self.search_field.setAccessibleName(self.tr("Search conversations"))
        self.search_field.setPlaceholderText(self.tr("Search"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.installEventFilter(self)

        self.new_button = QToolButton(self)
        self.new_button.setText(self.tr("New"))
        self.new_button.setAccessibleName(self.tr("New conversation"))
        self.new_button.setToolTip(self.tr("New conversation"))
        self.new_button.clicked.connect(self.new_conversation_requested)

        self.list_view = QListView(self)
        self.list_view.setAccessibleName(self.tr("Conversations"))
        self.list_view.setModel(self._model)
        # Rows differ in height (a group's first row carries the group's name); rows are
        # loaded a page at a time, so only the loaded ones are measured.
        self.list_view.setUniformItemSizes(False)
        self.list_view.setMouseTracking(True)  # the "⋯" button shows on hover
        self.delegate = ConversationDelegate(self.list_view)
        self.delegate.actions_requested.connect(self._show_row_actions)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self._show_context_menu)
        self.list_view.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        # A click opens the conversation even when its row is already selected.
        self.list_view.clicked.connect(lambda _index: self._on_list_selection_changed())
        self._model.modelReset.connect(self._reselect)

        self.results_view = QListView(self)
        self.results_view.setAccessibleName(self.tr("Search results"))
        self.results_view.setModel(self._results)
        self.results_view.setItemDelegate(HighlightDelegate(self.results_view))
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setWordWrap(True)
        self.results_view.selectionModel().selectionChanged.connect(
            self._on_result_selection_changed
        )
        self.no_results_label = QLabel(self)
        self.no_results_label.setWordWrap(True)
        self.no_results_label.hide()

        results_page = QWidget(self)
        results_layout = QVBoxLayout(results_page)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.no_results_label)
        results_layout.addWidget(self.results_view, 1)
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self.list_view)
        self._pages.addWidget(results_page)

        self.undo_bar = QFrame(self)
        self.undo_bar.setAccessibleName(self.tr("Conversation deleted"))
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.undo_label = QLabel(self.undo_bar)
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"), self.undo_bar)
        self.undo_button.setAccessibleName(self.tr("Undo delete"))
        self.undo_button.setToolTip(self.tr("Undo delete (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_delete)
        # Ctrl+Z in the sidebar (where the deletion was made); in the composer it still
        # undoes typing.
        self.undo_action = QAction(self.tr("Undo delete"), self)
        self.undo_action.setShortcut(Qt.Key.Key_Z | Qt.KeyboardModifier.ControlModifier)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        self.addAction(self.undo_action)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(6, 4, 6, 4)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(undo_timeout_ms)
        self._undo_timer.timeout.connect(self.finish_pending_delete)
        self._undo_title = ""
        # The time left is shown, not a silent window: a tick a second updates it.
        self._undo_tick = QTimer(self)
        self._undo_tick.setInterval(1000)
        self._undo_tick.timeout.connect(self._show_undo_offer)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(search_delay_ms)  # search once typing pauses
        self._search_timer.timeout.connect(self._run_search)
        self.search_field.textChanged.connect(self._on_search_text_changed)
        self.search_field.returnPressed.connect(self._open_first_result)

        # Keyboard: F2 renames, Delete deletes the current conversation; Escape clears search.
        self.rename_action = QAction(self.tr("Rename"), self.list_view)
        self.rename_action.setShortcut(Qt.Key.Key_F2)
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.rename_action.triggered.connect(self._rename_current)
        self.delete_action = QAction(self.tr("Delete"), self.list_view)
        self.delete_action.setShortcut(Qt.Key.Key_Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._delete_current)
        self.list_view.addActions([self.rename_action, self.delete_action])
        # Escape in the search field clears it (see eventFilter): not a shortcut, which
        # would be ambiguous with the window's Esc that stops a reply.

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_field, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self.undo_bar)

    # -- public

    @property
    def model(self) -> ConversationListModel:
        return self._model

    @property
    def results_model(self) -> SearchResultsModel:
        return self._results

    @property
    def current_conversation_id(self) -> int | None:
        return self._current_id

    @property
    def is_searching(self) -> bool:
        return self._pages.currentIndex() == 1

    def refresh(self) -> None:
        """Reloads the list (after a new conversation or message) and any shown search."""
        self._model.refresh()
        if self.is_searching:
            self._run_search()

    def select_conversation(self, conversation_id: int | None) -> None:
        """Marks the open conversation in the list (none: a new one), without emitting
        `conversation_selected`."""
        self._current_id = conversation_id or None
        self._reselect()

    @property
    def busy(self) -> bool:
        """A write is on its way to the history (its result not yet shown)."""
        return self._background.busy

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def start_rename(self, conversation_id: int) -> None:
        """Opens the inline title editor on a conversation."""
        row = self._model.row_of(conversation_id)
        if row is None:
            return
        index = self._model.index(row)
        self.list_view.scrollTo(index)
        self.list_view.edit(index)

    def delete_conversation(self, conversation_id: int) -> None:
        """Hides the conversation and offers Undo until the timeout or the next deletion."""
        self.finish_pending_delete()
        row = self._model.row_of(conversation_id)
        conversation = self._model.conversation_at(row) if row is not None else None
        store = self._store

        def deleted(done: bool) -> None:
            if not done:
                return
            self._pending_delete = conversation_id
            if self._current_id == conversation_id:
                self._current_id = None
            title = displayable(conversation.title) if conversation else ""
            self._undo_title = title or untitled()
            self._undo_timer.start()
            self._undo_tick.start()
            self._show_undo_offer()
            self.undo_bar.show()
            self.undo_action.setEnabled(True)
            self.refresh()
            self.conversation_deleted.emit(conversation_id)

        self._write(lambda: store.delete_conversation(conversation_id), deleted)

    def undo_delete(self) -> None:
        conversation_id = self._pending_delete
        self._end_undo_offer()
        if conversation_id is None:
            return
        store = self._store

        def restored(done: bool) -> None:
            if done:
                self.refresh()
                self.conversation_restored.emit(conversation_id)
                # Back where it was: selected, and open again.
                self._current_id = conversation_id
                self._reselect()
                self.conversation_selected.emit(conversation_id)

        self._write(lambda: store.restore_conversation(conversation_id), restored)

    def finish_pending_delete(self) -> None:
        """Makes a deletion final (the undo offer ends)."""
        pending = self._pending_delete
        self._end_undo_offer()
        if pending is None:
            return
        purged = self.conversation_purged
        self._write(self._store.purge_deleted, lambda _count: purged.emit(pending))

    async def aclose(self) -> None:
        """Makes a pending deletion final and lets the writes already asked for land."""
        self.finish_pending_delete()
        await self._background.aclose(cancel=False)

    def _show_undo_offer(self) -> None:
        timer = self._undo_timer
        # (A coarse timer may report a little more than its interval just after starting.)
        left_ms = min(timer.remainingTime(), timer.interval())
        seconds = max(1, math.ceil(left_ms / 1000))
        self.undo_label.setText(
            self.tr("Deleted “%1”. Undo within %2 s (Ctrl+Z).")
            .replace("%1", self._undo_title)
            .replace("%2", str(seconds))
        )

    def _write(self, change: Callable[[], T], done: Callable[[T], None]) -> None:
        """Runs a store write on the history's writer thread; `done` gets its result here."""
        self._background.start_in_thread(
            self._writer, change, on_success=done, on_failure=self._report_failure
        )

    # -- internals

    def _end_undo_offer(self) -> None:
        self._pending_delete = None
        self._undo_timer.stop()
        self._undo_tick.stop()
        self.undo_action.setEnabled(False)
        self.undo_bar.hide()

    def context_menu_for(self, pos: QPoint) -> QMenu | None:
        """The menu for the list item at `pos` (viewport coordinates), or None."""
        index = self.list_view.indexAt(pos)
        conversation_id = index.data(CONVERSATION_ID_ROLE) if index.isValid() else None
        if not isinstance(conversation_id, int):
            return None
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Rename"), lambda: self.start_rename(conversation_id))
        menu.addAction(
            self.tr("Export as Markdown…"), lambda: self.export_requested.emit(conversation_id)
        )
        menu.addAction(self.tr("Delete"), lambda: self.delete_conversation(conversation_id))
        return menu

    def _show_row_actions(self, row: int, pos: QPoint) -> None:
        menu = self.context_menu_for(self.list_view.visualRect(self._model.index(row)).center())
        if menu is not None:
            menu.popup(self.list_view.viewport().mapToGlobal(pos))

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu_for(pos)
        if menu is not None:
            menu.popup(self.list_view.viewport().mapToGlobal(pos))  # not exec(): no nested loop

    def _current_list_id(self) -> int | None:
        value = self.list_view.currentIndex().data(CONVERSATION_ID_ROLE)
        return value if isinstance(value, int) else None

    def _rename_current(self) -> None:
        conversation_id = self._current_list_id()
        if conversation_id is not None:
            self.start_rename(conversation_id)

    def _delete_current(self) -> None:
        conversation_id = self._current_list_id()
        if conversation_id is not None:
            self.delete_conversation(conversation_id)

    def _on_renamed(self, conversation_id: int, title: str) -> None:
        self.conversation_renamed.emit(conversation_id, title)

    def _reselect(self) -> None:
        row = None if self._current_id is None else self._model.row_of(self._current_id)
        self._quiet = True
        try:
            if row is None:
                self.list_view.selectionModel().clearCurrentIndex()
                self.list_view.clearSelection()
            else:
                self.list_view.setCurrentIndex(self._model.index(row))
        finally:
            self._quiet = False

    @staticmethod
    def _selected_id(view: QListView) -> int | None:
        # Selection, not the current index, is the user's choice: a view that gains the
        # focus makes its first row current without selecting it, and that must not open it.
        rows = view.selectionModel().selectedRows()
        value = rows[0].data(CONVERSATION_ID_ROLE) if rows else None
        return value if isinstance(value, int) else None

    def _on_list_selection_changed(self) -> None:
        conversation_id = self._selected_id(self.list_view)
        if self._quiet or conversation_id is None or conversation_id == self._current_id:
            return
        self._current_id = conversation_id
        self.conversation_selected.emit(conversation_id)

    def _on_result_selection_changed(self) -> None:
        conversation_id = self._selected_id(self.results_view)
        if conversation_id is not None:
            self._current_id = conversation_id
            rows = self.results_view.selectionModel().selectedRows()
            hit = self._results.hit_at(rows[0].row()) if rows else None
            if hit is not None and hit.message_id is not None:
                self.hit_opened.emit(conversation_id, hit.message_id)
            self.conversation_selected.emit(conversation_id)
            rows = self.results_view.selectionModel().selectedRows()
            hit = self._results.hit_at(rows[0].row()) if rows else None
            if hit is not None and hit.message_id is not None:
                self.search_hit_opened.emit(
                    conversation_id, hit.message_id, self.search_field.text()
                )

    def _on_search_text_changed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
            return
        self._search_timer.stop()
        self._results.set_hits([])
        self._reselect()  # before the list shows (and may take the focus)
        self._pages.setCurrentIndex(0)

    def _run_search(self) -> None:
        query = self.search_field.text()
        if not query.strip():
            return
        try:
            hits = self._store.search(query, 50)
        except StoreError as exc:
            self.storage_failed.emit(exc.message)
            return
        self._results.set_hits(hits)
        self.no_results_label.setText(
            self.tr("No conversations match “{0}”.").format(displayable(query.strip()))
        )
        self.no_results_label.setVisible(not hits)
        self._pages.setCurrentIndex(1)

    def _open_first_result(self) -> None:
        if self._search_timer.isActive():  # Enter before the pause: search now
            self._search_timer.stop()
            self._run_search()
        if self.is_searching and self._results.rowCount() > 0:
            self.results_view.setCurrentIndex(self._results.index(0))
            self.results_view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.search_field or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if key == Qt.Key.Key_Escape and self.search_field.text():
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # Esc is the search field's here, not the window's Stop
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.search_field.clear()
                return True
        # Down arrow in the search field moves into the list below it.
        if event.type() == QEvent.Type.KeyPress and key == Qt.Key.Key_Down:
            view = self.results_view if self.is_searching else self.list_view
            view.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)
