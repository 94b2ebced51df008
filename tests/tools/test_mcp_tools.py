"""MCP tools as the coordinator sees them: names, filters, argument checks, results and failing servers."""

from __future__ import annotations

import time

import mcp_types
import pytest

from massgen_tui.backends.base import ToolCall
from massgen_tui.config.model import AgentConfig, BackendConfig, McpServerConfig
from massgen_tui.events import types as ev
from massgen_tui.tools.external import ToolOutcome
from massgen_tui.tools.mcp_content import result_text
from massgen_tui.tools.mcp_tools import McpTools, StartFailure
from massgen_tui.tools.tool_names import exposed_name
from tests.tools.conftest import closed_port_url, web_server

WEB_TOOLS = ["mcp__web__multiply", "mcp__web__header", "mcp__web__fail", "mcp__web__nap"]


def agent_with(*servers: McpServerConfig, agent_id: str = "a", **filters) -> AgentConfig:
    backend = BackendConfig(type="chatcompletion", family="chatcompletion", model="m", mcp_servers=list(servers),
                            **filters)
    return AgentConfig(id=agent_id, backend=backend)


async def started(*agents: AgentConfig) -> tuple[McpTools, list[ev.Event], list[StartFailure]]:
    """Started tools, the events published after the start-up notices, and the start failures."""
    events: list[ev.Event] = []
    tools = McpTools(agents, publish=events.append)
    failures = await tools.start()
    events.clear()  # starting / ready / failed per server: tests/reliability/test_mcp_startup.py
    return tools, events, failures


def call(name: str, arguments: dict | None = None, **fields) -> ToolCall:
    return ToolCall(id="c1", name=name, arguments=arguments or {}, **fields)


@pytest.fixture
async def open_tools():
    """``open_tools(*agents)``: started McpTools, stopped at teardown."""
    opened: list[McpTools] = []

    async def start(*agents: AgentConfig):
        tools, events, failures = await started(*agents)
        opened.append(tools)
        return tools, events, failures

    yield start
    for tools in opened:
        await tools.stop()


async def test_each_agent_is_offered_its_own_servers_tools_under_prefixed_names(open_tools, web_url):
    tools, events, failures = await open_tools(
        agent_with(web_server(web_url)), agent_with(web_server(web_url, name="maths"), agent_id="b"),
        agent_with(agent_id="c"),
    )
    assert failures == [] and events == []
    assert [spec.name for spec in tools.specs("a")] == WEB_TOOLS
    assert [spec.name for spec in tools.specs("b")][0] == "mcp__maths__multiply"
    assert tools.specs("c") == []
    multiply = tools.specs("a")[0]
    assert multiply.description == "Multiply two numbers."
    assert multiply.parameters["required"] == ["a", "b"]
    assert multiply.parameters["properties"]["a"]["type"] == "number"


@pytest.mark.parametrize(("server_filters", "backend_filters", "offered"), [
    ({"allowed_tools": ["multiply", "mcp__web__header"]}, {}, ["multiply", "header"]),
    ({"exclude_tools": ["fail"]}, {"exclude_tools": ["mcp__web__nap"]}, ["multiply", "header"]),
    ({}, {"allowed_tools": ["mcp__web__nap", "fail"]}, ["fail", "nap"]),
    ({"exclude_tools": ["multiply"]}, {"allowed_tools": ["multiply"]}, []),
])
async def test_allowed_and_excluded_tools_take_bare_and_prefixed_names_at_both_levels(
    open_tools, web_url, server_filters, backend_filters, offered
):
    tools, _, _ = await open_tools(agent_with(web_server(web_url, **server_filters), **backend_filters))
    assert [spec.name for spec in tools.specs("a")] == [f"mcp__web__{name}" for name in offered]


async def test_an_excluded_tool_called_anyway_gets_an_error_and_does_not_run(open_tools, web_url):
    tools, events, _ = await open_tools(agent_with(web_server(web_url, exclude_tools=["nap"])))
    started_at = time.monotonic()
    outcome = await tools.call("a", call("mcp__web__nap", {"seconds": 5}))
    assert outcome == ToolOutcome("Tool 'mcp__web__nap' is not available: excluded by the server's exclude_tools.",
                                  is_error=True)
    assert time.monotonic() - started_at < 1 and events == []
    outcome = await tools.call("a", call("mcp__web__nope"))
    assert outcome == ToolOutcome("Tool 'mcp__web__nope' is not available.", is_error=True)


async def test_arguments_that_break_the_input_schema_are_refused_before_the_call(open_tools, web_url):
    tools, events, _ = await open_tools(agent_with(web_server(web_url)))
    wrong_type = await tools.call("a", call("mcp__web__multiply", {"a": "six", "b": 7}))
    assert wrong_type == ToolOutcome(
        "Invalid arguments for mcp__web__multiply: 'six' is not of type 'number' (at $.a). Nothing was run.",
        is_error=True)
    missing = await tools.call("a", call("mcp__web__multiply", {"a": 6}))
    assert missing.text == "Invalid arguments for mcp__web__multiply: 'b' is a required property. Nothing was run."
    not_json = await tools.call("a", call("mcp__web__multiply", parse_error="arguments are not valid JSON: oops"))
    assert not_json.text == ("Invalid arguments for mcp__web__multiply: arguments are not valid JSON: oops. "
                             "Nothing was run.")
    assert events == []


async def test_results_come_back_as_text_and_a_raising_tool_as_an_error_result(open_tools, web_url):
    tools, events, _ = await open_tools(agent_with(web_server(web_url)))
    assert await tools.call("a", call("mcp__web__multiply", {"a": 6, "b": 7})) == ToolOutcome("42.0")
    raised = await tools.call("a", call("mcp__web__fail", {"message": "boom"}))
    assert raised == ToolOutcome("Error executing tool fail", is_error=True)
    assert events == []  # the tool answered: the failure is the call's, shown as its result


async def test_a_server_that_keeps_failing_is_skipped_for_the_rest_of_the_session_with_a_notice(open_tools, web_url):
    tools, events, _ = await open_tools(agent_with(web_server(web_url, name="slow", timeout=0.3)))
    nap = call("mcp__slow__nap", {"seconds": 5})
    for _ in range(2):
        outcome = await tools.call("a", nap)
    assert outcome == ToolOutcome("MCP server 'slow': mcp__slow__nap: no answer within 0.3s", is_error=True)
    assert (await tools.call("a", call("mcp__slow__multiply", {"a": 1, "b": 2}))).text == "2.0"  # a success resets
    for _ in range(3):
        await tools.call("a", nap)
    errors = [e for e in events if isinstance(e, ev.AgentError)]
    assert len(errors) == 5 and {(e.agent_id, e.fatal) for e in errors} == {("a", False)}
    assert [(e.message, e.level) for e in events if isinstance(e, ev.Notice)] == [
        ("MCP server 'slow' of a failed 3 times in a row; its tools are skipped for the rest of the session.",
         "warning")
    ]
    assert tools.specs("a") == []
    skipped = await tools.call("a", call("mcp__slow__multiply", {"a": 1, "b": 2}))
    assert skipped.is_error and "failed repeatedly and is skipped for the rest of the session" in skipped.text


async def test_a_server_that_did_not_start_is_reported_and_the_others_still_serve(open_tools, web_url):
    down = closed_port_url()
    tools, events, failures = await open_tools(agent_with(web_server(down, name="down"), web_server(web_url)))
    reason = f"MCP server 'down' ({down}) did not start: All connection attempts failed"
    assert failures == [StartFailure("a", "down", reason)]
    assert [spec.name for spec in tools.specs("a")] == WEB_TOOLS
    outcome = await tools.call("a", call("mcp__down__search", {"q": "x"}))
    assert outcome == ToolOutcome(f"Tool 'mcp__down__search' is not available: {reason}.", is_error=True)


def test_tool_names_are_safe_for_every_provider():
    assert exposed_name("files", "read_file") == "mcp__files__read_file"
    assert exposed_name("files", "read.file/v2") == "mcp__files__read_file_v2"
    long_a, long_b = exposed_name("server", "x" * 80 + "a"), exposed_name("server", "x" * 80 + "b")
    assert len(long_a) == len(long_b) == 64 and long_a != long_b


def test_result_text_describes_what_is_not_text():
    content = [
        mcp_types.TextContent(text="first"),
        mcp_types.ImageContent(data="aGVsbG8=", mime_type="image/png"),
        mcp_types.EmbeddedResource(resource=mcp_types.TextResourceContents(uri="file:///a.txt", text="inside")),
        mcp_types.EmbeddedResource(resource=mcp_types.BlobResourceContents(uri="file:///b.bin", blob="AAAA")),
        mcp_types.ResourceLink(name="c", uri="file:///c.md", description="notes"),
    ]
    assert result_text(mcp_types.CallToolResult(content=content)).split("\n") == [
        "first",
        "[image: image/png, 5 bytes, not shown]",
        "inside",
        "[resource file:///b.bin: 3 bytes, not shown]",
        "[resource link: file:///c.md (notes)]",
    ]
    assert result_text(mcp_types.CallToolResult(content=[], structured_content={"n": 1})) == '{"n": 1}'
    assert result_text(mcp_types.CallToolResult(content=[])) == "(the tool returned no output)"
