"""Running MCP servers: started on first use, kept alive and reused, restarted on the next
use after they die, all stopped on close. Implements the tool loop's `Toolbox`.

Each server has one owner task that enters the SDK's `Client` and leaves it (the SDK's task
groups must be left by the task that entered them); calls are made from the caller's task
over the open session. A stdio server's stderr goes through a pipe read by a small thread:
its lines go to the log (redacted) and the last ones are kept for the UI.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zlay_desktop.core.errors import redact
from zlay_desktop.core.mcp.config import McpServerConfig
from zlay_desktop.core.mcp.shell_path import LoginShellPath
from zlay_desktop.core.tools import AvailableTool, ToolImage, ToolListing, ToolOutcome

if TYPE_CHECKING:
    from mcp import Client

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT_S = 60.0
"""A first `npx`/`uvx` run downloads packages: allow about a minute."""
STDERR_LINES_KEPT = 40
MAX_RESULT_CHARS = 100_000
"""Tool output beyond this is cut before it goes to the model (a token bill otherwise)."""
_NAME_OK = re.compile(r"[^a-zA-Z0-9_-]")


class ServerState(enum.StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    state: ServerState
    problem: str = ""
    stderr: tuple[str, ...] = ()
    tools: tuple[tuple[str, str], ...] = ()  # (name, description)


class McpServerError(Exception):
    """A server could not be used; `str()` says why in plain words (no secrets)."""


@dataclass(frozen=True, slots=True)
class _Tool:
    name: str
    description: str
    schema: dict[str, Any] = field(repr=False)


class _StderrPipe:
    """A pipe the child writes its stderr to, read line by line by a daemon thread."""

    def __init__(self, label: str, keep: deque[str], secrets: Sequence[str]) -> None:
        read_fd, write_fd = os.pipe()
        self.writer = os.fdopen(write_fd, "w", encoding="utf-8")
        self._reader = os.fdopen(read_fd, "r", encoding="utf-8", errors="replace")
        self._label, self._keep, self._secrets = label, keep, secrets
        threading.Thread(target=self._read, name=f"mcp-stderr-{label}", daemon=True).start()

    def _read(self) -> None:
        with self._reader:
            for raw in self._reader:
                line = redact(raw.rstrip("\n"), list(self._secrets))[:500]
                self._keep.append(line)
                log.info("mcp %s: %s", self._label, line)

    def close(self) -> None:
        # The child has its own copy; the reader sees the end once the child is gone too.
        with contextlib.suppress(OSError):
            self.writer.close()


class _Server:
    """One configured server and, while it runs, its connection."""

    def __init__(self, config: McpServerConfig, manager: McpManager) -> None:
        self.config = config
        self._manager = manager
        self.state = ServerState.STOPPED
        self.problem = ""
        self.stderr: deque[str] = deque(maxlen=STDERR_LINES_KEPT)
        self.tools: tuple[_Tool, ...] = ()
        self.client: Client | None = None
        self._owner: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[None] | None = None
        self._stop = asyncio.Event()

    def status(self) -> ServerStatus:
        return ServerStatus(
            self.state,
            self.problem,
            tuple(self.stderr),
            tuple((t.name, t.description) for t in self.tools),
        )

    async def ensure_started(self) -> None:
        """Starts the server unless it runs; raises `McpServerError` when it cannot."""
        if self.state is ServerState.READY and self._owner is not None and not self._owner.done():
            return
        if self._ready is None or self._ready.done():
            await self._cleanup()
            loop = asyncio.get_running_loop()
            self._ready = loop.create_future()
            self._stop = asyncio.Event()
            self.state = ServerState.STARTING
            self.problem = ""
            self._owner = asyncio.ensure_future(self._run(self._ready))
        await asyncio.shield(self._ready)

    async def _run(self, ready: asyncio.Future[None]) -> None:
        from mcp import Client

        config = await self._manager.resolve(self.config)
        secrets = [v for _, v in (*config.env, *config.headers) if v]
        pipe: _StderrPipe | None = None
        try:
            try:
                if config.transport == "stdio":
                    pipe = _StderrPipe(config.name, self.stderr, secrets)
                    transport = await self._manager.stdio_transport(config, pipe)
                    client = Client(transport)
                else:
                    client = Client(_http_transport(config))
                async with asyncio.timeout(self._manager.handshake_timeout_s):
                    await client.__aenter__()
            except TimeoutError:
                raise McpServerError(
                    f"{config.name} did not answer within "
                    f"{self._manager.handshake_timeout_s:.0f} s."
                ) from None
            try:
                async with asyncio.timeout(self._manager.handshake_timeout_s):
                    listing = await _all_tools(client)
                self.tools = listing
                self.client = client
                self.state = ServerState.READY
                log.info("mcp %s: ready with %d tool(s)", config.name, len(listing))
                if not ready.done():
                    ready.set_result(None)
                await self._stop.wait()
            finally:
                self.client = None
                with contextlib.suppress(Exception):
                    await client.__aexit__(None, None, None)
        except asyncio.CancelledError:
            self._fail(ready, McpServerError(f"{config.name} was stopped."))
            raise
        except McpServerError as exc:
            self._fail(ready, exc)
        except BaseException as exc:  # noqa: BLE001 - the SDK raises groups, OSError, anything
            self._fail(ready, McpServerError(_start_problem(config, exc, secrets)))
        finally:
            if pipe is not None:
                pipe.close()
            if self.state is ServerState.READY:
                self.state = ServerState.STOPPED

    def _fail(self, ready: asyncio.Future[None], exc: McpServerError) -> None:
        self.state = ServerState.FAILED
        self.problem = str(exc)
        self.tools = ()
        log.warning("mcp %s: %s", self.config.name, exc)
        if not ready.done():
            ready.set_exception(exc)
            ready.exception()  # retrieved: a start nobody waits for is not an error

    def mark_dead(self, why: str) -> None:
        """The connection broke: stop what is left; the next use starts it again."""
        self.problem = why
        self._stop.set()
        self.state = ServerState.FAILED

    async def _cleanup(self) -> None:
        owner, self._owner = self._owner, None
        if owner is not None and not owner.done():
            self._stop.set()
            try:
                async with asyncio.timeout(10):
                    await asyncio.shield(owner)
            except TimeoutError:
                owner.cancel()
            except Exception:  # the owner records its own failures
                log.debug("mcp owner ended with an error", exc_info=True)

    async def stop(self) -> None:
        await self._cleanup()
        if self._ready is not None and not self._ready.done():
            self._ready.cancel()
        self.client = None
        if self.state is not ServerState.FAILED:
            self.state = ServerState.STOPPED


def _http_transport(config: McpServerConfig) -> Any:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    http = httpx2.AsyncClient(
        headers=dict(config.headers),
        timeout=httpx2.Timeout(30.0, read=300.0),
    )
    return _OwnedHttp(streamable_http_client(config.url, http_client=http), http)


class _OwnedHttp:
    """The SDK's HTTP transport plus the HTTP client it was given, closed with it."""

    def __init__(self, inner: Any, http: Any) -> None:
        self._inner, self._http = inner, http

    async def __aenter__(self) -> Any:
        return await self._inner.__aenter__()

    async def __aexit__(self, *exc: Any) -> Any:
        try:
            return await self._inner.__aexit__(*exc)
        finally:
            await self._http.aclose()


async def _all_tools(client: Client) -> tuple[_Tool, ...]:
    tools: list[_Tool] = []
    cursor: str | None = None
    for _ in range(100):  # a server paging forever must not hang us
        page = await client.list_tools(cursor=cursor)
        tools.extend(
            _Tool(t.name, t.description or "", dict(t.input_schema or {})) for t in page.tools
        )
        cursor = page.next_cursor
        if not cursor:
            break
    return tuple(tools)


def _leaves(exc: BaseException) -> Iterable[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from _leaves(inner)
    else:
        yield exc


def _start_problem(config: McpServerConfig, exc: BaseException, secrets: Sequence[str]) -> str:
    leaf = next(iter(_leaves(exc)), exc)
    if isinstance(leaf, FileNotFoundError):
        return (
            f"{config.name}: the command {config.command!r} was not found (not on the PATH of "
            "your login shell either). Give its full path, or install it."
        )
    if isinstance(leaf, PermissionError):
        return f"{config.name}: the command {config.command!r} cannot be run (permission)."
    text = redact(f"{type(leaf).__name__}: {leaf}", list(secrets))[:300]
    return f"{config.name} could not be started or reached ({text})."


def _outcome(result: Any) -> ToolOutcome:
    """A CallToolResult as text for the model (images noted, kept for showing)."""
    texts: list[str] = []
    images: list[ToolImage] = []
    for part in result.content:
        kind = getattr(part, "type", "")
        if kind == "text":
            texts.append(part.text)
        elif kind == "image":
            images.append(ToolImage(part.mime_type, part.data))
            texts.append(f"[image: {part.mime_type}, shown to the user]")
        elif kind == "resource":
            resource = part.resource
            text = getattr(resource, "text", None)
            texts.append(text if isinstance(text, str) else f"[resource: {resource.uri}]")
        else:
            texts.append(f"[{kind or 'unknown'} content]")
    if not texts and result.structured_content is not None:
        texts.append(json.dumps(result.structured_content, ensure_ascii=False))
    content = "\n".join(texts)
    if len(content) > MAX_RESULT_CHARS:
        content = content[:MAX_RESULT_CHARS] + f"\n[cut: the result had {len(content)} characters]"
    return ToolOutcome(content, is_error=bool(result.is_error), images=tuple(images))


Resolver = Callable[[McpServerConfig], McpServerConfig]
AlwaysAllowed = Callable[[McpServerConfig], None]


class McpManager:
    """The configured servers and their connections. Used from one event loop."""

    def __init__(
        self,
        servers: Sequence[McpServerConfig] = (),
        *,
        resolve: Resolver | None = None,
        shell_path: LoginShellPath | None = None,
        handshake_timeout_s: float = HANDSHAKE_TIMEOUT_S,
        on_always_allowed: AlwaysAllowed | None = None,
    ) -> None:
        """`resolve`: fills in a config's secrets (from the keyring) before it starts.
        `on_always_allowed`: told the server's new config when a tool got "always allow"
        (the app saves it)."""
        self._resolve = resolve or (lambda c: c)
        self.shell_path = shell_path or LoginShellPath()
        self.handshake_timeout_s = handshake_timeout_s
        self.on_always_allowed = on_always_allowed
        self._servers: dict[str, _Server] = {}
        self._closing: list[asyncio.Task[None]] = []
        self.configure(servers)

    # -- configuration -------------------------------------------------------------------

    @property
    def servers(self) -> tuple[McpServerConfig, ...]:
        return tuple(s.config for s in self._servers.values())

    def configure(self, servers: Sequence[McpServerConfig]) -> None:
        """Takes a new list of servers. A server whose way of starting changed (or that is
        gone or disabled) is stopped; the others keep running."""
        old = self._servers
        self._servers = {}
        for config in servers:
            server = old.pop(config.id, None)
            if server is not None and _same_process(server.config, config) and config.enabled:
                server.config = config
            else:
                if server is not None:
                    self._stop_later(server)
                server = _Server(config, self)
            self._servers[config.id] = server
        for server in old.values():
            self._stop_later(server)

    def _stop_later(self, server: _Server) -> None:
        if server.state in (ServerState.READY, ServerState.STARTING):
            task = asyncio.ensure_future(server.stop())
            self._closing.append(task)
            task.add_done_callback(self._closing.remove)

    def status(self, server_id: str) -> ServerStatus:
        server = self._servers.get(server_id)
        return server.status() if server is not None else ServerStatus(ServerState.STOPPED)

    async def resolve(self, config: McpServerConfig) -> McpServerConfig:
        return self._resolve(config)

    async def stdio_transport(self, config: McpServerConfig, pipe: _StderrPipe) -> Any:
        from mcp import StdioServerParameters
        from mcp.client.stdio import stdio_client

        path = await self.shell_path.get()
        env = {"PATH": path, **dict(config.env)}
        command = config.command
        if os.sep not in command:
            # The SDK spawns with the app's PATH: look the command up on the login one.
            import shutil

            command = shutil.which(command, path=path) or command
        params = StdioServerParameters(command=command, args=list(config.args), env=env)
        return stdio_client(params, errlog=pipe.writer)

    # -- the Toolbox ---------------------------------------------------------------------

    async def list_tools(self, servers: Collection[str] = ()) -> ToolListing:
        """The enabled servers' tools, starting servers that are not running (together);
        `servers`: only these (by name; none given: all). Names are made unique:
        `server__tool` when two servers share a tool name."""
        enabled = [
            s
            for s in self._servers.values()
            if s.config.enabled and (not servers or s.config.name in servers)
        ]
        results = await asyncio.gather(
            *(s.ensure_started() for s in enabled), return_exceptions=True
        )
        problems: list[str] = []
        ready: list[_Server] = []
        for server, result in zip(enabled, results, strict=True):
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                problems.append(str(result) or server.problem)
            else:
                ready.append(server)
        counts: dict[str, int] = {}
        for server in ready:
            for tool in server.tools:
                counts[tool.name] = counts.get(tool.name, 0) + 1
        tools: list[AvailableTool] = []
        taken: set[str] = set()
        for server in ready:
            for tool in server.tools:
                name = tool.name
                if counts[name] > 1:
                    name = f"{server.config.name}__{name}"
                name = _NAME_OK.sub("_", name)[:64] or "tool"
                base, n = name, 1
                while name in taken:
                    n += 1
                    name = f"{base[:60]}_{n}"
                taken.add(name)
                tools.append(
                    AvailableTool(
                        name=name,
                        description=tool.description,
                        parameters=tool.schema,
                        server_id=server.config.id,
                        server_name=server.config.name,
                        tool_name=tool.name,
                    )
                )
        return ToolListing(tuple(tools), tuple(problems))

    def needs_approval(self, tool: AvailableTool) -> bool:
        server = self._servers.get(tool.server_id)
        if server is None:
            return True
        config = server.config
        return config.approval != "allow_all" and tool.tool_name not in config.always_allowed

    def always_allow(self, tool: AvailableTool) -> None:
        server = self._servers.get(tool.server_id)
        if server is None:
            return
        server.config = server.config.with_always_allowed(tool.tool_name)
        if self.on_always_allowed is not None:
            self.on_always_allowed(server.config)

    async def call(self, tool: AvailableTool, arguments: dict[str, Any]) -> ToolOutcome:
        """Runs a tool with its server's timeout. Cancelling the caller cancels the call."""
        server = self._servers.get(tool.server_id)
        if server is None or not server.config.enabled:
            return ToolOutcome(f"The server {tool.server_name} is no longer enabled.", True)
        timeout = server.config.call_timeout_s
        try:
            await server.ensure_started()
        except McpServerError as exc:
            return ToolOutcome(f"The tool could not be run: {exc}", is_error=True)
        client = server.client
        if client is None:
            return ToolOutcome(f"The server {tool.server_name} stopped.", is_error=True)
        try:
            async with asyncio.timeout(timeout):
                result = await client.call_tool(tool.tool_name, arguments)
        except TimeoutError:
            return ToolOutcome(
                f"The tool {tool.tool_name} did not answer within {timeout:g} s and was "
                "abandoned. Its server may still be working on it.",
                is_error=True,
                timed_out=True,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken server must not break the chat
            from mcp import MCPError

            if isinstance(exc, MCPError) and "closed" not in str(exc).lower():
                return ToolOutcome(f"The tool failed: {exc}", is_error=True)
            why = f"{tool.server_name} stopped during the call ({type(exc).__name__})."
            server.mark_dead(why)
            return ToolOutcome(f"The tool could not finish: {why}", is_error=True)
        return _outcome(result)

    # -- testing a configuration, and the end ----------------------------------------------

    async def test(self, config: McpServerConfig) -> ServerStatus:
        """Connects to `config` once (not kept) and says what it offers or why it failed."""
        server = _Server(config, self)
        try:
            await server.ensure_started()
            return server.status()
        except McpServerError:
            return server.status()
        finally:
            await server.stop()

    async def aclose(self) -> None:
        """Stops every server (their processes included)."""
        servers = list(self._servers.values())
        await asyncio.gather(*(s.stop() for s in servers), return_exceptions=True)
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)


def _same_process(a: McpServerConfig, b: McpServerConfig) -> bool:
    return (a.command, a.args, a.env, a.url, a.headers) == (
        b.command,
        b.args,
        b.env,
        b.url,
        b.headers,
    )
