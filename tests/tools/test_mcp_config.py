"""The config checks that concern MCP tools: the tool loop's bound and server settings that do nothing."""

from __future__ import annotations

import pytest

from massgen_tui.config import load_config
from tests.config.helpers import KEYS, messages, write


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_max_tool_iterations_is_read_from_the_orchestrator_section():
    path = write("loop.yaml", """
        agent: {backend: {type: openai, model: gpt-5-mini}}
        orchestrator: {max_tool_iterations: 4}
        """)
    loaded = load_config(path, env=KEYS)
    assert loaded.config.orchestrator.max_tool_iterations == 4 and loaded.warnings == []


def test_max_tool_iterations_must_be_a_positive_integer():
    path = write("loop.yaml", """
        agent: {backend: {type: openai, model: gpt-5-mini}}
        orchestrator: {max_tool_iterations: 0}
        """)
    assert messages(path) == [
        "loop.yaml:2:37: error: orchestrator.max_tool_iterations: expected an integer >= 1, got 0"
    ]


def test_settings_of_the_other_server_type_and_other_servers_tools_are_warned_about():
    path = write("mcp.yaml", """
        agent:
          backend:
            type: openai
            model: gpt-5-mini
            mcp_servers:
              files:
                type: stdio
                command: npx
                url: https://example.com/mcp
                exclude_tools: [delete_file, mcp__web__search]
              web:
                type: streamable-http
                url: https://example.com/mcp
                env: {TOKEN: x}
                allowed_tools: [mcp__web__search]
        """)
    warnings = [str(w) for w in load_config(path, env=KEYS).warnings]
    assert warnings == [
        "mcp.yaml:9:9: warning: agent.backend.mcp_servers.files.url: ignored: 'url' is for streamable-http servers, "
        "this one is stdio",
        "mcp.yaml:10:38: warning: agent.backend.mcp_servers.files.exclude_tools[1]: 'mcp__web__search' is not a "
        "tool of MCP server 'files'; it matches nothing (use 'files' tool names, bare or as mcp__files__<tool>)",
        "mcp.yaml:14:9: warning: agent.backend.mcp_servers.web.env: ignored: 'env' is for stdio servers, "
        "this one is streamable-http",
    ]
