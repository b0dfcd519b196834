"""kill -9 in the middle of a tool loop: the real app (its own process) against the project's
test server and the real MCP test server (stdio), killed while a tool call runs; the next
start shows every step that was saved, the call in flight marked interrupted, and the
conversation goes on (the model is told that call has no result)."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import psutil
import pytest

from tests.e2e.test_crash_recovery import ROOT, AppProcess, stored_messages
from tests.testserver import ChatScript, OpenAITestServer
from zlay_desktop.core.paths import AppPaths
from zlay_desktop.core.tools import TOOL_INTERRUPTED

QUESTION = "Echo this, then wait for the slow tool."
AFTER = "Working again after the crash."


def mcp_config(tmp_path: Path) -> Path:
    path = tmp_path / "mcp.json"
    server = {"command": sys.executable, "args": ["-m", "tests.mcp_server"]}
    server["env"] = {"PYTHONPATH": str(ROOT)}  # type: ignore[assignment]
    path.write_text(json.dumps({"mcpServers": {"tools": server}}), encoding="utf-8")
    return path


def args(mode: str, server: OpenAITestServer, data_dir: Path, config: Path) -> list[str]:
    return [
        mode,
        "--data-dir",
        str(data_dir),
        "--base-url",
        server.base_url,
        "--model",
        "test-model",
        "--message",
        QUESTION,
        "--mcp-config",
        str(config),
    ]


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_kill_9_while_a_tool_runs_keeps_every_step_and_the_call_shows_interrupted(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "portable"
    database = AppPaths.portable(data_dir).database_file
    config = mcp_config(tmp_path)

    with OpenAITestServer() as server:
        server.enqueue(
            ChatScript.tool_calls(("a", "echo", {"text": "before"}), ("h", "hang", {})),
            ChatScript.text(AFTER),
        )

        # 1. The model calls two tools; the user allows both on their cards; the first
        #    answers, the second hangs: kill -9 while it runs.
        with AppProcess(args("tools", server, data_dir, config), tmp_path, "first run") as first:
            first.wait_for("SENT")
            assert first.wait_for("RUNNING") == "a"
            assert first.wait_for("RESULT") == "a"
            assert first.wait_for("RUNNING") == "h"
            children = psutil.Process(first.proc.pid).children(recursive=True)
            assert children, "no MCP server process was started"
            first.proc.send_signal(signal.SIGKILL)
            assert first.proc.wait(10) == -signal.SIGKILL
        # The MCP server's stdin closes with the app: it ends instead of hanging on.
        _gone, alive = psutil.wait_procs(children, timeout=15)
        for process in alive:
            process.kill()
        assert not alive, f"MCP server processes outlived the app: {alive}"

        on_disk = [(m.role, m.state, m.content) for m in stored_messages(database)]
        assert on_disk == [
            ("user", "finished", QUESTION),
            ("assistant", "finished", ""),
            ("tool", "finished", "echo: before"),
        ]

        # 2. Start again: the question, both calls (one done, one interrupted), nothing lost.
        with AppProcess(args("reopen", server, data_dir, config), tmp_path, "second run") as second:
            shown = json.loads(second.wait_for("REPORT"))
            second.wait_for("WAITING")
            transcript = shown["transcript"]
            assert QUESTION in transcript
            assert "Tool echo · Done" in transcript
            assert "Tool hang · Interrupted: the app closed before it finished" in transcript
            stored = shown["stored"]
            assert [m["role"] for m in stored] == ["user", "assistant", "tool"]
            assert stored[1]["tool_calls"] == ["a", "h"] and stored[2]["tool_call_id"] == "a"

            # 3. The app works: a new message is answered; the request is one providers
            #    accept (the interrupted call answered as such).
            second.send("send Go on, please.")
            assert second.wait_for("SENT") == "finished"
            after = json.loads(second.wait_for("REPORT"))
            assert second.proc.wait(30) == 0, second.diagnostics()

        assert AFTER in after["transcript"]
        sent = server.requests[-1].body or {}
        wire = [(m["role"], m.get("tool_call_id"), m.get("content")) for m in sent["messages"]]
        assert wire == [
            ("user", None, QUESTION),
            ("assistant", None, ""),
            ("tool", "a", "echo: before"),
            ("tool", "h", TOOL_INTERRUPTED),
            ("user", None, "Go on, please."),
        ]
        assert [call["id"] for call in sent["messages"][1]["tool_calls"]] == ["a", "h"]
