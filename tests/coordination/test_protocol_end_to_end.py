"""The coordination protocol end to end: real SDK clients against the loopback fake provider."""

from __future__ import annotations

import time

from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session, vote_labels
from tests.fake_provider import CallTool, Delay, HttpError, Reply, Text, consensus_responder

THREE_PROTOCOLS = (("alpha", "chatcompletion", "fake-gpt"), ("beta", "claude", "fake-claude"),
                   ("gamma", "gemini", "fake-gemini"))


def tool_results(request) -> list[str]:
    return [m["text"] for m in request.messages if m["role"] == "tool"]


async def test_three_agents_on_three_protocols_reach_consensus_and_stream_the_final_answer(fake):
    fake.responder("fake-gpt", agent("2+2 = 4", final="The answer is 4."))
    fake.responder("fake-claude", agent("Four."))
    fake.responder("fake-gemini", agent("It is 4"))
    run = await run_session(make_team(fake, *THREE_PROTOCOLS), "What is 2+2?")

    assert run.result.status == "completed"
    assert run.result.winner_id == "alpha"
    assert run.result.final_answer == "The answer is 4."
    assert "".join(e.text for e in run.of(ev.FinalDelta)) == "The answer is 4."
    assert sorted(e.agent_id for e in run.of(ev.AnswerSubmitted)) == ["alpha", "beta", "gamma"]
    consensus = run.of(ev.ConsensusReached)[-1]
    assert consensus.tally == {"alpha": 3} and consensus.reason == "votes"
    assert {r.protocol for r in fake.requests} == {"chat", "anthropic", "gemini"}
    # Every vote was cast with all three answers in view, under anonymous labels.
    last_votes = [r for r in fake.requests if "vote" in r.tool_names][-3:]
    for request in last_votes:
        assert vote_labels(request) == ["agent1", "agent2", "agent3"]
        assert "<agent3>\nIt is 4\n</agent3>" in request.last_user_text
    # The winner presented with real ids and no workflow tools.
    final_request = fake.requests[-1]
    assert final_request.model == "fake-gpt" and final_request.tools == []
    assert "<gamma>\nIt is 4\n</gamma>" in final_request.last_user_text


async def test_responses_api_and_azure_agents_take_part_like_any_other(fake):
    fake.responder("fake-responses", agent("4 via responses"))
    fake.responder("my-deployment", agent("4 via azure"))
    team = make_team(fake, ("resp", "openai", "fake-responses"), ("azure", "azure_openai", "my-deployment"))
    run = await run_session(team, "What is 2+2?")
    assert run.result.status == "completed" and run.result.winner_id == "azure"
    assert run.result.final_answer == "Final: 4 via azure"
    assert {r.protocol for r in fake.requests} == {"responses", "chat"}
    azure = fake.requests_for("my-deployment")[0]
    assert azure.path == "/openai/deployments/my-deployment/chat/completions"
    assert {e.agent_id for e in run.of(ev.VoteCast)} == {"resp", "azure"}
    assert run.of(ev.SessionEnded)[-1].winner_id == "azure"


async def test_all_agents_start_at_once(fake):
    first_request_at: dict[str, float] = {}

    def timed(model):
        inner = agent(f"answer {model}", first=[Reply(Delay(0.3), CallTool("new_answer", {"content": model}))])

        def respond(request):
            first_request_at.setdefault(model, time.monotonic())
            return inner(request)
        return respond

    for model in ("m1", "m2", "m3"):
        fake.responder(model, timed(model))
    team = make_team(fake, ("a", "chatcompletion", "m1"), ("b", "chatcompletion", "m2"),
                     ("c", "chatcompletion", "m3"))
    run = await run_session(team, "Q?")
    assert run.result.status == "completed"
    # Each first call takes 0.3 s: run one after another, the last would start 0.6 s after the first.
    assert max(first_request_at.values()) - min(first_request_at.values()) < 0.25


async def _rejection_case(fake, bad_reply: Reply) -> tuple:
    """alpha answers then votes; beta answers, then sends ``bad_reply`` once, then behaves."""
    fake.responder("m-alpha", agent("Alpha's answer"))
    beta_first = [Reply(Delay(0.2), CallTool("new_answer", {"content": "Beta's answer"})), bad_reply]
    fake.responder("m-beta", agent("unused", first=beta_first))
    team = make_team(fake, ("alpha", "chatcompletion", "m-alpha"), ("beta", "chatcompletion", "m-beta"))
    run = await run_session(team, "Q?")
    beta_requests = fake.requests_for("m-beta")
    return run, beta_requests


async def test_vote_for_unknown_label_is_rejected_and_the_model_is_told(fake):
    run, beta = await _rejection_case(fake, Reply(CallTool("vote", {"agent_id": "agent9", "reason": "?"})))
    rejected = run.of(ev.WorkflowRejected)
    assert [(e.agent_id, e.attempt) for e in rejected] == [("beta", 1)]
    assert "Unknown agent label 'agent9'. Vote for one of: agent1, agent2." in tool_results(beta[2])
    assert run.result.status == "completed"


async def test_two_votes_in_one_reply_are_rejected(fake):
    two = Reply(CallTool("vote", {"agent_id": "agent1", "reason": "a"}),
                CallTool("vote", {"agent_id": "agent2", "reason": "b"}))
    run, beta = await _rejection_case(fake, two)
    assert tool_results(beta[2]) == ["Only one `vote` per reply."] * 2
    assert run.result.status == "completed"


async def test_vote_together_with_new_answer_is_rejected(fake):
    both = Reply(CallTool("vote", {"agent_id": "agent1", "reason": "a"}), CallTool("new_answer", {"content": "x"}))
    run, beta = await _rejection_case(fake, both)
    assert tool_results(beta[2]) == ["Call either `vote` or `new_answer`, not both."] * 2


async def test_duplicate_answer_is_rejected(fake):
    run, beta = await _rejection_case(fake, Reply(CallTool("new_answer", {"content": "Alpha's answer"})))
    assert tool_results(beta[2]) == ["This answer is identical to agent1's answer. Vote for agent1 instead."]
    assert [e.content for e in run.of(ev.AnswerSubmitted)].count("Alpha's answer") == 1


async def test_reply_without_a_workflow_tool_gets_a_reminder(fake):
    run, beta = await _rejection_case(fake, Reply(Text("I think agent1 is right.")))
    reminder = beta[2].messages[-1]
    assert reminder["role"] == "user" and reminder["text"].startswith("You did not call a workflow tool.")


async def test_vote_when_no_answer_exists_is_rejected(fake):
    fake.responder("m-alpha", agent("Alpha's answer", first=[Reply(Delay(0.5), CallTool(
        "new_answer", {"content": "Alpha's answer"}))]))
    fake.responder("m-beta", agent("Beta's answer", first=[Reply(CallTool("vote", {"agent_id": "agent1",
                                                                                  "reason": "guess"}))]))
    team = make_team(fake, ("alpha", "chatcompletion", "m-alpha"), ("beta", "chatcompletion", "m-beta"))
    run = await run_session(team, "Q?")
    beta = fake.requests_for("m-beta")
    assert "vote" not in beta[0].tool_names
    assert tool_results(beta[1]) == ["No answers exist yet, so there is nothing to vote for. Call `new_answer`."]
    assert run.result.status == "completed"


async def test_an_agent_breaking_the_rules_three_times_is_out_and_the_session_goes_on(fake):
    fake.responder("m-alpha", agent("Alpha's answer"))
    fake.responder("m-beta", lambda request: Reply(Text("no tools for me")))
    team = make_team(fake, ("alpha", "chatcompletion", "m-alpha"), ("beta", "chatcompletion", "m-beta"))
    run = await run_session(team, "Q?")
    assert len(fake.requests_for("m-beta")) == 3
    error = run.of(ev.AgentError)[0]
    assert error.agent_id == "beta"
    assert error.message == ("no valid vote or answer after 3 attempts: the model never called new_answer or "
                             "vote; if it does not support tool calling, set structured_output: true in its backend")
    assert run.result.status == "completed" and run.result.winner_id == "alpha"


async def test_an_agent_calling_the_workflow_tools_wrongly_is_out_with_the_last_rule_it_broke(fake):
    fake.responder("m-alpha", agent("Alpha's answer"))
    fake.responder("m-beta", agent("Beta's answer", first=[
        Reply(Text("no tools for me")), Reply(Text("still none")),
        Reply(CallTool("vote", {"agent_id": "agent1", "reason": "r"}), CallTool("new_answer", {"content": "B"})),
    ]))
    team = make_team(fake, ("alpha", "chatcompletion", "m-alpha"), ("beta", "chatcompletion", "m-beta"))
    run = await run_session(team, "Q?")
    [error] = run.of(ev.AgentError)
    assert error.message == "no valid vote or answer after 3 attempts: Call either `vote` or `new_answer`, not both."


async def test_a_new_answer_invalidates_votes_and_reruns_the_others(fake):
    fake.responder("m-a", agent("A"))
    fake.responder("m-b", agent("B"))
    fake.responder("m-c", agent("C, late but better", vote_for="agent3", answer_delay=0.6))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"),
                     ("c", "chatcompletion", "m-c"), )
    run = await run_session(team, "Q?")

    invalidated = [e for e in run.of(ev.VotesInvalidated) if e.by_agent_id == "c"]
    assert invalidated and set(invalidated[0].voters) == {"a", "b"}
    restarted = {e.agent_id for e in run.of(ev.AgentRestarted) if e.reason == "new answer from c(agent3)"}
    assert restarted == {"a", "b"}
    # After the restart, a and b voted again with C's answer in view.
    for model in ("m-a", "m-b"):
        last_round = [r for r in fake.requests_for(model) if r.tools][-1]
        assert "<agent3>\nC, late but better\n</agent3>" in last_round.last_user_text
    votes_after = [e for e in run.of(ev.VoteCast) if e.seq > invalidated[0].seq]
    assert {e.agent_id for e in votes_after} == {"a", "b", "c"}


async def test_a_stale_vote_cast_while_answers_changed_is_discarded_and_the_agent_restarts(fake):
    # a answers at once, then takes 0.4 s to vote; b's answer lands meanwhile (0.15 s), so a's vote is stale.
    replies = iter([Reply(CallTool("new_answer", {"content": "A"})),
                    Reply(Delay(0.4), CallTool("vote", {"agent_id": "agent1", "reason": "stale"}))])

    def a(request):
        if not request.tools:
            return Reply(Text("final"))
        return next(replies, Reply(CallTool("vote", {"agent_id": "agent2", "reason": "fresh"})))

    fake.responder("m-a", a)
    fake.responder("m-b", agent("B", answer_delay=0.15))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    run = await run_session(team, "Q?")
    restarts = [e for e in run.of(ev.AgentRestarted) if e.agent_id == "a"]
    assert [e.reason for e in restarts] == ["answers changed while it was voting"]
    assert [e.reason for e in run.of(ev.VoteCast) if e.agent_id == "a"] == ["fresh"]
    last_round = [r for r in fake.requests_for("m-a") if r.tools][-1]
    assert "<agent2>\nB\n</agent2>" in last_round.last_user_text
    assert run.result.status == "completed"


async def test_timeout_picks_a_winner_from_votes_so_far_and_still_presents(fake):
    fake.responder("m-a", agent("A", final="Final from a"))
    fake.responder("m-b", agent("B"))
    fake.responder("m-c", lambda request: Reply(Delay(30), Text("never")))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"),
                     ("c", "chatcompletion", "m-c"), timeout=1.5)
    run = await run_session(team, "Q?")
    assert run.result.status == "timeout"
    assert run.result.winner_id == "a" and run.result.final_answer == "Final from a"
    assert run.of(ev.ConsensusReached)[-1].reason == "timeout"
    assert any("Orchestrator timeout after 1.5s" in e.message for e in run.of(ev.Notice))
    assert any(e.agent_id == "c" and e.status == "cancelled" for e in run.of(ev.AgentStatus))


async def test_timeout_with_no_answer_ends_without_a_final_answer(fake):
    fake.default(lambda request: Reply(Delay(30), Text("never")))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"), timeout=0.5)
    run = await run_session(team, "Q?")
    assert (run.result.status, run.result.final_answer, run.result.error) == ("timeout", "", "timeout with no answer")
    assert not run.of(ev.FinalStarted)


async def test_one_failing_agent_is_marked_failed_with_the_providers_message(fake):
    fake.responder("m-a", agent("A"))
    fake.responder("m-b", agent("B"))
    fake.responder("m-c", lambda request: Reply(HttpError(401, "Incorrect API key provided")))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"),
                     ("c", "chatcompletion", "m-c"))
    run = await run_session(team, "Q?")
    error = run.of(ev.AgentError)[0]
    assert error.agent_id == "c" and "Incorrect API key provided" in error.message and error.fatal
    assert run.result.status == "completed"
    assert run.of(ev.ConsensusReached)[-1].tally == {"a": 2}


async def test_all_agents_failing_ends_the_turn_with_a_clear_error(fake):
    fake.default(lambda request: Reply(HttpError(404, "The model does not exist")))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "claude", "m-b"))
    run = await run_session(team, "Q?")
    assert run.result.status == "failed"
    assert run.result.error.startswith("all agents failed (a: ")
    assert "The model does not exist" in run.result.error


async def test_a_tie_goes_to_the_agent_first_in_the_config(fake):
    # Labels follow sorted ids (alpha=agent1, zeta=agent2); config order puts zeta first.
    fake.responder("m-z", agent("Z", vote_for="agent2", final="zeta presents"))
    fake.responder("m-a", agent("A", vote_for="agent1"))
    team = make_team(fake, ("zeta", "chatcompletion", "m-z"), ("alpha", "chatcompletion", "m-a"))
    run = await run_session(team, "Q?")
    assert run.of(ev.ConsensusReached)[-1].tally == {"zeta": 1, "alpha": 1}
    assert run.result.winner_id == "zeta" and run.result.final_answer == "zeta presents"


async def test_multi_turn_carries_the_conversation(fake):
    fake.responder("m-a", agent("A", final="It is 4."))
    fake.responder("m-b", agent("B"))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    run = await run_session(team, "What is 2+2?", "And times 3?")
    assert [r.status for r in run.results] == ["completed", "completed"]
    second_turn = [r for r in fake.requests if "And times 3?" in r.last_user_text]
    assert second_turn and all("User: What is 2+2?\nAssistant: It is 4." in r.last_user_text for r in second_turn)
    assert [e.turn for e in run.of(ev.TurnStarted)] == [1, 2]


async def test_retry_after_429_is_visible_and_succeeds(fake):
    fake.responder("m-a", agent("A", first=[Reply(HttpError(429, "Rate limit reached", headers={"retry-after": "0"}))]))
    fake.responder("m-b", agent("B"))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    run = await run_session(team, "Q?")
    retry = run.of(ev.Retrying)[0]
    assert retry.agent_id == "a" and retry.attempt == 1 and retry.delay == 0
    assert "Rate limit reached" in retry.reason
    assert run.result.status == "completed" and not run.of(ev.AgentError)


async def test_single_agent_mode_skips_coordination(fake):
    fake.script("solo", Reply(Text("Just "), Text("4.")))
    run = await run_session(make_team(fake, ("solo", "claude", "solo")), "What is 2+2?")
    assert run.result.status == "completed" and run.result.final_answer == "Just 4."
    assert fake.requests[0].tools == [] and len(fake.requests) == 1
    assert not run.of(ev.AnswerSubmitted) and not run.of(ev.VoteCast)


async def test_answer_cap_forces_a_vote(fake):
    # b tries to answer again after its first answer; with the cap at 1 it is only offered `vote`,
    # and an answer it sends anyway is rejected.
    second = Reply(CallTool("new_answer", {"content": "B, improved"}))
    fake.responder("m-a", agent("A"))
    fake.responder("m-b", agent("B", first=[Reply(CallTool("new_answer", {"content": "B"})), second]))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"),
                     max_new_answers_per_agent=1)
    run = await run_session(team, "Q?")
    assert [e.content for e in run.of(ev.AnswerSubmitted) if e.agent_id == "b"] == ["B"]
    assert fake.requests_for("m-b")[1].tool_names == ["vote"]
    rejections = [e.reason for e in run.of(ev.WorkflowRejected) if e.agent_id == "b"]
    assert rejections and set(rejections) == {
        "You have reached your limit of new answers. Call `vote` for the best answer."}
    assert run.result.status == "completed"


async def test_usage_is_counted_per_agent_and_unknown_models_have_unknown_cost(fake):
    fake.responder("m-a", agent("A"))
    fake.responder("m-b", agent("B"))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    run = await run_session(team, "Q?")
    usage = run.of(ev.Usage)
    assert usage and all(u.input_tokens > 0 and u.cost is None for u in usage)
    totals = run.session.totals()
    assert totals["input_tokens"] == sum(u.input_tokens for u in usage)
    assert totals["cost"] is None and totals["agents"]["a"]["calls"] == len([u for u in usage if u.agent_id == "a"])


async def test_known_models_are_priced(fake):
    fake.responder("gpt-4o-mini", agent("A"))
    fake.responder("claude-sonnet-4-6", agent("B"))
    team = make_team(fake, ("a", "chatcompletion", "gpt-4o-mini"), ("b", "claude", "claude-sonnet-4-6"))
    run = await run_session(team, "Q?")
    usage = run.of(ev.Usage)
    assert all(u.cost is not None and u.cost > 0 for u in usage)
    totals = run.session.totals()
    assert totals["cost"] == round(sum(u.cost for u in usage), 6)


async def test_self_hosted_backends_cost_nothing(fake):
    fake.responder("llama3.1", agent("A"))
    team = make_team(fake, ("a", "chatcompletion", "llama3.1"), ("b", "chatcompletion", "llama3.1"))
    team.agents[0].backend.type = team.agents[1].backend.type = "ollama"  # a keyless, self-hosted server type
    run = await run_session(team, "Q?")
    usage = run.of(ev.Usage)
    assert usage and all(u.cost == 0.0 for u in usage) and run.session.totals()["cost"] == 0.0


async def test_a_vote_is_only_discarded_when_an_answer_arrived_after_its_round_began(fake):
    # Five agents answering at the same moment land in one batch; the rounds started for them
    # then see every answer, so their votes are not stale and need no restart.
    fake.default(consensus_responder())
    team = make_team(fake, *[(f"agent_{i}", "chatcompletion", f"m{i}") for i in range(5)])
    run = await run_session(team, "What is 2+2?")
    assert run.result.status == "completed"
    for restart in (e for e in run.of(ev.AgentRestarted) if e.reason == "answers changed while it was voting"):
        began = max(e.seq for e in run.of(ev.RoundStarted) if e.agent_id == restart.agent_id and e.seq < restart.seq)
        assert any(began < e.seq < restart.seq for e in run.of(ev.AnswerSubmitted)), restart
    rounds = {e.agent_id: e.round for e in run.of(ev.RoundStarted)}
    assert max(rounds.values()) <= 2  # answer, vote; at most one restart when answers really arrived late


async def test_a_rejected_reply_after_answers_changed_starts_a_round_that_offers_the_vote(fake):
    """Beta's round began with no answers (no vote tool); its answer repeats alpha's, which came in meanwhile."""
    fake.responder("m-alpha", agent("4", vote_for="agent1"))

    def beta(request):
        if not request.tools:
            return Reply(Text("Final: 4"))
        if "vote" in request.tool_names:
            return Reply(CallTool("vote", {"agent_id": "agent1", "reason": "same as mine"}))
        return Reply(Delay(0.4), CallTool("new_answer", {"content": "4"}))

    fake.responder("m-beta", beta)
    run = await run_session(make_team(fake, ("alpha", "chatcompletion", "m-alpha"),
                                      ("beta", "chatcompletion", "m-beta")), "What is 2+2?")

    assert run.result.status == "completed" and run.result.winner_id == "alpha"
    rejected = run.of(ev.WorkflowRejected)
    assert [(e.agent_id, e.attempt) for e in rejected] == [("beta", 1)]
    assert "identical to agent1's answer" in rejected[0].reason
    restarts = [(e.agent_id, e.reason) for e in run.of(ev.AgentRestarted)]
    assert ("beta", "answers changed since its round began") in restarts
    assert ("beta", "agent1") in [(v.agent_id, v.target_label) for v in run.of(ev.VoteCast)]
    assert not run.of(ev.AgentError)
