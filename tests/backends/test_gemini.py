"""GeminiBackend: the real google-genai client against the loopback fake provider."""

from __future__ import annotations

import base64
from typing import Any

import httpx2
import pytest
from google.genai import errors, types

from massgen_tui.backends.base import Message, ToolCall
from massgen_tui.backends.gemini import provider_error
from tests.backends.streams import NEW_ANSWER, QUESTION, VOTE, calls, reasonings, run, texts
from tests.fake_provider import CallTool, Reasoning, Reply, Text

MODEL = "gemini-3-fake"


@pytest.fixture
def backend(make_backend):
    return make_backend("gemini", MODEL)


def generation_config(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("generationConfig", {})


async def test_request_goes_to_stream_generate_content_with_system_instruction(fake, make_backend):
    fake.script(MODEL, Reply(Text("ok")))
    backend = make_backend("gemini", MODEL, temperature=0.2, top_p=0.9, max_tokens=500)
    await run(backend, [*QUESTION, Message("user", "Show your work.")])

    request = fake.requests[0]
    assert request.path.endswith(f"/v1beta/models/{MODEL}:streamGenerateContent")
    assert request.system == "You are agent one."
    assert request.body["contents"] == [
        {"role": "user", "parts": [{"text": "What is 2+2?"}, {"text": "Show your work."}]}
    ]
    assert generation_config(request.body) == {"temperature": 0.2, "topP": 0.9, "maxOutputTokens": 500}


async def test_thoughts_stream_as_reasoning(fake, make_backend):
    fake.script(MODEL, Reply(Reasoning("Two and two "), Reasoning("make four."), Text("4")))
    events = await run(make_backend("gemini", MODEL, reasoning_effort="high"))

    assert "".join(reasonings(events)) == "Two and two make four."
    assert "".join(texts(events)) == "4"
    thinking = generation_config(fake.requests[0].body)["thinkingConfig"]
    assert thinking == {"include_thoughts": True, "thinking_budget": 24576}


async def test_function_call_arrives_whole_with_a_generated_id(fake, backend):
    arguments = {"agent_id": "agent2", "reason": "it shows the arithmetic"}
    fake.script(MODEL, Reply(Text("Voting."), CallTool("vote", arguments)))
    events = await run(backend, tools=[VOTE, NEW_ANSWER])

    [call] = calls(events)
    assert (call.name, call.arguments, call.parse_error) == ("vote", arguments, "")
    assert call.id.startswith("call_")
    assert events[-1].message.tool_calls == [call]


async def test_tool_round_trip_replays_the_model_turn_and_sends_function_responses(fake, make_backend):
    backend = make_backend("gemini", MODEL, reasoning_effort="low")
    fake.script(MODEL, Reply(
        Reasoning("Agent 1 is right."),
        CallTool("vote", {"agent_id": "agent1", "reason": "correct"}, id="fc-7"),
        CallTool("new_answer", {"content": "4"}),
    ))
    first = await run(backend, tools=[VOTE, NEW_ANSWER])
    assistant = first[-1].message
    vote, answer = assistant.tool_calls
    assert vote.id == "fc-7"

    fake.script(MODEL, Reply(Text("Done.")))
    conversation = [
        *QUESTION,
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


async def test_thought_signatures_are_replayed_verbatim(fake, backend):
    fake.script(MODEL, Reply(Text("ok")))
    signature = b"\x00opaque-signature\xff"
    native = types.Content(
        role="model",
        parts=[
            types.Part(
                function_call=types.FunctionCall(name="new_answer", args={"content": "4"}), thought_signature=signature
            ),
        ],
    )
    assistant = Message("assistant", tool_calls=[ToolCall("call_1", "new_answer", {"content": "4"})], native=native)
    await run(backend, [Message("user", "2+2?"), assistant], [NEW_ANSWER])

    [part] = fake.requests[0].body["contents"][1]["parts"]
    assert base64.urlsafe_b64decode(part["thoughtSignature"]) == signature


async def test_assistant_message_from_elsewhere_is_rebuilt_as_parts(fake, backend):
    fake.script(MODEL, Reply(Text("ok")))
    conversation = [
        Message("user", "What is 2+2?"),
        Message("assistant", "Here is my answer.", tool_calls=[ToolCall("x1", "new_answer", {"content": "4"})]),
        Message("tool", "Answer recorded.", tool_call_id="x1"),
    ]
    await run(backend, conversation, [NEW_ANSWER])

    contents = fake.requests[0].body["contents"]
    assert contents[1] == {"role": "model", "parts": [
        {"text": "Here is my answer."},
        {"functionCall": {"name": "new_answer", "args": {"content": "4"}}},
    ]}
    # The tool's name is found from the call when the result does not carry it.
    assert contents[2]["parts"] == [
        {"functionResponse": {"name": "new_answer", "response": {"result": "Answer recorded."}}}
    ]


async def test_workflow_tool_schemas_with_enum_reach_the_request_intact(fake, backend):
    fake.script(MODEL, Reply(Text("ok")))
    await run(backend, tools=[VOTE, NEW_ANSWER])

    request = fake.requests[0]
    assert request.tools == [
        {"name": "vote", "description": VOTE.description, "parameters": VOTE.parameters},
        {"name": "new_answer", "description": NEW_ANSWER.description, "parameters": NEW_ANSWER.parameters},
    ]


async def test_web_search_and_code_execution_flags_add_builtin_tools(fake, make_backend):
    fake.script(MODEL, Reply(Text("a")), Reply(Text("b")))
    backend = make_backend("gemini", MODEL, enable_web_search=True, enable_code_execution=True)
    await run(backend)
    await run(backend, tools=[VOTE])

    alone, combined = (r.body for r in fake.requests)
    assert alone["tools"] == [{"googleSearch": {}}, {"codeExecution": {}}]
    assert "toolConfig" not in alone
    assert {"googleSearch": {}} in combined["tools"] and {"codeExecution": {}} in combined["tools"]
    assert [t["name"] for t in fake.requests[1].tools if t["parameters"]] == ["vote"]
    assert combined["toolConfig"] == {"includeServerSideToolInvocations": True}


async def test_gemini_2_leaves_builtin_tools_out_when_function_tools_are_offered(fake, make_backend):
    model = "gemini-2.5-flash"
    fake.script(model, Reply(Text("a")), Reply(Text("b")))
    backend = make_backend("gemini", model, enable_web_search=True)
    first = await run(backend, tools=[VOTE])
    second = await run(backend, tools=[VOTE])

    assert [r.tool_names for r in fake.requests] == [["vote"], ["vote"]]
    assert "web search" in "".join(reasonings(first))
    assert "".join(reasonings(second)) == ""


def test_429_without_retry_after_header_uses_the_retry_info_delay():
    body = {"error": {
        "code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED",
        "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "17s"}],
    }}
    error = provider_error(errors.APIError(429, body, httpx2.Response(429, json=body)))

    assert (error.status, error.transient, error.retry_after, error.message) == (429, True, 17.0, "Quota exceeded")
