"""How a tool call reads in an agent's panel: one summary line, and detail lines shown when expanded.

The summary names the server and tool (``mcp__{server}__{tool}`` becomes ``server › tool``), its
state right after the name (so a narrow panel still shows it), and short arguments; the details
hold the full arguments, pretty-printed, and the full result.
"""

from __future__ import annotations

import json
from typing import Any

from massgen_tui.tools.tool_names import PREFIX

RUNNING = "…"
_VALUE_LIMIT = 40
_ARGUMENTS_LIMIT = 160
_INDENT = "    "


def display_name(name: str) -> str:
    """``server › tool`` for an MCP tool's exposed name, else the name itself."""
    if name.startswith(PREFIX):
        server, _, tool = name[len(PREFIX):].partition("__")
        if tool:
            return f"{server} › {tool}"
    return name


def short_arguments(arguments: dict[str, Any]) -> str:
    """``key=value`` pairs on one line, each value (as JSON) and the whole cut with an ellipsis."""
    pairs = []
    for key, value in arguments.items():
        text = " ".join(json.dumps(value, ensure_ascii=False).split())
        if len(text) > _VALUE_LIMIT:
            text = text[: _VALUE_LIMIT - 1] + "…"
        pairs.append(f"{key}={text}")
    joined = " ".join(pairs)
    return joined if len(joined) <= _ARGUMENTS_LIMIT else joined[: _ARGUMENTS_LIMIT - 1] + "…"


def state_text(*, finished: bool, is_error: bool = False, duration: float = 0.0) -> str:
    """``…`` while running; ``✓``/``✗`` with the duration once finished."""
    if not finished:
        return RUNNING
    took = f" {duration:.1f}s" if duration else ""
    return ("✗ error" if is_error else "✓ ok") + took


def summary_line(name: str, arguments: dict[str, Any], state: str) -> str:
    """The one line a call shows when collapsed."""
    shown = short_arguments(arguments)
    return f"⚙ {display_name(name)} {state}" + (f"  {shown}" if shown else "")


def detail_lines(arguments: dict[str, Any], result: str | None, *, is_error: bool = False) -> list[str]:
    """Full arguments and, once there is one, the full result, indented under the summary."""
    lines = [f"{_INDENT}arguments:"]
    pretty = json.dumps(arguments, ensure_ascii=False, indent=2) if arguments else "(none)"
    lines += [_INDENT + "  " + line for line in pretty.split("\n")]
    if result is not None:
        lines.append(f"{_INDENT}{'error' if is_error else 'result'}:")
        lines += [_INDENT + "  " + line for line in (result.split("\n") if result else ["(empty)"])]
    return lines
