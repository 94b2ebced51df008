"""Shared fixtures for the MCP tests: the real test servers and configs that point at them."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from massgen_tui.config.model import McpServerConfig

STDIO_SERVER = Path(__file__).parents[1] / "mcp_servers" / "stdio_server.py"
HTTP_SERVER = STDIO_SERVER.with_name("http_server.py")


def calc_server(name: str = "calc", **settings: Any) -> McpServerConfig:
    """The stdio test server (tools: add, fail, nap, environment, process, spawn_child)."""
    args = settings.pop("args", [])
    return McpServerConfig(name=name, type="stdio", command=sys.executable, args=[str(STDIO_SERVER), *args],
                           **settings)


def web_server(url: str, name: str = "web", **settings: Any) -> McpServerConfig:
    """The streamable-HTTP test server at ``url`` (tools: multiply, header, fail, nap)."""
    return McpServerConfig(name=name, type="streamable-http", url=url, **settings)


def closed_port_url() -> str:
    """An MCP URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mcp"


def process_gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie nobody reaps counts as ended)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return any(line.startswith("State:") and "Z" in line for line in status)
    except FileNotFoundError:
        return True


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Whether ``check()`` comes true within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


@pytest.fixture(scope="session")
def web_url() -> Iterator[str]:
    """The URL of the HTTP test server, started once for the whole test run."""
    child = subprocess.Popen([sys.executable, str(HTTP_SERVER)], stdout=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip() if child.stdout else ""
        assert url, "the HTTP test server did not start"
        yield url
    finally:
        child.terminate()
        child.wait(10)


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.isdir("/proc/self"),
                                reason="process checks read /proc; dying with the parent is Linux only")
