"""The tool loop through the real parts: ChatSession streaming from the project's test server
(real openai SDK, real socket), tools run by McpManager on the real test MCP server
(tests/mcp_server.py over stdio), every step saved in a real history database."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

from tests.conftest import until
from tests.mcp_server import PNG
from tests.test_mcp import stdio_server
from tests.testserver import (
    ChatScript,
    OpenAITestServer,
    RecordedRequest,
    Script,
    offered_tools,
    tool_results,
)
from zlay_desktop.core.chat_session import ChatSession, ReplyTarget
from zlay_desktop.core.events import StreamEvent, ToolMessageAdded, ToolNotice
from zlay_desktop.core.mcp.config import McpServerConfig
from zlay_desktop.core.mcp.manager import McpManager
from zlay_desktop.core.models import (
    ChatParams,
    ChatRequest,
    Endpoint,
    Message,
    ReplyState,
    Role,
    ToolCall,
)
from zlay_desktop.core.store import SqliteHistoryStore
from zlay_desktop.core.streaming import OpenAIChatBackend, build_messages, history_for_request
from zlay_desktop.core.tools import (
    TOOL_DECLINED,
    TOOL_INTERRUPTED,
    TOOL_STOPPED,
    ApprovalDecision,
    ToolApprovalRequest,
    ToolStatus,
    tool_status,
)


@dataclass
class Approver:
    """The user: answers each request with the next decision (or waits for `gate`)."""

    decisions: list[ApprovalDecision] = field(default_factory=list)
    asked: list[ToolApprovalRequest] = field(default_factory=list)
    gate: asyncio.Event | None = None

    async def __call__(self, request: ToolApprovalRequest) -> ApprovalDecision:
        self.asked.append(request)
        if self.gate is not None:
            await self.gate.wait()
        return self.decisions.pop(0) if self.decisions else ApprovalDecision.ALLOW


@dataclass
class Loop:
    session: ChatSession
    manager: McpManager
    store: SqliteHistoryStore
    events: list[StreamEvent] = field(default_factory=list)
    saved: list[McpServerConfig] = field(default_factory=list)

    def notices(self) -> list[str]:
        return [e.text for e in self.events if isinstance(e, ToolNotice)]

    def on_disk(self) -> list[Message]:
        assert self.session.conversation is not None
        return self.store.messages(self.session.conversation.id)


def run_loop(
    server: OpenAITestServer,
    store: SqliteHistoryStore,
    servers: Sequence[McpServerConfig],
    approver: Approver,
    body: Callable[[Loop, asyncio.Task[Message]], Awaitable[None]] | None = None,
    rounds: int = 10,
) -> Loop:
    async def main() -> Loop:
        loop = Loop(ChatSession(OpenAIChatBackend(), store), McpManager(servers), store)
        loop.manager.on_always_allowed = loop.saved.append
        loop.session.toolbox = loop.manager
        loop.session.approver = approver
        loop.session.max_tool_rounds = rounds
        target = ReplyTarget(Endpoint(server.base_url, "k"), ChatParams(model="test-model"))
        task = asyncio.ensure_future(loop.session.send("Use tools", target, loop.events.append))
        try:
            async with asyncio.timeout(60):
                if body is not None:
                    await body(loop, task)
                await asyncio.gather(task, return_exceptions=True)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await loop.session.aclose()
            await loop.manager.aclose()
        return loop

    return asyncio.run(main())


def answer_with_results(request: RecordedRequest) -> Script:
    """The second reply: it quotes what the tools gave, so the test sees it was sent."""
    results = tool_results(request)
    return ChatScript.text("Results: " + " | ".join(f"{k}={v}" for k, v in sorted(results.items())))


def roles(messages: list[Message]) -> list[str]:
    return [m.role.value for m in messages]


def test_an_allowed_call_runs_and_the_next_reply_uses_its_result(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(ChatScript.tool_calls(("c1", "echo", {"text": "hi"})), answer_with_results)
    approver = Approver([ApprovalDecision.ALLOW])
    loop = run_loop(server, store, [stdio_server()], approver)
    (asked,) = approver.asked
    assert (asked.server_name, asked.tool_name) == ("tools", "echo")
    assert '"text": "hi"' in asked.arguments and asked.description
    on_disk = loop.on_disk()
    assert roles(on_disk) == ["user", "assistant", "tool", "assistant"]
    assert on_disk[1].tool_calls == (ToolCall("c1", "echo", '{"text": "hi"}'),)
    assert (on_disk[2].tool_call_id, on_disk[2].content) == ("c1", "echo: hi")
    assert tool_status(on_disk[2]) is ToolStatus.DONE and on_disk[2].finish_reason == "done"
    assert on_disk[2].timings is not None and on_disk[2].timings.duration_s is not None
    assert on_disk[3].content == "Results: c1=echo: hi"
    first, second = server.requests
    assert "echo" in offered_tools(first) and "echo" in offered_tools(second)
    sent = second.body["messages"] if second.body else []
    assert sent[1]["tool_calls"][0] == {
        "id": "c1",
        "type": "function",
        "function": {"name": "echo", "arguments": '{"text": "hi"}'},
    }
    assert sent[2] == {"role": "tool", "content": "echo: hi", "tool_call_id": "c1"}
    assert [e.index for e in loop.events if isinstance(e, ToolMessageAdded)] == [2]


def test_a_denied_call_is_answered_as_declined_and_parallel_calls_all_get_answers(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(
        ChatScript.tool_calls(("a", "echo", {"text": "1"}), ("b", "shout", {"text": "2"})),
        answer_with_results,
    )
    approver = Approver([ApprovalDecision.DENY, ApprovalDecision.ALLOW])
    loop = run_loop(server, store, [stdio_server()], approver)
    assert [r.tool_name for r in approver.asked] == ["echo", "shout"]
    assert loop.on_disk()[-1].content == f"Results: a={TOOL_DECLINED} | b=shouted"
    statuses = [tool_status(m) for m in loop.on_disk() if m.role is Role.TOOL]
    assert statuses == [ToolStatus.DENIED, ToolStatus.DONE]


def test_always_allow_is_remembered_and_not_asked_again(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(
        ChatScript.tool_calls(("a", "echo", {"text": "1"})),
        ChatScript.tool_calls(("b", "echo", {"text": "2"})),
        answer_with_results,
    )
    approver = Approver([ApprovalDecision.ALWAYS_ALLOW])
    loop = run_loop(server, store, [stdio_server()], approver)
    assert len(approver.asked) == 1
    assert loop.saved[-1].always_allowed == ("echo",)
    assert loop.on_disk()[-1].content == "Results: a=echo: 1 | b=echo: 2"


def test_a_call_that_times_out_tells_the_model_and_the_user(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(ChatScript.tool_calls(("t", "hang", {})), answer_with_results)
    config = stdio_server(call_timeout_s=0.5, approval="allow_all")
    loop = run_loop(server, store, [config], Approver())
    assert "did not answer within 0.5 s" in loop.on_disk()[-1].content
    assert tool_status(loop.on_disk()[2]) is ToolStatus.TIMED_OUT
    assert any("did not answer" in n for n in loop.notices())


def test_a_server_that_fails_to_start_is_said_and_the_chat_goes_on(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(ChatScript.text("No tools today"))
    loop = run_loop(
        server, store, [stdio_server("broken", "--fail-start"), stdio_server("ok")], Approver()
    )
    assert any("broken" in n for n in loop.notices())
    (request,) = server.requests
    assert offered_tools(request) and all(t != "broken" for t in offered_tools(request))
    assert loop.on_disk()[-1].content == "No tools today"


def test_a_server_that_dies_mid_call_is_reported_then_restarted(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(
        ChatScript.tool_calls(("d", "die", {})),
        ChatScript.tool_calls(("e", "echo", {"text": "back"})),
        answer_with_results,
    )
    loop = run_loop(server, store, [stdio_server(approval="allow_all")], Approver())
    final = loop.on_disk()[-1].content
    assert "stopped during the call" in final and "e=echo: back" in final


def test_two_servers_sharing_tool_names_are_told_apart(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(ChatScript.tool_calls(("x", "beta__echo", {"text": "b"})), answer_with_results)
    loop = run_loop(
        server,
        store,
        [stdio_server("alpha", approval="allow_all"), stdio_server("beta", approval="allow_all")],
        Approver(),
    )
    assert {"alpha__echo", "beta__echo"} <= set(offered_tools(server.requests[0]))
    assert loop.on_disk()[-1].content == "Results: x=echo: b"


def test_the_round_limit_stops_the_loop_and_says_so(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.set_default(ChatScript.tool_calls(("again", "echo", {"text": "more"})))
    loop = run_loop(server, store, [stdio_server(approval="allow_all")], Approver(), rounds=2)
    assert len(server.requests) == 3
    on_disk = loop.on_disk()
    assert roles(on_disk) == ["user"] + ["assistant", "tool"] * 3
    assert "limit of 2 rounds" in on_disk[-1].content
    assert tool_status(on_disk[-1]) is ToolStatus.NOT_RUN
    assert any("stopped after 2 rounds" in n for n in loop.notices())


def test_stop_cancels_a_call_in_flight_and_ends_the_loop(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(ChatScript.tool_calls(("h", "hang", {}), ("n", "echo", {"text": "no"})))

    async def stop_mid_call(loop: Loop, task: asyncio.Task[Message]) -> None:
        await until(lambda: "hanging now" in loop.manager.status("id-tools").stderr, 30)
        assert loop.session.stop()
        final = await task
        assert final.state is ReplyState.FINISHED and final.tool_calls
        assert not loop.session.busy

    loop = run_loop(server, store, [stdio_server(approval="allow_all")], Approver(), stop_mid_call)
    assert len(server.requests) == 1
    tools = [m for m in loop.on_disk() if m.role is Role.TOOL]
    assert [(m.tool_call_id, m.content) for m in tools] == [("h", TOOL_STOPPED), ("n", TOOL_STOPPED)]
    assert {tool_status(m) for m in tools} == {ToolStatus.STOPPED}


def test_stop_while_the_user_is_asked_withdraws_the_question(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(ChatScript.tool_calls(("a", "echo", {"text": "1"})))
    approver = Approver(gate=asyncio.Event())

    async def stop_while_asking(loop: Loop, task: asyncio.Task[Message]) -> None:
        await until(lambda: bool(approver.asked), 30)
        assert loop.session.stop()
        await task

    loop = run_loop(server, store, [stdio_server()], approver, stop_while_asking)
    assert loop.on_disk()[-1].content == TOOL_STOPPED


def test_a_history_cut_by_a_crash_is_sent_in_a_shape_providers_accept() -> None:
    calls = (ToolCall("a", "echo", "{}"), ToolCall("b", "echo", "{}"))
    messages = [
        Message(Role.USER, "go"),
        Message(Role.ASSISTANT, "", tool_calls=calls),
        Message(Role.TOOL, "done", tool_call_id="a"),
        # the app died here: b has no answer
        Message(Role.USER, "go on"),
        Message(Role.ASSISTANT, "half", tool_calls=calls, state=ReplyState.INTERRUPTED),
        Message(Role.TOOL, "orphan", tool_call_id="zzz"),
    ]
    history = history_for_request(messages)
    assert [(m.role.value, m.tool_call_id) for m in history] == [
        ("user", None),
        ("assistant", None),
        ("tool", "a"),
        ("tool", "b"),
        ("user", None),
        ("assistant", None),
    ]
    assert history[3].content == TOOL_INTERRUPTED
    assert history[5].tool_calls == ()
    wire = build_messages(ChatRequest(Endpoint("http://x"), ChatParams("m"), history))
    assert wire[3] == {"role": "tool", "content": TOOL_INTERRUPTED, "tool_call_id": "b"}


def test_a_loop_killed_mid_way_leaves_every_finished_step_on_disk(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    """What kill -9 would leave: everything saved up to the step in progress (the app's
    task cancelled mid-call here; the saves already made are what a crash keeps)."""
    server.enqueue(ChatScript.tool_calls(("a", "echo", {"text": "1"}), ("h", "hang", {})))

    async def crash_mid_call(loop: Loop, task: asyncio.Task[Message]) -> None:
        await until(lambda: "hanging now" in loop.manager.status("id-tools").stderr, 30)
        on_disk = loop.on_disk()
        assert roles(on_disk) == ["user", "assistant", "tool"]
        assert on_disk[1].tool_calls and on_disk[2].content == "echo: 1"
        task.cancel()

    config = replace(stdio_server(), approval="allow_all")
    loop = run_loop(server, store, [config], Approver(), crash_mid_call)
    history = history_for_request(loop.on_disk())
    assert history[-1].tool_call_id == "h" and history[-1].content == TOOL_INTERRUPTED


def test_a_tool_s_images_are_kept_with_its_result_and_only_its_words_are_sent(
    server: OpenAITestServer, store: SqliteHistoryStore
) -> None:
    server.enqueue(ChatScript.tool_calls(("i", "image", {})), answer_with_results)
    loop = run_loop(server, store, [stdio_server(approval="allow_all")], Approver())
    tool = loop.on_disk()[2]
    (picture,) = tool.attachments
    assert (picture.name, picture.mime, picture.tokens) == ("image-1.png", "image/png", 0)
    assert store.attachment_data([picture.sha256])[picture.sha256] == base64.b64decode(PNG)
    sent = server.requests[-1].body or {}
    assert sent["messages"][2] == {
        "role": "tool",
        "content": "[image: image/png, shown to the user]",
        "tool_call_id": "i",
    }


def test_results_saved_before_statuses_were_kept_get_theirs_from_their_words() -> None:
    def old(content: str) -> Message:
        return Message(Role.TOOL, content, tool_call_id="x")

    assert tool_status(old(TOOL_DECLINED)) is ToolStatus.DENIED
    assert tool_status(old(TOOL_STOPPED)) is ToolStatus.STOPPED
    assert tool_status(old("echo: 1")) is ToolStatus.DONE
