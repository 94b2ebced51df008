"""Schemas for the providers' structured (JSON) output modes.

The coordinator's decision schemas bound strings with ``maxLength`` (a guard for small local
models, see :mod:`massgen_tui.coordination.structured`). The strict modes of OpenAI, Claude and
Gemini do not accept that keyword, so remote requests send the schema without it.

Servers that refuse ``json_schema`` (llama.cpp's servers answer HTTP 500) get JSON mode instead:
:func:`json_object_format` carries the schema in the ``schema`` field that llama.cpp's server and
llama-cpp-python's turn into a grammar, and :func:`schema_instruction` states it in the prompt.
The length bounds stay there: those servers' grammars enforce them.
"""

from __future__ import annotations

import json
from typing import Any

#: The name OpenAI's ``json_schema`` formats require.
SCHEMA_NAME = "workflow_decision"


def without_length_bounds(schema: Any) -> Any:
    """``schema`` without ``maxLength``, at every depth."""
    if isinstance(schema, dict):
        return {key: without_length_bounds(value) for key, value in schema.items() if key != "maxLength"}
    if isinstance(schema, list):
        return [without_length_bounds(item) for item in schema]
    return schema


def strict_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAI's ``json_schema`` format body: name, strict, and the schema without length bounds."""
    return {"name": SCHEMA_NAME, "strict": True, "schema": without_length_bounds(schema)}


def json_object_format(schema: dict[str, Any]) -> dict[str, Any]:
    """The ``response_format`` of JSON mode, with the schema where llama.cpp's servers read it."""
    return {"type": "json_object", "schema": schema}


def schema_instruction(schema: dict[str, Any]) -> str:
    """The prompt text that states ``schema`` to a model in plain JSON mode."""
    return f"Reply with one JSON object that matches this JSON schema:\n{json.dumps(schema, separators=(',', ':'))}"
