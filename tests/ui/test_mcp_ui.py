"""MCP in the real app: `--mcp-config`, the approval panel (Enter allows, Esc denies), the
Settings page (JSON import, Test, tokens to the keyring, never into the data folder)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import AppFactory, LoopRunner, until
from tests.test_mcp import ROOT, TOKEN
from tests.testserver import ChatScript, OpenAITestServer, RecordedRequest, Script, tool_results
from tests.ui.test_settings_dialog import Harness
from zlay_desktop.core.mcp.config import SECRET_PLACEHOLDER
from zlay_desktop.core.mcp.manager import McpManager
from zlay_desktop.core.models import Role
from zlay_desktop.core.tools import TOOL_DECLINED


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


def test_mcp_config_runs_a_tool_after_the_user_allows_it_with_enter_and_deny_declines(
    make_app: AppFactory, qloop: LoopRunner, qtbot: Any, server: OpenAITestServer, tmp_path: Path
) -> None:
    app = make_app(base_url=server.base_url, model="test-model", mcp_config=mcp_json(tmp_path))
    app.window.resize(1000, 700)
    app.window.show()
    qtbot.waitExposed(app.window)
    server.enqueue(
        ChatScript.tool_calls(("c1", "shout", {"text": "hello"})),
        quote_results,
        ChatScript.tool_calls(("c2", "echo", {"text": "no"})),
        quote_results,
    )
    panel = app.tool_panel
    assert app.controller.send("Use the tool")
    qloop.run(until(panel.isVisible, 30, "the approval panel"))
    assert "shout" in panel.title.text() and "tools" in panel.title.text()
    assert '"text": "hello"' in panel.arguments.toPlainText()
    assert panel.geometry().bottom() < app.window.composer.mapTo(app.window, app.window.composer.rect().topLeft()).y()
    QTest.keyClick(panel, Qt.Key.Key_Return)
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    messages = app.session.messages
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT]
    assert messages[-1].content == "Got shouted"
    # Deny.
    assert app.controller.send("Again")
    qloop.run(until(panel.isVisible, 30, "the approval panel"))
    panel.deny_button.click()
    qloop.run(until(lambda: not app.controller.busy, 30, "the reply"))
    assert app.session.messages[-1].content == f"Got shouted {TOOL_DECLINED}"
    assert not panel.isVisible()
    make_app.close(app)
    # Servers from --mcp-config are for this run: nothing saved, no token anywhere.
    data = data_files_text(make_app.data_dir)
    assert "mcp_servers" not in data or '"mcp_servers": []' in data
    assert TOKEN not in data


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
