"""ClaudeBackend: the real anthropic SDK client against the loopback fake provider."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anthropic
import httpx2
import pytest

from massgen_tui.backends.base import (
    Done,
    Message,
    ProviderError,
    ReasoningChunk,
    TextChunk,
    ToolCall,
    ToolSpec,
    UsageReport,
)
from massgen_tui.backends.claude import ClaudeBackend, provider_error
from massgen_tui.config.model import BackendConfig
from tests.fake_provider import CallTool, Drop, FakeProvider, HttpError, Malformed, Reasoning, Reply, Text, Usage

MODEL = "claude-fake"

VOTE = ToolSpec(
    name="vote",
    description="Vote for the agent whose answer should be presented.",
    parameters={
        "type": "object",
        "properties": {
            "agent_id": {"type": "string", "enum": ["agent1", "agent2"]},
            "reason": {"type": "string"},
        },
        "required": ["agent_id", "reason"],
    },
)
NEW_ANSWER = ToolSpec(
    name="new_answer",
    description="Provide an improved answer to the original message.",
    parameters={"type": "object", "properties": {"content": {"type": "string"}}, "required": ["content"]},
)


@pytest.fixture
async def make_backend(fake: FakeProvider) -> AsyncIterator[Any]:
    backends: list[ClaudeBackend] = []

    def make(**settings: Any) -> ClaudeBackend:
        config = BackendConfig(
            type="claude", family="claude", model=MODEL, api_key="sk-test-claude",
            base_url=fake.base_url("anthropic"), **settings,
        )
        backends.append(ClaudeBackend(config))
        return backends[-1]

    yield make
    for backend in backends:
        await backend.aclose()


async def run(backend: ClaudeBackend, messages: list[Message], tools: list[ToolSpec] | None = None) -> list[Any]:
    return [event async for event in backend.stream(messages, tools or [])]


def text_of(events: list[Any]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextChunk))


def reasoning_of(events: list[Any]) -> str:
    return "".join(e.text for e in events if isinstance(e, ReasoningChunk))


def calls_of(events: list[Any]) -> list[ToolCall]:
    return [e for e in events if isinstance(e, ToolCall)]


async def failure(backend: ClaudeBackend) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        await run(backend, [Message("user", "hi")])
    return caught.value


ASK = [Message("system", "Be brief."), Message("user", "What is 2+2?")]


async def test_text_streams_in_order_and_ends_with_the_assistant_message(fake, make_backend):
    fake.script(MODEL, Reply(Text("The answer, plainly: ", chunk=4), Text("four.")))
    events = await run(make_backend(), ASK)

    assert len([e for e in events if isinstance(e, TextChunk)]) > 2
    assert text_of(events) == "The answer, plainly: four."
    done = events[-1]
    assert isinstance(done, Done)
    assert done.message.role == "assistant"
    assert done.message.content == "The answer, plainly: four."
    assert done.stop_reason == "end_turn"


async def test_system_prompt_and_turns_are_sent_in_claude_shape(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(make_backend(), [*ASK, Message("user", "Show your work.")])

    body = fake.requests[0].body
    assert body["system"] == "Be brief."
    assert body["model"] == MODEL
    assert body["max_tokens"] == 8192
    # Adjacent user messages merge: Claude requires alternating roles.
    assert body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "What is 2+2?"}, {"type": "text", "text": "Show your work."}]}
    ]


async def test_thinking_streams_as_reasoning(fake, make_backend):
    fake.script(MODEL, Reply(Reasoning("Two and two "), Reasoning("make four."), Text("4")))
    events = await run(make_backend(reasoning_effort="low", max_tokens=1000), ASK)

    assert reasoning_of(events) == "Two and two make four."
    assert text_of(events) == "4"
    body = fake.requests[0].body
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["max_tokens"] > 2048


async def test_tool_call_arguments_are_assembled_from_json_fragments(fake, make_backend):
    arguments = {"agent_id": "agent2", "reason": "it shows the arithmetic step by step"}
    fake.script(MODEL, Reply(Text("Voting."), CallTool("vote", arguments)))
    events = await run(make_backend(), ASK, [VOTE, NEW_ANSWER])

    [call] = calls_of(events)
    assert call.name == "vote"
    assert call.arguments == arguments
    assert call.parse_error == ""
    assert call.id
    assert events[-1].message.tool_calls == [call]
    assert events[-1].stop_reason == "tool_use"


async def test_two_tool_calls_in_one_reply(fake, make_backend):
    fake.script(MODEL, Reply(CallTool("new_answer", {"content": "4"}), CallTool("vote", {"agent_id": "agent1", "reason": "r"})))
    events = await run(make_backend(), ASK, [VOTE, NEW_ANSWER])

    calls = calls_of(events)
    assert [(c.name, c.arguments) for c in calls] == [
        ("new_answer", {"content": "4"}),
        ("vote", {"agent_id": "agent1", "reason": "r"}),
    ]
    assert calls[0].id != calls[1].id


async def test_malformed_tool_json_gives_a_parse_error_not_an_exception(fake, make_backend):
    fake.script(MODEL, Reply(CallTool("new_answer", '{"content": "unterminated')))
    events = await run(make_backend(), ASK, [NEW_ANSWER])

    [call] = calls_of(events)
    assert call.arguments == {}
    assert call.parse_error
    assert call.raw_arguments == '{"content": "unterminated'
    assert isinstance(events[-1], Done)


async def test_usage_is_reported_once_from_the_api_usage_fields(fake, make_backend):
    fake.script(MODEL, Reply(Reasoning("hm"), Text("4"), Usage(120, 30, 12)))
    events = await run(make_backend(reasoning_effort="low"), ASK)

    assert [e for e in events if isinstance(e, UsageReport)] == [
        UsageReport(input_tokens=120, output_tokens=30, reasoning_tokens=12)
    ]


async def test_tool_round_trip_replays_thinking_with_signature_and_sends_tool_results(fake, make_backend):
    backend = make_backend(reasoning_effort="low")
    fake.script(MODEL, Reply(Reasoning("Agent 1 is right."), CallTool("vote", {"agent_id": "agent1", "reason": "correct"})))
    first = await run(backend, ASK, [VOTE])
    assistant = first[-1].message
    [call] = assistant.tool_calls

    fake.script(MODEL, Reply(Text("Done.")))
    conversation = [
        *ASK,
        assistant,
        Message("tool", "Vote recorded.", tool_call_id=call.id, name="vote"),
        Message("tool", "Unknown label.", tool_call_id="toolu_other", name="vote", is_error=True),
    ]
    await run(backend, conversation, [VOTE])

    sent = fake.requests[1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    thinking, tool_use = sent[1]["content"]
    assert thinking["type"] == "thinking"
    assert thinking["thinking"] == "Agent 1 is right."
    assert thinking["signature"].startswith("fake-signature-")
    assert tool_use == {"type": "tool_use", "id": call.id, "name": "vote", "input": {"agent_id": "agent1", "reason": "correct"}}
    assert sent[2]["content"] == [
        {"type": "tool_result", "tool_use_id": call.id, "content": "Vote recorded."},
        {"type": "tool_result", "tool_use_id": "toolu_other", "content": "Unknown label.", "is_error": True},
    ]


async def test_assistant_message_from_elsewhere_is_rebuilt_as_blocks(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    call = ToolCall(id="toolu_1", name="new_answer", arguments={"content": "4"})
    conversation = [
        Message("user", "What is 2+2?"),
        Message("assistant", "Here is my answer.", tool_calls=[call]),
        Message("tool", "Answer recorded.", tool_call_id="toolu_1", name="new_answer"),
    ]
    await run(make_backend(), conversation, [NEW_ANSWER])

    assert fake.requests[0].body["messages"][1] == {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Here is my answer."},
            {"type": "tool_use", "id": "toolu_1", "name": "new_answer", "input": {"content": "4"}},
        ],
    }


async def test_workflow_tool_schemas_with_enum_reach_the_request_intact(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(make_backend(), ASK, [VOTE, NEW_ANSWER])

    assert fake.requests[0].body["tools"] == [
        {"name": "vote", "description": VOTE.description, "input_schema": VOTE.parameters},
        {"name": "new_answer", "description": NEW_ANSWER.description, "input_schema": NEW_ANSWER.parameters},
    ]


async def test_web_search_and_code_execution_flags_add_server_tools(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(make_backend(enable_web_search=True, enable_code_execution=True), ASK, [VOTE])

    assert fake.requests[0].body["tools"][1:] == [
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 5},
        {"type": "code_execution_20250825", "name": "code_execution"},
    ]


async def test_temperature_is_sent_but_never_with_top_p_or_thinking(fake, make_backend):
    fake.script(MODEL, Reply(Text("a")), Reply(Text("b")))
    await run(make_backend(temperature=0.3, top_p=0.9), ASK)
    await run(make_backend(temperature=0.3, top_p=0.97, reasoning_effort="medium"), ASK)

    plain, thinking = (r.body for r in fake.requests)
    assert plain["temperature"] == 0.3 and "top_p" not in plain
    assert "temperature" not in thinking and thinking["top_p"] == 0.97


async def test_401_is_permanent_and_carries_the_provider_message(fake, make_backend):
    fake.script(MODEL, Reply(HttpError(401, "invalid x-api-key")))
    error = await failure(make_backend())

    assert (error.status, error.transient, error.message) == (401, False, "invalid x-api-key")


async def test_404_is_permanent(fake, make_backend):
    fake.script(MODEL, Reply(HttpError(404, "model: claude-fake not found")))
    error = await failure(make_backend())

    assert (error.status, error.transient, error.message) == (404, False, "model: claude-fake not found")


async def test_429_is_transient_with_retry_after_and_not_retried_by_the_sdk(fake, make_backend):
    fake.script(MODEL, Reply(HttpError(429, "rate limited", headers={"retry-after": "7"})))
    error = await failure(make_backend())

    assert (error.status, error.transient, error.retry_after, error.message) == (429, True, 7.0, "rate limited")
    assert len(fake.requests) == 1


@pytest.mark.parametrize("status", [500, 529])
async def test_server_errors_and_overload_are_transient(fake, make_backend, status):
    fake.script(MODEL, Reply(HttpError(status, "Overloaded")))
    error = await failure(make_backend())

    assert (error.status, error.transient, error.message) == (status, True, "Overloaded")
    assert len(fake.requests) == 1


async def test_dropped_connection_mid_stream_is_transient(fake, make_backend):
    fake.script(MODEL, Reply(Text("Half an ans"), Drop()))
    error = await failure(make_backend())

    assert error.transient


async def test_malformed_stream_data_is_transient(fake, make_backend):
    fake.script(MODEL, Reply(Text("Hi"), Malformed()))
    error = await failure(make_backend())

    assert error.transient


@pytest.mark.parametrize(("kind", "status", "transient"), [("overloaded_error", 529, True), ("invalid_request_error", 400, False)])
def test_error_event_inside_a_stream_maps_by_its_type(kind, status, transient):
    # An ``error`` event arrives in a stream whose HTTP status was 200.
    response = httpx2.Response(200, request=httpx2.Request("POST", "http://127.0.0.1/v1/messages"))
    body = {"type": "error", "error": {"type": kind, "message": "Overloaded, try later"}}
    error = provider_error(anthropic.APIStatusError(str(body), response=response, body=body))

    assert (error.status, error.transient, error.message) == (status, transient, "Overloaded, try later")
