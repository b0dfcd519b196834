"""The conversation sidebar and its models, over a real history database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QListView

from zlay_desktop.core.background import SerialWorker
from zlay_desktop.core.export import ExportedConversation
from zlay_desktop.core.history import Conversation
from zlay_desktop.core.models import Message, Role
from zlay_desktop.core.store import SearchHit, SqliteHistoryStore, StoreError, StoreErrorKind
from zlay_desktop.ui.conversation_list import (
    CONVERSATION_ID_ROLE,
    GROUP_ROLE,
    RESULT_HTML_ROLE,
    TITLE_ROLE,
    UPDATED_AT_ROLE,
    ConversationDirectory,
    ConversationListModel,
    ConversationSidebar,
    SearchResultsModel,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteHistoryStore]:
    with SqliteHistoryStore.open(db_path) as opened:
        yield opened


def _fill(store: SqliteHistoryStore, count: int) -> None:
    """`count` conversations "c0" (oldest) … "c{count-1}" (newest), in one transaction."""
    store.import_conversations(
        ExportedConversation(
            Conversation(0, f"c{i}", created_at=1000.0 + i, updated_at=1000.0 + i), ()
        )
        for i in range(count)
    )


def _titles(view: QListView) -> list[str]:
    model = view.model()
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


# The history's writer thread, as the app has one (idle between tests).
WRITER = SerialWorker("test-history-writer")


def _sidebar(qtbot: Any, store: ConversationDirectory, **options: Any) -> ConversationSidebar:
    sidebar = ConversationSidebar(store, WRITER, search_delay_ms=0, **options)
    qtbot.addWidget(sidebar)
    sidebar.resize(320, 600)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    return sidebar


def _click_row(qtbot: Any, view: QListView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _menu_action(sidebar: ConversationSidebar, row: int, text: str) -> None:
    """Right-click a row, then choose `text` from its context menu."""
    pos = sidebar.list_view.visualRect(sidebar.model.index(row)).center()
    menu = sidebar.context_menu_for(pos)
    assert menu is not None
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == ["Rename", "Export as Markdown…", "Delete"]
    actions[text].trigger()
    menu.close()


# --- models -----------------------------------------------------------------------------------


def test_the_list_model_passes_the_model_tester(
    qtmodeltester: Any, store: SqliteHistoryStore
) -> None:
    _fill(store, 250)
    model = ConversationListModel(store, WRITER, page_size=100)
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_the_results_model_passes_the_model_tester(
    qtmodeltester: Any, store: SqliteHistoryStore
) -> None:
    conv = store.create_conversation("Bread", None, None)
    store.append_message(conv.id, Message(Role.USER, "bread & <butter>"))
    model = SearchResultsModel()
    model.set_hits(store.search("bread"))
    qtmodeltester.check(model)


def test_the_list_model_gives_newest_first_with_its_roles(store: SqliteHistoryStore) -> None:
    _fill(store, 3)
    untitled = store.create_conversation("", None, None)
    model = ConversationListModel(store, WRITER)
    index = model.index(0)
    assert index.data() == "Untitled conversation"
    assert index.data(TITLE_ROLE) == ""
    assert index.data(CONVERSATION_ID_ROLE) == untitled.id
    assert index.data(UPDATED_AT_ROLE) == untitled.updated_at
    assert "Last active" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert [model.index(r).data() for r in range(1, 4)] == ["c2", "c1", "c0"]


def test_lazy_loading_keeps_ten_thousand_conversations_cheap(
    qtbot: Any, store: SqliteHistoryStore
) -> None:
    _fill(store, 10_000)
    sidebar = _sidebar(qtbot, store)
    model = sidebar.model
    assert model.total == 10_000
    assert model.rowCount() == 100
    assert _titles(sidebar.list_view)[:2] == ["c9999", "c9998"]

    sidebar.list_view.scrollToBottom()  # the view asks for more at the end of the list
    qtbot.waitUntil(lambda: model.rowCount() == 200)
    sidebar.list_view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 300)
    assert _titles(sidebar.list_view)[299] == "c9700"
    assert len(set(_titles(sidebar.list_view))) == 300

    sidebar.refresh()  # keeps what was loaded, not more
    assert model.rowCount() == 300


def test_a_conversation_moving_to_the_top_between_pages_is_not_listed_twice(
    store: SqliteHistoryStore,
) -> None:
    _fill(store, 150)
    model = ConversationListModel(store, WRITER)
    assert model.rowCount() == 100 and model.index(99).data() == "c50"
    # The oldest conversation, not loaded yet, gets a message: every offset shifts by one.
    oldest = store.list_conversations(149, 1)[0]
    store.append_message(oldest.id, Message(Role.USER, "bump"))
    model.fetchMore(QModelIndex())
    ids = [model.index(r).data(CONVERSATION_ID_ROLE) for r in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == 149  # c50 came again and was skipped
    model.refresh()
    assert model.index(0).data() == "c0"
    assert (model.rowCount(), model.total) == (149, 150)
    model.fetchMore(QModelIndex())
    assert model.index(149).data() == "c1"


# --- selecting and creating -------------------------------------------------------------------


def test_clicking_a_conversation_selects_it(qtbot: Any, store: SqliteHistoryStore) -> None:
    _fill(store, 5)
    sidebar = _sidebar(qtbot, store)
    expected = sidebar.model.index(2).data(CONVERSATION_ID_ROLE)
    with qtbot.waitSignal(sidebar.conversation_selected) as selected:
        _click_row(qtbot, sidebar.list_view, 2)
    assert selected.args == [expected]
    assert sidebar.current_conversation_id == expected


def test_tabbing_into_the_list_opens_nothing(qtbot: Any, store: SqliteHistoryStore) -> None:
    _fill(store, 3)
    sidebar = _sidebar(qtbot, store)
    emitted: list[int] = []
    sidebar.conversation_selected.connect(emitted.append)
    sidebar.activateWindow()
    sidebar.list_view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(sidebar.list_view.hasFocus)
    assert sidebar.list_view.currentIndex().isValid()  # Qt puts the cursor on the first row
    assert emitted == [] and sidebar.current_conversation_id is None
    qtbot.keyClick(sidebar.list_view, Qt.Key.Key_Down)  # moving with the keyboard chooses
    assert emitted == [sidebar.model.index(1).data(CONVERSATION_ID_ROLE)]


def test_the_new_button_asks_for_a_new_conversation(qtbot: Any, store: SqliteHistoryStore) -> None:
    sidebar = _sidebar(qtbot, store)
    assert sidebar.new_button.accessibleName() == "New conversation"
    with qtbot.waitSignal(sidebar.new_conversation_requested):
        qtbot.mouseClick(sidebar.new_button, Qt.MouseButton.LeftButton)


def test_select_conversation_marks_it_quietly_and_survives_refresh(
    qtbot: Any, store: SqliteHistoryStore
) -> None:
    _fill(store, 5)
    sidebar = _sidebar(qtbot, store)
    emitted: list[int] = []
    sidebar.conversation_selected.connect(emitted.append)
    new = store.create_conversation("just made", None, None)
    sidebar.refresh()
    sidebar.select_conversation(new.id)
    assert sidebar.list_view.currentIndex().data() == "just made"
    store.create_conversation("another", None, None)
    sidebar.refresh()
    assert sidebar.list_view.currentIndex().data() == "just made"
    assert emitted == []


def test_accessible_names_for_screen_readers(qtbot: Any, store: SqliteHistoryStore) -> None:
    sidebar = _sidebar(qtbot, store)
    assert sidebar.search_field.accessibleName() == "Search conversations"
    assert sidebar.list_view.accessibleName() == "Conversations"
    assert sidebar.results_view.accessibleName() == "Search results"


def test_awkward_titles_are_shown_not_dropped(store: SqliteHistoryStore) -> None:
    store.create_conversation("odd \ud800 title \x00 end", None, None)
    model = ConversationListModel(store, WRITER)
    assert model.index(0).data() == "odd \ufffd title \x00 end"


# --- rename -----------------------------------------------------------------------------------


def test_rename_from_the_context_menu_edits_inline(qtbot: Any, store: SqliteHistoryStore) -> None:
    _fill(store, 3)
    sidebar = _sidebar(qtbot, store)
    conversation_id = sidebar.model.index(1).data(CONVERSATION_ID_ROLE)
    _menu_action(sidebar, 1, "Rename")
    editor = sidebar.list_view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "c1"
    editor.selectAll()
    qtbot.keyClicks(editor, "  Holiday plans ")
    with qtbot.waitSignal(sidebar.conversation_renamed) as renamed:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert renamed.args == [conversation_id, "Holiday plans"]
    assert _titles(sidebar.list_view) == ["c2", "Holiday plans", "c0"]  # same place
    assert store.get_conversation(conversation_id) is not None
    assert store.get_conversation(conversation_id).title == "Holiday plans"  # type: ignore[union-attr]


def test_an_empty_title_is_not_a_rename(store: SqliteHistoryStore) -> None:
    _fill(store, 1)
    model = ConversationListModel(store, WRITER)
    assert not model.setData(model.index(0), "   ")
    assert not model.setData(model.index(0), "c0")
    assert model.index(0).data() == "c0"


def test_a_rename_that_cannot_be_saved_says_why_and_keeps_the_title(
    qtbot: Any, db_path: Path
) -> None:
    with SqliteHistoryStore.open(db_path) as writable:
        _fill(writable, 2)
    with SqliteHistoryStore.open(db_path, read_only=True) as read_only:
        sidebar = _sidebar(qtbot, read_only)
        with qtbot.waitSignal(sidebar.storage_failed) as failed:
            sidebar.model.setData(sidebar.model.index(0), "New name")
        assert "read-only" in failed.args[0]
        assert _titles(sidebar.list_view) == ["c1", "c0"]  # the old title is back


# --- delete and undo --------------------------------------------------------------------------


def test_delete_offers_undo_and_undo_brings_it_back(qtbot: Any, store: SqliteHistoryStore) -> None:
    _fill(store, 3)
    sidebar = _sidebar(qtbot, store)
    conversation_id = sidebar.model.index(0).data(CONVERSATION_ID_ROLE)
    with qtbot.waitSignal(sidebar.conversation_deleted) as deleted:
        _menu_action(sidebar, 0, "Delete")
    assert deleted.args == [conversation_id]
    assert _titles(sidebar.list_view) == ["c1", "c0"]
    assert sidebar.undo_bar.isVisible()
    assert sidebar.undo_label.text() == "Deleted “c2”. Undo within 10 s (Ctrl+Z)."

    with qtbot.waitSignal(sidebar.conversation_restored) as restored:
        qtbot.mouseClick(sidebar.undo_button, Qt.MouseButton.LeftButton)
    assert restored.args == [conversation_id]
    assert _titles(sidebar.list_view) == ["c2", "c1", "c0"]
    assert not sidebar.undo_bar.isVisible()


def test_ctrl_z_undoes_a_deletion_shows_the_time_left_and_reopens_it(
    qtbot: Any, store: SqliteHistoryStore
) -> None:
    _fill(store, 2)
    sidebar = _sidebar(qtbot, store, undo_timeout_ms=10_000)
    sidebar.activateWindow()
    _click_row(qtbot, sidebar.list_view, 0)
    qtbot.waitUntil(sidebar.list_view.hasFocus)
    conversation_id = sidebar.current_conversation_id
    with qtbot.waitSignal(sidebar.conversation_deleted):
        qtbot.keyClick(sidebar.list_view, Qt.Key.Key_Delete)
    assert "within 10 s" in sidebar.undo_label.text()
    qtbot.waitUntil(lambda: "within 9 s" in sidebar.undo_label.text())  # it counts down
    with qtbot.waitSignal(sidebar.conversation_selected) as reopened:
        qtbot.keyClick(sidebar.list_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert reopened.args == [conversation_id]
    assert sidebar.current_conversation_id == conversation_id
    assert _titles(sidebar.list_view) == ["c1", "c0"]
    assert sidebar.list_view.currentIndex().data(CONVERSATION_ID_ROLE) == conversation_id
    assert not sidebar.undo_bar.isVisible()


def test_a_deletion_becomes_final_when_the_undo_offer_ends(
    qtbot: Any, store: SqliteHistoryStore
) -> None:
    _fill(store, 2)
    sidebar = _sidebar(qtbot, store, undo_timeout_ms=20)
    conversation_id = sidebar.model.index(0).data(CONVERSATION_ID_ROLE)
    with qtbot.waitSignal(sidebar.conversation_deleted):
        sidebar.delete_conversation(conversation_id)
    assert sidebar.undo_bar.isVisible()
    qtbot.waitUntil(lambda: not sidebar.undo_bar.isVisible() and not sidebar.busy)
    assert not store.restore_conversation(conversation_id)  # purged for good
    assert _titles(sidebar.list_view) == ["c0"]


def test_a_second_deletion_makes_the_first_final(qtbot: Any, store: SqliteHistoryStore) -> None:
    _fill(store, 3)
    sidebar = _sidebar(qtbot, store)
    first, second = (sidebar.model.index(r).data(CONVERSATION_ID_ROLE) for r in (0, 1))
    with qtbot.waitSignal(sidebar.conversation_deleted):
        sidebar.delete_conversation(first)
    with qtbot.waitSignal(sidebar.conversation_deleted):
        sidebar.delete_conversation(second)
    assert sidebar.undo_label.text().startswith("Deleted “c1”.")
    with qtbot.waitSignal(sidebar.conversation_restored):
        sidebar.undo_delete()
    assert _titles(sidebar.list_view) == ["c1", "c0"]
    assert not store.restore_conversation(first)


def test_the_delete_key_deletes_the_current_conversation(
    qtbot: Any, store: SqliteHistoryStore
) -> None:
    _fill(store, 2)
    sidebar = _sidebar(qtbot, store)
    sidebar.activateWindow()
    _click_row(qtbot, sidebar.list_view, 1)
    qtbot.waitUntil(sidebar.list_view.hasFocus)
    with qtbot.waitSignal(sidebar.conversation_deleted):
        qtbot.keyClick(sidebar.list_view, Qt.Key.Key_Delete)
    assert _titles(sidebar.list_view) == ["c1"]
    assert sidebar.current_conversation_id is None


def test_deleting_the_open_conversation_clears_the_selection(
    qtbot: Any, store: SqliteHistoryStore
) -> None:
    _fill(store, 2)
    sidebar = _sidebar(qtbot, store)
    conversation_id = sidebar.model.index(0).data(CONVERSATION_ID_ROLE)
    sidebar.select_conversation(conversation_id)
    with qtbot.waitSignal(sidebar.conversation_deleted):
        sidebar.delete_conversation(conversation_id)
    assert sidebar.current_conversation_id is None
    assert not sidebar.list_view.currentIndex().isValid()


# --- search -----------------------------------------------------------------------------------


@pytest.fixture
def kitchen(store: SqliteHistoryStore) -> dict[str, int]:
    bread = store.create_conversation("Baking bread", None, None)
    store.append_message(bread.id, Message(Role.USER, "How long should dough proof?"))
    trip = store.create_conversation("Trip to Lyon", None, None)
    store.append_message(trip.id, Message(Role.USER, "Where to buy bread & <cheese> in Lyon?"))
    store.create_conversation("Unrelated", None, None)
    return {"bread": bread.id, "trip": trip.id}


def test_search_shows_hits_highlighted_and_selecting_one_opens_it(
    qtbot: Any, store: SqliteHistoryStore, kitchen: dict[str, int]
) -> None:
    sidebar = _sidebar(qtbot, store)
    qtbot.keyClicks(sidebar.search_field, "bread")
    qtbot.waitUntil(lambda: sidebar.is_searching and sidebar.results_model.rowCount() == 2)
    assert sidebar.results_view.isVisible() and not sidebar.list_view.isVisible()
    assert not sidebar.no_results_label.isVisible()

    results = sidebar.results_model
    assert results.index(0).data(RESULT_HTML_ROLE) == "Baking <b>bread</b>"
    assert results.index(1).data(RESULT_HTML_ROLE) == (
        "Trip to Lyon<br><small>Where to buy <b>bread</b> &amp; &lt;cheese&gt; in Lyon?</small>"
    )
    assert results.index(1).data() == "Trip to Lyon\nWhere to buy bread & <cheese> in Lyon?"

    with qtbot.waitSignal(sidebar.conversation_selected) as selected:
        _click_row(qtbot, sidebar.results_view, 1)
    assert selected.args == [kitchen["trip"]]

    sidebar.search_field.clear()
    assert not sidebar.is_searching and sidebar.list_view.isVisible()
    assert sidebar.list_view.currentIndex().data() == "Trip to Lyon"


def test_enter_in_the_search_field_opens_the_best_hit(
    qtbot: Any, store: SqliteHistoryStore, kitchen: dict[str, int]
) -> None:
    sidebar = _sidebar(qtbot, store)
    sidebar.search_field.setText("proof")
    with qtbot.waitSignal(sidebar.conversation_selected) as selected:
        qtbot.keyClick(sidebar.search_field, Qt.Key.Key_Return)
    assert selected.args == [kitchen["bread"]]


@pytest.mark.parametrize("query", ['"foo', "AND", "(", "*", "NEAR("])
def test_search_input_that_is_not_valid_syntax_just_finds_nothing(
    qtbot: Any, store: SqliteHistoryStore, kitchen: dict[str, int], query: str
) -> None:
    sidebar = _sidebar(qtbot, store)
    failures: list[str] = []
    sidebar.storage_failed.connect(failures.append)
    sidebar.search_field.setText(query)
    qtbot.waitUntil(lambda: sidebar.is_searching)
    assert sidebar.results_model.rowCount() == 0
    assert sidebar.no_results_label.isVisible()
    assert sidebar.no_results_label.text() == f"No conversations match “{query}”."
    assert failures == []


def test_search_results_follow_a_rename(
    qtbot: Any, store: SqliteHistoryStore, kitchen: dict[str, int]
) -> None:
    sidebar = _sidebar(qtbot, store)
    sidebar.search_field.setText("lyon")
    qtbot.waitUntil(lambda: sidebar.results_model.rowCount() == 1)
    store.rename_conversation(kitchen["trip"], "Paris weekend")
    sidebar.refresh()
    assert sidebar.results_model.index(0).data().startswith("Paris weekend\n")


def test_the_highlight_delegate_paints_results(
    qtbot: Any, store: SqliteHistoryStore, kitchen: dict[str, int]
) -> None:
    sidebar = _sidebar(qtbot, store)
    sidebar.search_field.setText("bread")
    qtbot.waitUntil(lambda: sidebar.results_model.rowCount() == 2)
    sidebar.results_view.setCurrentIndex(sidebar.results_model.index(1))
    image = sidebar.results_view.grab().toImage()
    assert not image.isNull()
    two_lines = sidebar.results_view.sizeHintForRow(1)
    one_line = sidebar.results_view.sizeHintForRow(0)
    assert two_lines > one_line > 0


class FailingDirectory:
    """A store whose disk filled up: lists work, search and writes fail."""

    def __init__(self) -> None:
        self.error = StoreError("The disk is full.", StoreErrorKind.DISK_FULL)

    def count_conversations(self) -> int:
        return 1

    def list_conversations(self, offset: int, limit: int) -> list[Conversation]:
        return [Conversation(1, "only one")][offset : offset + limit]

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        raise self.error

    def delete_conversation(self, conversation_id: int) -> bool:
        raise self.error

    def restore_conversation(self, conversation_id: int) -> bool:
        raise self.error

    def purge_deleted(self) -> int:
        raise self.error

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        raise self.error


def test_store_failures_are_reported_and_nothing_disappears(qtbot: Any) -> None:
    sidebar = _sidebar(qtbot, FailingDirectory())
    messages: list[str] = []
    sidebar.storage_failed.connect(messages.append)
    sidebar.delete_conversation(1)
    assert _titles(sidebar.list_view) == ["only one"]
    assert not sidebar.undo_bar.isVisible()
    sidebar.search_field.setText("anything")
    qtbot.waitUntil(lambda: len(messages) == 2)
    assert messages == ["The disk is full.", "The disk is full."]


def test_emoji_in_a_title_are_drawn_in_colour(qtbot: Any, store: SqliteHistoryStore) -> None:
    store.create_conversation("🎉 Party plans 🍕", None, None)
    sidebar = _sidebar(qtbot, store)
    rect = sidebar.list_view.visualRect(sidebar.model.index(0))
    image = sidebar.list_view.viewport().grab(rect).toImage()
    colourful = sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).hsvSaturation() > 120 and image.pixelColor(x, y).value() > 80
    )
    # Without a colour emoji font they are missing-glyph boxes or grey outlines.
    assert colourful > 20, "no colour emoji font: the bootstrap installs fonts-noto-color-emoji"


def test_conversations_are_grouped_by_when_they_were_last_active(
    qtbot: Any, store: SqliteHistoryStore
) -> None:
    import datetime as dt

    now = dt.datetime.now()
    dates = {
        "just now": now,
        "a minute ago": now - dt.timedelta(minutes=1) if now.hour or now.minute else now,
        "yesterday": now - dt.timedelta(days=1),
        "last week": now - dt.timedelta(days=3),
        "in March": dt.datetime(2026, 3, 15, 12, 0),
    }
    store.import_conversations(
        ExportedConversation(
            Conversation(0, title, created_at=when.timestamp(), updated_at=when.timestamp()), ()
        )
        for title, when in dates.items()
    )
    sidebar = _sidebar(qtbot, store)
    model = sidebar.model
    groups = [model.index(row).data(GROUP_ROLE) for row in range(model.rowCount())]
    assert groups == ["Today", "Today", "Yesterday", "Previous 7 days", "March 2026"]
    # The first row of a group carries the group's name above it.
    view = sidebar.list_view
    heights = [view.visualRect(model.index(r)).height() for r in range(5)]
    assert heights[0] > heights[1] and heights[2] == heights[0]


def test_the_rows_button_opens_its_actions(qtbot: Any, store: SqliteHistoryStore) -> None:
    from PySide6.QtWidgets import QApplication, QMenu, QStyleOptionViewItem

    _fill(store, 2)
    sidebar = _sidebar(qtbot, store)
    view = sidebar.list_view
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(sidebar.model.index(1))
    button = sidebar.delegate.button_rect(option, sidebar.model.index(1))
    qtbot.mouseMove(view.viewport(), button.center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions()] == ["Rename", "Export as Markdown…", "Delete"]
    menu.close()
