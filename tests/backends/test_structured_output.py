"""Each remote family asks for JSON decisions through its provider's native structured output."""

from __future__ import annotations

import json
from typing import Any

import pytest

from massgen_tui.backends.base import BackendNotice, ProviderError
from massgen_tui.backends.json_output import without_length_bounds
from massgen_tui.backends.retry import stream_with_retry
from massgen_tui.coordination.structured import decision_schema
from tests.backends.streams import QUESTION, Sleeps, done
from tests.fake_provider import HttpError, Reply, Text

MODEL = "json-model"
#: What llama.cpp's server answers to ``response_format: json_schema`` (HTTP 500).
LLAMA_CPP_REFUSAL = 'response_format type must be one of "text" or "json_object", but got: json_schema'
SCHEMA = decision_schema(["agent1", "agent2"], max_length=80)
DECISION = '{"decision": {"action": "vote", "agent_id": "agent2", "reason": "clear"}}'


def _chat(body: dict[str, Any]) -> Any:
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    return response_format["json_schema"]["schema"]


def _responses(body: dict[str, Any]) -> Any:
    text_format = body["text"]["format"]
    assert (text_format["type"], text_format["strict"]) == ("json_schema", True)
    return text_format["schema"]


def _claude(body: dict[str, Any]) -> Any:
    output_format = body["output_config"]["format"]
    assert output_format["type"] == "json_schema"
    return output_format["schema"]


def _gemini(body: dict[str, Any]) -> Any:
    generation = body["generationConfig"]
    assert generation["responseMimeType"] == "application/json"
    return generation["responseJsonSchema"]


@pytest.mark.parametrize(("family", "schema_of"), [
    ("chatcompletion", _chat), ("openai", _responses), ("claude", _claude), ("gemini", _gemini),
])
async def test_the_schema_goes_in_the_native_field_and_the_json_comes_back_as_text(
    fake, make_backend, family, schema_of
) -> None:
    fake.script(MODEL, Reply(Text(DECISION, chunk=9)))
    backend = make_backend(family, MODEL)
    events = [event async for event in backend.stream(QUESTION, [], output_schema=SCHEMA)]
    assert done(events).message.content == DECISION
    sent = schema_of(fake.requests_for(MODEL)[0].body)
    assert sent == without_length_bounds(SCHEMA)  # strict modes take no maxLength
    assert sent["properties"]["decision"]["anyOf"][1]["properties"]["agent_id"]["enum"] == ["agent1", "agent2"]


@pytest.mark.parametrize("family", ["chatcompletion", "openai", "claude", "gemini"])
async def test_without_a_schema_no_json_mode_is_requested(fake, make_backend, family) -> None:
    fake.script(MODEL, Reply(Text("4")))
    backend = make_backend(family, MODEL)
    [event async for event in backend.stream(QUESTION, [])]
    body = fake.requests_for(MODEL)[0].body
    assert "response_format" not in body and "output_config" not in body
    assert "format" not in body.get("text", {})
    assert "responseJsonSchema" not in body.get("generationConfig", {})


async def test_a_server_refusing_json_schema_gets_json_object_with_the_schema_once_and_for_good(
    fake, make_backend
) -> None:
    fake.script(MODEL, Reply(HttpError(500, LLAMA_CPP_REFUSAL)), Reply(Text(DECISION)), Reply(Text(DECISION)))
    backend = make_backend("chatcompletion", MODEL)
    first = [event async for event in backend.stream(QUESTION, [], output_schema=SCHEMA)]
    second = [event async for event in backend.stream(QUESTION, [], output_schema=SCHEMA)]

    assert done(first).message.content == done(second).message.content == DECISION
    formats = [request.body["response_format"]["type"] for request in fake.requests_for(MODEL)]
    assert formats == ["json_schema", "json_object", "json_object"]  # json_schema is not tried again
    fallback = fake.requests_for(MODEL)[1]
    assert fallback.body["response_format"]["schema"] == SCHEMA  # llama.cpp turns it into a grammar
    assert "json_schema" not in fallback.body
    system = fallback.body["messages"][0]
    assert system["role"] == "system" and system["content"].startswith("You are agent one.\n\n")
    assert system["content"].endswith(json.dumps(SCHEMA, separators=(",", ":")))
    assert [e.message for e in first if isinstance(e, BackendNotice)] == [
        "json_schema refused by the server; using json_object with the schema in the prompt"]
    assert not [e for e in second if isinstance(e, BackendNotice)]


async def test_a_server_refusing_json_object_too_fails_at_once_naming_the_parameter(fake, make_backend) -> None:
    fake.script(MODEL, Reply(HttpError(500, LLAMA_CPP_REFUSAL)),
                Reply(HttpError(400, "Unsupported value: response_format.type 'json_object'")), Reply(Text("unused")))
    backend = make_backend("chatcompletion", MODEL)
    with pytest.raises(ProviderError) as info:
        [e async for e in stream_with_retry(backend, QUESTION, [], output_schema=SCHEMA, sleep=Sleeps())]
    assert not info.value.transient
    assert info.value.message.startswith("the server does not accept the request parameter response_format: ")
    assert len(fake.requests_for(MODEL)) == 2
