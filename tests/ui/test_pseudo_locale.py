"""Every word the app shows goes through Qt's translation: with a pseudo-translation that
wraps each translated string in ⟦…⟧, the main window (menus, toolbar, sidebar, composer,
notices, the edit bar), About, the quick-ask window, the Settings dialog (every tab, a
profile's form, a connection test's findings, an MCP server's form) and the transcript (a reply streamed from the test server, a failed
one, their footers and actions) show no text outside ⟦…⟧ but the user's own content:
messages, titles, model and profile names, URLs, numbers and times."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTranslator, QUrl
from PySide6.QtGui import QAccessible, QAction, QTextDocumentFragment
from PySide6.QtQuick import QQuickItem
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from tests.conftest import AppFactory, LoopRunner, until
from tests.testserver import ChatScript, OpenAITestServer
from tests.testserver.server import InStreamError, Text
from tests.transcript_driver import accessible_tree, settle
from tests.translations import pseudo_catalogue
from zlay_desktop import APP_NAME
from zlay_desktop.core.settings import PRESETS
from zlay_desktop.ui.about_dialog import COPYRIGHT, LICENSE_NAME
from zlay_desktop.ui.i18n import LANGUAGES
from zlay_desktop.ui.settings import SettingsDialog

OPEN, CLOSE = "⟦", "⟧"
_WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# Times and dates as the locale writes them ("3:07 PM", "12/5/26") carry no words but AM/PM.
_TIME = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\s*([AP]M)?\b")

QUESTION = "What does the pseudo locale show?"
PROFILE = "Local test server"
FAILURE = "The server is overloaded."


@pytest.fixture(scope="module")
def pseudo_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pseudo_catalogue(tmp_path_factory.mktemp("pseudo"))


@pytest.fixture
def pseudo_locale(qapp: Any, pseudo_qm: Path) -> Iterator[None]:
    """Every string of the app's catalogues shown as "⟦source⟧". (A compiled catalogue,
    not a Python QTranslator: Qt Quick looks strings up on its loader thread, which would
    then wait for the GIL the GUI thread holds while it loads the transcript.)"""
    translator = QTranslator()
    assert translator.load(str(pseudo_qm))
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


class Check:
    """Collects every text seen that is not wrapped and not the user's own content."""

    def __init__(self, content: Iterable[str]) -> None:
        # Longest first: a model name inside a URL goes with the URL.
        self.content = sorted({c for c in content if c}, key=len, reverse=True)
        self.unwrapped: list[str] = []
        self.seen = 0

    def text(self, where: str, text: str | None) -> None:
        if not text:
            return
        self.seen += 1
        rest = text
        while True:
            stripped = _WRAPPED.sub(" ", rest)
            if stripped == rest:
                break
            rest = stripped
        for own in self.content:
            rest = rest.replace(own, " ")
        rest = _TIME.sub(" ", rest)
        if re.search(r"[^\W\d_]", rest):
            self.unwrapped.append(f"{where}: {text!r}")

    def widgets(self, root: QWidget) -> None:
        for widget in [root, *root.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            name = type(widget).__name__
            if widget.isWindow():
                self.text(f"{name} window title", widget.windowTitle())
            self.text(f"{name} tooltip", widget.toolTip())
            self.text(f"{name} accessible name", widget.accessibleName())
            if isinstance(widget, QLabel):
                plain = QTextDocumentFragment.fromHtml(widget.text()).toPlainText()
                self.text(f"label {widget.accessibleName()!r}", plain)
            elif isinstance(widget, QAbstractButton):
                box = widget.parent()
                if isinstance(box, QDialogButtonBox) and box.standardButton(widget) != (
                    QDialogButtonBox.StandardButton.NoButton
                ):
                    continue  # OK, Cancel…: Qt's own words, from its own catalogue
                self.text("button", widget.text())
            elif isinstance(widget, QLineEdit | QPlainTextEdit):
                self.text(f"{name} placeholder", widget.placeholderText())
            elif isinstance(widget, QComboBox):
                for i in range(widget.count()):
                    self.text(f"combo {widget.accessibleName()!r}", widget.itemText(i))
            elif isinstance(widget, QTabWidget):
                for i in range(widget.count()):
                    self.text("tab", widget.tabText(i))
                    self.text("tab tooltip", widget.tabToolTip(i))
            elif isinstance(widget, QGroupBox):
                self.text("group box", widget.title())
            elif isinstance(widget, QListWidget):
                for i in range(widget.count()):
                    self.text(f"list {widget.accessibleName()!r}", widget.item(i).text())
            for action in widget.actions():
                self.action(action)

    def action(self, action: QAction) -> None:
        if action.isSeparator():
            return
        self.text("action", action.text())
        self.text("action tooltip", action.toolTip())
        menu = action.menu()
        if isinstance(menu, QMenu):
            self.text("menu title", menu.title())
            for sub in menu.actions():
                self.action(sub)

    def quick_items(self, item: QQuickItem) -> None:
        """The transcript's QML items: their text, their buttons' tips."""
        if not item.isVisible():
            return
        for name in ("text", "tip", "placeholderText"):
            value = item.property(name)
            if isinstance(value, str):
                plain = QTextDocumentFragment.fromHtml(value).toPlainText()
                self.text(f"QML {type(item).__name__}.{name}", plain)
        for child in item.childItems():
            self.quick_items(child)

    def model_rows(self, model: Any, roles: dict[str, int]) -> None:
        for row in range(model.rowCount(QModelIndex())):
            index = model.index(row, 0)
            for label, role in roles.items():
                value = model.data(index, role)
                self.text(f"sidebar {label}", value if isinstance(value, str) else None)


def content_of(app: Any) -> list[str]:
    """What the user (or the server) wrote, as shown: never translated."""
    rows = app.window.chat_view.model.rows()
    shown: list[str] = []
    for row in rows:
        if row.kind == "code":
            shown.append(str(row.extra.get("language", "")))  # the fence's info string
        if row.kind in ("user", "block", "code", "reasoning", "tool"):
            shown += [row.text, QTextDocumentFragment.fromHtml(row.html).toPlainText()]
            shown += (
                row.text.splitlines()
                + QTextDocumentFragment.fromHtml(row.html).toPlainText().splitlines()
            )
    return shown


def test_no_visible_text_escapes_translation(
    pseudo_locale: None,
    make_app: AppFactory,
    server: OpenAITestServer,
    qloop: LoopRunner,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    (data / "config").mkdir(parents=True)
    (data / "config" / "settings.json").write_text(
        json.dumps(
            {
                "active_profile_id": "local",
                "profiles": [
                    {
                        "id": "local",
                        "name": PROFILE,
                        "base_url": server.base_url,
                        "model": "test-model",
                        "needs_key": False,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    server.enqueue(
        ChatScript.markdown_demo(),
        ChatScript([Text("Partly "), InStreamError(FAILURE)]),
        ChatScript.text("OK"),  # the connection test's completion
        ChatScript.text("OK"),  # and its streamed token
    )
    app = make_app(data_dir=data)
    app.start()
    window = app.window
    window.resize(1100, 760)
    window.show()
    qtbot.waitExposed(window)
    view = window.chat_view

    async def converse() -> None:
        for text in (QUESTION, "And then?"):
            window.composer.setPlainText(text)
            window.send_from_composer()
            task = app.controller.task
            assert task is not None, window.notice.text()
            await task
        view.flush()

    qloop.run(converse())
    settle(view)
    states = [m.state.value for m in app.session.messages]
    assert states[-1] == "failed" and "finished" in states

    content = [
        QUESTION, "And then?", "Partly", FAILURE, PROFILE, "test-model", server.base_url,
        APP_NAME, "ftp", "Zlay", *(name for _code, name in LANGUAGES), *(p.name for p in PRESETS),
        *content_of(app),
        # The About dialog's licence line and folders, and its diagnostics' own terms.
        COPYRIGHT, LICENSE_NAME,
        *(str(folder) for folder in (app.paths.config_dir, app.paths.data_dir, app.paths.log_dir)),
        # The MCP form's examples of a command, its arguments, a URL and a header.
        "npx", "-y @modelcontextprotocol/server-filesystem ~/Documents",
        "https://example.com/mcp", "Authorization: Bearer …",
    ]  # fmt: skip
    check = Check(content)

    # The main window: widgets, menus, toolbar, the notice. (A link the app does not open:
    # the notice says so. Said just now: the conversation's late events hide notices.)
    view.link_refused.emit(QUrl("ftp://example.org/file"))
    assert window.notice.isVisible()
    check.widgets(window)
    for action in window.menuBar().actions():
        check.action(action)
    sidebar = app.sidebar
    from zlay_desktop.ui.conversation_list import DETAIL_ROLE, GROUP_ROLE

    check.model_rows(
        sidebar.model,
        {
            "title": Qt.ItemDataRole.DisplayRole,
            "tooltip": Qt.ItemDataRole.ToolTipRole,
            "group": GROUP_ROLE,
            "detail": DETAIL_ROLE,
        },
    )

    # The transcript: every QML item's text, and what a screen reader hears.
    quick = view.quick
    assert quick is not None and quick.rootObject() is not None
    for key in view.message_keys():
        view.scroll_to_message(key, end=True)
        settle(view)
        check.quick_items(quick.rootObject())
        for node in accessible_tree(view):
            check.text("accessible", node.text(QAccessible.Text.Name))
    transcript = view.transcript_text()
    assert f"{OPEN}Retry{CLOSE}" in transcript and f"{OPEN}Copy{CLOSE}" in transcript

    # Settings: every tab, the profile's form, a connection test, a new MCP server's form.
    app.open_settings()
    dialog = app.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)

    async def connection_test() -> None:
        dialog.tester.test_button.click()
        await until(lambda: not dialog.tester.running and dialog.test_result_lines(), 20)

    qloop.run(connection_test())
    dialog.mcp_page.add_server()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        QCoreApplication.processEvents()
        check.widgets(dialog)
    assert len(dialog.test_result_lines()) == 5
    # The new MCP server is not saved: Cancel asks first. (Left open, the question's
    # modality would keep the mouse from the windows of the tests after this one.)
    dialog.reject()
    question = dialog.discard_question
    assert question is not None
    question.button(QMessageBox.StandardButton.Discard).click()
    dialog.reject()
    assert not dialog.isVisible() and not question.isVisible()

    # Around the window: the edit bar, the About dialog, the quick-ask window.
    window.start_edit(0)
    check.widgets(window)
    window.cancel_edit()
    app.show_about()
    about = app.about_dialog
    qtbot.waitExposed(about)
    check.widgets(about)
    about.close()
    quick_window = app.show_quick_ask()
    qtbot.waitExposed(quick_window)
    check.widgets(quick_window)
    quick_window.hide()

    assert check.seen > 150, "the walk saw too little to mean anything"
    assert not check.unwrapped, "text shown without translation:\n" + "\n".join(check.unwrapped)
