"""Drives the transcript as a user (or a screen reader) does: its buttons found by their
accessible names and pressed, its links clicked, what it shows read back."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleInterface,
    QTextDocument,
)
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from zlay_desktop.ui.transcript import TranscriptView


@contextmanager
def outside_the_running_task() -> Iterator[None]:
    """Events processed inside a coroutine (a nested event loop) may wake another task, e.g.
    a history write finishing; asyncio refuses to step it while this one runs ("Cannot
    enter into task"), the wake-up is lost and that task never ends (the app's shutdown
    then waits for it forever). So the running task is set aside meanwhile."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        yield
        return
    task = asyncio.current_task(loop)
    if task is None:
        yield
        return
    asyncio.tasks._leave_task(loop, task)
    try:
        yield
    finally:
        asyncio.tasks._enter_task(loop, task)


def settle(view: TranscriptView, rounds: int = 5) -> None:
    """Lets the QML lay out what changed (delegates are made on the next polish)."""
    with outside_the_running_task():
        for _ in range(rounds):
            QCoreApplication.processEvents()
    quick = view.quick
    if quick is not None:
        quick.grabFramebuffer()  # renders: every visible delegate exists now


def accessible_tree(view: TranscriptView) -> Iterator[QAccessibleInterface]:
    QAccessible.setActive(True)
    quick = view.ensure_loaded()
    root = QAccessible.queryAccessibleInterface(quick)
    assert root is not None
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(
            child for i in range(node.childCount()) if (child := node.child(i)) is not None
        )


def find_button(
    view: TranscriptView, name: str, key: int | None = None, object_name: str | None = None
) -> QAccessibleInterface:
    """The button named `name` (of message `key`, brought into view first; `object_name`
    tells apart two of one message, e.g. "copy-code-7-1")."""
    if key is not None:
        view.scroll_to_message(key, end=True)
    settle(view)
    found = []
    for node in accessible_tree(view):
        if node.text(QAccessible.Text.Name) != name or node.actionInterface() is None:
            continue
        owner = node.object()
        owner_name = owner.objectName() if owner is not None else ""
        if object_name is not None and owner_name != object_name:
            continue
        if key is None or re.fullmatch(rf"[a-z-]+-{key}(-\d+)?", owner_name):
            found.append(node)
    assert found, f"no {name!r} button" + (f" on message {key}" if key is not None else "")
    return found[-1]


def press(
    view: TranscriptView, name: str, key: int | None = None, object_name: str | None = None
) -> None:
    button = find_button(view, name, key, object_name)
    actions = button.actionInterface()
    assert actions is not None
    actions.doAction(QAccessibleActionInterface.pressAction())


@dataclass(frozen=True, slots=True)
class Anchor:
    text: str
    href: str
    key: int  # the message it is in


def anchors(view: TranscriptView) -> list[Anchor]:
    """Every link the transcript's rows show, in order (a link split across fragments of
    different formats is one link)."""
    found: list[Anchor] = []
    for row in view.model.rows():
        if row.html:
            found += html_anchors(row.html, row.key)
    return found


def html_anchors(html: str, key: int) -> list[Anchor]:
    """The links of one row's rich text, as Qt reads it."""
    found: list[Anchor] = []
    document = QTextDocument()
    document.setHtml(html)
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            char_format = fragment.charFormat()
            if fragment.isValid() and char_format.isAnchor() and char_format.anchorHref():
                href = char_format.anchorHref()
                last = found[-1] if found else None
                if last is not None and last.href == href:
                    found[-1] = Anchor(last.text + fragment.text(), href, key)
                else:
                    found.append(Anchor(fragment.text(), href, key))
            it += 1
        block = block.next()
    return found


def click_anchor(view: TranscriptView, anchor: Anchor) -> None:
    """What a click on the link does (the QML's selection handler hands it to the view;
    test_transcript_selection.py clicks links with the mouse)."""
    view.activate_link(QUrl(anchor.href))


def delegate_count(view: TranscriptView) -> int:
    root = view.root_item()
    assert root is not None
    count = root.property("liveDelegates")
    assert isinstance(count, int)
    return count


def messages_in_view(view: TranscriptView) -> set[int]:
    """The keys of the messages with a row on screen now (at least partly)."""
    settle(view)
    root = view.root_item()
    assert root is not None
    listing = next(i for i in _quick_items(root) if i.objectName() == "transcriptList")
    content = listing.property("contentItem")
    assert isinstance(content, QQuickItem)
    shown: set[int] = set()
    for delegate in content.childItems():
        key = delegate.property("messageKey")
        if not isinstance(key, int) or not delegate.isVisible() or delegate.height() <= 0:
            continue
        top = delegate.mapToItem(listing, QPointF(0, 0)).y()
        if top < listing.height() and top + delegate.height() > 0:
            shown.add(key)
    return shown


def _quick_items(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from _quick_items(child)


def row_delegate(view: TranscriptView, row: int) -> QQuickItem | None:
    """The delegate of model row `row`, if it has one now."""
    root = view.root_item()
    assert root is not None
    listing = next(i for i in _quick_items(root) if i.objectName() == "transcriptList")
    content = listing.property("contentItem")
    assert isinstance(content, QQuickItem)
    for delegate in content.childItems():
        if delegate.property("index") == row and delegate.property("kind") is not None:
            return delegate
    return None


def row_text(view: TranscriptView, row: int) -> QQuickItem:
    """The text a user selects in row `row` (its delegate's TextEdit), on screen now."""
    settle(view)
    delegate = row_delegate(view, row)
    assert delegate is not None, f"row {row} has no delegate"
    item = delegate.property("item")
    edit = item.property("selectableText") if isinstance(item, QQuickItem) else None
    assert isinstance(edit, QQuickItem), f"row {row} has no text to select"
    return edit


def text_point(view: TranscriptView, row: int, position: int) -> QPoint:
    """Where on the transcript's widget the character at `position` of row `row`'s text
    begins (a press there puts the selection's end before that character)."""
    edit = row_text(view, row)
    rect = edit.positionToRectangle(position)  # type: ignore[attr-defined]
    assert isinstance(rect, QRectF)
    scene = edit.mapToScene(QPointF(rect.x() + 1, rect.center().y()))
    return scene.toPoint()


def drag(view: TranscriptView, start: QPoint, end: QPoint, *, release: bool = True) -> None:
    """The left button pressed at `start`, the mouse moved to `end` (in steps, as a hand
    does) and released there (or still held)."""
    quick = view.quick
    assert quick is not None
    QTest.mousePress(quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 4
    for step in range(1, steps + 1):
        QTest.mouseMove(quick, start + (end - start) * step / steps)
    if release:
        QTest.mouseRelease(quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    settle(view)


def click(view: TranscriptView, at: QPoint) -> None:
    quick = view.quick
    assert quick is not None
    QTest.mouseClick(quick, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    settle(view)


def copy_keys(view: TranscriptView) -> None:
    """Ctrl+C pressed in the transcript."""
    quick = view.quick
    assert quick is not None
    QTest.keyClick(quick, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    settle(view)
