"""The codex backend with the REAL Codex CLI (``codex exec --json``) on the fake Responses server."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest

from massgen_tui.backends import create_backend
from massgen_tui.backends.base import ProviderError
from massgen_tui.config.model import AgentConfig, BackendConfig, SessionConfig
from massgen_tui.events import types as ev
from tests.backends.cli_agents import cli_processes, codex_cli, needs_codex
from tests.conftest import fake_backend_config
from tests.coordination.helpers import agent, run_session
from tests.coordination.test_structured_protocol import _labels, _schema
from tests.fake_provider import CallTool, Delay, Reply, Text

CODEX_MODEL = "fake-codex"


@pytest.fixture
def codex_home(tmp_path, monkeypatch) -> Path:
    """The CLI on PATH and its state (CODEX_HOME) in the test's folder, never the user's ~/.codex."""
    cli = codex_cli()
    if cli:
        monkeypatch.setenv("PATH", f"{os.path.dirname(cli)}{os.pathsep}{os.environ['PATH']}")
    home = tmp_path / "codex_home"
    home.mkdir()
    monkeypatch.setenv("CODEX_HOME", str(home))
    return home


def codex_agent(answer: str):
    """Runs a shell command that writes notes.txt, then answers in JSON; votes once answers exist; presents."""

    def respond(request) -> Reply:
        schema = _schema(request)
        if schema is None:
            return Reply(Text("Codex presents: 4."))
        labels = _labels(schema)
        if labels and any(f"<{label}>" in request.prompt_text for label in labels):
            decision = {"action": "vote", "agent_id": labels[0], "reason": "right"}
            return Reply(Text(json.dumps({"decision": decision})))
        if not any(m["role"] == "tool" for m in request.messages):
            return Reply(Text("Writing notes. "), CallTool("exec_command", {"cmd": "echo 2+2=4 > notes.txt"}))
        return Reply(Text(json.dumps({"decision": {"action": "new_answer", "content": answer}})))

    return respond


def team(fake, workspace: Path, **settings) -> SessionConfig:
    codex = fake_backend_config(fake, "codex", CODEX_MODEL, structured_output=True,
                                cwd=str(workspace), extra=settings)
    config = SessionConfig(agents=[
        AgentConfig(id="alpha", backend=fake_backend_config(fake, "chatcompletion", "fake-gpt")),
        AgentConfig(id="beta", backend=codex),
        AgentConfig(id="gamma", backend=fake_backend_config(fake, "claude", "fake-claude")),
    ])
    config.timeout.orchestrator_timeout_seconds = 120
    return config


@needs_codex
async def test_a_team_with_a_codex_agent_reaches_a_final_answer_and_its_commands_show_as_calls(
    fake, tmp_path, codex_home
):
    workspace = tmp_path / "beta_ws"
    fake.responder("fake-gpt", agent("2+2 = 4", vote_for="agent2"))
    fake.responder(CODEX_MODEL, codex_agent("4 (noted in notes.txt)"))
    fake.responder("fake-claude", agent("Four.", vote_for="agent2"))

    run = await run_session(team(fake, workspace), "What is 2+2?")

    assert run.result.status == "completed", run.of(ev.AgentError)
    assert run.result.winner_id == "beta" and run.result.final_answer == "Codex presents: 4."
    assert (workspace / "notes.txt").read_text().strip() == "2+2=4"
    assert [e.content for e in run.of(ev.AnswerSubmitted) if e.agent_id == "beta"] == ["4 (noted in notes.txt)"]
    assert [e.target_id for e in run.of(ev.VoteCast) if e.agent_id == "beta"] == ["alpha"]
    shell = next(e for e in run.of(ev.ToolCallStarted) if e.agent_id == "beta")
    assert shell.name == "shell" and "echo 2+2=4 > notes.txt" in shell.arguments["command"]
    result = next(e for e in run.of(ev.ToolCallFinished) if e.call_id == shell.call_id)
    assert not result.is_error
    assert any(e.agent_id == "beta" and e.input_tokens > 0 for e in run.of(ev.Usage))
    requests = fake.requests_for(CODEX_MODEL)
    assert all(r.path == "/v1/responses" for r in requests)
    assert "What is 2+2?" in requests[0].prompt_text
    assert not cli_processes("codex")


@needs_codex
async def test_cancelling_stops_the_codex_cli(fake, tmp_path, codex_home):
    fake.responder(CODEX_MODEL, lambda request: Reply(Text("hm"), Delay(60), Text("late")))
    config = team(fake, tmp_path / "ws")
    config.agents = [config.agents[1]]
    task = asyncio.ensure_future(run_session(config, "What is 2+2?"))
    deadline = time.monotonic() + 30
    while not fake.requests_for(CODEX_MODEL) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert cli_processes("codex"), "the CLI should be running mid-reply"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cli_processes("codex") == []


@needs_codex
async def test_a_cli_failure_is_one_agent_error_and_the_team_goes_on(fake, tmp_path, codex_home):
    from tests.fake_provider import HttpError

    fake.responder("fake-gpt", agent("2+2 = 4", final="The answer is 4."))
    fake.responder(CODEX_MODEL, lambda request: Reply(HttpError(400, "fake-codex is not a model here")))
    fake.responder("fake-claude", agent("Four."))
    run = await run_session(team(fake, tmp_path / "ws", idle_timeout_seconds=60), "What is 2+2?")
    assert run.result.status == "completed" and run.result.final_answer == "The answer is 4."
    errors = [e for e in run.of(ev.AgentError) if e.agent_id == "beta"]
    assert len(errors) == 1 and "Codex CLI failed" in errors[0].message and "not a model here" in errors[0].message


def test_without_the_cli_the_agent_gets_one_error_naming_the_install_step(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ProviderError, match=r"npm install -g @openai/codex"):
        create_backend(BackendConfig(type="codex", family="codex", model=""))
