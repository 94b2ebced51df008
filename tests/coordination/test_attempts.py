"""How many tries a round gets: ``max_attempts`` below 1 (set in code; the loader refuses it) still allows one."""

from __future__ import annotations

from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session
from tests.fake_provider import Reply, Text


async def test_max_attempts_of_zero_still_gives_each_round_one_attempt(fake):
    fake.responder("m-alpha", agent("Alpha's answer"))
    fake.responder("m-beta", agent("Beta's answer"))
    team = make_team(fake, ("alpha", "chatcompletion", "m-alpha"), ("beta", "chatcompletion", "m-beta"),
                     max_attempts=0)
    run = await run_session(team, "Q?")
    assert run.of(ev.EngineCrashed) == []
    assert run.result.status == "completed" and run.result.winner_id is not None


async def test_with_max_attempts_of_zero_a_rule_breaker_is_out_after_its_one_attempt(fake):
    fake.responder("m-alpha", agent("Alpha's answer"))
    fake.responder("m-beta", lambda request: Reply(Text("no tools for me")))
    team = make_team(fake, ("alpha", "chatcompletion", "m-alpha"), ("beta", "chatcompletion", "m-beta"),
                     max_attempts=0)
    run = await run_session(team, "Q?")
    assert len(fake.requests_for("m-beta")) == 1
    [error] = run.of(ev.AgentError)
    assert error.agent_id == "beta" and error.message.startswith("no valid vote or answer after 1 attempts: ")
    assert run.result.status == "completed" and run.result.winner_id == "alpha"
