"""An assistant's MCP servers: only their tools are offered to the model (the real session,
the test server and two real stdio MCP servers)."""

from __future__ import annotations

import asyncio

from tests.test_mcp import stdio_server
from tests.testserver import ChatScript, OpenAITestServer, offered_tools
from zlay_desktop.core.assistants import Assistant
from zlay_desktop.core.chat_session import ChatSession
from zlay_desktop.core.mcp.manager import McpManager
from zlay_desktop.core.settings import Settings
from zlay_desktop.core.streaming import OpenAIChatBackend
from zlay_desktop.core.targets import Overrides, resolve_target


def offered_for(server: OpenAITestServer, assistant: Assistant) -> list[str]:
    """The tool names the server was offered when `assistant` asked."""
    resolved = resolve_target(
        Settings(), None, None, Overrides(base_url=server.base_url, model="m"), None, assistant
    )
    target = resolved.target
    assert target is not None and target.tool_servers == assistant.mcp_servers
    server.enqueue(ChatScript.text("no tools needed"))
    seen = len(server.requests)

    async def main() -> None:
        manager = McpManager(
            [stdio_server("alpha", approval="allow_all"), stdio_server("beta", approval="allow_all")]
        )
        session = ChatSession(OpenAIChatBackend())
        session.toolbox = manager
        try:
            async with asyncio.timeout(60):
                await session.send("hi", target, lambda _event: None)
        finally:
            await session.aclose()
            await manager.aclose()

    asyncio.run(main())
    return sorted(offered_tools(server.requests[seen]))


def test_an_assistant_offers_only_the_tools_of_its_mcp_servers(server: OpenAITestServer) -> None:
    everything = offered_for(server, Assistant(id="a", name="All"))
    assert "alpha__echo" in everything and "beta__echo" in everything
    only_beta = offered_for(server, Assistant(id="b", name="Beta", mcp_servers=("beta",)))
    assert "echo" in only_beta  # one server: its own names, nothing from alpha
    assert not any(name.startswith("alpha") for name in only_beta)
    assert len(only_beta) < len(everything)
