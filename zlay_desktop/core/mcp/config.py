"""MCP server configuration: the dataclass, the de-facto `{"mcpServers": {...}}` import, and
the settings file's form of it (secrets replaced by a placeholder, see `mcp/secrets.py`)."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from zlay_desktop.core.i18n import translate

ApprovalMode = Literal["ask", "allow_all"]
APPROVAL_MODES: tuple[ApprovalMode, ...] = ("ask", "allow_all")
DEFAULT_CALL_TIMEOUT_S = 60.0
SECRET_PLACEHOLDER = "<in keyring>"
"""What the settings file holds instead of a secret value."""

# Names of env variables and headers whose values are secrets.
_SECRET_NAME = re.compile(
    r"token|key|secret|passw|pwd|auth|credential|cookie|bearer|session", re.IGNORECASE
)


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class McpServerConfig:
    """One MCP server: stdio (`command`) or Streamable HTTP (`url`)."""

    id: str
    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    env: Pairs = field(default=(), repr=False)
    url: str = ""
    headers: Pairs = field(default=(), repr=False)
    enabled: bool = True
    call_timeout_s: float = DEFAULT_CALL_TIMEOUT_S
    approval: ApprovalMode = "ask"
    always_allowed: tuple[str, ...] = ()  # tool names run without asking

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    @property
    def transport(self) -> Literal["stdio", "http"]:
        return "http" if self.url else "stdio"

    def problem(self) -> str | None:
        """Why this server cannot be used as configured, or None."""
        if not self.name.strip():
            return translate("McpConfig", "Give the server a name.")
        if bool(self.command.strip()) == bool(self.url.strip()):
            return translate(
                "McpConfig", "Give either a command (a local server) or a URL (a remote one)."
            )
        if self.url and not self.url.strip().startswith(("http://", "https://")):
            return translate("McpConfig", "The server URL must start with http:// or https://.")
        if not (self.call_timeout_s > 0):
            return translate("McpConfig", "The call timeout must be a positive number of seconds.")
        return None

    def secret_names(self) -> tuple[tuple[Literal["env", "header"], str], ...]:
        return tuple(("env", k) for k, _ in self.env if is_secret_name(k)) + tuple(
            ("header", k) for k, _ in self.headers if is_secret_name(k)
        )

    def with_always_allowed(self, tool: str, allowed: bool = True) -> McpServerConfig:
        rest = tuple(t for t in self.always_allowed if t != tool)
        return replace(self, always_allowed=(*rest, tool) if allowed else rest)


class McpConfigError(ValueError):
    """The JSON could not be read as MCP servers; the message says why, plainly."""


def servers_from_json(text: str) -> tuple[McpServerConfig, ...]:
    """Reads `{"mcpServers": {"name": {...}}}` (Claude Desktop, Cursor, LM Studio), also
    accepting the bare inner object. Values are kept as given (secrets included): the
    caller stores them in the keyring before anything is saved."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise McpConfigError(
            translate("McpConfig", "This is not valid JSON ({0}, line {1}).").format(
                e.msg, e.lineno
            )
        ) from None
    if not isinstance(data, dict):
        raise McpConfigError(
            translate("McpConfig", 'Expected a JSON object like {"mcpServers": {...}}.')
        )
    servers = data.get("mcpServers", data.get("servers", data))
    if not isinstance(servers, dict) or not servers:
        raise McpConfigError(
            translate("McpConfig", 'No servers found: expected {"mcpServers": {"name": {...}}}.')
        )
    out = []
    for name, entry in servers.items():
        if not isinstance(entry, dict):
            raise McpConfigError(
                translate("McpConfig", "Server {0!r} is not a JSON object.").format(name)
            )
        config = _from_standard(str(name), entry)
        problem = config.problem()
        if problem:
            raise McpConfigError(f"Server {name!r}: {problem}")
        out.append(config)
    return tuple(out)


def _from_standard(name: str, entry: dict[str, Any]) -> McpServerConfig:
    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise McpConfigError(
                translate("McpConfig", "Server {0!r}: {1!r} must be a list of strings.").format(
                    name, key
                )
            )
        return tuple(value)

    def mapping(key: str) -> Pairs:
        value = entry.get(key, {})
        if not isinstance(value, dict):
            raise McpConfigError(
                translate("McpConfig", "Server {0!r}: {1!r} must be an object.").format(name, key)
            )
        return tuple((str(k), str(v)) for k, v in value.items())

    command = entry.get("command", "")
    url = entry.get("url", entry.get("serverUrl", ""))
    if not isinstance(command, str) or not isinstance(url, str):
        raise McpConfigError(
            translate("McpConfig", "Server {0!r}: 'command' and 'url' must be text.").format(name)
        )
    disabled = entry.get("disabled", False)
    return McpServerConfig(
        id=McpServerConfig.new_id(),
        name=name,
        command=command,
        args=strings("args"),
        env=mapping("env"),
        url=url,
        headers=mapping("headers"),
        enabled=disabled is not True,
    )


def server_to_json(server: McpServerConfig) -> dict[str, Any]:
    """The settings file's form: every secret value replaced by the placeholder, whoever
    built the config (the keyring holds the values)."""

    def pairs(items: Pairs) -> dict[str, str]:
        return {k: (SECRET_PLACEHOLDER if is_secret_name(k) and v else v) for k, v in items}

    return {
        "id": server.id,
        "name": server.name,
        "command": server.command,
        "args": list(server.args),
        "env": pairs(server.env),
        "url": server.url,
        "headers": pairs(server.headers),
        "enabled": server.enabled,
        "call_timeout_s": server.call_timeout_s,
        "approval": server.approval,
        "always_allowed": list(server.always_allowed),
    }


def server_from_json(data: object) -> McpServerConfig:
    """Strict about types (a wrong type means a damaged file)."""
    if not isinstance(data, dict):
        raise TypeError("an MCP server is not a JSON object")

    def text(key: str, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise TypeError(f"MCP server field {key!r} is not text")
        return value

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"MCP server field {key!r} is not a list of text")
        return tuple(value)

    def pairs(key: str) -> Pairs:
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise TypeError(f"MCP server field {key!r} is not an object of text")
        return tuple(value.items())

    enabled = data.get("enabled", True)
    timeout = data.get("call_timeout_s", DEFAULT_CALL_TIMEOUT_S)
    approval = data.get("approval", "ask")
    if not isinstance(enabled, bool):
        raise TypeError("MCP server field 'enabled' is not true/false")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError("MCP server field 'call_timeout_s' is not a positive number")
    if approval not in APPROVAL_MODES:
        raise ValueError(f"unknown MCP approval mode {approval!r}")
    return McpServerConfig(
        id=text("id"),
        name=text("name"),
        command=text("command"),
        args=strings("args"),
        env=pairs("env"),
        url=text("url"),
        headers=pairs("headers"),
        enabled=enabled,
        call_timeout_s=float(timeout),
        approval=approval,
        always_allowed=strings("always_allowed"),
    )
