"""Helpers shared by the backend tests: running a stream and picking its events apart."""

from __future__ import annotations

from typing import Any

from massgen_tui.backends.base import (
    Backend,
    Done,
    Message,
    ProviderError,
    ReasoningChunk,
    TextChunk,
    ToolCall,
    ToolSpec,
    UsageReport,
)

VOTE = ToolSpec(
    name="vote",
    description="Vote for the agent whose answer should be presented.",
    parameters={
        "type": "object",
        "properties": {"agent_id": {"type": "string", "enum": ["agent1", "agent2"]}, "reason": {"type": "string"}},
        "required": ["agent_id", "reason"],
    },
)
NEW_ANSWER = ToolSpec(
    name="new_answer",
    description="Provide an improved answer to the original message.",
    parameters={"type": "object", "properties": {"content": {"type": "string"}}, "required": ["content"]},
)
QUESTION = [Message("system", "You are agent one."), Message("user", "What is 2+2?")]


async def run(backend: Backend, messages: list[Message] = QUESTION, tools: list[ToolSpec] | None = None) -> list[Any]:
    """Every event of one call."""
    return [event async for event in backend.stream(messages, tools or [])]


async def failure(backend: Backend, messages: list[Message] = QUESTION) -> ProviderError:
    """The ProviderError one call ends with (fails the test if it succeeds)."""
    try:
        await run(backend, messages)
    except ProviderError as exc:
        return exc
    raise AssertionError("the call succeeded")


def texts(events: list[Any]) -> list[str]:
    """The text chunks of a stream, in order."""
    return [e.text for e in events if isinstance(e, TextChunk)]


def reasonings(events: list[Any]) -> list[str]:
    """The reasoning chunks of a stream, in order."""
    return [e.text for e in events if isinstance(e, ReasoningChunk)]


def calls(events: list[Any]) -> list[ToolCall]:
    """The tool calls of a stream, in order."""
    return [e for e in events if isinstance(e, ToolCall)]


def usages(events: list[Any]) -> list[UsageReport]:
    """The usage reports of a stream."""
    return [e for e in events if isinstance(e, UsageReport)]


def done(events: list[Any]) -> Done:
    """The stream's closing Done event (fails the test if the stream ended otherwise)."""
    assert isinstance(events[-1], Done), f"last event is {events[-1]!r}"
    return events[-1]


class Sleeps(list):
    """A stand-in for asyncio.sleep that records the delays instead of waiting."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)
