"""Which protocol a request path speaks, and the model when the path names it."""

from __future__ import annotations

import re
from typing import NamedTuple

from .request import Protocol

# Matched on the end of the path, so any base-URL prefix works.
_ROUTES: list[tuple[re.Pattern[str], Protocol]] = [
    (re.compile(r"/deployments/(?P<model>[^/]+)/chat/completions$"), "chat"),  # Azure
    (re.compile(r"/chat/completions$"), "chat"),
    (re.compile(r"/responses$"), "responses"),
    (re.compile(r"/messages$"), "anthropic"),
    (re.compile(r"/models/(?P<model>[^/:]+):(?:stream)?[gG]enerateContent$"), "gemini"),
]


class Route(NamedTuple):
    protocol: Protocol
    model: str | None


def route(path: str) -> Route | None:
    """The protocol of ``path`` (and the model, for Azure deployments and Gemini), or None."""
    for pattern, protocol in _ROUTES:
        match = pattern.search(path)
        if match:
            return Route(protocol, match.groupdict().get("model"))
    return None
