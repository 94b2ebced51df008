"""One MCP server through the SDK: starting, calling, timing out and stopping real stdio and HTTP servers."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

import pytest
import pytest_asyncio

from massgen_tui.config.model import McpServerConfig
from massgen_tui.tools.mcp_content import result_text
from massgen_tui.tools.mcp_servers import McpServer, McpServerError
from tests.tools.conftest import (
    STDIO_SERVER,
    calc_server,
    closed_port_url,
    eventually,
    linux_only,
    process_gone,
    web_server,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def calc(tmp_path_factory):
    """The stdio server, started once: odd arguments, an env addition, its own cwd, a variable only we have."""
    workdir = tmp_path_factory.mktemp("calc-cwd")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MASSGEN_TUI_ONLY_IN_PARENT", "leaked")
        server = McpServer(calc_server(args=["$HOME && echo hi", "*.py"], env={"CALC_MODE": "test"}, cwd=str(workdir)))
        await server.start()
    yield server
    await server.stop()


async def text_of(server: McpServer, tool: str, **arguments) -> str:
    return result_text(await server.call(tool, arguments, timeout=10))


async def test_a_stdio_server_lists_its_tools_and_answers(calc):
    assert [tool.name for tool in calc.tools] == ["add", "fail", "nap", "environment", "process", "spawn_child"]
    result = await calc.call("add", {"a": 2, "b": 3}, timeout=10)
    assert (result_text(result), result.is_error) == ("5", False)


async def test_the_command_runs_without_a_shell_in_its_cwd_with_only_the_configured_environment_added(calc):
    process = json.loads(await text_of(calc, "process"))
    assert process["args"] == ["$HOME && echo hi", "*.py"]
    assert process["cwd"] == os.path.realpath(calc.config.cwd)
    assert await text_of(calc, "environment", name="CALC_MODE") == "test"
    assert await text_of(calc, "environment", name="MASSGEN_TUI_ONLY_IN_PARENT") == "<unset>"
    assert await text_of(calc, "environment", name="PATH") == os.environ["PATH"]  # one of the SDK's defaults


async def test_a_tool_that_raises_answers_with_an_error_result(calc):
    result = await calc.call("fail", {"message": "boom"}, timeout=10)
    assert result.is_error and result_text(result) == "Error executing tool fail"


async def test_a_call_past_its_timeout_is_a_server_error_and_the_server_answers_the_next_call(calc):
    started = time.monotonic()
    with pytest.raises(McpServerError, match=r"^no answer within 0.2s$"):
        await calc.call("nap", {"seconds": 30}, timeout=0.2)
    assert time.monotonic() - started < 2
    assert await text_of(calc, "add", a=1, b=1) == "2"


async def test_a_missing_command_does_not_start_and_says_which():
    with pytest.raises(McpServerError, match="^command 'no-such-mcp-server' not found on PATH$"):
        await McpServer(McpServerConfig(name="x", type="stdio", command="no-such-mcp-server")).start()


async def test_a_server_that_exits_at_once_says_what_it_wrote_to_stderr():
    dies = McpServerConfig(name="x", type="stdio", command=sys.executable,
                           args=["-c", "import sys; sys.exit('config file missing')"])
    with pytest.raises(McpServerError, match="Connection closed; stderr: config file missing$"):
        await McpServer(dies).start()


async def test_a_server_that_never_answers_gives_up_after_the_start_timeout():
    mute = McpServerConfig(name="x", type="stdio", command=sys.executable, args=["-c", "import sys; sys.stdin.read()"])
    started = time.monotonic()
    with pytest.raises(McpServerError, match=r"^did not start within 0.5s$"):
        await McpServer(mute, start_timeout=0.5).start()
    assert time.monotonic() - started < 2


async def test_an_http_server_that_is_down_does_not_start():
    with pytest.raises(McpServerError, match="^All connection attempts failed$"):
        await McpServer(web_server(closed_port_url())).start()


async def test_headers_reach_an_http_server(web_url):
    server = McpServer(web_server(web_url, headers={"X-Team": "blue"}))
    await server.start()
    try:
        assert await text_of(server, "header", name="x-team") == "blue"
    finally:
        await server.stop()
    with pytest.raises(McpServerError, match=r"^not running \(stopped\)$"):
        await server.call("multiply", {"a": 1, "b": 2}, timeout=5)


_VICTIM = """
import asyncio, sys
from massgen_tui.config.model import McpServerConfig
from massgen_tui.tools.mcp_servers import McpServer

async def main():
    server = McpServer(McpServerConfig(name="calc", type="stdio", command=sys.executable, args=[sys.argv[1]]))
    await server.start()
    result = await server.call("spawn_child", {}, timeout=10)
    print(result.content[0].text, flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


@linux_only
async def test_a_massgen_tui_killed_with_sigkill_leaves_no_server_behind():
    victim = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _VICTIM, str(STDIO_SERVER), stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    try:
        pids = json.loads(await asyncio.wait_for(victim.stdout.readline(), 30))
        assert not any(process_gone(pid) for pid in pids.values())
    finally:
        victim.kill()
        await victim.wait()
    assert await eventually(lambda: all(process_gone(pid) for pid in pids.values()))
