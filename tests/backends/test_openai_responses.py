"""OpenAIResponsesBackend: the real openai SDK against the fake provider's Responses stream."""

from __future__ import annotations

import json

import pytest

from massgen_tui.backends.base import Message, ProviderError, RetryNotice, ToolCall, UsageReport
from massgen_tui.backends.retry import stream_with_retry
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
from tests.fake_provider import CallTool, HttpError, Reasoning, Reply, Text, Usage

MODEL = "gpt-5-fake"


@pytest.fixture
def backend(make_backend):
    return make_backend("openai", MODEL)


async def test_streamed_text_arrives_intact_and_in_order(fake, backend) -> None:
    fake.script(MODEL, Reply(Text("Four.\n\n2 + 2", chunk=4), Text(" = 4")))
    events = await run(backend)
    assert texts(events) == ["Four", ".\n\n2", " + 2", " = 4"]
    assert done(events).message == Message("assistant", "Four.\n\n2 + 2 = 4")
    assert done(events).stop_reason == "completed"


async def test_reasoning_summary_streams_as_reasoning(fake, backend) -> None:
    fake.script(MODEL, Reply(Reasoning("Simple arithmetic.", chunk=6), Text("4")))
    events = await run(backend)
    assert reasonings(events) == ["Simple", " arith", "metic."]
    assert texts(events) == ["4"]


async def test_tool_call_uses_the_call_id_and_parses_split_arguments(fake, backend) -> None:
    fake.script(
        MODEL, Reply(CallTool("vote", {"agent_id": "agent2", "reason": "agent2 shows the working"}, id="call_xyz"))
    )
    events = await run(backend, tools=[VOTE, NEW_ANSWER])
    expected = ToolCall("call_xyz", "vote", {"agent_id": "agent2", "reason": "agent2 shows the working"},
                        raw_arguments='{"agent_id": "agent2", "reason": "agent2 shows the working"}')
    assert calls(events) == [expected]
    assert done(events).message.tool_calls == [expected]


async def test_two_parallel_tool_calls_stay_apart(fake, backend) -> None:
    fake.script(
        MODEL,
        Reply(
            Text("Both."),
            CallTool("new_answer", {"content": "4"}),
            CallTool("vote", {"agent_id": "agent1", "reason": "r"}),
        ),
    )
    events = await run(backend, tools=[VOTE, NEW_ANSWER])
    got = calls(events)
    assert [(c.name, c.arguments) for c in got] == [("new_answer", {"content": "4"}),
                                                    ("vote", {"agent_id": "agent1", "reason": "r"})]
    assert got[0].id != got[1].id
    assert done(events).message == Message("assistant", "Both.", tool_calls=got)


async def test_malformed_tool_json_is_reported_not_raised(fake, backend) -> None:
    fake.script(MODEL, Reply(CallTool("new_answer", '{"content": "4"')))
    [call] = calls(await run(backend, tools=[NEW_ANSWER]))
    assert (call.name, call.arguments, call.raw_arguments) == ("new_answer", {}, '{"content": "4"')
    assert "not valid JSON" in call.parse_error


async def test_usage_comes_from_the_completed_response(fake, backend) -> None:
    fake.script(MODEL, Reply(Reasoning("hmm"), Text("4"), Usage(100, 40, reasoning_tokens=25)))
    events = await run(backend)
    assert usages(events) == [UsageReport(100, 40, 25, 0)]


async def test_conversation_with_tool_result_goes_out_as_responses_items(fake, make_backend) -> None:
    backend = make_backend(
        "openai", MODEL, reasoning_effort="low", reasoning_summary="auto", text_verbosity="low",
        max_tokens=800, temperature=1.0, enable_web_search=True, enable_code_execution=True,
    )
    fake.script(MODEL, Reply(Text("done")))
    call = ToolCall("call_7", "new_answer", {"content": "4"}, raw_arguments='{"content": "4"}')
    conversation = [
        *QUESTION,
        Message("assistant", "", tool_calls=[call]),
        Message("tool", "Answer recorded.", tool_call_id="call_7", name="new_answer"),
    ]
    await run(backend, conversation, tools=[VOTE])
    request = fake.requests[-1]
    assert request.system == "You are agent one."
    assert request.messages == [
        {"role": "user", "text": "What is 2+2?", "tool_calls": [], "tool_call_id": None},
        {"role": "assistant", "text": "", "tool_calls": [
            {"id": "call_7", "name": "new_answer", "arguments": {"content": "4"}}], "tool_call_id": None},
        {"role": "tool", "text": "Answer recorded.", "tool_calls": [], "tool_call_id": "call_7"},
    ]
    body = request.body
    assert body["instructions"] == "You are agent one."
    assert body["input"] == [
        {"role": "user", "content": "What is 2+2?"},
        {"type": "function_call", "call_id": "call_7", "name": "new_answer", "arguments": '{"content": "4"}'},
        {"type": "function_call_output", "call_id": "call_7", "output": "Answer recorded."},
    ]
    assert body["tools"] == [
        {
            "type": "function",
            "name": "vote",
            "description": VOTE.description,
            "parameters": VOTE.parameters,
            "strict": False,
        },
        {"type": "web_search"},
        {"type": "code_interpreter", "container": {"type": "auto"}},
    ]
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert body["text"] == {"verbosity": "low"}
    assert (body["max_output_tokens"], body["temperature"]) == (800, 1.0)


async def test_unconfigured_options_are_not_sent(fake, backend) -> None:
    fake.script(MODEL, Reply(Text("ok")))
    await run(backend, [Message("user", "hi")])
    assert set(fake.requests[-1].body) == {"model", "stream", "input"}


async def test_bad_api_key_is_a_permanent_error_in_the_providers_words(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(401, "Incorrect API key provided: sk-test-****enai.")))
    error = await failure(backend)
    assert (error.status, error.transient, error.message) == (
        401,
        False,
        "Incorrect API key provided: sk-test-****enai.",
    )


async def test_unknown_model_is_a_permanent_error(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(404, "The model `gpt-5-fake` does not exist or you do not have access to it.")))
    error = await failure(backend)
    assert (error.status, error.transient) == (404, False)
    assert error.message == "The model `gpt-5-fake` does not exist or you do not have access to it."




async def test_rate_limit_with_retry_after_is_retried_after_that_delay(fake, backend) -> None:
    fake.script(
        MODEL, Reply(HttpError(429, "Rate limit reached for gpt-5", headers={"retry-after": "3"})), Reply(Text("ok"))
    )
    sleeps = Sleeps()
    events = [e async for e in stream_with_retry(backend, QUESTION, [], sleep=sleeps)]
    assert events[0] == RetryNotice(
        attempt=1, max_attempts=4, delay=3.0, reason="HTTP 429: Rate limit reached for gpt-5"
    )
    assert sleeps == [3.0]
    assert done(events).message.content == "ok"


async def test_server_errors_twice_then_success(fake, backend) -> None:
    fake.script(MODEL, Reply(HttpError(500, "internal")), Reply(HttpError(502, "bad gateway")), Reply(Text("fine")))
    sleeps = Sleeps()
    events = [e async for e in stream_with_retry(backend, QUESTION, [], sleep=sleeps, rng=lambda: 1.0)]
    assert [e.attempt for e in events if isinstance(e, RetryNotice)] == [1, 2]
    assert sleeps == [1.0, 2.0]
    assert texts(events) == ["fine"]


async def test_exhausting_attempts_raises_the_last_failure(fake, backend) -> None:
    fake.script(MODEL, *[Reply(HttpError(503, f"overloaded {n}")) for n in range(2)])
    with pytest.raises(ProviderError, match="overloaded 1") as info:
        async for _ in stream_with_retry(backend, QUESTION, [], max_attempts=2, sleep=Sleeps()):
            pass
    assert (info.value.status, info.value.transient) == (503, True)


# Events the fake provider does not script (failures reported inside the stream, built-in
# tools, a clean but early end) come from a canned body (see the ``canned`` fixture).

def _sse(*events: dict) -> bytes:
    return b"".join(
        f"event: {event['type']}\ndata: {json.dumps({**event, 'sequence_number': n})}\n\n".encode()
        for n, event in enumerate(events)
    )


CREATED = {"type": "response.created", "response": {"id": "resp_1", "status": "in_progress", "output": []}}


def _completed(*output: dict) -> dict:
    usage = {"input_tokens": 50, "output_tokens": 9, "total_tokens": 59,
             "input_tokens_details": {"cached_tokens": 32}, "output_tokens_details": {"reasoning_tokens": 4}}
    return {
        "type": "response.completed",
        "response": {"id": "resp_1", "status": "completed", "output": list(output), "usage": usage},
    }


async def test_failed_response_raises_with_the_events_message(canned) -> None:
    backend = await canned(
        "openai",
        _sse(
            CREATED,
            {
                "type": "response.failed",
                "response": {
                    "id": "resp_1",
                    "status": "failed",
                    "error": {"code": "invalid_prompt", "message": "Invalid prompt: flagged content"},
                },
            },
        ),
    )
    error = await failure(backend)
    assert (error.message, error.transient) == ("Invalid prompt: flagged content", False)


async def test_failed_response_from_a_server_error_is_transient(canned) -> None:
    backend = await canned("openai", _sse(CREATED, {"type": "response.failed", "response": {
        "id": "resp_1", "status": "failed", "error": {"code": "server_error", "message": "The server had an error"}}}))
    error = await failure(backend)
    assert (error.message, error.transient) == ("The server had an error", True)


async def test_error_event_raises_with_its_message(canned) -> None:
    backend = await canned(
        "openai", _sse(CREATED, {"type": "error", "code": "rate_limit_exceeded", "message": "Slow down", "param": None})
    )
    error = await failure(backend)
    assert (error.message, error.transient) == ("Slow down", True)


async def test_stream_ending_without_completion_is_transient(canned) -> None:
    backend = await canned("openai", _sse(CREATED, {"type": "response.output_text.delta", "delta": "Hal",
                                            "item_id": "m", "output_index": 0, "content_index": 0, "logprobs": []}))
    error = await failure(backend)
    assert error.transient and "before the response was complete" in error.message


async def test_built_in_tool_activity_is_shown_as_reasoning_and_cached_tokens_counted(canned) -> None:
    search = {
        "type": "web_search_call",
        "id": "ws_1",
        "status": "completed",
        "action": {"type": "search", "query": "2+2"},
    }
    code = {
        "type": "code_interpreter_call",
        "id": "ci_1",
        "status": "completed",
        "container_id": "c",
        "code": "print(2+2)",
    }
    backend = await canned("openai", _sse(
        CREATED,
        {"type": "response.output_item.done", "output_index": 0, "item": search},
        {"type": "response.output_item.done", "output_index": 1, "item": code},
        _completed(search, code),
    ))
    events = await run(backend)
    assert "".join(reasonings(events)) == "\n[web search] 2+2\n\n[code interpreter]\nprint(2+2)\n"
    assert usages(events) == [UsageReport(50, 9, 4, 32)]


async def test_function_calls_listed_only_in_the_final_response_are_not_lost(canned) -> None:
    item = {"type": "function_call", "id": "fc_1", "call_id": "call_late", "name": "vote",
            "arguments": '{"agent_id": "agent1", "reason": "ok"}', "status": "completed"}
    backend = await canned("openai", _sse(CREATED, _completed(item)))
    events = await run(backend)
    assert [(c.id, c.arguments) for c in calls(events)] == [("call_late", {"agent_id": "agent1", "reason": "ok"})]
