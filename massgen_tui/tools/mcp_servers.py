"""One configured MCP server, connected through the official ``mcp`` SDK over stdio or streamable HTTP.

Each server lives in a task of its own: the SDK's transports are anyio task groups, which must
be entered and left by the same task, while a session may open in one task and close in another.

Stdio servers start without a shell, with the SDK's default environment (``PATH``, ``HOME``, ...)
plus the configured ``env``; their stderr is kept (not shown on the terminal) so a failed start can
say why. The SDK gives each its own process group and kills the group on close; on Linux the
server also runs under :mod:`massgen_tui.tools.die_with_parent`, so it dies with us even if we are
killed with SIGKILL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path
from typing import IO, Any

import httpx2
import mcp_types
from mcp import Client
from mcp.client.stdio import StdioServerParameters, get_default_environment, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from massgen_tui import __version__
from massgen_tui.backends.tls import shared_tls_context
from massgen_tui.config.model import McpServerConfig

#: Seconds a server may take to start and list its tools (``npx -y`` may download it first).
START_TIMEOUT = 60.0
#: Seconds a server may take to shut down before its task is cancelled.
STOP_TIMEOUT = 10.0
_LAUNCHER = Path(__file__).with_name("die_with_parent.py")
_STDERR_TAIL = 800
_MAX_TOOL_PAGES = 100
_CLIENT_INFO = mcp_types.Implementation(name="massgen-tui", version=__version__)

# The SDK logs transport trouble (a server gone, a failed DELETE) that reaches the user as events
# already; without this, Python's last-resort handler would print it over the screen.
logging.getLogger("mcp").addHandler(logging.NullHandler())


class McpServerError(Exception):
    """The server could not start, could not be reached, did not answer in time, or is not running."""


class McpToolError(Exception):
    """The server answered a tool call with a protocol error (unknown tool, bad request, ...)."""


class McpServer:
    """A running connection to one MCP server: :meth:`start`, then :meth:`call` from any task, then :meth:`stop`."""

    def __init__(self, config: McpServerConfig, *, start_timeout: float = START_TIMEOUT) -> None:
        self.config = config
        self.tools: list[mcp_types.Tool] = []
        self._start_timeout = start_timeout
        self._client: Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._stderr: IO[str] | None = None
        self._ended = ""

    @property
    def name(self) -> str:
        """The server's name in the config."""
        return self.config.name

    async def start(self) -> list[mcp_types.Tool]:
        """Start (or connect to) the server and list its tools; raises :class:`McpServerError`."""
        ready: asyncio.Future[list[mcp_types.Tool]] = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._serve(ready), name=f"mcp server {self.name}")
        try:
            self.tools = await asyncio.wait_for(asyncio.shield(ready), self._start_timeout)
        except BaseException as exc:
            ready.cancel()
            await self.stop()
            if isinstance(exc, asyncio.TimeoutError):
                raise McpServerError(f"did not start within {self._start_timeout:g}s{self._stderr_tail()}") from None
            raise
        return self.tools

    async def call(self, tool: str, arguments: dict[str, Any], timeout: float) -> mcp_types.CallToolResult:
        """Call ``tool`` with at most ``timeout`` seconds for the answer.

        A tool that fails returns a result with ``is_error``; :class:`McpToolError` means the server
        refused the call, :class:`McpServerError` that it did not answer.
        """
        client = self._client
        if client is None:
            raise McpServerError(f"not running ({self._ended or 'stopped'})")
        try:
            # The SDK's own timeout cancels the call on the server; ours only guards a stuck transport.
            return await asyncio.wait_for(client.call_tool(tool, arguments, read_timeout_seconds=timeout), timeout + 1)
        except asyncio.TimeoutError:
            raise McpServerError(f"no answer within {timeout:g}s") from None
        except MCPError as exc:
            if exc.code == mcp_types.REQUEST_TIMEOUT:
                raise McpServerError(f"no answer within {timeout:g}s") from None
            if exc.code == mcp_types.CONNECTION_CLOSED:
                raise McpServerError(f"connection closed{self._stderr_tail()}") from None
            raise McpToolError(exc.message) from None
        except (httpx2.HTTPError, OSError) as exc:
            raise McpServerError(describe_error(exc)) from None
        except Exception as exc:  # the SDK rejected the result (say, structured content off its schema)
            raise McpToolError(describe_error(exc)) from None

    async def stop(self) -> None:
        """Close the connection; a stdio server's whole process group is stopped. Safe to call twice."""
        task, self._task = self._task, None
        if task is not None:
            self._stopping.set()
            if self._client is None:  # still connecting: nothing to wait for
                task.cancel()
            _, pending = await asyncio.wait({task}, timeout=STOP_TIMEOUT)
            if pending:
                task.cancel()
                await asyncio.wait({task}, timeout=STOP_TIMEOUT)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    async def _serve(self, ready: asyncio.Future[list[mcp_types.Tool]]) -> None:
        """Connect, report the tools through ``ready``, and hold the connection until :meth:`stop`."""
        try:
            async with AsyncExitStack() as stack:
                transport = await self._transport(stack)
                # The initialize handshake: what every server in use speaks, without the extra
                # round trip (and slower calls) of probing for the 2026 protocol first.
                client = await stack.enter_async_context(Client(transport, mode="legacy", client_info=_CLIENT_INFO))
                tools = await _list_tools(client)
                if ready.done():  # start() gave up meanwhile
                    return
                self._client = client
                ready.set_result(tools)
                await self._stopping.wait()
        except Exception as exc:
            message = describe_error(exc) + self._stderr_tail()
            self._ended = message
            if not ready.done():
                ready.set_exception(McpServerError(message))
        finally:
            self._client = None
            self._ended = self._ended or "stopped"

    async def _transport(self, stack: AsyncExitStack) -> Any:
        """The SDK transport for this server's type (its resources go on ``stack``)."""
        config = self.config
        if config.type == "streamable-http":
            http = await stack.enter_async_context(httpx2.AsyncClient(
                headers=config.headers, timeout=httpx2.Timeout(30.0, read=300.0), verify=shared_tls_context(),
            ))
            return streamable_http_client(config.url or "", http_client=http)
        self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        return stdio_client(stdio_parameters(config), errlog=self._stderr)

    def _stderr_tail(self) -> str:
        """``"; stderr: ..."`` with the end of what a stdio server wrote to stderr, or ``""``."""
        if self._stderr is None or self._stderr.closed or not hasattr(os, "pread"):
            return ""
        # pread leaves the file offset alone: the server shares it and may still be writing.
        fd = self._stderr.fileno()
        size = os.fstat(fd).st_size
        tail = os.pread(fd, _STDERR_TAIL, max(size - _STDERR_TAIL, 0)).decode("utf-8", "replace").strip()
        return f"; stderr: {tail}" if tail else ""


def stdio_parameters(config: McpServerConfig) -> StdioServerParameters:
    """How the SDK starts a stdio server: the resolved command, through the launcher on Linux.

    Raises :class:`McpServerError` when the command cannot be found.
    """
    env = get_default_environment() | config.env
    command = _resolve(config.command or "", env.get("PATH"), config.cwd)
    args = list(config.args)
    if sys.platform.startswith("linux") and sys.executable:
        command, args = sys.executable, ["-I", "-S", str(_LAUNCHER), str(os.getpid()), command, *args]
    return StdioServerParameters(command=command, args=args, env=config.env or None, cwd=config.cwd)


def _resolve(command: str, path: str | None, cwd: str | None) -> str:
    """The executable ``command`` names: looked up on ``path``, or relative to ``cwd`` if it has a slash."""
    if os.sep in command or (os.altsep and os.altsep in command):
        found = shutil.which(os.path.join(cwd or "", command))
    else:
        found = shutil.which(command, path=path)
    if found is None:
        where = "" if os.sep in command else " on PATH"
        raise McpServerError(f"command {command!r} not found{where}")
    return found


async def _list_tools(client: Client) -> list[mcp_types.Tool]:
    tools: list[mcp_types.Tool] = []
    cursor: str | None = None
    for _ in range(_MAX_TOOL_PAGES):
        page = await client.list_tools(cursor=cursor)
        tools += page.tools
        cursor = page.next_cursor
        if not cursor:
            break
    return tools


def describe_error(exc: BaseException) -> str:
    """A one-line reason for a failure, looking inside the task groups the SDK raises."""
    while isinstance(getattr(exc, "exceptions", None), (list, tuple)) and exc.exceptions:  # type: ignore[attr-defined]
        exc = exc.exceptions[0]  # type: ignore[attr-defined]
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__
