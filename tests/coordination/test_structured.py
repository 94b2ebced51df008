"""The per-round decision schema and the parser of JSON decisions, without any model."""

from __future__ import annotations

import json

import pytest

from massgen_tui.backends.base import ToolCall
from massgen_tui.backends.json_output import strict_json_schema, without_length_bounds
from massgen_tui.coordination.structured import decision_schema, parse_decision, string_limit
from massgen_tui.coordination.workflow import AnswerDecision, Rejection, VoteDecision, judge_reply


def _branches(schema: dict) -> dict[str, dict]:
    decision = schema["properties"]["decision"]
    branches = decision.get("anyOf", [decision])
    return {branch["properties"]["action"]["enum"][0]: branch for branch in branches}


def test_with_no_answers_only_the_new_answer_branch_exists() -> None:
    schema = decision_schema([], max_length=100)
    assert list(_branches(schema)) == ["new_answer"]
    assert schema["required"] == ["decision"]


def test_the_vote_branch_offers_exactly_the_labels_that_exist() -> None:
    branches = _branches(decision_schema(["agent1", "agent3"], max_length=100))
    assert set(branches) == {"new_answer", "vote"}
    assert branches["vote"]["properties"]["agent_id"]["enum"] == ["agent1", "agent3"]
    assert branches["vote"]["required"] == ["action", "agent_id", "reason"]


def test_at_the_answer_cap_only_the_vote_branch_is_left() -> None:
    assert list(_branches(decision_schema(["agent1"], may_answer=False))) == ["vote"]


def test_every_string_is_bounded_and_the_budget_covers_three_times_the_bound() -> None:
    limit = string_limit(256)
    assert limit is not None and 3 * limit <= 256
    branches = _branches(decision_schema(["agent1"], max_length=limit))
    assert branches["new_answer"]["properties"]["content"]["maxLength"] == limit
    assert 0 < branches["vote"]["properties"]["reason"]["maxLength"] <= limit
    assert string_limit(None) is None
    assert "maxLength" not in json.dumps(decision_schema(["agent1"], max_length=None))


def test_remote_strict_schemas_leave_the_length_bounds_out() -> None:
    schema = decision_schema(["agent1"], max_length=50)
    strict = strict_json_schema(schema)
    assert strict["strict"] is True and strict["name"]
    assert "maxLength" not in json.dumps(strict) and "maxLength" not in json.dumps(without_length_bounds(schema))
    assert _branches(strict["schema"])["vote"]["properties"]["agent_id"]["enum"] == ["agent1"]


def test_a_new_answer_with_raw_newlines_in_its_string_parses() -> None:
    call = parse_decision('{"decision": {"action": "new_answer", "content": "line one\nline two"}}')
    assert isinstance(call, ToolCall)
    assert (call.name, call.arguments) == ("new_answer", {"content": "line one\nline two"})


def test_a_vote_parses_into_the_vote_call() -> None:
    call = parse_decision(' {"decision": {"action": "vote", "agent_id": "agent2", "reason": "right"}}\n')
    assert isinstance(call, ToolCall)
    assert (call.name, call.arguments) == ("vote", {"agent_id": "agent2", "reason": "right"})


@pytest.mark.parametrize("text", [
    '{"decision": {"action": "new_answer", "content": "4 because',
    '{"decision": {"action": "vote", "agent_id": "agent1"',
])
def test_truncated_json_is_rejected_as_cut_off(text: str) -> None:
    rejection = parse_decision(text)
    assert isinstance(rejection, Rejection)
    assert "cut off" in rejection.message


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    ("The answer is 4.", "not valid JSON"),
    ('{"answer": "4"}', '"decision"'),
    ('{"decision": {"action": "shout"}}', "Unknown action"),
    ('{"decision": {"action": "new_answer"}}', '"content"'),
    ('{"decision": {"action": "vote", "reason": "x"}}', '"agent_id"'),
])
def test_invalid_output_is_rejected_with_the_expected_format(text: str, words: str) -> None:
    rejection = parse_decision(text)
    assert isinstance(rejection, Rejection)
    assert words in rejection.message
    assert '"action": "vote"' in rejection.message  # says what to send instead


def test_a_wrong_label_is_rejected_by_the_protocol_rules() -> None:
    call = parse_decision('{"decision": {"action": "vote", "agent_id": "agent9", "reason": "x"}}')
    decision = judge_reply([call], visible_labels=["agent1"], current_answers={"agent1": "4"}, may_answer=True)
    assert isinstance(decision, Rejection) and "agent9" in decision.message


def test_parsed_decisions_go_through_the_same_rules_as_tool_calls() -> None:
    answers = {"agent1": "4"}
    vote = judge_reply([parse_decision('{"decision": {"action": "vote", "agent_id": "agent1", "reason": "ok"}}')],
                       visible_labels=["agent1"], current_answers=answers, may_answer=True)
    answer = judge_reply([parse_decision('{"decision": {"action": "new_answer", "content": "four"}}')],
                         visible_labels=["agent1"], current_answers=answers, may_answer=True)
    duplicate = judge_reply([parse_decision('{"decision": {"action": "new_answer", "content": "4"}}')],
                            visible_labels=["agent1"], current_answers=answers, may_answer=True)
    assert vote == VoteDecision(label="agent1", reason="ok")
    assert answer == AnswerDecision(content="four")
    assert isinstance(duplicate, Rejection) and "identical" in duplicate.message
