"""The transcript's own controls (plain Qt Quick, no Qt Quick Controls): icons drawn in the
theme's colours, tooltips, the scroll bar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.transcript_driver import find_button, settle
from tests.ui.live_view import FedChatView, shown_view
from zlay_desktop.core.models import Message, Role
from zlay_desktop.core.paths import resources_dir
from zlay_desktop.ui.transcript.icon_images import IconImageProvider


@pytest.fixture
def view(qtbot: QtBot) -> FedChatView:
    return shown_view(qtbot)


def _conversation(pairs: int) -> list[tuple[int, Message]]:
    items: list[tuple[int, Message]] = []
    for key in range(0, 2 * pairs, 2):
        items.append((key, Message(role=Role.USER, content=f"Question {key}?")))
        items.append(
            (key + 1, Message(role=Role.ASSISTANT, content=f"Answer {key}.", model="m-1"))
        )
    return items


def _items(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from _items(child)


def _texts_shown(view: FedChatView) -> list[str]:
    quick = view.quick
    assert quick is not None
    return [
        str(item.property("text"))
        for item in _items(quick.quickWindow().contentItem())
        if item.metaObject().className().startswith("QQuickText") and item.isVisible()
    ]


def _answer_button(view: FedChatView, name: str) -> QQuickItem:
    """The button `name` under the answer of a one-question conversation (shown first)."""
    if not view.message_keys():
        view.show_messages(_conversation(1))
        settle(view)
    button = find_button(view, name, key=1).object()
    assert isinstance(button, QQuickItem)
    return button


def test_an_icon_is_drawn_in_the_colour_asked_for() -> None:
    provider = IconImageProvider(resources_dir() / "icons")
    size = QSize()
    image = provider.requestImage("copy/c81e1e", size, QSize(32, 32))
    assert (image.width(), image.height()) == (32, 32) == (size.width(), size.height())
    opaque = {
        QColor.fromRgba(image.pixel(x, y)).name()
        for x in range(32)
        for y in range(32)
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    }
    assert opaque == {"#c81e1e"}  # the strokes; the rest is transparent
    for bad in ("no-such-icon/c81e1e", "../icons/copy/c81e1e", "copy/red"):
        assert provider.requestImage(bad, size, QSize(16, 16)).isNull(), bad


def test_a_button_says_what_it_does_when_the_mouse_rests_on_it(
    view: FedChatView, qtbot: QtBot
) -> None:
    button = _answer_button(view, "Copy")
    quick = view.quick
    assert quick is not None
    assert "Copy" not in _texts_shown(view)
    centre = button.mapToScene(QPointF(button.width() / 2, button.height() / 2)).toPoint()
    QTest.mouseMove(quick, centre)
    qtbot.waitUntil(lambda: "Copy" in _texts_shown(view), timeout=3000)
    QTest.mouseMove(quick, centre + QPoint(0, 200))
    qtbot.waitUntil(lambda: "Copy" not in _texts_shown(view), timeout=3000)


def test_the_scroll_bar_shows_where_the_view_is_and_moves_it(
    view: FedChatView, qtbot: QtBot
) -> None:
    view.show_messages(_conversation(40))
    settle(view)
    root = view.root_item()
    assert root is not None
    list_view = root.findChild(QQuickItem, "transcriptList")
    bar = root.findChild(QQuickItem, "transcriptScrollBar")
    assert list_view is not None and bar is not None
    qtbot.waitUntil(lambda: bool(list_view.property("atYEnd")), timeout=2000)
    assert bar.isVisible()
    handle = bar.childItems()[0]
    assert handle.y() + handle.height() == pytest.approx(bar.height(), abs=2)  # at the end
    quick = view.quick
    assert quick is not None
    # A press above the handle moves a page up: the view no longer follows the end.
    at_end = list_view.property("contentY")
    above_handle = bar.mapToScene(QPointF(bar.width() / 2, 5)).toPoint()
    QTest.mouseClick(quick, Qt.MouseButton.LeftButton, pos=above_handle)
    settle(view)
    assert list_view.property("contentY") == pytest.approx(at_end - list_view.height(), abs=2)
    assert root.property("follow") is False
    # The handle dragged to the top: the start of the conversation shows.
    grab = handle.mapToScene(QPointF(handle.width() / 2, handle.height() / 2)).toPoint()
    QTest.mousePress(quick, Qt.MouseButton.LeftButton, pos=grab)
    for step in range(1, 5):
        QTest.mouseMove(quick, QPoint(grab.x(), int(grab.y() - step * bar.height() / 4)))
    QTest.mouseRelease(quick, Qt.MouseButton.LeftButton, pos=QPoint(grab.x(), 0))
    settle(view)
    assert handle.y() == pytest.approx(0, abs=1)
    assert bool(list_view.property("atYBeginning"))


def test_a_button_reached_with_the_keyboard_shows_it_and_says_what_it_does(
    view: FedChatView, qtbot: QtBot
) -> None:
    button = _answer_button(view, "Copy")
    button.forceActiveFocus(Qt.FocusReason.TabFocusReason)
    assert button.property("visualFocus") is True
    qtbot.waitUntil(lambda: "Copy" in _texts_shown(view), timeout=3000)
    # Clicked, it has the focus but shows no focus frame.
    quick = view.quick
    assert quick is not None
    button.setFocus(False)
    centre = button.mapToScene(QPointF(button.width() / 2, button.height() / 2)).toPoint()
    QTest.mouseClick(quick, Qt.MouseButton.LeftButton, pos=centre)
    assert button.hasActiveFocus() and button.property("visualFocus") is False
    # The window loses the focus and gets it back (another app, a dialog): still a click's.
    for kind in (QEvent.Type.FocusOut, QEvent.Type.FocusIn):
        QCoreApplication.sendEvent(quick, QFocusEvent(kind, Qt.FocusReason.ActiveWindowFocusReason))
    settle(view)
    assert button.hasActiveFocus() and button.property("visualFocus") is False
    # The keyboard takes it elsewhere and back: it shows.
    other = _answer_button(view, "Regenerate")
    other.forceActiveFocus(Qt.FocusReason.TabFocusReason)
    button.forceActiveFocus(Qt.FocusReason.BacktabFocusReason)
    assert button.property("visualFocus") is True


def test_a_held_space_on_a_button_types_nothing_into_the_composer(
    view: FedChatView, qtbot: QtBot
) -> None:
    button = _answer_button(view, "Copy")
    button.forceActiveFocus(Qt.FocusReason.TabFocusReason)
    quick = view.quick
    assert quick is not None
    with qtbot.assertNotEmitted(view.typed):
        for repeated in (False, True, True):
            press = QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ",
                repeated,
            )
            QCoreApplication.sendEvent(quick.quickWindow(), press)
        settle(view)
