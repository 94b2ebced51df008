"""ChatCompletionsBackend and AzureOpenAIBackend: the real openai SDK against the fake provider."""

from __future__ import annotations

import json

import pytest

from massgen_tui.backends import create_backend
from massgen_tui.backends.azure_openai import DEFAULT_API_VERSION, AzureOpenAIBackend
from massgen_tui.backends.base import Message, ProviderError, RetryNotice, ToolCall, UsageReport
from massgen_tui.backends.retry import stream_with_retry
from massgen_tui.config.model import BackendConfig
from tests.backends.streams import (
    NEW_ANSWER,
    QUESTION,
    VOTE,
    Sleeps,
    calls,
    done,
    failure,
    reasonings,
    run,
    texts,
    usages,
)
from tests.fake_provider import CallTool, Drop, HttpError, Reasoning, Reply, Text, Usage

MODEL = "local-model"


@pytest.fixture
def backend(make_backend):
    return make_backend("chatcompletion", MODEL)


async def test_streamed_text_arrives_intact_and_in_order(fake, backend) -> None:
    fake.script(MODEL, Reply(Text("The answer is 4.\n\nBecause 2+2", chunk=3), Text(" = 4.")))
    events = await run(backend)
    assert texts(events) == ["The", " an", "swe", "r i", "s 4", ".\n\n", "Bec", "aus", "e 2", "+2", " = 4."]
    assert done(events).message == Message("assistant", "The answer is 4.\n\nBecause 2+2 = 4.")
    assert done(events).stop_reason == "stop"


async def test_reasoning_streams_separately_from_text(fake, backend) -> None:
    fake.script(MODEL, Reply(Reasoning("Two plus two", chunk=5), Text("4")))
    events = await run(backend)
    assert reasonings(events) == ["Two p", "lus t", "wo"]
    assert texts(events) == ["4"]
    assert done(events).message.content == "4"


async def test_tool_call_split_across_deltas_is_assembled(fake, backend) -> None:
    fake.script(
        MODEL,
        Reply(Text("Voting."), CallTool("vote", {"agent_id": "agent1", "reason": "correct: 2+2=4"}, id="call_abc")),
    )
    events = await run(backend, tools=[VOTE, NEW_ANSWER])
    expected = ToolCall("call_abc", "vote", {"agent_id": "agent1", "reason": "correct: 2+2=4"},
                        raw_arguments='{"agent_id": "agent1", "reason": "correct: 2+2=4"}')
    assert calls(events) == [expected]
    assert done(events).message == Message("assistant", "Voting.", tool_calls=[expected])
    assert done(events).stop_reason == "tool_calls"



async def test_malformed_tool_json_is_reported_not_raised(fake, backend) -> None:
    fake.script(MODEL, Reply(CallTool("vote", '{"agent_id": "agent1", "reason": ')))
    [call] = calls(await run(backend, tools=[VOTE]))
    assert call.name == "vote"
    assert call.arguments == {}
    assert call.raw_arguments == '{"agent_id": "agent1", "reason": '
    assert "not valid JSON" in call.parse_error


async def test_usage_is_reported_once_from_the_usage_chunk(fake, backend) -> None:
    fake.script(MODEL, Reply(Reasoning("hmm"), Text("4"), Usage(120, 30, reasoning_tokens=12)))
    events = await run(backend)
    assert usages(events) == [UsageReport(120, 30, 12, 0)]
    assert fake.requests[-1].body["stream_options"] == {"include_usage": True}


async def test_conversation_with_tool_result_goes_out_in_chat_format(fake, make_backend) -> None:
    backend = make_backend(
        "chatcompletion", MODEL, api_key="sk-test-openai", temperature=0.2, max_tokens=500, top_p=0.9
    )
    fake.script(MODEL, Reply(Text("done")))
    call = ToolCall("call_1", "mcp__files__read", {"path": "a.txt"}, raw_arguments='{"path": "a.txt"}')
    conversation = [
        *QUESTION,
        Message("assistant", "Let me look.", tool_calls=[call]),
        Message("tool", "file says 4", tool_call_id="call_1", name="mcp__files__read"),
    ]
    await run(backend, conversation, tools=[VOTE])
    request = fake.requests[-1]
    assert request.system == "You are agent one."
    assert request.messages == [
        {"role": "user", "text": "What is 2+2?", "tool_calls": [], "tool_call_id": None},
        {"role": "assistant", "text": "Let me look.", "tool_calls": [
            {"id": "call_1", "name": "mcp__files__read", "arguments": {"path": "a.txt"}}], "tool_call_id": None},
        {"role": "tool", "text": "file says 4", "tool_calls": [], "tool_call_id": "call_1"},
    ]
    body = request.body
    assert body["messages"][2] == {
        "role": "assistant",
        "content": "Let me look.",
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "mcp__files__read", "arguments": '{"path": "a.txt"}'},
            }
        ],
    }
    assert body["messages"][3] == {"role": "tool", "tool_call_id": "call_1", "content": "file says 4"}
    assert body["tools"] == [{"type": "function", "function": {
        "name": "vote", "description": VOTE.description, "parameters": VOTE.parameters}}]
    assert (body["model"], body["temperature"], body["max_tokens"], body["top_p"]) == (MODEL, 0.2, 500, 0.9)
    assert request.headers["authorization"] == "Bearer sk-test-openai"


async def test_keyless_local_server_gets_a_placeholder_key(fake, make_backend) -> None:
    backend = make_backend("chatcompletion", MODEL, api_key=None)
    fake.script(MODEL, Reply(Text("hi")))
    assert texts(await run(backend)) == ["hi"]
    assert fake.requests[-1].headers["authorization"] == "Bearer not-needed"


async def test_server_rejecting_stream_options_is_asked_again_without_them(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(400, "Unrecognized request argument supplied: stream_options")),
                Reply(Text("first")), Reply(Text("second")))
    assert texts(await run(backend)) == ["first"]
    assert texts(await run(backend)) == ["second"]
    sent = [("stream_options" in r.body) for r in fake.requests]
    assert sent == [True, False, False]


async def test_other_bad_requests_are_not_retried_without_stream_options(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(400, "messages: field required")))
    error = await failure(backend)
    assert (error.status, error.transient, error.message) == (400, False, "messages: field required")
    assert len(fake.requests) == 1


async def test_bad_api_key_is_a_permanent_error_in_the_providers_words(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(401, "Incorrect API key provided: sk-test-****nai.")))
    error = await failure(backend)
    assert error.message == "Incorrect API key provided: sk-test-****nai."
    assert (error.status, error.transient) == (401, False)
    assert str(error) == "HTTP 401: Incorrect API key provided: sk-test-****nai."


async def test_unknown_model_is_a_permanent_error(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(404, "The model `local-model` does not exist")))
    error = await failure(backend)
    assert (error.status, error.transient, error.message) == (404, False, "The model `local-model` does not exist")




async def test_rate_limit_with_retry_after_is_retried_after_that_delay(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(429, "Rate limit reached", headers={"retry-after": "2"})), Reply(Text("ok")))
    sleeps = Sleeps()
    events = [e async for e in stream_with_retry(backend, QUESTION, [], sleep=sleeps)]
    assert events[0] == RetryNotice(attempt=1, max_attempts=4, delay=2.0, reason="HTTP 429: Rate limit reached")
    assert sleeps == [2.0]
    assert texts(events) == ["ok"]
    assert done(events).message.content == "ok"


async def test_server_errors_twice_then_success(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(500, "The server had an error")), Reply(HttpError(503, "Overloaded")),
                Reply(Text("finally")))
    sleeps = Sleeps()
    events = [e async for e in stream_with_retry(backend, QUESTION, [], sleep=sleeps, rng=lambda: 0.5)]
    notices = [e for e in events if isinstance(e, RetryNotice)]
    assert [(n.attempt, n.reason) for n in notices] == [
        (1, "HTTP 500: The server had an error"),
        (2, "HTTP 503: Overloaded"),
    ]
    assert sleeps == [0.5, 1.0]
    assert done(events).message.content == "finally"
    assert len(fake.requests) == 3


async def test_exhausting_attempts_raises_the_last_failure(fake, backend) -> None:
    fake.script(MODEL, *[Reply(Text("x"), Drop()) for _ in range(3)])
    with pytest.raises(ProviderError) as info:
        async for _ in stream_with_retry(backend, QUESTION, [], max_attempts=3, sleep=Sleeps()):
            pass
    assert info.value.transient
    assert len(fake.requests) == 3


async def test_azure_puts_the_deployment_in_the_path_and_the_api_version_in_the_query(fake, make_backend) -> None:
    backend = make_backend("azure_openai", "my-gpt4o-deployment", api_key="azure-key", api_version="2025-01-01-preview")
    assert isinstance(backend, AzureOpenAIBackend)
    fake.script("my-gpt4o-deployment", Reply(Reasoning("r"), Text("hello from azure"), Usage(7, 3)))
    events = await run(backend)
    assert texts(events) == ["hello from azure"]
    assert usages(events) == [UsageReport(7, 3)]
    request = fake.requests[-1]
    assert request.path == "/openai/deployments/my-gpt4o-deployment/chat/completions"
    assert request.query["api-version"] == "2025-01-01-preview"
    assert request.headers["api-key"] == "azure-key"


async def test_azure_defaults_to_a_ga_api_version(fake, make_backend) -> None:
    backend = make_backend("azure_openai", "dep")
    fake.script("dep", Reply(HttpError(401, "Access denied due to invalid subscription key.")))
    error = await failure(backend)
    assert (error.status, error.message) == (401, "Access denied due to invalid subscription key.")
    assert fake.requests[-1].query["api-version"] == DEFAULT_API_VERSION


async def test_unreachable_server_is_a_transient_error_naming_its_url() -> None:
    backend = create_backend(BackendConfig(type="vllm", family="chatcompletion", model=MODEL,
                                           base_url="http://127.0.0.1:9/v1"))
    try:
        error = await failure(backend)
    finally:
        await backend.aclose()
    assert error.transient
    assert str(error) == "cannot connect to http://127.0.0.1:9/v1: connection refused"


async def test_a_dropped_stream_names_the_url_and_what_broke(fake, backend) -> None:
    fake.script(MODEL, Reply(Text("x"), Drop()))
    error = await failure(backend)
    assert error.transient
    assert error.message.startswith(f"connection to {fake.base_url('openai')} lost: peer closed connection")


async def test_a_500_refusing_a_parameter_is_permanent_and_names_it(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(500, "tools param requires --jinja flag")), Reply(Text("unused")))
    with pytest.raises(ProviderError) as info:
        [e async for e in stream_with_retry(backend, QUESTION, [VOTE], sleep=Sleeps())]
    assert (info.value.status, info.value.transient) == (500, False)
    assert str(info.value) == ("HTTP 500: the server does not accept the request parameter tools: tools param "
                               "requires --jinja flag; if the model does not support tool calling, set "
                               "structured_output: true in its backend")
    assert len(fake.requests) == 1  # not retried


async def test_a_500_naming_a_parameter_without_refusing_it_is_still_retried(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(500, "out of memory while processing tools")), Reply(Text("ok")))
    events = [e async for e in stream_with_retry(backend, QUESTION, [VOTE], sleep=Sleeps())]
    assert texts(events) == ["ok"] and len(fake.requests) == 2


def _chunks(*deltas: dict, finish: str | None = None) -> bytes:
    """A chat completion stream of ``deltas``, closed with ``finish`` when given."""
    def chunk(delta: dict, finish_reason: str | None = None) -> str:
        body = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
        return f"data: {json.dumps(body)}\n\n"
    lines = [chunk(d) for d in deltas] + ([chunk({}, finish), "data: [DONE]\n\n"] if finish else [])
    return "".join(lines).encode()


async def test_stream_ending_without_a_finish_reason_is_transient(canned) -> None:
    backend = await canned("chatcompletion", _chunks({"content": "Hal"}))
    error = await failure(backend)
    assert error.transient and "before the response was complete" in error.message


async def test_error_object_inside_the_stream_raises_with_its_message(canned) -> None:
    error_chunk = {"error": {"message": "Provider returned error", "code": 502}}
    body = _chunks({"content": "Hal"}) + f"data: {json.dumps(error_chunk)}\n\n".encode()
    error = await failure(await canned("chatcompletion", body))
    assert (error.message, error.status, error.transient) == ("Provider returned error", 502, True)


async def test_reasoning_sent_under_two_field_names_is_not_doubled(canned) -> None:
    backend = await canned("chatcompletion", _chunks(
        {"reasoning_content": "think", "reasoning": "think"}, {"reasoning": " more"}, {"content": "4"}, finish="stop"))
    events = await run(backend)
    assert reasonings(events) == ["think", " more"]
    assert texts(events) == ["4"]


async def test_server_without_usage_reports_none(canned) -> None:
    events = await run(await canned("chatcompletion", _chunks({"content": "4"}, finish="stop")))
    assert not usages(events)
    assert done(events).message.content == "4"


async def test_tool_call_id_and_name_repeated_in_every_delta_are_not_concatenated(canned) -> None:
    head = {"index": 0, "id": "call_1", "type": "function"}
    backend = await canned("chatcompletion", _chunks(
        {"tool_calls": [{**head, "function": {"name": "vote", "arguments": '{"agent_id": '}}]},
        {"tool_calls": [{**head, "function": {"name": "vote", "arguments": '"agent1", "reason": "ok"}'}}]},
        finish="tool_calls"))
    [call] = calls(await run(backend))
    assert (call.id, call.name, call.arguments) == ("call_1", "vote", {"agent_id": "agent1", "reason": "ok"})
