"""Turning a model's streamed tool-call argument text into a :class:`ToolCall`.

Models sometimes emit invalid JSON for tool arguments. That must never crash a
stream: the call still arrives, with ``arguments={}`` and ``parse_error`` saying
what was wrong, so the coordinator can tell the model and let it try again.
"""

from __future__ import annotations

import json

from .base import ToolCall


def tool_call_from_json(call_id: str, name: str, raw_arguments: str) -> ToolCall:
    """Build a complete tool call from its JSON argument text (empty text means no arguments)."""
    if not raw_arguments.strip():
        return ToolCall(id=call_id, name=name, arguments={}, raw_arguments=raw_arguments)
    try:
        parsed = json.loads(raw_arguments)
    except json.JSONDecodeError as exc:
        return ToolCall(
            id=call_id, name=name, arguments={}, raw_arguments=raw_arguments,
            parse_error=f"arguments are not valid JSON: {exc}",
        )
    if not isinstance(parsed, dict):
        return ToolCall(
            id=call_id, name=name, arguments={}, raw_arguments=raw_arguments,
            parse_error="arguments must be a JSON object",
        )
    return ToolCall(id=call_id, name=name, arguments=parsed, raw_arguments=raw_arguments)
