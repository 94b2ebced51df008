"""An MCP server over stdio: ``python stdio_server.py [args...]``. Its tools report on the process itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from failing_tools import add_failing_tools  # a sibling module: the servers run as scripts
from mcp.server.mcpserver import MCPServer

server = MCPServer("calc", log_level="CRITICAL")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


add_failing_tools(server)


@server.tool()
def environment(name: str) -> str:
    """The value of an environment variable in the server's process, or <unset>."""
    return os.environ.get(name, "<unset>")


@server.tool()
def process() -> str:
    """The server's command-line arguments and working directory, as JSON."""
    return json.dumps({"args": sys.argv[1:], "cwd": os.getcwd()})


@server.tool()
def spawn_child() -> str:
    """Start a long sleep as a child process; return the server's and the child's process ids, as JSON."""
    child = subprocess.Popen(["sleep", "300"])
    return json.dumps({"server": os.getpid(), "child": child.pid})


if __name__ == "__main__":
    server.run()
