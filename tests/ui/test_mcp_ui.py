"""MCP in the real app: `--mcp-config`, the approval card and the result cards in the
transcript (Enter allows, Esc denies), the Settings page (JSON import, Test, tokens to the
keyring, never into the data folder)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from tests.conftest import AppFactory, LoopRunner, until
from tests.test_mcp import ROOT, TOKEN
from tests.testserver import ChatScript, OpenAITestServer, RecordedRequest, Script, tool_results
from tests.transcript_driver import press, settle
from tests.ui.test_settings_dialog import Harness
from zlay_desktop.core.mcp.config import SECRET_PLACEHOLDER
from zlay_desktop.core.mcp.manager import McpManager
from zlay_desktop.core.models import Role
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.core.tools import TOOL_DECLINED, ToolApprovalRequest
from zlay_desktop.ui.transcript.model import Row

if TYPE_CHECKING:
    from zlay_desktop.app import Application


def mcp_json(tmp_path: Path) -> Path:
    path = tmp_path / "mcp.json"
    path.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "tools": {
                        "command": sys.executable,
                        "args": ["-m", "tests.mcp_server"],
                        "env": {"TEST_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)},
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    return path


def quote_results(request: RecordedRequest) -> Script:
    return ChatScript.text("Got " + " ".join(tool_results(request).values()))


def data_files_text(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()
    )


def card_rows(app: Application) -> list[Row]:
    return [row for row in app.window.chat_view.model.rows() if row.kind == "toolcard"]


def asking_card(app: Application) -> Row | None:
    return next((row for row in card_rows(app) if row.extra["status"] == "approval"), None)


def stored(app: Application) -> tuple[SqliteHistoryStore, int]:
    """The app's history and the id of the conversation on show."""
    assert app.store is not None and app.session.conversation is not None
    return app.store, app.session.conversation.id


def card_on_screen(app: Application, object_name: str) -> QQuickItem:
    """A card's QML item (brought into view first): what the user sees of it."""
    view = app.window.chat_view
    view.scroll_to_end()
    settle(view)
    root = view.root_item()
    assert root is not None
    stack: list[QQuickItem] = [root]
    while stack:  # (delegates are the list's visual children, not its QObject children)
        item = stack.pop()
        if item.objectName() == object_name:
            return item
        stack.extend(item.childItems())
    raise AssertionError(f"no {object_name} on screen")


def test_the_approval_card_in_the_transcript_allows_denies_and_the_cards_come_back(
    make_app: AppFactory, qloop: LoopRunner, qtbot: Any, server: OpenAITestServer, tmp_path: Path
) -> None:
    app = make_app(base_url=server.base_url, model="test-model", mcp_config=mcp_json(tmp_path))
    app.window.resize(1000, 700)
    app.window.show()
    qtbot.waitExposed(app.window)
    view = app.window.chat_view
    server.enqueue(
        ChatScript.tool_calls(("c1", "shout", {"text": "hello"})),
        quote_results,
        ChatScript.tool_calls(("c2", "echo", {"text": "no"})),
        quote_results,
        ChatScript.tool_calls(("c3", "image", {})),
        quote_results,
        ChatScript.tool_calls(("c4", "echo", {"text": "esc"})),
        quote_results,
    )
    # Allow, clicked on the card.
    assert app.controller.send("Use the tool")
    qloop.run(until(lambda: asking_card(app) is not None, 30, "the approval card"))
    shown = view.transcript_text()
    assert "Run the tool “shout” of the server “tools”?" in shown
    assert '"text": "hello"' in shown and "Prints to stderr, then answers." in shown
    arguments = card_on_screen(app, "toolarguments-1-0")
    assert '"text": "hello"' in str(arguments.property("text"))
    press(view, "Allow", object_name="allow-tool-1-0")
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    messages = app.session.messages
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT]
    assert messages[-1].content == "Got shouted"
    (card,) = card_rows(app)
    assert (card.extra["name"], card.extra["status"], card.extra["expanded"]) == (
        "shout",
        "done",
        False,
    )
    assert card.extra["seconds"] >= 0
    # Collapsed: name, status, duration; the result shows once expanded.
    assert "Tool shout · tools · Done · " in view.transcript_text()
    assert "Result\nshouted" not in view.transcript_text()
    press(view, "Tool shout: Done", object_name="toolcard-1-0")
    settle(view)
    assert "shouted" in str(card_on_screen(app, "toolresult-1-0").property("text"))
    assert "Result\nshouted" in view.transcript_text()
    # Deny, clicked.
    assert app.controller.send("Again")
    qloop.run(until(lambda: asking_card(app) is not None, 30, "the approval card"))
    press(view, "Deny", object_name="deny-tool-5-0")
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    assert app.session.messages[-1].content == f"Got shouted {TOOL_DECLINED}"
    assert [row.extra["status"] for row in card_rows(app)] == ["done", "denied"]
    # Esc on the focused card denies too; the image tool is never run.
    assert app.controller.send("Once more")
    qloop.run(until(lambda: asking_card(app) is not None, 30, "the approval card"))
    allow = card_on_screen(app, "allow-tool-9-0")
    qloop.run(until(lambda: bool(allow.property("activeFocus")), 10, "the card's focus"))
    assert view.quick is not None
    QTest.keyClick(view.quick, Qt.Key.Key_Escape)
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    assert [row.extra["status"] for row in card_rows(app)] == ["done", "denied", "denied"]
    assert app.session.messages[-1].content == f"Got shouted {TOOL_DECLINED} {TOOL_DECLINED}"
    # Esc anywhere in the window, while a card asks, denies (it does not stop the reply).
    assert app.controller.send("And again")
    qloop.run(until(lambda: asking_card(app) is not None, 30, "the approval card"))
    app.window.composer.setFocus()
    QTest.keyClick(app.window.composer, Qt.Key.Key_Escape)
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    statuses = [row.extra["status"] for row in card_rows(app)]
    assert statuses == ["done", "denied", "denied", "denied"]
    assert app.session.messages[-1].content.endswith(f"{TOOL_DECLINED} {TOOL_DECLINED}")
    store, conversation_id = stored(app)
    on_disk = store.messages(conversation_id)
    assert [m.finish_reason for m in on_disk if m.role is Role.TOOL] == [
        "done",
        "denied",
        "denied",
        "denied",
    ]
    # Opened again (from the history): the same cards, statuses and results.
    app.window.new_conversation()
    assert card_rows(app) == []
    app.controller.open_conversation(conversation_id)
    qloop.run(until(lambda: not view.history_pending(), 10, "the history"))
    assert [(row.extra["name"], row.extra["status"]) for row in card_rows(app)] == [
        ("shout", "done"),
        ("echo", "denied"),
        ("image", "denied"),
        ("echo", "denied"),
    ]
    view.scroll_to_message(1)
    press(view, "Tool shout: Done", object_name="toolcard-1-0")
    assert "Result\nshouted" in view.transcript_text()
    assert "Tool result" not in view.transcript_text()  # no message of its own
    make_app.close(app)
    # Servers from --mcp-config are for this run: nothing saved, no token anywhere.
    data = data_files_text(make_app.data_dir)
    assert "mcp_servers" not in data or '"mcp_servers": []' in data
    assert TOKEN not in data


def test_a_tool_image_is_stored_by_content_and_shown_as_a_thumbnail(
    make_app: AppFactory, qloop: LoopRunner, qtbot: Any, server: OpenAITestServer, tmp_path: Path
) -> None:
    app = make_app(base_url=server.base_url, model="test-model", mcp_config=mcp_json(tmp_path))
    app.window.resize(1000, 700)
    app.window.show()
    qtbot.waitExposed(app.window)
    view = app.window.chat_view
    server.enqueue(
        ChatScript.tool_calls(("i1", "image", {})),
        quote_results,
        ChatScript.tool_calls(("i2", "echo", {"text": "1"})),
        quote_results,
        ChatScript.tool_calls(("i3", "echo", {"text": "2"})),
        quote_results,
    )
    assert app.controller.send("Draw")
    qloop.run(until(lambda: asking_card(app) is not None, 30, "the approval card"))
    # Enter on the focused card allows.
    allow = card_on_screen(app, "allow-tool-1-0")
    qloop.run(until(lambda: bool(allow.property("activeFocus")), 10, "the card's focus"))
    assert view.quick is not None
    QTest.keyClick(view.quick, Qt.Key.Key_Return)
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    # The model read the result's words, which note the image (no image goes to it).
    assert app.session.messages[-1].content == "Got [image: image/png, shown to the user]"
    sent = server.requests[-1].body or {}
    assert "image_url" not in json.dumps(sent)
    store, conversation_id = stored(app)
    tool = store.messages(conversation_id)[2]
    (picture,) = tool.attachments
    assert picture.mime == "image/png" and picture.name == "image-1.png"
    assert store.attachment_data([picture.sha256])[picture.sha256].startswith(b"\x89PNG")
    # "Always allow" on a card: that tool runs from then on without a card asking.
    asked: list[ToolApprovalRequest] = []
    app.controller.tool_approval_requested.connect(asked.append)
    assert app.controller.send("Echo")
    qloop.run(until(lambda: asking_card(app) is not None, 30, "the approval card"))
    press(view, "Always allow", object_name="always-allow-tool-5-0")
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    assert app.controller.send("Echo again")
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    assert len(asked) == 1
    assert [row.extra["status"] for row in card_rows(app)] == ["done", "done", "done"]
    assert app.session.messages[-1].content.endswith("echo: 1 echo: 2")
    # Reopened from the history: the thumbnail, decoded from the stored file.
    app.window.new_conversation()
    app.controller.open_conversation(conversation_id)
    view.scroll_to_message(1)
    press(view, "Tool image: Done", object_name="toolcard-1-0")
    image = card_on_screen(app, "toolimage-1-0-0")
    # Decoded: the picture's own size (it is smaller than the thumbnail's bound).
    qloop.run(until(lambda: image.property("implicitWidth") == 8, 10, "the thumbnail"))
    assert image.property("implicitHeight") == 8 and image.property("progress") == 1.0
    make_app.close(app)


def test_the_settings_page_imports_json_tests_a_server_and_keeps_tokens_in_the_keyring(
    tmp_path: Path, qtbot: Any, qloop: LoopRunner
) -> None:
    manager = McpManager()
    harness = Harness(tmp_path, qtbot, mcp=manager)
    page = harness.dialog.mcp_page
    page.open_import()
    assert page.import_dialog is not None
    page.import_dialog.text.setPlainText("not json")
    assert not page.import_dialog.import_text()
    assert "not valid JSON" in page.import_dialog.error.text()
    page.import_dialog.text.setPlainText(mcp_json(tmp_path).read_text(encoding="utf-8"))
    assert page.import_dialog.import_text()
    assert page.list.count() == 1 and page.name.text() == "tools"
    page.start_test()
    qloop.run(until(page.test_button.isEnabled, 30, "the test"))
    result = page.result.toPlainText()
    assert "Connected." in result and "echo — Repeats the text it is given." in result
    assert harness.dialog.save()
    (saved,) = harness.saved[-1].mcp_servers
    assert dict(saved.env)["TEST_TOKEN"] == SECRET_PLACEHOLDER
    assert TOKEN in harness.store.entries.values()
    settings_text = harness.file.path.read_text(encoding="utf-8")
    assert SECRET_PLACEHOLDER in settings_text and TOKEN not in settings_text
    assert TOKEN not in data_files_text(harness.file.path.parent)
    qloop.run(manager.aclose())
