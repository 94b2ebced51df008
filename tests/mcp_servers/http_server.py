"""An MCP server over streamable HTTP on 127.0.0.1: ``python http_server.py`` prints its URL, then serves.

The tests run it in a process of its own, so its logging and event loop stay out of theirs.
"""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from failing_tools import add_failing_tools  # a sibling module: the servers run as scripts
from mcp.server.mcpserver import Context, MCPServer

server = MCPServer("web", log_level="CRITICAL")


@server.tool()
def multiply(a: float, b: float) -> float:
    """Multiply two numbers."""
    return a * b


@server.tool()
def header(name: str, ctx: Context) -> str:
    """The value of an HTTP request header the client sent, or <missing>."""
    return ctx.request_context.request.headers.get(name, "<missing>")


add_failing_tools(server)


def main() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()  # connections wait in the backlog until uvicorn accepts them
    app = uvicorn.Server(uvicorn.Config(server.streamable_http_app(), log_level="critical"))
    print(f"http://127.0.0.1:{sock.getsockname()[1]}/mcp", flush=True)
    asyncio.run(app.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
