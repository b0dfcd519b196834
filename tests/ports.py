"""Local TCP ports for tests that need a server to be missing."""

from __future__ import annotations

import socket


def closed_port() -> int:
    """A local port with nothing listening: bound to learn a free number, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port
