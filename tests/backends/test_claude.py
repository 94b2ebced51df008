"""ClaudeBackend: the real anthropic SDK client against the loopback fake provider."""

from __future__ import annotations

import anthropic
import httpx2
import pytest

from massgen_tui.backends.base import Done, Message, ToolCall
from massgen_tui.backends.claude import provider_error
from tests.backends.streams import NEW_ANSWER, QUESTION, VOTE, calls, reasonings, run, texts
from tests.fake_provider import CallTool, Reasoning, Reply, Text

MODEL = "claude-fake"


@pytest.fixture
def backend(make_backend):
    return make_backend("claude", MODEL)


async def test_system_prompt_and_turns_are_sent_in_claude_shape(fake, backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(backend, [*QUESTION, Message("user", "Show your work.")])

    body = fake.requests[0].body
    assert body["system"] == "You are agent one."
    assert body["model"] == MODEL
    assert body["max_tokens"] == 8192
    # Adjacent user messages merge: Claude requires alternating roles.
    assert body["messages"] == [
        {
            "role": "user",
            "content": [{"type": "text", "text": "What is 2+2?"}, {"type": "text", "text": "Show your work."}],
        }
    ]


@pytest.mark.parametrize("model", ["claude-haiku-4-5", "claude-opus-4-1", "claude-opus-4-5-20251101"])
async def test_thinking_streams_as_reasoning_with_a_token_budget_up_to_claude_4_5(fake, make_backend, model):
    fake.script(model, Reply(Reasoning("Two and two "), Reasoning("make four."), Text("4")))
    events = await run(make_backend("claude", model, reasoning_effort="low", max_tokens=1000))

    assert "".join(reasonings(events)) == "Two and two make four."
    assert "".join(texts(events)) == "4"
    body = fake.requests[0].body
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["max_tokens"] > 2048 and "output_config" not in body


@pytest.mark.parametrize(("model", "effort", "sent"), [
    ("claude-sonnet-4-6", "low", "low"), ("claude-opus-5-5", "high", "high"), (MODEL, "minimal", "low"),
])
async def test_later_models_think_adaptively_steered_by_effort(fake, make_backend, model, effort, sent):
    fake.script(model, Reply(Reasoning("Two and two make four."), Text("4")))
    events = await run(make_backend("claude", model, reasoning_effort=effort, max_tokens=1000))

    assert "".join(reasonings(events)) == "Two and two make four."
    body = fake.requests[0].body
    assert body["thinking"] == {"type": "adaptive"}
    assert body["output_config"] == {"effort": sent}
    assert body["max_tokens"] == 1000


async def test_tool_call_arguments_are_assembled_from_json_fragments(fake, backend):
    arguments = {"agent_id": "agent2", "reason": "it shows the arithmetic step by step"}
    fake.script(MODEL, Reply(Text("Voting."), CallTool("vote", arguments)))
    events = await run(backend, tools=[VOTE, NEW_ANSWER])

    [call] = calls(events)
    assert call.name == "vote"
    assert call.arguments == arguments
    assert call.parse_error == ""
    assert call.id
    assert events[-1].message.tool_calls == [call]
    assert events[-1].stop_reason == "tool_use"


async def test_malformed_tool_json_gives_a_parse_error_not_an_exception(fake, backend):
    fake.script(MODEL, Reply(CallTool("new_answer", '{"content": "unterminated')))
    events = await run(backend, tools=[NEW_ANSWER])

    [call] = calls(events)
    assert call.arguments == {}
    assert call.parse_error
    assert call.raw_arguments == '{"content": "unterminated'
    assert isinstance(events[-1], Done)


async def test_tool_round_trip_replays_thinking_with_signature_and_sends_tool_results(fake, make_backend):
    backend = make_backend("claude", MODEL, reasoning_effort="low")
    fake.script(
        MODEL, Reply(Reasoning("Agent 1 is right."), CallTool("vote", {"agent_id": "agent1", "reason": "correct"}))
    )
    first = await run(backend, tools=[VOTE])
    assistant = first[-1].message
    [call] = assistant.tool_calls

    fake.script(MODEL, Reply(Text("Done.")))
    conversation = [
        *QUESTION,
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
    assert tool_use == {
        "type": "tool_use",
        "id": call.id,
        "name": "vote",
        "input": {"agent_id": "agent1", "reason": "correct"},
    }
    assert sent[2]["content"] == [
        {"type": "tool_result", "tool_use_id": call.id, "content": "Vote recorded."},
        {"type": "tool_result", "tool_use_id": "toolu_other", "content": "Unknown label.", "is_error": True},
    ]


async def test_assistant_message_from_elsewhere_is_rebuilt_as_blocks(fake, backend):
    fake.script(MODEL, Reply(Text("ok")))
    call = ToolCall(id="toolu_1", name="new_answer", arguments={"content": "4"})
    conversation = [
        Message("user", "What is 2+2?"),
        Message("assistant", "Here is my answer.", tool_calls=[call]),
        Message("tool", "Answer recorded.", tool_call_id="toolu_1", name="new_answer"),
    ]
    await run(backend, conversation, [NEW_ANSWER])

    assert fake.requests[0].body["messages"][1] == {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Here is my answer."},
            {"type": "tool_use", "id": "toolu_1", "name": "new_answer", "input": {"content": "4"}},
        ],
    }


async def test_workflow_tool_schemas_with_enum_reach_the_request_intact(fake, backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(backend, tools=[VOTE, NEW_ANSWER])

    assert fake.requests[0].body["tools"] == [
        {"name": "vote", "description": VOTE.description, "input_schema": VOTE.parameters},
        {"name": "new_answer", "description": NEW_ANSWER.description, "input_schema": NEW_ANSWER.parameters},
    ]


async def test_web_search_and_code_execution_flags_add_server_tools(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(make_backend("claude", MODEL, enable_web_search=True, enable_code_execution=True), tools=[VOTE])

    assert fake.requests[0].body["tools"][1:] == [
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 5},
        {"type": "code_execution_20250825", "name": "code_execution"},
    ]


async def test_temperature_is_sent_but_never_with_top_p_or_thinking(fake, make_backend):
    fake.script(MODEL, Reply(Text("a")), Reply(Text("b")))
    await run(make_backend("claude", MODEL, temperature=0.3, top_p=0.9))
    await run(make_backend("claude", MODEL, temperature=0.3, top_p=0.97, reasoning_effort="medium"))

    plain, thinking = (r.body for r in fake.requests)
    assert plain["temperature"] == 0.3 and "top_p" not in plain
    assert "temperature" not in thinking and thinking["top_p"] == 0.97


@pytest.mark.parametrize(
    ("kind", "status", "transient"), [("overloaded_error", 529, True), ("invalid_request_error", 400, False)]
)
def test_error_event_inside_a_stream_maps_by_its_type(kind, status, transient):
    # An ``error`` event arrives in a stream whose HTTP status was 200.
    response = httpx2.Response(200, request=httpx2.Request("POST", "http://127.0.0.1/v1/messages"))
    body = {"type": "error", "error": {"type": kind, "message": "Overloaded, try later"}}
    error = provider_error(anthropic.APIStatusError(str(body), response=response, body=body))

    assert (error.status, error.transient, error.message) == (status, transient, "Overloaded, try later")
