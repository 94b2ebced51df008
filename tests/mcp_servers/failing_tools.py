"""The tools both test servers offer for failure tests: one that raises and one that takes its time.

The servers run as scripts, so they import this module from their own folder.
"""

from __future__ import annotations

import anyio
from mcp.server.mcpserver import MCPServer


def add_failing_tools(server: MCPServer) -> None:
    """Register ``fail`` (always raises) and ``nap`` (sleeps) on ``server``."""

    @server.tool()
    def fail(message: str) -> str:
        """Always raises."""
        raise ValueError(message)

    @server.tool()
    async def nap(seconds: float) -> str:
        """Sleep, then say so."""
        await anyio.sleep(seconds)
        return f"slept {seconds:g}s"
