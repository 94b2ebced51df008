"""Workflow decisions as JSON, for models without native tool calling.

Instead of offering the ``new_answer`` and ``vote`` tools, the coordinator asks such a model
for one JSON object shaped by a per-round schema::

    {"decision": {"action": "new_answer", "content": "..."}}
    {"decision": {"action": "vote", "agent_id": "agent2", "reason": "..."}}

With no answers yet the schema has only the new-answer branch; otherwise the vote branch's
``agent_id`` is an enum of the labels that exist (and the new-answer branch is left out once
the agent's answer cap is reached). Strings are bounded by ``maxLength`` so that a model that
runs on cannot push the closing brace past ``max_tokens``: :func:`string_limit` derives the
bound from the token budget (a third of it: a run of odd characters costs about a token each).

:func:`parse_decision` turns the reply text into the equivalent workflow :class:`ToolCall`, so
the protocol's rules (:func:`~massgen_tui.coordination.workflow.judge_reply`) apply unchanged,
or into a :class:`~massgen_tui.coordination.workflow.Rejection` for the retry message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from massgen_tui.backends.base import ToolCall
from massgen_tui.coordination.workflow import NEW_ANSWER, VOTE, Rejection

#: Tokens the JSON around the strings takes (keys, braces, the label), kept out of the string bound.
SCHEMA_OVERHEAD_TOKENS = 40
#: The vote reason needs no more than this, whatever the budget.
REASON_LIMIT = 200
_MIN_LIMIT = 16


def string_limit(max_tokens: int | None) -> int | None:
    """The ``maxLength`` of the decision's strings for a reply budget of ``max_tokens`` (``None``: unbounded)."""
    if max_tokens is None:
        return None
    return max(_MIN_LIMIT, (max_tokens - SCHEMA_OVERHEAD_TOKENS) // 3)


def _string(limit: int | None) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit} if limit is not None else {"type": "string"}


def _branch(action: str, fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    properties = {"action": {"type": "string", "enum": [action]}, **fields}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def decision_schema(labels: Sequence[str], *, may_answer: bool = True, max_length: int | None = None) -> dict[str, Any]:
    """The JSON schema of one round's decision.

    ``labels`` are the labels with answers (the vote enum; no vote branch when empty);
    ``may_answer=False`` leaves out the new-answer branch (the agent's answer cap is reached).
    ``max_length`` bounds every string (see :func:`string_limit`).
    """
    branches = []
    if may_answer or not labels:
        branches.append(_branch(NEW_ANSWER, {"content": _string(max_length)}))
    if labels:
        reason_limit = min(max_length, REASON_LIMIT) if max_length is not None else None
        branches.append(_branch(VOTE, {
            "agent_id": {"type": "string", "enum": list(labels)},
            "reason": _string(reason_limit),
        }))
    decision = branches[0] if len(branches) == 1 else {"anyOf": branches}
    return {
        "type": "object",
        "properties": {"decision": decision},
        "required": ["decision"],
        "additionalProperties": False,
    }


def parse_decision(text: str, *, call_id: str = "structured") -> ToolCall | Rejection:
    """The workflow call a JSON reply stands for, or why the reply is not one.

    Raw newlines inside strings are accepted (``strict=False``). Whether the label exists and the
    answer is allowed is left to :func:`~massgen_tui.coordination.workflow.judge_reply`.
    """
    stripped = text.strip()
    if not stripped:
        return Rejection(f"Your reply was empty. {_FORMAT}")
    try:
        data = json.loads(stripped, strict=False)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped) - 1 or "Unterminated" in exc.msg:
            return Rejection(f"Your reply was cut off before the JSON ended: keep it shorter. {_FORMAT}")
        return Rejection(f"Your reply was not valid JSON ({exc.msg}). {_FORMAT}")
    decision = data.get("decision") if isinstance(data, dict) else None
    if not isinstance(decision, dict):
        return Rejection(f"Your reply has no \"decision\" object. {_FORMAT}")
    action = decision.get("action")
    if action == NEW_ANSWER:
        content = decision.get("content")
        if not isinstance(content, str):
            return Rejection(f"A new answer needs a \"content\" string. {_FORMAT}")
        return ToolCall(id=call_id, name=NEW_ANSWER, arguments={"content": content}, raw_arguments=stripped)
    if action == VOTE:
        label, reason = decision.get("agent_id"), decision.get("reason", "")
        if not isinstance(label, str):
            return Rejection(f"A vote needs an \"agent_id\" label. {_FORMAT}")
        return ToolCall(id=call_id, name=VOTE, arguments={"agent_id": label, "reason": str(reason)},
                        raw_arguments=stripped)
    return Rejection(f"Unknown action {action!r}: use \"new_answer\" or \"vote\". {_FORMAT}")


_FORMAT = (
    'Reply with one JSON object: {"decision": {"action": "new_answer", "content": "..."}} '
    'or {"decision": {"action": "vote", "agent_id": "<label>", "reason": "..."}}.'
)
