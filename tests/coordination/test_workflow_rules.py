"""The protocol's rules for a reply, as the model would experience them (the message it gets back)."""

from massgen_tui.backends.base import ToolCall
from massgen_tui.coordination.workflow import (
    REMINDER,
    AnswerDecision,
    Rejection,
    VoteDecision,
    judge_reply,
    workflow_tools,
)


def call(name, **arguments):
    return ToolCall(id=f"c-{name}", name=name, arguments=arguments)


ANSWERS = {"agent1": "4", "agent2": "Four."}


def judge(calls, visible=("agent1", "agent2"), current=ANSWERS, may_answer=True):
    return judge_reply(calls, visible_labels=list(visible), current_answers=current, may_answer=may_answer)


def test_a_valid_vote_names_the_label_and_reason():
    assert judge([call("vote", agent_id="agent2", reason="clearest")]) == VoteDecision("agent2", "clearest")


def test_a_valid_new_answer_is_accepted():
    assert judge([call("new_answer", content="2+2 = 4")]) == AnswerDecision("2+2 = 4")


def test_no_workflow_call_gets_the_reminder():
    assert judge([]) == Rejection(REMINDER)


def test_more_than_one_vote_is_rejected():
    decision = judge([call("vote", agent_id="agent1", reason=""), call("vote", agent_id="agent2", reason="")])
    assert decision == Rejection("Only one `vote` per reply.")


def test_vote_and_new_answer_together_is_rejected():
    decision = judge([call("vote", agent_id="agent1", reason=""), call("new_answer", content="5")])
    assert decision == Rejection("Call either `vote` or `new_answer`, not both.")


def test_vote_when_no_answer_exists_is_rejected():
    decision = judge([call("vote", agent_id="agent1", reason="")], visible=(), current={})
    assert decision == Rejection("No answers exist yet, so there is nothing to vote for. Call `new_answer`.")


def test_vote_for_an_unknown_label_lists_the_valid_ones():
    decision = judge([call("vote", agent_id="agent7", reason="")])
    assert decision == Rejection("Unknown agent label 'agent7'. Vote for one of: agent1, agent2.")


def test_an_answer_duplicating_an_existing_one_exactly_is_rejected():
    decision = judge([call("new_answer", content="Four.\n")])
    assert decision == Rejection("This answer is identical to agent2's answer. Vote for agent2 instead.",
                                 needs_vote=True)


def test_an_empty_answer_is_rejected():
    assert judge([call("new_answer", content="  ")]) == Rejection("`new_answer` needs a non-empty `content` string.")


def test_an_agent_at_its_answer_limit_must_vote():
    decision = judge([call("new_answer", content="five")], may_answer=False)
    assert decision == Rejection("You have reached your limit of new answers. Call `vote` for the best answer.")


def test_unparseable_arguments_are_rejected_with_the_parse_error():
    bad = ToolCall(id="x", name="vote", arguments={}, raw_arguments="{agent", parse_error="Expecting value")
    assert judge([bad]) == Rejection("The arguments of `vote` were not valid JSON (Expecting value).")


def test_vote_is_only_offered_once_answers_exist_and_its_enum_lists_them():
    assert [t.name for t in workflow_tools([], may_answer=True)] == ["new_answer"]
    tools = workflow_tools(["agent1", "agent3"], may_answer=True)
    assert [t.name for t in tools] == ["new_answer", "vote"]
    assert tools[1].parameters["properties"]["agent_id"]["enum"] == ["agent1", "agent3"]
    assert [t.name for t in workflow_tools(["agent1"], may_answer=False)] == ["vote"]
