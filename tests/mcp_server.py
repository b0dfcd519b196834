"""A small real MCP server for the tests, built with the SDK's server API.

Run over stdio (`python -m tests.mcp_server`) or Streamable HTTP
(`python -m tests.mcp_server --http PORT`). Tools: `echo` answers, `fail` fails, `hang`
never answers, `image` returns a PNG, `shout` prints to stderr, `die` ends the process
mid-call. `--name` renames the server; `--fail-start` exits before the handshake.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import sys

from mcp.server.mcpserver import MCPServer
from mcp.types import ImageContent

# An 8x8 red PNG (valid: the app decodes it for a thumbnail).
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000080000000808020000004b6d29dc0000001149444154"
        "789c6338a1a18115310c2d0900825d46016a8d166b0000000049454e44ae426082"
    )
).decode()


def build(name: str) -> MCPServer:
    server = MCPServer(name)

    @server.tool(description="Repeats the text it is given.")
    def echo(text: str) -> str:
        return f"echo: {text}"

    @server.tool(description="Always fails.")
    def fail(reason: str = "on purpose") -> str:
        raise RuntimeError(f"failed {reason}")

    @server.tool(description="Never answers.")
    async def hang() -> str:
        print("hanging now", file=sys.stderr, flush=True)
        await asyncio.sleep(3600)
        return "never"

    @server.tool(description="Returns a tiny picture.")
    def image() -> ImageContent:
        return ImageContent(type="image", data=PNG, mime_type="image/png")

    @server.tool(description="Prints to stderr, then answers.")
    def shout(text: str) -> str:
        print(f"SHOUT {text} token={os.environ.get('TEST_TOKEN', '')}", file=sys.stderr, flush=True)
        return "shouted"

    @server.tool(description="Ends the server's process in the middle of the call.")
    def die() -> str:
        os._exit(3)

    @server.tool(description="Says which environment the server got.")
    def env(name: str) -> str:
        return os.environ.get(name, "<unset>")

    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", type=int, default=0)
    parser.add_argument("--name", default="test-tools")
    parser.add_argument("--fail-start", action="store_true")
    args = parser.parse_args()
    print(f"starting {args.name}", file=sys.stderr, flush=True)
    if args.fail_start:
        print("cannot start: missing configuration", file=sys.stderr, flush=True)
        sys.exit(2)
    server = build(args.name)
    if args.http:
        server.run("streamable-http", host="127.0.0.1", port=args.http)
    else:
        server.run()


if __name__ == "__main__":
    main()
