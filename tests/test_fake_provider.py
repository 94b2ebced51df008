"""The fake provider speaks each wire format well enough for the real SDK clients."""

from __future__ import annotations

import asyncio
import json
import math
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx2
import openai
import pytest
from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types

from tests.fake_provider import (
    CallTool,
    Delay,
    Drop,
    FakeProvider,
    FakeRequest,
    HttpError,
    Malformed,
    Reasoning,
    Reply,
    Text,
    Usage,
    consensus_responder,
)

VOTE_ARGS = {"agent_id": "agent1", "reason": "clear and correct"}
FULL_REPLY = Reply(
    Reasoning("Let me "),
    Reasoning("think."),
    Text("Hello, wide world", chunk=5),
    CallTool("vote", VOTE_ARGS, id="call-7"),
    Usage(120, 30, 4),
)
VOTE_TOOL = {
    "name": "vote",
    "description": "Vote for the best answer.",
    "parameters": {
        "type": "object",
        "properties": {"agent_id": {"type": "string", "enum": ["agent1"]}, "reason": {"type": "string"}},
        "required": ["agent_id", "reason"],
    },
}


@pytest.fixture
def fp() -> Iterator[FakeProvider]:
    with FakeProvider() as server:
        yield server


def openai_client(fp: FakeProvider) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=fp.base_url("openai"), api_key="sk-test", max_retries=0)


def anthropic_client(fp: FakeProvider) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(base_url=fp.base_url("anthropic"), api_key="sk-test", max_retries=0)


def gemini_client(fp: FakeProvider) -> genai.Client:
    return genai.Client(api_key="test-key", http_options=genai_types.HttpOptions(base_url=fp.base_url("gemini")))


# --- one streamed call per protocol, collected the way a backend would --------------------------


async def chat_call(
    fp: FakeProvider, model: str, messages: list | None = None, client: openai.AsyncOpenAI | None = None, **kwargs
) -> dict:
    owned = client is None
    client = client or openai_client(fp)
    out: dict = {"text": [], "reasoning": [], "calls": {}, "finish": None, "usage": None}
    try:
        stream = await client.chat.completions.create(
            model=model,
            messages=messages or [{"role": "user", "content": "hi"}],
            stream=True,
            stream_options={"include_usage": True},
            **kwargs,
        )
        async for chunk in stream:
            out["usage"] = chunk.usage or out["usage"]
            for choice in chunk.choices:
                delta = choice.delta
                if delta.content:
                    out["text"].append(delta.content)
                if getattr(delta, "reasoning_content", None):
                    out["reasoning"].append(delta.reasoning_content)
                for call in delta.tool_calls or []:
                    entry = out["calls"].setdefault(call.index, {"id": None, "name": "", "arguments": [], "pieces": 0})
                    entry["id"] = call.id or entry["id"]
                    entry["name"] += call.function.name or ""
                    if call.function.arguments:
                        entry["arguments"].append(call.function.arguments)
                out["finish"] = choice.finish_reason or out["finish"]
    finally:
        if owned:
            await client.close()
    return out


async def responses_call(fp: FakeProvider, model: str, **kwargs) -> tuple[list, object]:
    client = openai_client(fp)
    try:
        async with client.responses.stream(model=model, input=kwargs.pop("input", "hi"), **kwargs) as stream:
            events = [event async for event in stream]
            return events, await stream.get_final_response()
    finally:
        await client.close()


async def anthropic_call(fp: FakeProvider, model: str, **kwargs) -> tuple[list, object]:
    client = anthropic_client(fp)
    try:
        async with client.messages.stream(
            model=model, max_tokens=1000, messages=kwargs.pop("messages", [{"role": "user", "content": "hi"}]), **kwargs
        ) as stream:
            events = [event async for event in stream]
            return events, await stream.get_final_message()
    finally:
        await client.close()


async def gemini_call(fp: FakeProvider, model: str, contents: object = "hi", **config) -> list:
    client = gemini_client(fp)
    try:
        stream = await client.aio.models.generate_content_stream(
            model=model, contents=contents, config=genai_types.GenerateContentConfig(**config) if config else None
        )
        return [chunk async for chunk in stream]
    finally:
        await client.aio.aclose()


# --- each protocol: text, reasoning, tool call, usage -----------------------------------------


async def test_chat_completions_stream(fp: FakeProvider) -> None:
    fp.script("gpt-fake", FULL_REPLY)
    out = await chat_call(fp, "gpt-fake")
    assert out["text"] == ["Hello", ", wid", "e wor", "ld"]
    assert out["reasoning"] == ["Let me ", "think."]
    (call,) = out["calls"].values()
    assert call["id"] == "call-7" and call["name"] == "vote"
    assert len(call["arguments"]) > 1, "arguments should arrive in several deltas"
    assert json.loads("".join(call["arguments"])) == VOTE_ARGS
    assert out["finish"] == "tool_calls"
    assert (out["usage"].prompt_tokens, out["usage"].completion_tokens) == (120, 30)
    assert out["usage"].completion_tokens_details.reasoning_tokens == 4


async def test_chat_completions_finish_stop_and_two_parallel_calls(fp: FakeProvider) -> None:
    fp.script("gpt-fake", Reply(Text("plain")), Reply(CallTool("a", {"x": 1}), CallTool("b", {"y": 2})))
    assert (await chat_call(fp, "gpt-fake"))["finish"] == "stop"
    calls = (await chat_call(fp, "gpt-fake"))["calls"]
    assert [(c["name"], json.loads("".join(c["arguments"]))) for c in calls.values()] == [
        ("a", {"x": 1}),
        ("b", {"y": 2}),
    ]
    assert calls[0]["id"] != calls[1]["id"]


async def test_responses_stream(fp: FakeProvider) -> None:
    fp.script("gpt-fake", FULL_REPLY)
    events, final = await responses_call(fp, "gpt-fake")
    assert [e.delta for e in events if e.type == "response.output_text.delta"] == ["Hello", ", wid", "e wor", "ld"]
    assert [e.delta for e in events if e.type == "response.reasoning_summary_text.delta"] == ["Let me ", "think."]
    assert len([e for e in events if e.type == "response.function_call_arguments.delta"]) > 1
    numbers = [e.sequence_number for e in events]
    assert numbers == sorted(set(numbers))
    reasoning, message, call = final.output
    assert reasoning.summary[0].text == "Let me think."
    assert message.content[0].text == "Hello, wide world"
    assert (call.name, call.call_id, json.loads(call.arguments)) == ("vote", "call-7", VOTE_ARGS)
    assert (final.usage.input_tokens, final.usage.output_tokens) == (120, 30)
    assert final.usage.output_tokens_details.reasoning_tokens == 4


async def test_anthropic_stream(fp: FakeProvider) -> None:
    fp.script("claude-fake", FULL_REPLY)
    events, message = await anthropic_call(fp, "claude-fake")
    deltas = [e.delta.type for e in events if e.type == "content_block_delta"]
    assert "signature_delta" in deltas and deltas.count("input_json_delta") > 1
    assert [e.delta.text for e in events if e.type == "content_block_delta" and e.delta.type == "text_delta"] == [
        "Hello",
        ", wid",
        "e wor",
        "ld",
    ]
    thinking, text, tool_use = message.content
    assert thinking.thinking == "Let me think." and thinking.signature
    assert text.text == "Hello, wide world"
    assert (tool_use.name, tool_use.id, tool_use.input) == ("vote", "call-7", VOTE_ARGS)
    assert message.stop_reason == "tool_use"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (120, 30)


async def test_anthropic_raw_events_end_turn(fp: FakeProvider) -> None:
    fp.script("claude-fake", Reply(Text("done")))
    client = anthropic_client(fp)
    stream = await client.messages.create(
        model="claude-fake", max_tokens=10, messages=[{"role": "user", "content": "hi"}], stream=True
    )
    kinds = [event.type async for event in stream]
    await client.close()
    assert kinds == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]


async def test_gemini_stream(fp: FakeProvider) -> None:
    fp.script("gemini-fake", FULL_REPLY)
    chunks = await gemini_call(fp, "gemini-fake")
    parts = [part for chunk in chunks for part in chunk.candidates[0].content.parts]
    assert [p.text for p in parts if p.thought] == ["Let me ", "think."]
    assert [p.text for p in parts if p.text and not p.thought] == ["Hello", ", wid", "e wor", "ld"]
    (call,) = [p.function_call for p in parts if p.function_call]
    assert (call.name, call.args) == ("vote", VOTE_ARGS)
    last = chunks[-1]
    assert last.candidates[0].finish_reason == genai_types.FinishReason.STOP
    usage = last.usage_metadata
    assert (usage.prompt_token_count, usage.candidates_token_count, usage.thoughts_token_count) == (120, 26, 4)


async def test_usage_is_estimated_from_prompt_and_output_when_not_scripted(fp: FakeProvider) -> None:
    fp.script("gpt-fake", Reply(Reasoning("abcd" * 3), Text("x" * 10), CallTool("vote", '{"a": 1}')))
    out = await chat_call(fp, "gpt-fake", messages=[{"role": "user", "content": "q" * 41}])
    (request,) = fp.requests
    assert out["usage"].prompt_tokens == math.ceil(len(request.prompt_text) / 4) == 11
    assert out["usage"].completion_tokens == math.ceil((10 + 8) / 4) + 3
    assert out["usage"].completion_tokens_details.reasoning_tokens == 3


async def test_tool_definitions_count_as_prompt(fp: FakeProvider) -> None:
    fp.script("gpt-fake", Reply(Text("a")), Reply(Text("b")))
    plain = await chat_call(fp, "gpt-fake")
    tooled = await chat_call(fp, "gpt-fake", tools=[{"type": "function", "function": VOTE_TOOL}])
    assert tooled["usage"].prompt_tokens > plain["usage"].prompt_tokens + 20


# --- failures reaching the SDKs ---------------------------------------------------------------

RATE_LIMITED = Reply(HttpError(429, "slow down", headers={"retry-after": "3"}))


async def test_http_error_reaches_openai_sdks(fp: FakeProvider) -> None:
    fp.script("gpt-fake", RATE_LIMITED, RATE_LIMITED)
    with pytest.raises(openai.RateLimitError) as chat_error:
        await chat_call(fp, "gpt-fake")
    with pytest.raises(openai.RateLimitError) as responses_error:
        await responses_call(fp, "gpt-fake")
    for error in (chat_error.value, responses_error.value):
        assert error.status_code == 429
        assert error.response.headers["retry-after"] == "3"
        assert error.body["message"] == "slow down"


async def test_http_error_reaches_anthropic_sdk(fp: FakeProvider) -> None:
    fp.script("claude-fake", Reply(HttpError(529, "overloaded", headers={"retry-after": "2"})))
    with pytest.raises(anthropic.APIStatusError) as error:
        await anthropic_call(fp, "claude-fake")
    assert error.value.status_code == 529
    assert error.value.response.headers["retry-after"] == "2"
    assert error.value.body == {"type": "error", "error": {"type": "overloaded_error", "message": "overloaded"}}


async def test_http_error_reaches_gemini_sdk(fp: FakeProvider) -> None:
    fp.script("gemini-fake", RATE_LIMITED)
    with pytest.raises(genai_errors.ClientError) as error:
        await gemini_call(fp, "gemini-fake")
    assert (error.value.code, error.value.status, error.value.message) == (429, "RESOURCE_EXHAUSTED", "slow down")
    assert error.value.response.headers["retry-after"] == "3"


def test_http_error_must_be_the_first_step() -> None:
    with pytest.raises(ValueError):
        Reply(Text("partial"), HttpError(500))


DROPPED = Reply(Text("partial "), Drop(), Text("never sent"))


async def test_drop_raises_in_openai_sdks_after_the_partial_text(fp: FakeProvider) -> None:
    fp.script("gpt-fake", DROPPED)
    client = openai_client(fp)
    seen = []
    with pytest.raises(openai.APIConnectionError):
        stream = await client.chat.completions.create(
            model="gpt-fake", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        async for chunk in stream:
            seen += [c.delta.content for c in chunk.choices if c.delta.content]
    await client.close()
    assert seen == ["partial "]

    fp.script("gpt-fake", DROPPED)
    with pytest.raises(openai.APIConnectionError):
        await responses_call(fp, "gpt-fake")


async def test_drop_raises_in_anthropic_sdk(fp: FakeProvider) -> None:
    fp.script("claude-fake", DROPPED)
    with pytest.raises(httpx2.RemoteProtocolError):
        await anthropic_call(fp, "claude-fake")


async def test_drop_raises_in_gemini_sdk(fp: FakeProvider) -> None:
    fp.script("gemini-fake", DROPPED)
    with pytest.raises(httpx2.RemoteProtocolError):
        await gemini_call(fp, "gemini-fake")


async def test_malformed_data_line_fails_to_parse_in_each_sdk(fp: FakeProvider) -> None:
    broken = Reply(Text("ok"), Malformed())
    for model in ("gpt-fake", "gpt-fake", "claude-fake", "gemini-fake"):
        fp.script(model, broken)
    with pytest.raises(json.JSONDecodeError):
        await chat_call(fp, "gpt-fake")
    with pytest.raises(json.JSONDecodeError):
        await responses_call(fp, "gpt-fake")
    with pytest.raises(json.JSONDecodeError):
        await anthropic_call(fp, "claude-fake")
    with pytest.raises(genai_errors.UnknownApiResponseError):
        await gemini_call(fp, "gemini-fake")


async def test_raw_string_arguments_are_sent_verbatim(fp: FakeProvider) -> None:
    fp.script("gpt-fake", Reply(CallTool("vote", '{"agent_id": "agent1", ')))
    (call,) = (await chat_call(fp, "gpt-fake"))["calls"].values()
    assert "".join(call["arguments"]) == '{"agent_id": "agent1", '


async def test_missing_script_is_a_500_naming_the_model(fp: FakeProvider) -> None:
    with pytest.raises(openai.InternalServerError, match="no scripted reply left for model gpt-unscripted"):
        await chat_call(fp, "gpt-unscripted")


async def test_non_streaming_request_is_rejected_and_the_server_keeps_serving(fp: FakeProvider) -> None:
    fp.script("gpt-fake", Reply(Text("still here")))
    client = openai_client(fp)
    with pytest.raises(openai.BadRequestError, match="only streaming"):
        await client.chat.completions.create(model="gpt-fake", messages=[{"role": "user", "content": "hi"}])
    await client.close()
    assert (await chat_call(fp, "gpt-fake"))["text"] == ["still here"]


# --- scripting: order, responders, pacing ----------------------------------------------------------


async def test_scripts_are_consumed_in_order_then_responder_then_default(fp: FakeProvider) -> None:
    fp.script("m", Reply(Text("first")), Reply(Text("second")))
    fp.responder("m", lambda request: Reply(Text(f"echo {request.last_user_text}")))
    fp.default(lambda request: Reply(Text(f"default for {request.model}")))
    texts = [
        "".join((await chat_call(fp, "m", messages=[{"role": "user", "content": "ping"}]))["text"]) for _ in range(3)
    ]
    assert texts == ["first", "second", "echo ping"]
    assert (await chat_call(fp, "other"))["text"] == ["default for other"]
    assert [r.model for r in fp.requests] == ["m", "m", "m", "other"]
    assert len(fp.requests_for("m")) == 3


async def test_responder_error_is_reported_to_the_client(fp: FakeProvider) -> None:
    fp.responder("m", lambda request: 1 / 0)
    with pytest.raises(openai.InternalServerError, match="ZeroDivisionError"):
        await chat_call(fp, "m")


async def test_delay_and_chunk_delay_pace_the_stream(fp: FakeProvider) -> None:
    fp.script("m", Reply(Text("a"), Delay(0.15), Text("b")), Reply(Text("abcd", chunk=1), chunk_delay=0.04))
    for expected in (0.15, 0.16):
        started = time.perf_counter()
        await chat_call(fp, "m")
        assert time.perf_counter() - started >= expected


async def test_many_concurrent_streams_arrive_intact(fp: FakeProvider) -> None:
    text = "".join(f"word{i} " for i in range(30))
    fp.default(lambda request: Reply(Text(f"{request.model}: {text}", chunk=4)))
    client = openai_client(fp)
    outs = await asyncio.gather(*(chat_call(fp, f"agent-{n}", client=client) for n in range(32)))
    await client.close()
    assert ["".join(out["text"]) for out in outs] == [f"agent-{n}: {text}" for n in range(32)]


# --- routes ---------------------------------------------------------------------------------------


async def test_azure_deployment_is_the_model(fp: FakeProvider) -> None:
    fp.script("my-deployment", Reply(Text("from azure")))
    client = openai.AsyncAzureOpenAI(
        azure_endpoint=fp.base_url("azure"), api_key="az-test", api_version="2024-10-21", max_retries=0
    )
    stream = await client.chat.completions.create(
        model="my-deployment", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    text = "".join([c.delta.content or "" async for chunk in stream for c in chunk.choices])
    await client.close()
    assert text == "from azure"
    (request,) = fp.requests
    assert (request.protocol, request.model, request.query["api-version"]) == ("chat", "my-deployment", "2024-10-21")
    assert request.headers["api-key"] == "az-test"


def test_connections_are_kept_alive_between_requests(fp: FakeProvider) -> None:
    fp.script("m", Reply(Text("one")), Reply(Text("two")))
    body = json.dumps({"model": "m", "stream": True, "messages": []}).encode()
    head = f"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: {len(body)}\r\n\r\n".encode()
    host, port = fp.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        for expected in ("one", "two"):
            conn.sendall(head + body)
            received = b""
            while not received.endswith(b"\r\n0\r\n\r\n"):
                data = conn.recv(65536)
                assert data, "the server closed the connection"
                received += data
            assert received.startswith(b"HTTP/1.1 200") and f'"content":"{expected}"'.encode() in received


# --- the normalised view of a conversation with a tool result ---------------------------------------

EXPECTED_CONVERSATION = [
    {"role": "user", "text": "What is 2+2?", "tool_calls": [], "tool_call_id": None},
    {
        "role": "assistant",
        "text": "Voting.",
        "tool_calls": [{"id": "c1", "name": "vote", "arguments": VOTE_ARGS}],
        "tool_call_id": None,
    },
    {"role": "tool", "text": "vote recorded", "tool_call_id": "c1", "tool_calls": []},
    {"role": "user", "text": "Thanks", "tool_calls": [], "tool_call_id": None},
]


def assert_normalised(request: FakeRequest, protocol: str) -> None:
    assert request.protocol == protocol
    assert request.system == "Be brief."
    assert request.messages == EXPECTED_CONVERSATION
    assert request.tools == [VOTE_TOOL]
    assert request.tool_names == ["vote"]
    assert request.last_user_text == "Thanks"


async def test_normalised_chat_request(fp: FakeProvider) -> None:
    fp.script("m", Reply(Text("ok")))
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is 2+2?"},
        {
            "role": "assistant",
            "content": "Voting.",
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "vote", "arguments": json.dumps(VOTE_ARGS)}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "vote recorded"},
        {"role": "user", "content": [{"type": "text", "text": "Thanks"}]},
    ]
    await chat_call(fp, "m", messages=messages, tools=[{"type": "function", "function": VOTE_TOOL}])
    assert_normalised(fp.requests[0], "chat")


async def test_normalised_responses_request(fp: FakeProvider) -> None:
    fp.script("m", Reply(Text("ok")))
    items = [
        {"role": "user", "content": "What is 2+2?"},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Voting."}]},
        {"type": "function_call", "call_id": "c1", "name": "vote", "arguments": json.dumps(VOTE_ARGS)},
        {"type": "function_call_output", "call_id": "c1", "output": "vote recorded"},
        {"role": "user", "content": [{"type": "input_text", "text": "Thanks"}]},
    ]
    await responses_call(fp, "m", input=items, instructions="Be brief.", tools=[{"type": "function", **VOTE_TOOL}])
    assert_normalised(fp.requests[0], "responses")


async def test_normalised_anthropic_request(fp: FakeProvider) -> None:
    fp.script("m", Reply(Text("ok")))
    messages = [
        {"role": "user", "content": "What is 2+2?"},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "hmm", "signature": "sig"},
                {"type": "text", "text": "Voting."},
                {"type": "tool_use", "id": "c1", "name": "vote", "input": VOTE_ARGS},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "c1", "content": "vote recorded"},
                {"type": "text", "text": "Thanks"},
            ],
        },
    ]
    tool = {"name": "vote", "description": VOTE_TOOL["description"], "input_schema": VOTE_TOOL["parameters"]}
    await anthropic_call(fp, "m", messages=messages, system=[{"type": "text", "text": "Be brief."}], tools=[tool])
    assert_normalised(fp.requests[0], "anthropic")


async def test_normalised_gemini_request(fp: FakeProvider) -> None:
    fp.script("m", Reply(Text("ok")))
    Part = genai_types.Part
    contents = [
        genai_types.Content(role="user", parts=[Part(text="What is 2+2?")]),
        genai_types.Content(
            role="model",
            parts=[
                Part(text="hmm", thought=True),
                Part(text="Voting."),
                Part(function_call=genai_types.FunctionCall(id="c1", name="vote", args=VOTE_ARGS)),
            ],
        ),
        genai_types.Content(
            role="user",
            parts=[
                Part(
                    function_response=genai_types.FunctionResponse(
                        id="c1", name="vote", response={"output": "vote recorded"}
                    )
                ),
                Part(text="Thanks"),
            ],
        ),
    ]
    declaration = genai_types.FunctionDeclaration(
        name="vote", description=VOTE_TOOL["description"], parameters_json_schema=VOTE_TOOL["parameters"]
    )
    await gemini_call(
        fp,
        "m",
        contents,
        system_instruction="Be brief.",
        tools=[genai_types.Tool(function_declarations=[declaration])],
    )
    request = fp.requests[0]
    assert request.path == "/v1/models/m:streamGenerateContent"
    assert_normalised(request, "gemini")


# --- the consensus responder ------------------------------------------------------------------------


def coordinator_request(tools: list[dict], prompt: str) -> FakeRequest:
    body = {
        "model": "m",
        "stream": True,
        "messages": [{"role": "system", "content": "Coordinate."}, {"role": "user", "content": prompt}],
        "tools": [{"type": "function", "function": tool} for tool in tools],
    }
    return FakeRequest.parse("chat", "m", "/v1/chat/completions", {}, {}, body)


def test_consensus_responder_answers_votes_and_presents() -> None:
    respond = consensus_responder(answer_text="Four.", chunk=2)
    new_answer = {"name": "new_answer", "description": "", "parameters": {"type": "object", "properties": {}}}

    first, second = (
        respond(coordinator_request([new_answer], "<original_message>2+2?</original_message>")) for _ in "ab"
    )
    assert [s for s in first.steps if isinstance(s, Text)] == [Text("Four.", 2)]
    (call_a,) = [s for s in first.steps if isinstance(s, CallTool)]
    (call_b,) = [s for s in second.steps if isinstance(s, CallTool)]
    assert call_a.name == call_b.name == "new_answer"
    assert call_a.arguments["content"].startswith("Four.") and call_a.arguments != call_b.arguments

    vote = dict(VOTE_TOOL, parameters={"properties": {"agent_id": {"enum": ["agent2", "agent1"]}}})
    not_shown_yet = respond(coordinator_request([new_answer, vote], "<original_message>2+2?</original_message>"))
    assert [s.name for s in not_shown_yet.steps if isinstance(s, CallTool)] == ["new_answer"]
    answered = respond(coordinator_request([new_answer, vote], "<agent2>\nFour.\n</agent2>\n<agent1>\n4\n</agent1>"))
    (call,) = [s for s in answered.steps if isinstance(s, CallTool)]
    assert (call.name, call.arguments["agent_id"]) == ("vote", "agent2")

    final = respond(coordinator_request([], "present"))
    assert final.steps == (Text("Four.", 2),)


# --- as a separate process ----------------------------------------------------------------------------


def test_runs_as_a_process_printing_its_url() -> None:
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_provider", "--port", "0", "--scenario", "consensus"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        body = {"model": "any", "stream": True, "messages": [{"role": "user", "content": "2+2?"}]}
        response = httpx2.post(f"{url}/v1/chat/completions", json=body, timeout=10)
        chunks = [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: {")]
        assert (
            "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"]) == "The answer is 4."
        )
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
