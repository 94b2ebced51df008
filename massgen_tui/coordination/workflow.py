"""The two workflow tools of the protocol (``new_answer``, ``vote``) and the rules a reply must follow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from massgen_tui.backends.base import ToolCall, ToolSpec

# Re-exported: the protocol's tool names belong with its rules for every caller above the backends.
from massgen_tui.backends.workflow_names import NEW_ANSWER as NEW_ANSWER
from massgen_tui.backends.workflow_names import VOTE as VOTE
from massgen_tui.backends.workflow_names import WORKFLOW_TOOLS as WORKFLOW_TOOLS
from massgen_tui.coordination.strictness import novelty_problem


def new_answer_tool() -> ToolSpec:
    """``new_answer {content}``: provide an improved answer to the original message."""
    return ToolSpec(
        name=NEW_ANSWER,
        description="Provide an improved answer to the original message.",
        parameters={
            "type": "object",
            "properties": {"content": {"type": "string", "description": "Your complete answer."}},
            "required": ["content"],
        },
    )


def vote_tool(labels: Sequence[str]) -> ToolSpec:
    """``vote {agent_id, reason}``: vote for the agent whose answer should be presented."""
    return ToolSpec(
        name=VOTE,
        description="Vote for the agent whose answer should be presented.",
        parameters={
            "type": "object",
            "properties": {
                "agent_id": {"type": "string", "enum": list(labels), "description": "Label of the best answer."},
                "reason": {"type": "string", "description": "Why that answer is best."},
            },
            "required": ["agent_id", "reason"],
        },
    )


def workflow_tools(labels_with_answers: Sequence[str], *, may_answer: bool) -> list[ToolSpec]:
    """The tools offered this round: ``vote`` only once answers exist, ``new_answer`` unless capped."""
    tools = [new_answer_tool()] if may_answer else []
    if labels_with_answers:
        tools.append(vote_tool(labels_with_answers))
    return tools


@dataclass(slots=True, frozen=True)
class AnswerDecision:
    """The reply gives a new answer."""

    content: str


@dataclass(slots=True, frozen=True)
class VoteDecision:
    """The reply votes for ``label``."""

    label: str
    reason: str
    #: Cast by giving the same answer as ``label`` (``identical_answer_as_vote``): judged against the
    #: answers as they are now, so it is not stale even if that answer arrived after the round began.
    same_answer: bool = False


@dataclass(slots=True, frozen=True)
class Rejection:
    """The reply broke a rule; ``message`` goes back to the model.

    ``needs_vote``: the fix is a vote (the answer repeats an existing one), which a round begun
    before that answer existed does not offer.
    """

    message: str
    needs_vote: bool = False


Decision = AnswerDecision | VoteDecision | Rejection


@dataclass(slots=True, frozen=True)
class AnswerRules:
    """Remedy settings for new answers (the defaults are MassGen's rules).

    ``identical_as_vote``: an answer equal after :func:`normalise_answer` to a votable one is a vote for it.
    ``has_answer``: the agent already answered and may not replace it unsupported (``keep_own_answer``).
    ``own_label``: the agent's label when it may not vote for itself (``self_votes: false``).
    """

    identical_as_vote: bool = False
    has_answer: bool = False
    own_label: str | None = None


_EDGES = " \t*_`\"'.,;:!()[]"


def normalise_answer(text: str) -> str:
    """Case-folded, whitespace collapsed, edge punctuation and markdown stripped."""
    return " ".join(text.split()).strip(_EDGES).casefold()


REMINDER = (
    "You did not call a workflow tool. Finish with exactly one call: `vote` for the best existing answer, "
    "or `new_answer` with a complete, improved answer."
)

#: Why an agent failed whose every attempt of a round ended without a workflow call.
NEVER_CALLED = (
    "the model never called new_answer or vote; if it does not support tool calling, "
    "set structured_output: true in its backend"
)


def judge_reply(
    calls: Sequence[ToolCall],
    *,
    visible_labels: Sequence[str],
    current_answers: Mapping[str, str],
    may_answer: bool,
    rules: AnswerRules = AnswerRules(),
    novelty: str = "lenient",
) -> Decision:
    """Apply the protocol's rules to the workflow calls of one reply.

    ``visible_labels`` are the labels the agent was shown answers for (its vote enum);
    ``current_answers`` maps label to the latest answer of every agent right now, for the
    duplicate check.
    """
    workflow = [c for c in calls if c.name in WORKFLOW_TOOLS]
    if not workflow:
        return Rejection(REMINDER)
    votes = [c for c in workflow if c.name == VOTE]
    answers = [c for c in workflow if c.name == NEW_ANSWER]
    if votes and answers:
        return Rejection("Call either `vote` or `new_answer`, not both.")
    if len(votes) > 1:
        return Rejection("Only one `vote` per reply.")
    if len(answers) > 1:
        return Rejection("Only one `new_answer` per reply.")
    call = workflow[0]
    if call.parse_error:
        return Rejection(f"The arguments of `{call.name}` were not valid JSON ({call.parse_error}).")
    if call.name == VOTE:
        return _judge_vote(call, visible_labels)
    return _judge_answer(call, current_answers, may_answer, visible_labels, rules, novelty)


def _judge_vote(call: ToolCall, visible_labels: Sequence[str]) -> Decision:
    if not visible_labels:
        return Rejection("No answers exist yet, so there is nothing to vote for. Call `new_answer`.")
    label = str(call.arguments.get("agent_id", "")).strip()
    if label not in visible_labels:
        return Rejection(f"Unknown agent label {label!r}. Vote for one of: {', '.join(visible_labels)}.")
    return VoteDecision(label=label, reason=str(call.arguments.get("reason", "")).strip())


def _judge_answer(
    call: ToolCall, current_answers: Mapping[str, str], may_answer: bool, visible_labels: Sequence[str],
    rules: AnswerRules, novelty: str,
) -> Decision:
    if not may_answer:
        return Rejection("You have reached your limit of new answers. Call `vote` for the best answer.")
    content = call.arguments.get("content")
    if not isinstance(content, str) or not content.strip():
        return Rejection("`new_answer` needs a non-empty `content` string.")
    same = normalise_answer if rules.identical_as_vote else str.strip
    for label, existing in current_answers.items():
        if same(content) == same(existing):
            if label == rules.own_label:
                return Rejection("This is your own current answer, and you may not vote for yourself. "
                                 "Vote for another answer, or give a different one.")
            if rules.identical_as_vote:
                return VoteDecision(label=label, reason="gave the same answer", same_answer=True)
            return Rejection(f"This answer is identical to {label}'s answer. Vote for {label} instead.",
                             needs_vote=True)
    if rules.has_answer:
        return Rejection("You already gave an answer and no other answer supports replacing it. "
                         "Call `vote` for the best answer.")
    too_close = novelty_problem(content, current_answers, novelty)
    if too_close is not None:
        return Rejection(too_close, needs_vote=True)
    return AnswerDecision(content=content)
