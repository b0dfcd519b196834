"""MCP servers' secrets (env values and headers that look like tokens) in the keyring:
the settings file keeps `SECRET_PLACEHOLDER` where a value was."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from zlay_desktop.core.mcp.config import SECRET_PLACEHOLDER, McpServerConfig, Pairs, is_secret_name
from zlay_desktop.core.secrets import SecretStore, SecretStoreUnavailable


def secret_entry(server_id: str, where: str, name: str) -> str:
    """The keyring entry of one secret."""
    return f"mcp:{server_id}:{where}:{name}"


def store_secrets(store: SecretStore, server: McpServerConfig) -> McpServerConfig:
    """Writes the server's secret values to `store` and returns it with placeholders.
    Raises `SecretStoreUnavailable` (nothing else written after it) when the store fails."""

    def put(where: str, items: Pairs) -> Pairs:
        out = []
        for name, value in items:
            if is_secret_name(name) and value and value != SECRET_PLACEHOLDER:
                store.set(secret_entry(server.id, where, name), value)
                value = SECRET_PLACEHOLDER
            out.append((name, value))
        return tuple(out)

    return replace(server, env=put("env", server.env), headers=put("header", server.headers))


def resolve_secrets(store: SecretStore, server: McpServerConfig) -> McpServerConfig:
    """The server with its placeholders replaced by the stored values ("" when missing or
    when the keyring cannot be read: the server then says what it lacks)."""

    def get(where: str, items: Pairs) -> Pairs:
        out = []
        for name, value in items:
            if value == SECRET_PLACEHOLDER:
                try:
                    value = store.get(secret_entry(server.id, where, name)) or ""
                except SecretStoreUnavailable:
                    value = ""
            out.append((name, value))
        return tuple(out)

    return replace(server, env=get("env", server.env), headers=get("header", server.headers))


def delete_secrets(
    store: SecretStore, server: McpServerConfig, keep: McpServerConfig | None = None
) -> None:
    """Removes the server's stored secrets (those `keep` no longer has, when given)."""
    still = set(keep.secret_names()) if keep is not None else set()
    for where, name in server.secret_names():
        if (where, name) not in still:
            # Unreachable: nothing to do; a secret is harmless without its server.
            with contextlib.suppress(SecretStoreUnavailable):
                store.delete(secret_entry(server.id, where, name))
