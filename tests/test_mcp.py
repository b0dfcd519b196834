"""MCP servers: configuration and its JSON import, secrets out of the settings file, and the
manager against the real test MCP server (tests/mcp_server.py) over stdio and HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import until
from tests.ports import closed_port
from zlay_desktop.core.mcp.config import (
    SECRET_PLACEHOLDER,
    McpConfigError,
    McpServerConfig,
    servers_from_json,
)
from zlay_desktop.core.mcp.manager import McpManager, ServerState
from zlay_desktop.core.mcp.secrets import resolve_secrets, store_secrets
from zlay_desktop.core.mcp.shell_path import LoginShellPath, merge_paths
from zlay_desktop.core.secrets import SessionSecretStore
from zlay_desktop.core.settings import Settings, SettingsFile

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "tok-abcdef-0123456789"


def stdio_server(name: str = "tools", *extra: str, **changes: object) -> McpServerConfig:
    config = McpServerConfig(
        id=f"id-{name}",
        name=name,
        command=sys.executable,
        args=("-m", "tests.mcp_server", "--name", name, *extra),
        env=(("TEST_TOKEN", TOKEN), ("PYTHONPATH", str(ROOT))),
    )
    return replace(config, **changes)  # type: ignore[arg-type]


def run(coro: object, timeout: float = 60.0) -> object:
    async def bounded() -> object:
        async with asyncio.timeout(timeout):
            return await coro  # type: ignore[misc]

    return asyncio.run(bounded())


# -- configuration ---------------------------------------------------------------------


CLAUDE_JSON = json.dumps(
    {
        "mcpServers": {
            "files": {"command": "npx", "args": ["-y", "@mcp/fs", "/tmp"]},
            "github": {
                "command": "docker",
                "args": ["run", "ghcr.io/github/mcp"],
                "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": TOKEN, "LOG_LEVEL": "info"},
            },
            "remote": {"url": "https://mcp.example/mcp", "headers": {"Authorization": "Bearer " + TOKEN}},
        }
    }
)


def test_the_standard_json_is_imported() -> None:
    servers = {s.name: s for s in servers_from_json(CLAUDE_JSON)}
    assert servers["files"].args == ("-y", "@mcp/fs", "/tmp")
    assert servers["github"].transport == "stdio"
    assert dict(servers["github"].env)["LOG_LEVEL"] == "info"
    assert servers["remote"].transport == "http"
    assert servers["remote"].approval == "ask"
    assert servers["remote"].call_timeout_s == 60.0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"mcpServers": {}}', "No servers"),
        ('{"mcpServers": {"x": {"args": ["a"]}}}', "either a command"),
        ('{"mcpServers": {"x": {"command": "a", "args": "b"}}}', "list of strings"),
    ],
)
def test_bad_json_is_refused_plainly(text: str, words: str) -> None:
    with pytest.raises(McpConfigError, match=words):
        servers_from_json(text)


def test_secrets_go_to_the_keyring_and_never_into_the_settings_file(tmp_path: Path) -> None:
    keyring = SessionSecretStore()  # the same SecretStore protocol as the OS keyring
    imported = servers_from_json(CLAUDE_JSON)
    stored = tuple(store_secrets(keyring, s) for s in imported)
    github = next(s for s in stored if s.name == "github")
    assert dict(github.env)["GITHUB_PERSONAL_ACCESS_TOKEN"] == SECRET_PLACEHOLDER
    assert dict(github.env)["LOG_LEVEL"] == "info"
    # Even a config still holding the values is written with placeholders.
    settings_file = SettingsFile(tmp_path / "settings.json")
    settings_file.save(Settings(mcp_servers=imported))
    for path in tmp_path.rglob("*"):
        assert TOKEN not in path.read_text(encoding="utf-8", errors="replace")
    loaded = settings_file.load().settings
    assert [s.name for s in loaded.mcp_servers] == ["files", "github", "remote"]
    remote = resolve_secrets(keyring, next(s for s in stored if s.name == "remote"))
    assert dict(remote.headers)["Authorization"] == "Bearer " + TOKEN


def test_the_settings_file_keeps_approval_and_always_allowed(tmp_path: Path) -> None:
    server = replace(stdio_server(), approval="allow_all", call_timeout_s=5.0, enabled=False)
    server = server.with_always_allowed("echo")
    settings_file = SettingsFile(tmp_path / "settings.json")
    settings_file.save(Settings(mcp_servers=(server,), tool_round_limit=3))
    loaded = settings_file.load().settings
    assert loaded.tool_round_limit == 3
    (back,) = loaded.mcp_servers
    assert (back.approval, back.call_timeout_s, back.enabled) == ("allow_all", 5.0, False)
    assert back.always_allowed == ("echo",)
    assert back.with_always_allowed("echo", False).always_allowed == ()


def test_the_login_shell_path_comes_first_and_the_current_one_stays() -> None:
    assert merge_paths("/a:/b", "/b:/c") == "/a:/b:/c"
    shell = LoginShellPath({"SHELL": "/bin/sh", "PATH": "/usr/bin:/zzz"})
    path = run(shell.get())
    assert isinstance(path, str) and "/zzz" in path.split(":")
    missing = LoginShellPath({"SHELL": "/nonexistent/shell", "PATH": "/only"})
    assert run(missing.get()) == "/only"


# -- the manager against a real server --------------------------------------------------


def test_stdio_server_tools_answer_fail_and_return_images() -> None:
    async def scenario() -> None:
        manager = McpManager([stdio_server()])
        try:
            listing = await manager.list_tools()
            assert not listing.problems
            tools = {t.name: t for t in listing.tools}
            assert tools["echo"].description == "Repeats the text it is given."
            assert "text" in json.dumps(tools["echo"].parameters)
            assert (await manager.call(tools["echo"], {"text": "hi"})).content == "echo: hi"
            failed = await manager.call(tools["fail"], {})
            assert failed.is_error
            image = await manager.call(tools["image"], {})
            assert image.images and image.images[0].mime_type == "image/png"
            assert (await manager.call(tools["shout"], {"text": "loud"})).content == "shouted"
            # stderr is kept for the UI, with the server's secret redacted. (The server
            # writes it before it answers, but it is read apart from the answer: wait.)
            await until(
                lambda: any("SHOUT loud" in line for line in manager.status("id-tools").stderr),
                what="the server's stderr",
            )
            status = manager.status("id-tools")
            assert status.state is ServerState.READY
            assert not any(TOKEN in line for line in status.stderr)
            assert (await manager.call(tools["env"], {"name": "TEST_TOKEN"})).content == TOKEN
            # Reused: the second listing does not start another process.
            again = await manager.list_tools()
            assert [t.name for t in again.tools] == [t.name for t in listing.tools]
        finally:
            await manager.aclose()
        assert manager.status("id-tools").state is ServerState.STOPPED

    run(scenario())


def test_a_hanging_call_times_out_and_a_dead_server_is_restarted() -> None:
    async def scenario() -> None:
        manager = McpManager([stdio_server(call_timeout_s=0.5)])
        try:
            tools = {t.name: t for t in (await manager.list_tools()).tools}
            hung = await manager.call(tools["hang"], {})
            assert hung.timed_out and "0.5 s" in hung.content
            died = await manager.call(tools["die"], {})
            assert died.is_error and "stopped during the call" in died.content
            assert (await manager.call(tools["echo"], {"text": "back"})).content == "echo: back"
        finally:
            await manager.aclose()

    run(scenario())


def test_a_call_is_cancelled_with_its_caller() -> None:
    async def scenario() -> None:
        manager = McpManager([stdio_server()])
        try:
            tools = {t.name: t for t in (await manager.list_tools()).tools}
            call = asyncio.ensure_future(manager.call(tools["hang"], {}))
            done, _ = await asyncio.wait([call], timeout=0.2)
            assert not done
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            assert (await manager.call(tools["echo"], {"text": "still"})).content == "echo: still"
        finally:
            await manager.aclose()

    run(scenario())


def test_a_server_that_fails_to_start_says_why_with_its_stderr() -> None:
    async def scenario() -> None:
        manager = McpManager([stdio_server("broken", "--fail-start"), stdio_server("ok")])
        try:
            listing = await manager.list_tools()
            assert {t.server_name for t in listing.tools} == {"ok"}
            assert len(listing.problems) == 1 and "broken" in listing.problems[0]
            status = manager.status("id-broken")
            assert status.state is ServerState.FAILED
            assert "cannot start: missing configuration" in status.stderr
        finally:
            await manager.aclose()
        missing = McpManager([replace(stdio_server("nope"), command="no-such-mcp-command")])
        listing = await missing.list_tools()
        assert "was not found" in listing.problems[0]
        await missing.aclose()

    run(scenario())


def test_a_server_silent_past_the_handshake_timeout_is_marked_failed() -> None:
    async def scenario() -> None:
        silent = replace(stdio_server("silent"), command=sys.executable, args=("-c", "import time; print('hm', file=__import__('sys').stderr, flush=True); time.sleep(60)"))
        manager = McpManager([silent], handshake_timeout_s=1.0)
        listing = await manager.list_tools()
        await manager.aclose()
        assert "did not answer within 1 s" in listing.problems[0]

    run(scenario())


def test_two_servers_with_the_same_tool_names_are_namespaced() -> None:
    async def scenario() -> None:
        manager = McpManager([stdio_server("alpha"), stdio_server("beta")])
        try:
            tools = {t.name: t for t in (await manager.list_tools()).tools}
            assert "alpha__echo" in tools and "beta__echo" in tools and "echo" not in tools
            result = await manager.call(tools["beta__echo"], {"text": "b"})
            assert result.content == "echo: b"
            assert tools["beta__echo"].tool_name == "echo"
        finally:
            await manager.aclose()

    run(scenario())


def test_approval_rules() -> None:
    saved: list[McpServerConfig] = []
    manager = McpManager(
        [stdio_server("asks"), stdio_server("trusted", approval="allow_all")],
        on_always_allowed=saved.append,
    )

    async def scenario() -> None:
        try:
            tools = {t.name: t for t in (await manager.list_tools()).tools}
            assert manager.needs_approval(tools["asks__echo"])
            assert not manager.needs_approval(tools["trusted__echo"])
            manager.always_allow(tools["asks__echo"])
            assert not manager.needs_approval(tools["asks__echo"])
            assert manager.needs_approval(tools["asks__shout"])
            assert saved[-1].always_allowed == ("echo",)
        finally:
            await manager.aclose()

    run(scenario())


@pytest.fixture
def http_mcp() -> Iterator[str]:
    port = closed_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.mcp_server", "--http", str(port), "--name", "web"],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(2000):  # until it listens (about a second), bounded
            if process.poll() is not None:
                raise AssertionError("the HTTP MCP server exited")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                break
            except OSError:
                # Not listening yet: wait a moment on the process itself (it may exit).
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.01)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_streamable_http_server(http_mcp: str) -> None:
    async def scenario() -> None:
        config = McpServerConfig(
            id="web", name="web", url=http_mcp, headers=(("Authorization", "Bearer " + TOKEN),)
        )
        manager = McpManager([config])
        try:
            tools = {t.name: t for t in (await manager.list_tools()).tools}
            assert (await manager.call(tools["echo"], {"text": "w"})).content == "echo: w"
            status = await manager.test(config)
            assert ("echo", "Repeats the text it is given.") in status.tools
        finally:
            await manager.aclose()
        down = McpManager([replace(config, url=f"http://127.0.0.1:{closed_port()}/mcp")])
        listing = await down.list_tools()
        await down.aclose()
        assert listing.problems and TOKEN not in listing.problems[0]

    run(scenario())
