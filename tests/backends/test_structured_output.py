"""Each remote family asks for JSON decisions through its provider's native structured output."""

from __future__ import annotations

from typing import Any

import pytest

from massgen_tui.backends.json_output import without_length_bounds
from massgen_tui.coordination.structured import decision_schema
from tests.backends.streams import QUESTION, done
from tests.fake_provider import Reply, Text

MODEL = "json-model"
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
