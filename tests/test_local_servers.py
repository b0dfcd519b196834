"""Finding a local server: the project's test server on a free port, a closed port, and
something that is not an API."""

from __future__ import annotations

import asyncio
import socket

from tests.ports import closed_port
from tests.testserver import OpenAITestServer
from zlay_desktop.core.local_servers import LocalServer, detect_local_servers


def test_only_servers_that_answer_like_an_api_are_found() -> None:
    # `silent` accepts connections and never answers: the short timeout ends the wait.
    with OpenAITestServer(models=("small-model",)) as server, socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        servers = [
            LocalServer("Ollama", closed_port()),
            LocalServer("LM Studio", server.port),
            LocalServer("vLLM", silent.getsockname()[1]),
        ]
        found = asyncio.run(detect_local_servers(servers, timeout_s=0.3))
    assert [(d.server.preset_name, d.server.base_url, d.models) for d in found] == [
        ("LM Studio", server.base_url, ("small-model",))
    ]


def test_no_servers_to_probe_finds_nothing() -> None:
    assert asyncio.run(detect_local_servers([])) == []
