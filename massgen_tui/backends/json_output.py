"""Schemas for the providers' structured (JSON) output modes.

The coordinator's decision schemas bound strings with ``maxLength`` (a guard for small local
models, see :mod:`massgen_tui.coordination.structured`). The strict modes of OpenAI, Claude and
Gemini do not accept that keyword, so remote requests send the schema without it.
"""

from __future__ import annotations

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
