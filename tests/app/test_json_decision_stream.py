"""The JSON-decision decoder: what a panel shows of a reply streamed as JSON, however it is chunked."""

from __future__ import annotations

import json

import pytest

from massgen_tui.view.json_decision_stream import JsonDecisionStream

CONTENT = 'Four, because:\n\t"2 + 2" = 4 \\ café ✓ 😀 / done'
ANSWER = json.dumps({"decision": {"action": "new_answer", "content": CONTENT}})  # \n, \", \u00e9, \ud83d\ude00
VOTE = '{"decision": {"action": "vote", "agent_id": "agent2", "reason": "clear \\"and\\" right"}}'


def shown(chunks: list[str]) -> tuple[str, JsonDecisionStream]:
    """Everything shown for ``chunks`` fed in order, the end of the reply included, and the decoder."""
    stream = JsonDecisionStream()
    text = "".join(stream.feed(chunk) for chunk in chunks)
    return text + stream.finish(), stream


def test_the_sample_reply_uses_every_kind_of_escape():
    assert all(escape in ANSWER for escape in ('\\n', '\\t', '\\"', '\\\\', '\\u00e9', '\\ud83d\\ude00'))


@pytest.mark.parametrize("cut", range(1, len(ANSWER)))
def test_an_answer_split_at_any_position_shows_exactly_its_content(cut):
    text, stream = shown([ANSWER[:cut], ANSWER[cut:]])
    assert text == CONTENT
    assert stream.decision.name == "new_answer"


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_an_answer_in_small_chunks_shows_its_content_as_it_arrives(size):
    stream = JsonDecisionStream()
    pieces = [stream.feed(ANSWER[i:i + size]) for i in range(0, len(ANSWER), size)]
    assert "".join(pieces) == CONTENT and stream.finish() == ""
    assert max(len(piece) for piece in pieces) <= size  # shown as it streams, not held back


def test_escapes_and_surrogate_pairs_split_across_chunks():
    chunks = ['{"decision": {"action": "new_answer", "content": "a\\', 'nb\\u00', 'e9c\\ud83d', '\\ude', '00d\\',
              '"e"}}']
    text, _ = shown(chunks)
    assert text == 'a\nbéc😀d"e'


def test_half_a_surrogate_pair_shows_as_a_replacement_character():
    text, _ = shown(['{"decision": {"action": "new_answer", "content": "x\\ud83dy\\ude00"}}'])
    assert text == "x\ufffdy\ufffd"


def test_content_before_action_and_whitespace_anywhere():
    reply = '\n  {\n "decision" :\t{ "content" : "4,\\nsurely" ,\n "action":"new_answer" } }\n'
    for cut in range(1, len(reply)):
        text, stream = shown([reply[:cut], reply[cut:]])
        assert text == "4,\nsurely" and stream.decision.name == "new_answer", cut


@pytest.mark.parametrize("cut", range(1, len(VOTE)))
def test_a_vote_shows_no_text_and_keeps_the_decision_for_its_vote_line(cut):
    text, stream = shown([VOTE[:cut], VOTE[cut:]])
    assert text == ""
    assert stream.decision.arguments == {"agent_id": "agent2", "reason": 'clear "and" right'}


def test_a_reply_that_is_not_json_is_shown_raw_from_its_first_character():
    stream = JsonDecisionStream()
    assert stream.feed("I think") == "I think"
    assert stream.feed(" it is 4") == " it is 4"
    assert stream.finish() == "" and stream.decision is None


def test_broken_json_shows_the_whole_reply_raw_on_a_new_line_and_passes_the_rest_through():
    stream = JsonDecisionStream()
    assert stream.feed('{"decision": {"content": "4 is') == "4 is"
    assert stream.feed(' right"} oops') == ' right\n{"decision": {"content": "4 is right"} oops'
    assert stream.feed(" more") == " more"
    assert stream.finish() == ""


@pytest.mark.parametrize("reply", [
    '{"decision": {"action": "new_answer", "content": "4 bec',  # cut off
    '{"decision": {"action": "new_answer", "content": "4"}} and more',  # text after the object
    '{"decision": {"action": "new_answer", "content": "4"},}',  # a trailing comma
    '{"decision": {"action": "shrug", "content": "4"}}',  # valid JSON, but no decision
    '{"answer": "4"}',
    '{"decision": {"action": "new_answer", "content": "bad \\x escape"}}',
])
def test_a_reply_that_turns_out_to_be_no_decision_is_shown_raw(reply):
    text, stream = shown([reply[:20], reply[20:]])
    assert text.endswith(reply) and stream.decision is None


def test_an_empty_reply_shows_nothing():
    assert shown(["", "  \n"])[0] == ""
