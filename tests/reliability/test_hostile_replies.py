"""Hostile model replies never take an agent out: deeply nested tool-call arguments, unpaired surrogates."""

from __future__ import annotations

import pytest

from massgen_tui.backends.tool_args import MAX_ARGUMENT_DEPTH, tool_call_from_json
from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session
from tests.fake_provider import CallTool, Reply, Text

SURROGATE = "\ud800"


def nested(depth: int) -> str:
    return '{"content": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [MAX_ARGUMENT_DEPTH + 1, 100_000])
def test_deeply_nested_arguments_are_a_parse_error_not_a_crash(depth):
    call = tool_call_from_json("c1", "new_answer", nested(depth))
    assert (
        call.arguments == {} and call.parse_error == f"arguments are nested more than {MAX_ARGUMENT_DEPTH} levels deep"
    )
    assert tool_call_from_json("c1", "new_answer", nested(MAX_ARGUMENT_DEPTH - 1)).parse_error == ""


@pytest.mark.parametrize("family", ["chatcompletion", "claude"])
async def test_an_agent_sending_deeply_nested_arguments_is_told_and_goes_on(fake, family):
    fake.responder("m-a", agent("A is 4", first=[Reply(Text("Here. "), CallTool("new_answer", nested(100_000)))]))
    fake.responder("m-b", agent("B is four"))
    team = make_team(fake, ("a", family, "m-a"), ("b", "chatcompletion", "m-b"))
    run = await run_session(team, "Q?")
    assert run.result.status == "completed" and not run.of(ev.AgentError)
    rejected = [e for e in run.of(ev.WorkflowRejected) if e.agent_id == "a"]
    assert rejected and "nested more than 64 levels deep" in rejected[0].reason
    assert any(e.agent_id == "a" and e.content == "A is 4" for e in run.of(ev.AnswerSubmitted))


@pytest.mark.parametrize("family", ["chatcompletion", "claude", "openai"])
async def test_a_surrogate_in_one_answer_reaches_peers_repaired_and_nobody_fails(fake, family):
    fake.responder("m-a", agent(f"A {SURROGATE} is 4"))
    fake.responder("m-b", agent("B is four", vote_for="agent1"))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", family, "m-b"))
    run = await run_session(team, "Q?")
    assert run.result.status == "completed" and not run.of(ev.AgentError)
    seen = [r.last_user_text for r in fake.requests_for("m-b") if "A \ufffd is 4" in r.last_user_text]
    assert seen, "b never saw a's answer"
