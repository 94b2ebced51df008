"""The claude_code backend with the REAL Claude Code CLI (bundled in claude-agent-sdk) on the fake Anthropic server."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from massgen_tui.config.model import AgentConfig, SessionConfig
from massgen_tui.events import types as ev
from tests.backends.cli_agents import cli_processes, needs_claude
from tests.conftest import FAKE_KEY, fake_backend_config
from tests.coordination.helpers import agent, run_session
from tests.fake_provider import CallTool, Delay, Reply, Text

pytestmark = needs_claude

CC_MODEL = "fake-claude-code"
VOTE, ANSWER = "mcp__massgen__vote", "mcp__massgen__new_answer"


def cc_labels(request) -> list[str]:
    tool = request.tool(VOTE)
    return list(tool["parameters"]["properties"]["agent_id"]["enum"]) if tool else []


def coding_agent(workspace: Path, answer: str = "4, checked in notes.txt"):
    """Writes notes.txt in its workspace, reads it back, answers; votes once answers exist; presents."""
    notes = str(workspace / "notes.txt")

    def respond(request) -> Reply:
        tool_results = [m for m in request.messages if m["role"] == "tool"]
        if request.tool(ANSWER) is None and request.tool(VOTE) is None:
            return Reply(Text("Final answer: 2+2 = 4.", chunk=5))
        labels = cc_labels(request)
        if labels and any(f"<{label}>" in request.prompt_text for label in labels) and not tool_results:
            return Reply(Text("Voting. "), CallTool(VOTE, {"agent_id": labels[0], "reason": "correct"}))
        if not tool_results:
            return Reply(Text("Let me write it down. ", chunk=6),
                         CallTool("Write", {"file_path": notes, "content": "2+2=4\n"}))
        if len(tool_results) == 1:
            return Reply(CallTool("Read", {"file_path": notes}))
        return Reply(Text("Done. "), CallTool(ANSWER, {"content": answer}))

    return respond


def team(fake, workspace: Path, **cc_settings) -> SessionConfig:
    """alpha (chat completions), beta (claude_code in ``workspace``), gamma (Anthropic messages)."""
    cc = fake_backend_config(fake, "claude_code", CC_MODEL, cwd=str(workspace), extra=cc_settings)
    config = SessionConfig(agents=[
        AgentConfig(id="alpha", backend=fake_backend_config(fake, "chatcompletion", "fake-gpt")),
        AgentConfig(id="beta", backend=cc),
        AgentConfig(id="gamma", backend=fake_backend_config(fake, "claude", "fake-claude")),
    ])
    config.timeout.orchestrator_timeout_seconds = 120
    config.raw = {"agents": [{"id": "beta", "backend": {"type": "claude_code", "api_key": FAKE_KEY}}]}
    return config


async def test_a_team_with_a_claude_code_agent_reaches_a_final_answer_and_its_tools_show_as_calls(fake, tmp_path):
    workspace = tmp_path / "beta_ws"  # created by the backend
    fake.responder("fake-gpt", agent("2+2 = 4", vote_for="agent2", final="The answer is 4."))
    fake.responder(CC_MODEL, coding_agent(workspace))
    fake.responder("fake-claude", agent("Four.", vote_for="agent2"))

    run = await run_session(team(fake, workspace), "What is 2+2?")

    assert run.result.status == "completed", run.of(ev.AgentError)
    assert run.result.winner_id == "beta"
    assert run.result.final_answer == "Final answer: 2+2 = 4."
    assert (workspace / "notes.txt").read_text() == "2+2=4\n"
    beta_answers = [e.content for e in run.of(ev.AnswerSubmitted) if e.agent_id == "beta"]
    assert beta_answers == ["4, checked in notes.txt"]
    assert [e.target_id for e in run.of(ev.VoteCast) if e.agent_id == "beta"] == ["alpha"]
    started = {e.call_id: e for e in run.of(ev.ToolCallStarted) if e.agent_id == "beta"}
    finished = {e.call_id: e for e in run.of(ev.ToolCallFinished) if e.agent_id == "beta"}
    names = [e.name for e in started.values()]
    assert names[:3] == ["Write", "Read", "new_answer"]
    write = next(e for e in started.values() if e.name == "Write")
    assert write.arguments["file_path"] == str(workspace / "notes.txt")
    read = next(e for e in started.values() if e.name == "Read")
    assert "2+2=4" in finished[read.call_id].result and not finished[read.call_id].is_error
    assert set(finished) == set(started)  # no call is left pending on the screen
    streamed = "".join(e.text for e in run.of(ev.TextDelta) if e.agent_id == "beta")
    assert "Let me write it down. " in streamed
    usage = [e for e in run.of(ev.Usage) if e.agent_id == "beta"]
    assert usage and all(e.cost is not None and e.cost > 0 for e in usage)  # the CLI's own cost
    # The workflow tools reached the model directly (not deferred behind tool search), as MCP tools.
    first = fake.requests_for(CC_MODEL)[0]
    assert ANSWER in first.tool_names and "Write" in first.tool_names
    assert "What is 2+2?" in first.prompt_text
    assert not cli_processes("_bundled/claude")


async def test_cancelling_the_session_stops_the_claude_code_cli(fake, tmp_path):
    fake.responder(CC_MODEL, lambda request: Reply(Text("thinking..."), Delay(60), Text("late")))
    config = team(fake, tmp_path / "ws")
    config.agents = [config.agents[1]]
    task = asyncio.ensure_future(run_session(config, "What is 2+2?"))
    deadline = time.monotonic() + 30
    while not fake.requests_for(CC_MODEL) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert cli_processes("_bundled/claude"), "the CLI should be running mid-reply"
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    for _ in range(50):
        if not cli_processes("_bundled/claude"):
            break
        await asyncio.sleep(0.1)
    assert cli_processes("_bundled/claude") == []


async def test_a_hung_cli_is_one_agent_error_and_the_team_goes_on(fake, tmp_path):
    fake.responder("fake-gpt", agent("2+2 = 4", final="The answer is 4."))
    fake.responder(CC_MODEL, lambda request: Reply(Delay(60), Text("late")))
    fake.responder("fake-claude", agent("Four."))

    run = await run_session(team(fake, tmp_path / "ws", idle_timeout_seconds=3), "What is 2+2?")

    assert run.result.status == "completed" and run.result.final_answer == "The answer is 4."
    errors = [e for e in run.of(ev.AgentError) if e.agent_id == "beta"]
    assert len(errors) == 1 and "sent nothing for 3s (idle_timeout_seconds)" in errors[0].message
    assert not cli_processes("_bundled/claude")


async def test_a_tool_needing_permission_is_denied_not_waited_for(fake, tmp_path):
    """permission_mode: default asks before Bash; nobody can answer, so the call is denied and the agent goes on."""
    answered = []

    def respond(request) -> Reply:
        results = [m for m in request.messages if m["role"] == "tool"]
        if not results:
            return Reply(CallTool("Bash", {"command": "touch pwned", "description": "make a file"}))
        answered.append(results[-1]["text"])
        return Reply(CallTool(ANSWER, {"content": "4"}))

    fake.responder(CC_MODEL, respond)
    config = team(fake, tmp_path / "ws", permission_mode="default")
    config.agents = [config.agents[1], config.agents[0]]
    fake.responder("fake-gpt", agent("2+2 = 4"))
    run = await run_session(config, "What is 2+2?")

    assert run.result.status == "completed"
    bash = next(e for e in run.of(ev.ToolCallFinished) if e.agent_id == "beta" and e.name == "Bash")
    assert bash.is_error and "permission_mode: default" in bash.result
    assert not (tmp_path / "ws" / "pwned").exists()
    assert [e.content for e in run.of(ev.AnswerSubmitted) if e.agent_id == "beta"] == ["4"]


async def test_an_api_error_from_the_cli_is_one_agent_error(fake, tmp_path):
    from tests.fake_provider import HttpError

    fake.responder("fake-gpt", agent("2+2 = 4", final="The answer is 4."))
    fake.responder(CC_MODEL, lambda request: Reply(HttpError(400, "model fake-claude-code is not allowed")))
    fake.responder("fake-claude", agent("Four."))
    run = await run_session(team(fake, tmp_path / "ws"), "What is 2+2?")
    assert run.result.status == "completed"
    errors = [e for e in run.of(ev.AgentError) if e.agent_id == "beta"]
    assert len(errors) == 1 and "not allowed" in errors[0].message


def test_without_the_extra_the_agent_gets_one_error_naming_the_install_step(monkeypatch):
    import sys

    from massgen_tui.backends import create_backend
    from massgen_tui.backends.base import ProviderError
    from massgen_tui.config.model import BackendConfig

    monkeypatch.setitem(sys.modules, "claude_agent_sdk", None)  # import fails as if not installed
    try:
        create_backend(BackendConfig(type="claude_code", family="claude_code", model=""))
    except ProviderError as exc:
        assert "pip install 'massgen-tui[claude-code]'" in str(exc)
    else:
        raise AssertionError("expected a ProviderError")
