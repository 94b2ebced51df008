"""Behaviour the provider backends share, checked once per wire family (one test, several families)."""

from __future__ import annotations

import pytest

from massgen_tui.backends.base import UsageReport
from tests.backends.streams import NEW_ANSWER, VOTE, calls, done, failure, run, texts, usages
from tests.fake_provider import CallTool, Drop, HttpError, Malformed, Reasoning, Reply, Text, Usage

MODEL = "any-model"
FAMILIES = ["chatcompletion", "openai", "claude", "gemini"]

# family, HTTP status, the provider's message, response headers, transient?, retry_after
HTTP_FAILURES = [
    ("claude", 401, "invalid x-api-key", {}, False, None),
    ("claude", 404, "model: any-model not found", {}, False, None),
    ("claude", 429, "rate limited", {"retry-after": "7"}, True, 7.0),
    ("claude", 500, "Overloaded", {}, True, None),
    ("claude", 529, "Overloaded", {}, True, None),
    ("gemini", 401, "API key not valid. Please pass a valid API key.", {}, False, None),
    ("gemini", 404, "models/any-model is not found", {}, False, None),
    ("gemini", 429, "Resource exhausted", {"retry-after": "3"}, True, 3.0),
    ("gemini", 500, "Internal error encountered.", {}, True, None),
]


@pytest.mark.parametrize(("family", "stop_reason"), [("claude", "end_turn"), ("gemini", "STOP")])
async def test_text_streams_in_order_and_ends_with_the_assistant_message(
    fake, make_backend, family, stop_reason
) -> None:
    fake.script(MODEL, Reply(Text("The answer, plainly: ", chunk=4), Text("four.")))
    events = await run(make_backend(family, MODEL))
    assert len(texts(events)) > 2
    assert "".join(texts(events)) == "The answer, plainly: four."
    final = done(events)
    assert final.message.role == "assistant"
    assert final.message.content == "The answer, plainly: four."
    assert final.stop_reason == stop_reason


@pytest.mark.parametrize("family", ["claude", "gemini"])
async def test_usage_is_reported_once_with_reasoning_tokens(fake, make_backend, family) -> None:
    fake.script(MODEL, Reply(Reasoning("hm"), Text("4"), Usage(120, 30, 12)))
    events = await run(make_backend(family, MODEL, reasoning_effort="low"))
    assert usages(events) == [UsageReport(input_tokens=120, output_tokens=30, reasoning_tokens=12)]


@pytest.mark.parametrize("family", FAMILIES)
async def test_dropped_connection_mid_stream_is_transient(fake, make_backend, family) -> None:
    fake.script(MODEL, Reply(Text("Half an ans"), Drop()))
    error = await failure(make_backend(family, MODEL))
    assert error.transient
    assert error.status is None


@pytest.mark.parametrize("family", FAMILIES)
async def test_malformed_stream_data_is_a_transient_error(fake, make_backend, family) -> None:
    fake.script(MODEL, Reply(Text("a"), Malformed(), Text("b")))
    error = await failure(make_backend(family, MODEL))
    assert error.transient
    assert "malformed" in error.message


# The Responses API's version, which also checks the text beside the calls, is in test_openai_responses.py.
@pytest.mark.parametrize("family", ["chatcompletion", "claude", "gemini"])
async def test_two_parallel_tool_calls_stay_apart(fake, make_backend, family) -> None:
    fake.script(
        MODEL, Reply(CallTool("new_answer", {"content": "4"}), CallTool("vote", {"agent_id": "agent1", "reason": "r"}))
    )
    events = await run(make_backend(family, MODEL), tools=[VOTE, NEW_ANSWER])
    got = calls(events)
    assert [(c.name, c.arguments) for c in got] == [("new_answer", {"content": "4"}),
                                                    ("vote", {"agent_id": "agent1", "reason": "r"})]
    assert got[0].id != got[1].id
    assert done(events).message.tool_calls == got


# The OpenAI families' HTTP errors, with their own extra checks, are in their own test files.
@pytest.mark.parametrize(("family", "status", "message", "headers", "transient", "retry_after"), HTTP_FAILURES,
                         ids=[f"{row[0]}-{row[1]}" for row in HTTP_FAILURES])
async def test_http_error_is_one_provider_error_in_the_providers_words_and_not_retried_by_the_sdk(
        fake, make_backend, family, status, message, headers, transient, retry_after) -> None:
    fake.script(MODEL, Reply(HttpError(status, message, headers=headers)))
    error = await failure(make_backend(family, MODEL))
    assert (error.status, error.transient, error.retry_after, error.message) == (
        status,
        transient,
        retry_after,
        message,
    )
    assert len(fake.requests) == 1
