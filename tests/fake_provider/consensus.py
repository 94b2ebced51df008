"""A ready-made responder that drives a coordination session to consensus (benchmarks, end-to-end tests)."""

from __future__ import annotations

import itertools

from .provider import Responder
from .request import FakeRequest
from .script import CallTool, Reply, Text


def _workflow_name(request: FakeRequest, name: str) -> str:
    """The offered name of workflow tool ``name``: as is, or as an MCP tool (Claude Code's ``mcp__massgen__vote``)."""
    return next((tool for tool in request.tool_names if tool.endswith(f"__{name}")), name)


def _vote_labels(request: FakeRequest) -> list[str]:
    """The labels the request's ``vote`` tool lets the model vote for."""
    vote = request.tool(_workflow_name(request, "vote"))
    if vote is None:
        return []
    agent_id = (vote["parameters"].get("properties") or {}).get("agent_id") or {}
    return [str(label) for label in agent_id.get("enum") or []]


def consensus_responder(
    answer_text: str = "The answer is 4.", chunk: int | None = 8, chunk_delay: float = 0.0
) -> Responder:
    """Answer first, vote once answers are shown, present ``answer_text`` when offered no tools.

    - No workflow tools offered (the final presentation): stream ``answer_text``.
    - No labels to vote for, or none of them in the prompt yet: stream ``answer_text`` and call
      ``new_answer``. Its content is ``answer_text`` with a numbered "(draft n)" suffix, so agents
      answering in parallel never submit exact duplicates.
    - Otherwise: stream a short remark and ``vote`` for the first label of the ``agent_id`` enum.
    """
    drafts = itertools.count(1)

    def respond(request: FakeRequest) -> Reply:
        if _workflow_name(request, "new_answer") not in request.tool_names and request.tool(
                _workflow_name(request, "vote")) is None:
            return Reply(Text(answer_text, chunk), chunk_delay=chunk_delay)
        labels = _vote_labels(request)
        shown = request.system + "\n".join(message["text"] for message in request.messages)
        if not any(label in shown for label in labels):
            content = f"{answer_text} (draft {next(drafts)})"
            answer = CallTool(_workflow_name(request, "new_answer"), {"content": content})
            return Reply(Text(answer_text, chunk), answer, chunk_delay=chunk_delay)
        remark = f"The answer from {labels[0]} is right; voting for it."
        vote = CallTool(_workflow_name(request, "vote"),
                        {"agent_id": labels[0], "reason": "It answers the question correctly."})
        return Reply(Text(remark, chunk), vote, chunk_delay=chunk_delay)

    return respond
