"""Finds OpenAI-compatible servers already running on this machine (Ollama, LM Studio, ...),
so a first run can offer them. Each is asked for `/v1/models` with a short timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from zlay_desktop.core.connection_test import ConnectionTestTimeouts, ModelListError, fetch_models
from zlay_desktop.core.models import Endpoint

PROBE_TIMEOUT_S = 0.8


@dataclass(frozen=True, slots=True)
class LocalServer:
    preset_name: str  # the preset a detected server is set up from
    port: int
    host: str = "127.0.0.1"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"


LOCAL_SERVERS: tuple[LocalServer, ...] = (
    LocalServer("Ollama", 11434),
    LocalServer("LM Studio", 1234),
    LocalServer("llama.cpp server", 8080),
    LocalServer("vLLM", 8000),
)


@dataclass(frozen=True, slots=True)
class DetectedServer:
    server: LocalServer
    models: tuple[str, ...]  # what it listed, in its order


async def detect_local_servers(
    servers: Sequence[LocalServer] = LOCAL_SERVERS, timeout_s: float = PROBE_TIMEOUT_S
) -> list[DetectedServer]:
    """The servers that answered like an OpenAI-compatible API, in the order given."""
    found = await asyncio.gather(*(_probe(s, timeout_s) for s in servers))
    return [d for d in found if d is not None]


async def _probe(server: LocalServer, timeout_s: float) -> DetectedServer | None:
    timeouts = ConnectionTestTimeouts(connect_s=timeout_s, read_s=timeout_s)
    try:
        models = await fetch_models(
            Endpoint(base_url=server.base_url, api_key=""), timeouts=timeouts
        )
    except ModelListError:
        return None  # nothing there, too slow, or not an API
    return DetectedServer(server, tuple(models))
