"""MCP tools in whole sessions: real SDK clients on the fake provider, real MCP servers, every provider format."""

from __future__ import annotations

import asyncio
import json
import sys
import textwrap

import pytest

from massgen_tui.config import load_config
from massgen_tui.coordination.session import Session
from massgen_tui.events import EventBus
from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session
from tests.fake_provider import CallTool, Reply, Text
from tests.tools.conftest import (
    STDIO_SERVER,
    calc_server,
    closed_port_url,
    eventually,
    linux_only,
    process_gone,
    web_server,
)


def presenting(coordinating, final: str = "Final answer."):
    """``coordinating`` while the workflow tools are offered; ``final`` when presenting (MCP tools only)."""
    def respond(request):
        if {"vote", "new_answer"} & set(request.tool_names):
            return coordinating(request)
        return Reply(Text(final))
    return respond


def tool_messages(request) -> list[str]:
    """The tool results at the end of a request's conversation, in order."""
    results = []
    for message in reversed(request.messages):
        if message["role"] != "tool":
            break
        results.insert(0, message["text"])
    return results


@pytest.mark.parametrize("family", ["chatcompletion", "openai", "claude", "gemini"])
async def test_a_model_calls_an_mcp_tool_and_its_result_reaches_the_model(fake, web_url, family):
    multiply = Reply(Text("Let me compute. "), CallTool("mcp__web__multiply", {"a": 6, "b": 7}, id="call_1"))
    fake.responder("m-a", presenting(agent("6 x 7 = 42", first=[multiply])))
    fake.responder("m-b", presenting(agent("42")))
    team = make_team(fake, ("a", family, "m-a"), ("b", "chatcompletion", "m-b"))
    team.agents[0].backend.mcp_servers = [web_server(web_url)]
    run = await run_session(team, "What is 6 x 7?")

    assert run.result.status == "completed" and not run.of(ev.AgentError)
    first, follow_up = fake.requests_for("m-a")[:2]
    offered = first.tool("mcp__web__multiply")
    assert offered is not None and offered["parameters"]["required"] == ["a", "b"]
    assert follow_up.messages[-2]["tool_calls"][0]["name"] == "mcp__web__multiply"
    assert tool_messages(follow_up) == ["42.0"]
    assert "mcp__web__multiply" not in fake.requests_for("m-b")[0].tool_names
    started = [e for e in run.of(ev.ToolCallStarted) if e.name.startswith("mcp__")]
    finished = [e for e in run.of(ev.ToolCallFinished) if e.name.startswith("mcp__")]
    assert [(e.agent_id, e.name, e.arguments) for e in started] == [("a", "mcp__web__multiply", {"a": 6, "b": 7})]
    assert [(e.name, e.result, e.is_error) for e in finished] == [("mcp__web__multiply", "42.0", False)]
    assert finished[0].duration > 0


async def test_a_config_file_with_variables_runs_stdio_and_http_servers(fake, web_url, tmp_path):
    config_file = tmp_path / "mcp.yaml"
    config_file.write_text(textwrap.dedent(f"""
        agents:
          - id: a
            backend:
              type: chatcompletion
              model: m-a
              base_url: {fake.base_url("openai")}
              api_key: test-key
              mcp_servers:
                calc:
                  type: stdio
                  command: {json.dumps(sys.executable)}
                  args: [{json.dumps(str(STDIO_SERVER))}, "--profile=${{CALC_PROFILE}}"]
                  env: {{CALC_SECRET: "${{CALC_SECRET}}"}}
                web:
                  type: streamable-http
                  url: {web_url}
                  headers: {{Authorization: "Bearer ${{WEB_TOKEN}}"}}
          - id: b
            backend: {{type: chatcompletion, model: m-b, base_url: "{fake.base_url("openai")}", api_key: test-key}}
        """), encoding="utf-8")
    env = {"CALC_PROFILE": "fast", "CALC_SECRET": "calc-secret-1", "WEB_TOKEN": "web-token-2"}
    config = load_config(config_file, env=env).config
    three_calls = Reply(CallTool("mcp__calc__process", {}, id="c1"),
                        CallTool("mcp__calc__environment", {"name": "CALC_SECRET"}, id="c2"),
                        CallTool("mcp__web__header", {"name": "authorization"}, id="c3"))
    fake.responder("m-a", presenting(agent("done", first=[three_calls])))
    fake.responder("m-b", presenting(agent("fine")))
    run = await run_session(config, "Check the set-up.")

    assert run.result.status == "completed" and not run.of(ev.AgentError)
    process, secret, header = tool_messages(fake.requests_for("m-a")[1])
    assert json.loads(process)["args"] == ["--profile=fast"]
    assert (secret, header) == ("calc-secret-1", "Bearer web-token-2")


async def test_servers_that_do_not_start_are_reported_and_the_session_goes_on(fake, web_url):
    fake.responder("m-a", presenting(agent("A")))
    fake.responder("m-b", presenting(agent("B")))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    down = closed_port_url()
    team.agents[0].backend.mcp_servers = [
        calc_server(name="missing", args=[]), web_server(down, name="down"), web_server(web_url),
    ]
    team.agents[0].backend.mcp_servers[0].command = "no-such-mcp-server"
    run = await run_session(team, "Go.")

    assert run.result.status == "completed"
    assert isinstance(run.events[0], ev.SessionStarted)
    assert [(e.agent_id, e.message, e.fatal) for e in run.of(ev.AgentError)] == [
        ("a", "MCP server 'missing' (no-such-mcp-server) did not start: command 'no-such-mcp-server' not found "
              "on PATH", False),
        ("a", f"MCP server 'down' ({down}) did not start: All connection attempts failed", False),
    ]
    offered = fake.requests_for("m-a")[0].tool_names
    assert "mcp__web__multiply" in offered and not [name for name in offered if "missing" in name or "down" in name]


async def test_a_raising_tool_and_a_timeout_are_errors_for_the_model_and_the_agent_goes_on(fake, web_url):
    both = Reply(CallTool("mcp__web__fail", {"message": "disk full"}, id="c1"),
                 CallTool("mcp__slow__nap", {"seconds": 30}, id="c2"))
    fake.responder("m-a", presenting(agent("A", first=[both])))
    fake.responder("m-b", presenting(agent("B")))
    team = make_team(fake, ("a", "claude", "m-a"), ("b", "chatcompletion", "m-b"))
    team.agents[0].backend.mcp_servers = [web_server(web_url), web_server(web_url, name="slow", timeout=0.3)]
    run = await run_session(team, "Go.")

    assert run.result.status == "completed"
    timeout = "MCP server 'slow': mcp__slow__nap: no answer within 0.3s"
    assert tool_messages(fake.requests_for("m-a")[1]) == ["Error executing tool fail", timeout]
    assert [(e.name, e.is_error) for e in run.of(ev.ToolCallFinished) if e.call_id in ("c1", "c2")] == [
        ("mcp__web__fail", True), ("mcp__slow__nap", True)]
    assert [(e.agent_id, e.message, e.fatal) for e in run.of(ev.AgentError)] == [("a", timeout, False)]


async def test_an_excluded_tool_called_anyway_is_refused_and_the_session_completes(fake, web_url):
    sneaky = Reply(CallTool("mcp__web__fail", {"message": "x"}, id="c1"))
    fake.responder("m-a", presenting(agent("A", first=[sneaky])))
    fake.responder("m-b", presenting(agent("B")))
    team = make_team(fake, ("a", "gemini", "m-a"), ("b", "chatcompletion", "m-b"))
    team.agents[0].backend.mcp_servers = [web_server(web_url)]
    team.agents[0].backend.exclude_tools = ["fail"]
    run = await run_session(team, "Go.")

    assert run.result.status == "completed"
    first, follow_up = fake.requests_for("m-a")[:2]
    assert "mcp__web__fail" not in first.tool_names and "mcp__web__multiply" in first.tool_names
    [refusal] = tool_messages(follow_up)  # Gemini's backend sends a tool error as {"error": text}
    assert json.loads(refusal) == {
        "error": "Tool 'mcp__web__fail' is not available: excluded by the backend's exclude_tools."}


@linux_only
async def test_closing_after_a_cancelled_turn_stops_the_servers_and_what_they_started(fake):
    spawn = Reply(CallTool("mcp__calc__spawn_child", {}, id="c1"))
    nap = Reply(CallTool("mcp__calc__nap", {"seconds": 60}, id="c2"))
    fake.responder("m-a", presenting(agent("A", first=[spawn, nap])))
    fake.responder("m-b", presenting(agent("B")))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    team.agents[0].backend.mcp_servers = [calc_server()]
    bus = EventBus()
    events: list[ev.Event] = []
    bus.subscribe(events.append)
    session = Session(team, bus)
    await session.open()
    turn = asyncio.create_task(session.ask("Go."))
    assert await eventually(lambda: any(isinstance(e, ev.ToolCallStarted) and e.call_id == "c2" for e in events))
    turn.cancel()
    with pytest.raises(asyncio.CancelledError):
        await turn
    await session.close("cancelled")

    spawned = next(e for e in events if isinstance(e, ev.ToolCallFinished) and e.call_id == "c1")
    pids = json.loads(spawned.result)
    assert await eventually(lambda: all(process_gone(pid) for pid in pids.values()))
