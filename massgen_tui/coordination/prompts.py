"""The prompts of a coordination round and of the final presentation, kept deliberately lean.

Users pay per input token, and every agent reads every prompt each round, so the instructions
are a few sentences and answers appear once each, under anonymous labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from massgen_tui.backends.base import Message

ROUND_INSTRUCTIONS = (
    "You are one of several agents answering the same message; their current answers are shown "
    "under anonymous labels. If one of them already answers the message well, call `vote` for it. "
    "Otherwise call `new_answer` with a complete answer that improves on all of them. "
    "End with exactly one of these tool calls."
)
ROUND_INSTRUCTIONS_NO_ANSWERS = (
    "You are one of several agents answering the same message. No answers exist yet: "
    "call `new_answer` with your complete answer."
)
#: The same instructions for models that decide in JSON (see :mod:`massgen_tui.coordination.structured`).
STRUCTURED_ROUND_INSTRUCTIONS = (
    "You are one of several agents answering the same message; their current answers are shown "
    "under anonymous labels. If one of them already answers the message well, vote for it: reply "
    '{"decision": {"action": "vote", "agent_id": "<label>", "reason": "..."}}. Otherwise reply '
    '{"decision": {"action": "new_answer", "content": "..."}}. Reply with that JSON only.'
)
STRUCTURED_ROUND_INSTRUCTIONS_NO_ANSWERS = (
    "You are one of several agents answering the same message. No answers exist yet: reply "
    '{"decision": {"action": "new_answer", "content": "..."}}. Reply with that JSON only.'
)
FINAL_INSTRUCTIONS = (
    "You were chosen to present the final answer. Using the answers and votes below, write the best "
    "final answer to the original message. Reply with the answer itself only."
)

REPHRASE_INSTRUCTIONS = (
    "Your answer below won the vote. Restate it as the final answer to the original message: you may "
    "rephrase it, but keep its result exactly (every number, name and conclusion). Reply with the answer only."
)

Exchange = tuple[str, str]
"""One earlier turn of the conversation: (user question, final answer)."""


def _system(agent_system_message: str | None, instructions: str) -> Message:
    text = f"{agent_system_message.strip()}\n\n{instructions}" if agent_system_message else instructions
    return Message(role="system", content=text)


def _history_block(history: Sequence[Exchange]) -> str:
    if not history:
        return ""
    turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history)
    return f"<conversation_history>\n{turns}\n</conversation_history>\n"


def _tagged(tag: str, body: str) -> str:
    return f"<{tag}>\n{body}\n</{tag}>"


def round_messages(
    question: str,
    answers: Mapping[str, str],
    *,
    history: Sequence[Exchange] = (),
    system_message: str | None = None,
    structured: bool = False,
    guidance: str = "",
    workspace: str = "",
) -> list[Message]:
    """Messages for one coordination round; ``answers`` maps anonymous label to latest answer.

    ``structured`` asks for the decision as JSON instead of a workflow tool call; ``guidance`` is
    added to the instructions once answers exist (see :mod:`massgen_tui.coordination.strictness`);
    ``workspace`` says where the agent's files and the answers' files are (see :mod:`massgen_tui.workspace`).
    """
    parts = [_history_block(history) + _tagged("original_message", question)]
    if answers:
        body = "\n".join(_tagged(label, text) for label, text in answers.items())
        parts.append(_tagged("current_answers", body))
    if workspace:
        parts.append(_tagged("workspace", workspace))
    if structured:
        instructions = STRUCTURED_ROUND_INSTRUCTIONS if answers else STRUCTURED_ROUND_INSTRUCTIONS_NO_ANSWERS
    else:
        instructions = ROUND_INSTRUCTIONS if answers else ROUND_INSTRUCTIONS_NO_ANSWERS
    if answers:
        instructions += guidance
    return [_system(system_message, instructions), Message(role="user", content="\n".join(parts))]


def final_messages(
    question: str,
    answers_by_agent: Mapping[str, str],
    votes_received: Sequence[tuple[str, str]],
    *,
    history: Sequence[Exchange] = (),
    system_message: str | None = None,
    rephrase_only: bool = False,
    workspace: str = "",
) -> list[Message]:
    """Messages for the winner's final presentation: answers under real ids, and its votes with reasons.

    ``rephrase_only``: the presenter may only restate the winning answer (pass that answer alone).
    """
    answers = "\n".join(_tagged(agent_id, text) for agent_id, text in answers_by_agent.items())
    votes = "\n".join(f"- {voter}: {reason or '(no reason given)'}" for voter, reason in votes_received)
    parts = [
        _history_block(history) + _tagged("original_message", question),
        _tagged("answers", answers),
        _tagged("votes_for_you", votes or "(none)"),
    ]
    if workspace:
        parts.append(_tagged("workspace", workspace))
    instructions = REPHRASE_INSTRUCTIONS if rephrase_only else FINAL_INSTRUCTIONS
    return [_system(system_message, instructions), Message(role="user", content="\n".join(parts))]


def single_agent_messages(
    question: str, *, history: Sequence[Exchange] = (), system_message: str | None = None, workspace: str = ""
) -> list[Message]:
    """Messages for single-agent mode: the question itself, with history, and no protocol."""
    system = "\n\n".join(part for part in (system_message, workspace and _tagged("workspace", workspace)) if part)
    messages = [Message(role="system", content=system)] if system else []
    for q, a in history:
        messages += [Message(role="user", content=q), Message(role="assistant", content=a)]
    messages.append(Message(role="user", content=question))
    return messages
