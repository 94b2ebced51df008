"""GeminiBackend: the real google-genai client against the loopback fake provider."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from google.genai import errors, types

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
from massgen_tui.backends.gemini import GeminiBackend, provider_error
from massgen_tui.config.model import BackendConfig
from tests.fake_provider import CallTool, Drop, FakeProvider, HttpError, Malformed, Reasoning, Reply, Text, Usage

MODEL = "gemini-3-fake"

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
ASK = [Message("system", "Be brief."), Message("user", "What is 2+2?")]


@pytest.fixture
async def make_backend(fake: FakeProvider) -> AsyncIterator[Any]:
    backends: list[GeminiBackend] = []

    def make(model: str = MODEL, **settings: Any) -> GeminiBackend:
        config = BackendConfig(
            type="gemini", family="gemini", model=model, api_key="test-gemini-key",
            base_url=fake.base_url("gemini"), **settings,
        )
        backends.append(GeminiBackend(config))
        return backends[-1]

    yield make
    for backend in backends:
        await backend.aclose()


async def run(backend: GeminiBackend, messages: list[Message], tools: list[ToolSpec] | None = None) -> list[Any]:
    return [event async for event in backend.stream(messages, tools or [])]


def text_of(events: list[Any]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextChunk))


def reasoning_of(events: list[Any]) -> str:
    return "".join(e.text for e in events if isinstance(e, ReasoningChunk))


def calls_of(events: list[Any]) -> list[ToolCall]:
    return [e for e in events if isinstance(e, ToolCall)]


def generation_config(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("generationConfig", {})


async def failure(backend: GeminiBackend) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        await run(backend, [Message("user", "hi")])
    return caught.value


async def test_text_streams_in_order_and_ends_with_the_assistant_message(fake, make_backend):
    fake.script(MODEL, Reply(Text("The answer, plainly: ", chunk=4), Text("four.")))
    events = await run(make_backend(), ASK)

    assert len([e for e in events if isinstance(e, TextChunk)]) > 2
    assert text_of(events) == "The answer, plainly: four."
    done = events[-1]
    assert isinstance(done, Done)
    assert done.message.content == "The answer, plainly: four."
    assert done.stop_reason == "STOP"


async def test_request_goes_to_stream_generate_content_with_system_instruction(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(make_backend(temperature=0.2, top_p=0.9, max_tokens=500), [*ASK, Message("user", "Show your work.")])

    request = fake.requests[0]
    assert request.path.endswith(f"/v1beta/models/{MODEL}:streamGenerateContent")
    assert request.system == "Be brief."
    assert request.body["contents"] == [
        {"role": "user", "parts": [{"text": "What is 2+2?"}, {"text": "Show your work."}]}
    ]
    assert generation_config(request.body) == {"temperature": 0.2, "topP": 0.9, "maxOutputTokens": 500}


async def test_thoughts_stream_as_reasoning(fake, make_backend):
    fake.script(MODEL, Reply(Reasoning("Two and two "), Reasoning("make four."), Text("4")))
    events = await run(make_backend(reasoning_effort="high"), ASK)

    assert reasoning_of(events) == "Two and two make four."
    assert text_of(events) == "4"
    thinking = generation_config(fake.requests[0].body)["thinkingConfig"]
    assert thinking == {"include_thoughts": True, "thinking_budget": 24576}


async def test_function_call_arrives_whole_with_a_generated_id(fake, make_backend):
    arguments = {"agent_id": "agent2", "reason": "it shows the arithmetic"}
    fake.script(MODEL, Reply(Text("Voting."), CallTool("vote", arguments)))
    events = await run(make_backend(), ASK, [VOTE, NEW_ANSWER])

    [call] = calls_of(events)
    assert (call.name, call.arguments, call.parse_error) == ("vote", arguments, "")
    assert call.id.startswith("call_")
    assert events[-1].message.tool_calls == [call]


async def test_two_function_calls_in_one_reply_get_distinct_ids(fake, make_backend):
    fake.script(MODEL, Reply(CallTool("new_answer", {"content": "4"}), CallTool("vote", {"agent_id": "agent1", "reason": "r"})))
    events = await run(make_backend(), ASK, [VOTE, NEW_ANSWER])

    calls = calls_of(events)
    assert [(c.name, c.arguments) for c in calls] == [
        ("new_answer", {"content": "4"}),
        ("vote", {"agent_id": "agent1", "reason": "r"}),
    ]
    assert calls[0].id != calls[1].id


async def test_usage_is_reported_once_with_thoughts_counted_as_output(fake, make_backend):
    fake.script(MODEL, Reply(Reasoning("hm"), Text("4"), Usage(120, 30, 12)))
    events = await run(make_backend(reasoning_effort="low"), ASK)

    assert [e for e in events if isinstance(e, UsageReport)] == [
        UsageReport(input_tokens=120, output_tokens=30, reasoning_tokens=12)
    ]


async def test_tool_round_trip_replays_the_model_turn_and_sends_function_responses(fake, make_backend):
    backend = make_backend(reasoning_effort="low")
    fake.script(MODEL, Reply(
        Reasoning("Agent 1 is right."),
        CallTool("vote", {"agent_id": "agent1", "reason": "correct"}, id="fc-7"),
        CallTool("new_answer", {"content": "4"}),
    ))
    first = await run(backend, ASK, [VOTE, NEW_ANSWER])
    assistant = first[-1].message
    vote, answer = assistant.tool_calls
    assert vote.id == "fc-7"

    fake.script(MODEL, Reply(Text("Done.")))
    conversation = [
        *ASK,
        assistant,
        Message("tool", "Vote recorded.", tool_call_id=vote.id, name="vote"),
        Message("tool", "Vote together with an answer.", tool_call_id=answer.id, name="new_answer", is_error=True),
    ]
    await run(backend, conversation, [VOTE, NEW_ANSWER])

    contents = fake.requests[1].body["contents"]
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert contents[1]["parts"] == [
        {"text": "Agent 1 is right.", "thought": True},
        {"functionCall": {"id": "fc-7", "name": "vote", "args": {"agent_id": "agent1", "reason": "correct"}}},
        {"functionCall": {"name": "new_answer", "args": {"content": "4"}}},
    ]
    # The model's own id goes back; the id made up for the call that had none does not.
    assert contents[2]["parts"] == [
        {"functionResponse": {"id": "fc-7", "name": "vote", "response": {"result": "Vote recorded."}}},
        {"functionResponse": {"name": "new_answer", "response": {"error": "Vote together with an answer."}}},
    ]


async def test_thought_signatures_are_replayed_verbatim(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    signature = b"\x00opaque-signature\xff"
    native = types.Content(role="model", parts=[
        types.Part(function_call=types.FunctionCall(name="new_answer", args={"content": "4"}), thought_signature=signature),
    ])
    assistant = Message("assistant", tool_calls=[ToolCall("call_1", "new_answer", {"content": "4"})], native=native)
    await run(make_backend(), [Message("user", "2+2?"), assistant], [NEW_ANSWER])

    [part] = fake.requests[0].body["contents"][1]["parts"]
    assert base64.urlsafe_b64decode(part["thoughtSignature"]) == signature


async def test_assistant_message_from_elsewhere_is_rebuilt_as_parts(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    conversation = [
        Message("user", "What is 2+2?"),
        Message("assistant", "Here is my answer.", tool_calls=[ToolCall("x1", "new_answer", {"content": "4"})]),
        Message("tool", "Answer recorded.", tool_call_id="x1"),
    ]
    await run(make_backend(), conversation, [NEW_ANSWER])

    contents = fake.requests[0].body["contents"]
    assert contents[1] == {"role": "model", "parts": [
        {"text": "Here is my answer."},
        {"functionCall": {"name": "new_answer", "args": {"content": "4"}}},
    ]}
    # The tool's name is found from the call when the result does not carry it.
    assert contents[2]["parts"] == [{"functionResponse": {"name": "new_answer", "response": {"result": "Answer recorded."}}}]


async def test_workflow_tool_schemas_with_enum_reach_the_request_intact(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(make_backend(), ASK, [VOTE, NEW_ANSWER])

    request = fake.requests[0]
    assert request.tools == [
        {"name": "vote", "description": VOTE.description, "parameters": VOTE.parameters},
        {"name": "new_answer", "description": NEW_ANSWER.description, "parameters": NEW_ANSWER.parameters},
    ]


async def test_web_search_and_code_execution_flags_add_builtin_tools(fake, make_backend):
    fake.script(MODEL, Reply(Text("a")), Reply(Text("b")))
    backend = make_backend(enable_web_search=True, enable_code_execution=True)
    await run(backend, ASK)
    await run(backend, ASK, [VOTE])

    alone, combined = (r.body for r in fake.requests)
    assert alone["tools"] == [{"googleSearch": {}}, {"codeExecution": {}}]
    assert "toolConfig" not in alone
    assert {"googleSearch": {}} in combined["tools"] and {"codeExecution": {}} in combined["tools"]
    assert [t["name"] for t in fake.requests[1].tools if t["parameters"]] == ["vote"]
    assert combined["toolConfig"] == {"includeServerSideToolInvocations": True}


async def test_gemini_2_leaves_builtin_tools_out_when_function_tools_are_offered(fake, make_backend):
    model = "gemini-2.5-flash"
    fake.script(model, Reply(Text("a")), Reply(Text("b")))
    backend = make_backend(model, enable_web_search=True)
    first = await run(backend, ASK, [VOTE])
    second = await run(backend, ASK, [VOTE])

    assert [r.tool_names for r in fake.requests] == [["vote"], ["vote"]]
    assert "web search" in reasoning_of(first)
    assert reasoning_of(second) == ""


async def test_401_is_permanent_and_carries_the_provider_message(fake, make_backend):
    fake.script(MODEL, Reply(HttpError(401, "API key not valid. Please pass a valid API key.")))
    error = await failure(make_backend())

    assert (error.status, error.transient) == (401, False)
    assert error.message == "API key not valid. Please pass a valid API key."


async def test_404_is_permanent(fake, make_backend):
    fake.script(MODEL, Reply(HttpError(404, "models/gemini-3-fake is not found")))
    error = await failure(make_backend())

    assert (error.status, error.transient, error.message) == (404, False, "models/gemini-3-fake is not found")


async def test_429_is_transient_with_retry_after_and_not_retried_by_the_sdk(fake, make_backend):
    fake.script(MODEL, Reply(HttpError(429, "Resource exhausted", headers={"retry-after": "3"})))
    error = await failure(make_backend())

    assert (error.status, error.transient, error.retry_after, error.message) == (429, True, 3.0, "Resource exhausted")
    assert len(fake.requests) == 1


async def test_500_is_transient_and_not_retried_by_the_sdk(fake, make_backend):
    fake.script(MODEL, Reply(HttpError(500, "Internal error encountered.")))
    error = await failure(make_backend())

    assert (error.status, error.transient, error.message) == (500, True, "Internal error encountered.")
    assert len(fake.requests) == 1


async def test_dropped_connection_mid_stream_is_transient(fake, make_backend):
    fake.script(MODEL, Reply(Text("Half an ans"), Drop()))
    error = await failure(make_backend())

    assert error.transient


async def test_malformed_stream_data_is_transient(fake, make_backend):
    fake.script(MODEL, Reply(Text("Hi"), Malformed()))
    error = await failure(make_backend())

    assert error.transient


def test_429_without_retry_after_header_uses_the_retry_info_delay():
    body = {"error": {
        "code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED",
        "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "17s"}],
    }}
    error = provider_error(errors.APIError(429, body, httpx2.Response(429, json=body)))

    assert (error.status, error.transient, error.retry_after, error.message) == (429, True, 17.0, "Quota exceeded")
