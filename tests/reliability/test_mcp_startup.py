"""MCP start-up: logged before it begins (a kill there leaves a replayable log), shown per server, bounded."""

from __future__ import annotations

import json
import signal
import sys
import time

import pytest

from massgen_tui.config.model import McpServerConfig
from massgen_tui.events import types as ev
from massgen_tui.replay.session import open_session
from massgen_tui.tools.mcp_tools import McpTools
from tests.test_cli_headless import cli, session_dir, write_config
from tests.tools.conftest import calc_server
from tests.tools.test_mcp_tools import agent_with

MUTE = McpServerConfig(name="mute", type="stdio", command=sys.executable, args=["-c", "import sys; sys.stdin.read()"])


def config_with_a_mute_server(tmp_path, fake):
    path = write_config(tmp_path, fake, ["alpha"])
    lines = path.read_text().splitlines()
    lines += ["      mcp_servers:", "        - name: mute", "          type: stdio",
              f"          command: {json.dumps(sys.executable)}",
              '          args: ["-c", "import sys; sys.stdin.read()"]']
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_kill_during_mcp_start_up_leaves_a_replayable_log(tmp_path, fake, sig):
    process = cli(tmp_path, "--config", str(config_with_a_mute_server(tmp_path, fake)), "Q?", wait=False)
    try:
        deadline = time.monotonic() + 30
        events = tmp_path / "logs"
        while time.monotonic() < deadline:
            found = list(events.glob("*/events.jsonl"))
            if found and b"MCP server 'mute' of alpha: starting" in found[0].read_bytes():
                break
            time.sleep(0.1)
        else:
            pytest.fail("the start-up was never logged")
        process.send_signal(sig)
        process.wait(timeout=30)
    finally:
        process.kill()
    replay = open_session(session_dir(tmp_path))
    replay.build()
    kinds = [type(e) for e in replay.events(0, len(replay))]
    assert kinds[0] is ev.SessionStarted and ev.Notice in kinds and replay.index.damaged_lines == []
    if sig == signal.SIGTERM:  # handled: the log is completed too
        assert process.returncode == 130 and kinds[-1] is ev.SessionEnded


async def start(agent, start_timeout: float) -> tuple[list[str], list, float]:
    events: list[ev.Event] = []
    tools = McpTools([agent], publish=events.append, start_timeout=start_timeout)
    started = time.monotonic()
    try:
        failures = await tools.start()
    finally:
        await tools.stop()
    return [e.message for e in events if isinstance(e, ev.Notice)], failures, time.monotonic() - started


async def test_a_server_shows_starting_then_ready():
    notices, failures, _ = await start(agent_with(calc_server()), 60)
    assert failures == [] and notices[0] == "MCP server 'calc' of a: starting (at most 60s)"
    assert notices[1].startswith("MCP server 'calc' of a: ready, ") and " tool(s) in " in notices[1]


async def test_a_server_that_never_answers_is_reported_failed_at_the_start_up_timeout():
    notices, failures, took = await start(agent_with(MUTE, agent_id="b"), 1.5)
    assert took < 5
    assert notices == ["MCP server 'mute' of b: starting (at most 1.5s)",
                       "MCP server 'mute' of b: failed: did not start within 1.5s"]
    assert [(f.agent_id, f.server) for f in failures] == [("b", "mute")]
