"""Turning a model's streamed tool-call argument text into a :class:`ToolCall`.

Models sometimes emit invalid JSON for tool arguments. That must never crash a
stream: the call still arrives, with ``arguments={}`` and ``parse_error`` saying
what was wrong, so the coordinator can tell the model and let it try again.
"""

from __future__ import annotations

import json
from typing import Any

from .base import ToolCall

#: Deeper tool-call arguments are refused (as a reply the model is told about); no real tool needs them.
MAX_ARGUMENT_DEPTH = 64
TOO_DEEP = f"arguments are nested more than {MAX_ARGUMENT_DEPTH} levels deep"


def nesting_depth(value: Any, limit: int = MAX_ARGUMENT_DEPTH) -> int:
    """How deeply lists and objects nest in ``value`` (counted without recursion, up to ``limit + 1``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth > limit:
                return depth
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def bounded_call(call_id: str, name: str, arguments: dict[str, Any], *, with_raw: bool = True) -> ToolCall:
    """A tool call from arguments an SDK already parsed (``with_raw``: their JSON as ``raw_arguments``);
    refused (``parse_error``) when nested too deeply."""
    if nesting_depth(arguments) > MAX_ARGUMENT_DEPTH:
        return _too_deep(call_id, name)
    raw = json.dumps(arguments, ensure_ascii=False) if with_raw else ""
    return ToolCall(id=call_id, name=name, arguments=arguments, raw_arguments=raw)


def tool_call_from_json(call_id: str, name: str, raw_arguments: str) -> ToolCall:
    """Build a complete tool call from its JSON argument text (empty text means no arguments)."""
    if not raw_arguments.strip():
        return ToolCall(id=call_id, name=name, arguments={}, raw_arguments=raw_arguments)
    try:
        parsed = json.loads(raw_arguments)
    except RecursionError:
        return _too_deep(call_id, name)
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
    if nesting_depth(parsed) > MAX_ARGUMENT_DEPTH:
        return _too_deep(call_id, name)
    return ToolCall(id=call_id, name=name, arguments=parsed, raw_arguments=raw_arguments)


def _too_deep(call_id: str, name: str) -> ToolCall:
    """A refused call; its text is not kept (replayed to the provider, it could fail there too)."""
    return ToolCall(id=call_id, name=name, arguments={}, raw_arguments="{}", parse_error=TOO_DEEP)
