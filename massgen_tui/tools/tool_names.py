"""The names a model sees for MCP tools, and the ``allowed_tools`` / ``exclude_tools`` filters over them."""

from __future__ import annotations

import hashlib
import re

from massgen_tui.config.model import BackendConfig, McpServerConfig

PREFIX = "mcp__"
#: What every provider accepts in a function name (OpenAI, Anthropic and Gemini agree on this much).
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_MAX_LENGTH = 64


def exposed_name(server: str, tool: str) -> str:
    """``mcp__{server}__{tool}``, with characters providers refuse made ``_`` and at most 64 characters.

    A name cut to length ends in a short hash of the full name, so two long names stay apart.
    """
    name = f"{PREFIX}{server}__{_UNSAFE.sub('_', tool)}"
    if len(name) <= _MAX_LENGTH:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[:_MAX_LENGTH - 9]}_{digest}"


def blocked_reason(server: McpServerConfig, backend: BackendConfig, tool: str) -> str:
    """Why ``tool`` of ``server`` is not offered to an agent with ``backend``, or ``""`` when it is.

    The server's lists apply first, then the backend's; each entry may be the bare tool name or the
    prefixed ``mcp__{server}__{tool}``.
    """
    names = {tool, f"{PREFIX}{server.name}__{tool}", exposed_name(server.name, tool)}
    for owner, lists in (("the server's", server), ("the backend's", backend)):
        if lists.exclude_tools and names & set(lists.exclude_tools):
            return f"excluded by {owner} exclude_tools"
        if lists.allowed_tools is not None and not names & set(lists.allowed_tools):
            return f"not in {owner} allowed_tools"
    return ""
