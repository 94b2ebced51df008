"""Config for the CLI agents: MassGen's claude_code / codex keys load, and Claude Code runs the MCP servers."""

from __future__ import annotations

import sys
from pathlib import Path

from massgen_tui.config import check_text
from massgen_tui.config.model import McpServerConfig
from massgen_tui.events import types as ev
from tests.backends.cli_agents import needs_claude
from tests.backends.test_claude_code import ANSWER, CC_MODEL, team
from tests.coordination.helpers import agent, run_session
from tests.fake_provider import CallTool, Reply, Text

STDIO_SERVER = Path(__file__).parents[1] / "mcp_servers" / "stdio_server.py"

# In the shape of MassGen 0.1.97's configs/tools/filesystem/claude_code_single.yaml and codex configs.
MASSGEN_STYLE = """\
agents:
  - id: claude_code
    backend:
      type: claude_code
      cwd: claude_code_workspace
      permission_mode: bypassPermissions
      disallowed_tools: [WebFetch]
      append_system_prompt: Be brief.
      max_thinking_tokens: 2000
      mcp_servers:
        - name: files
          type: stdio
          command: npx
          args: ["-y", "@modelcontextprotocol/server-filesystem", "${cwd}"]
  - id: codex
    backend:
      type: codex
      model: gpt-5-codex
      cwd: codex_workspace
      reasoning:
        effort: medium
"""


def messages(issues) -> list[str]:
    return [f"{issue.level}: {issue.message}" for issue in issues]


def test_massgen_claude_code_and_codex_keys_load_without_warnings_or_a_key(tmp_path):
    config, issues = check_text(MASSGEN_STYLE, tmp_path / "team.yaml", env={})
    assert config is not None, messages(issues)
    assert messages(issues) == []
    claude_code, codex = (a.backend for a in config.agents)
    assert (claude_code.family, claude_code.model, claude_code.api_key) == ("claude_code", "", None)
    assert claude_code.extra["permission_mode"] == "bypassPermissions"
    assert claude_code.extra["disallowed_tools"] == ["WebFetch"] and claude_code.cwd == "claude_code_workspace"
    # The CLI runs its MCP servers itself, so massgen-tui's own MCP manager starts none for it.
    assert claude_code.mcp_servers == [] and [s.name for s in claude_code.cli_mcp_servers] == ["files"]
    assert claude_code.cli_mcp_servers[0].args[-1] == str(Path("claude_code_workspace").absolute())
    assert (codex.family, codex.model, codex.structured_output, codex.reasoning_effort) == (
        "codex", "gpt-5-codex", True, "medium")


def test_a_misspelt_permission_mode_is_an_error_with_a_suggestion(tmp_path):
    text = "agents:\n  - backend: {type: claude_code, permission_mode: bypasspermissions}\n"
    config, issues = check_text(text, tmp_path / "team.yaml", env={})
    assert config is None
    assert [(i.key_path, i.level) for i in issues] == [("agents[0].backend.permission_mode", "error")]
    assert "did you mean 'bypassPermissions'?" in issues[0].message


def test_keys_of_claude_code_only_warn_on_other_backends(tmp_path):
    text = "agents:\n  - backend: {type: codex, permission_mode: default}\n"
    _, issues = check_text(text, tmp_path / "team.yaml", env={})
    assert messages(issues) == ["warning: 'permission_mode' is used by MassGen, not by massgen-tui"]


@needs_claude
async def test_claude_code_runs_the_configured_mcp_servers_itself(fake, tmp_path):
    def respond(request) -> Reply:
        results = [m for m in request.messages if m["role"] == "tool"]
        if "mcp__calc__add" not in request.tool_names:
            return Reply(Text("no calc tool offered"), CallTool(ANSWER, {"content": "no tool"}))
        if not results:
            return Reply(CallTool("mcp__calc__add", {"a": 2, "b": 2}))
        return Reply(CallTool(ANSWER, {"content": f"2+2 = {results[-1]['text']}"}))

    fake.responder(CC_MODEL, respond)
    fake.responder("fake-gpt", agent("2+2 = 4"))
    config = team(fake, tmp_path / "ws")
    config.agents = config.agents[:2]
    config.agents[1].backend.cli_mcp_servers = [
        McpServerConfig(name="calc", type="stdio", command=sys.executable, args=[str(STDIO_SERVER)])
    ]
    run = await run_session(config, "What is 2+2?")

    assert [e.content for e in run.of(ev.AnswerSubmitted) if e.agent_id == "beta"] == ['2+2 = {"result":4}']
    call = next(e for e in run.of(ev.ToolCallStarted) if e.agent_id == "beta")
    assert call.name == "mcp__calc__add" and call.arguments == {"a": 2, "b": 2}
