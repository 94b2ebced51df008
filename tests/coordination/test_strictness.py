"""MassGen's voting_sensitivity and answer_novelty_requirement, through a real session on the fake provider."""

from __future__ import annotations

from massgen_tui.coordination.strictness import novelty_problem, word_overlap
from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session, vote_labels
from tests.fake_provider import CallTool, Delay, Reply, Text

TEAM = (("alpha", "chatcompletion", "fake-a"), ("beta", "chatcompletion", "fake-b"))


def test_overlap_is_massgens_word_set_jaccard() -> None:
    assert word_overlap("The answer is 4", "the ANSWER is four") == 3 / 5
    assert novelty_problem("the answer is 4", {"agent1": "The answer is 4!"}, "lenient") is None
    assert novelty_problem("a b c d e f g h i j", {"agent1": "a b c d e f g h x y"}, "balanced") is None  # 67%
    assert novelty_problem("a b c d e f g h i j", {"agent1": "a b c d e f g h x y"}, "strict") == (
        "This answer is too similar to agent1's answer (67% of words shared; the limit is 50%). "
        "Give a meaningfully different answer, or vote for agent1.")


async def test_strict_novelty_rejects_a_rephrasing_with_the_reason_and_the_agent_votes_instead(fake) -> None:
    fake.responder("fake-a", agent("Two plus two is four, so the answer is 4."))

    def rephrasing_beta(request) -> Reply:
        if not request.tools:
            return Reply(Text("Final from beta."))
        if vote_labels(request):
            return Reply(CallTool("vote", {"agent_id": "agent1", "reason": "same as mine"}))
        rephrased = "So two plus two is four: the answer is 4."  # after alpha's answer is in
        return Reply(Delay(0.4), Text("Mine: "), CallTool("new_answer", {"content": rephrased}))

    fake.responder("fake-b", rephrasing_beta)
    run = await run_session(make_team(fake, *TEAM, answer_novelty_requirement="strict"), "What is 2+2?")
    assert run.result.status == "completed" and run.result.winner_id == "alpha"
    rejected = [e for e in run.of(ev.WorkflowRejected) if e.agent_id == "beta"]
    assert rejected and rejected[0].reason.startswith("This answer is too similar to agent1's answer (")
    assert [e.agent_id for e in run.of(ev.AnswerSubmitted)] == ["alpha"]
    assert [(v.agent_id, v.target_id) for v in run.of(ev.VoteCast) if v.agent_id == "beta"] == [("beta", "alpha")]


async def test_sensitivity_and_novelty_reach_the_round_instructions_once_answers_exist(fake) -> None:
    fake.responder("fake-a", agent("4"))
    fake.responder("fake-b", agent("four"))
    await run_session(make_team(fake, *TEAM, voting_sensitivity="strict", answer_novelty_requirement="balanced"),
                      "What is 2+2?")
    with_answers = [r for r in fake.requests if "vote" in r.tool_names]
    first_round = [r for r in fake.requests if r.tools and "vote" not in r.tool_names]
    assert with_answers and first_round
    assert all("Vote only if it scores 3 on all three" in r.system and "meaningfully different" in r.system
               for r in with_answers)
    assert not any("scores 3" in r.system for r in first_round)


async def test_massgens_defaults_add_nothing_to_the_prompt(fake) -> None:
    fake.responder("fake-a", agent("4"))
    fake.responder("fake-b", agent("four"))
    await run_session(make_team(fake, *TEAM), "What is 2+2?")
    assert not any("scores 3" in r.system or "different" in r.system for r in fake.requests)
