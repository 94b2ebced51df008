"""The protocol's remedy settings (all off by default, MassGen's behaviour): rules and end-to-end effect."""

from __future__ import annotations

from massgen_tui.backends.base import ToolCall
from massgen_tui.coordination.prompts import REPHRASE_INSTRUCTIONS
from massgen_tui.coordination.workflow import AnswerRules, Rejection, VoteDecision, judge_reply
from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session, vote_labels

ANSWERS = {"agent1": "The answer is 148.", "agent2": "It is 150"}
TEAM = (("alpha", "chatcompletion", "m-alpha"), ("beta", "chatcompletion", "m-beta"))


def judge_answer(content: str, rules: AnswerRules | None = None):
    return judge_reply([ToolCall(id="c1", name="new_answer", arguments={"content": content})],
                       visible_labels=list(ANSWERS), current_answers=ANSWERS, may_answer=True,
                       rules=rules or AnswerRules())


def test_an_answer_equal_after_normalising_is_a_vote_with_the_remedy_and_a_rejection_without():
    assert judge_answer("the answer is 148").__class__.__name__ == "AnswerDecision"  # MassGen: not identical
    assert judge_answer("the answer is 148", AnswerRules(identical_as_vote=True)) == \
        VoteDecision("agent1", "gave the same answer", same_answer=True)
    exact = judge_answer("The answer is 148.")
    assert isinstance(exact, Rejection) and exact.message == \
        "This answer is identical to agent1's answer. Vote for agent1 instead."


def test_without_self_votes_repeating_its_own_answer_is_not_a_vote_for_itself():
    rejected = judge_answer("It is 150", AnswerRules(identical_as_vote=True, own_label="agent2"))
    assert isinstance(rejected, Rejection) and not rejected.needs_vote
    assert rejected.message == ("This is your own current answer, and you may not vote for yourself. "
                                "Vote for another answer, or give a different one.")


def test_an_agent_that_answered_may_not_replace_its_answer_unsupported():
    rejected = judge_answer("Actually 168", AnswerRules(has_answer=True))
    assert isinstance(rejected, Rejection)
    assert rejected.message == ("You already gave an answer and no other answer supports replacing it. "
                                "Call `vote` for the best answer.")
    # Siding with another agent's answer is supported: with identical-as-vote it becomes that vote.
    assert judge_answer("It is 150", AnswerRules(identical_as_vote=True, has_answer=True)) == \
        VoteDecision("agent2", "gave the same answer", same_answer=True)


async def test_identical_answers_become_votes_instead_of_restarts(fake):
    fake.responder("m-alpha", agent("148"))
    fake.responder("m-beta", agent("148.", answer_delay=0.3))
    run = await run_session(make_team(fake, *TEAM, identical_answer_as_vote=True), "What is 67 + 81?")
    assert run.result.status == "completed"
    assert run.of(ev.WorkflowRejected) == []
    assert [e.agent_id for e in run.of(ev.AnswerSubmitted)] == ["alpha"]
    beta_vote = next(e for e in run.of(ev.VoteCast) if e.agent_id == "beta")
    assert (beta_vote.target_id, beta_vote.reason) == ("alpha", "gave the same answer")


async def test_without_self_votes_the_vote_tool_offers_only_the_other_agents(fake):
    fake.responder("m-alpha", agent("148", vote_for=lambda labels: labels[0]))
    fake.responder("m-beta", agent("150", vote_for=lambda labels: labels[0], answer_delay=0.2))
    run = await run_session(make_team(fake, *TEAM, self_votes=False), "What is 67 + 81?")
    final_votes = {e.agent_id: e.target_id for e in run.of(ev.VoteCast)}  # after the last invalidation
    assert final_votes == {"alpha": "beta", "beta": "alpha"}
    offered = [vote_labels(r) for r in fake.requests_for("m-alpha") if "vote" in r.tool_names]
    assert offered[-1] == ["agent2"]


async def test_verbatim_presentation_is_the_winning_answer_without_a_call(fake):
    fake.responder("m-alpha", agent("148", final="168"))
    fake.responder("m-beta", agent("150", answer_delay=0.2))
    run = await run_session(make_team(fake, *TEAM, final_presentation="verbatim"), "What is 67 + 81?")
    assert (run.result.winner_id, run.result.final_answer) == ("alpha", "148")
    assert all(r.tools for r in fake.requests)  # no presentation call
    assert "".join(e.text for e in run.of(ev.FinalDelta)) == "148"


async def test_rephrase_presentation_shows_only_the_winning_answer_with_keep_its_result_instructions(fake):
    fake.responder("m-alpha", agent("148", final="The sum is 148."))
    fake.responder("m-beta", agent("150", answer_delay=0.2))
    run = await run_session(make_team(fake, *TEAM, final_presentation="rephrase"), "What is 67 + 81?")
    assert run.result.final_answer == "The sum is 148."
    presentation = fake.requests[-1]
    assert presentation.tools == [] and presentation.system == REPHRASE_INSTRUCTIONS
    assert "<alpha>\n148\n</alpha>" in presentation.last_user_text and "150" not in presentation.last_user_text


def test_remedy_settings_are_read_from_the_config_and_checked(tmp_path, monkeypatch):
    from massgen_tui.config import load_config
    from tests.config.helpers import messages, write

    monkeypatch.chdir(tmp_path)
    head = "agents:\n  - backend: {type: ollama, model: llama3.2}\norchestrator:\n"
    good = write("good.yaml", head + "  identical_answer_as_vote: true\n  keep_own_answer: true\n"
                 "  self_votes: false\n  final_presentation: rephrase\n")
    settings = load_config(good, env={}).config.orchestrator
    assert (settings.identical_answer_as_vote, settings.keep_own_answer, settings.self_votes,
            settings.final_presentation) == (True, True, False, "rephrase")
    bad = write("bad.yaml", head + "  final_presentation: rewrite_freely\n")
    assert messages(bad) == ["bad.yaml:4:23: error: orchestrator.final_presentation: expected one of rewrite, "
                             "rephrase, verbatim, got 'rewrite_freely'; did you mean 'rewrite'?"]
