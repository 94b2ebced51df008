"""FakeRequest: a frozen snapshot of one request the fake provider received."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .normalise import READERS

Protocol = Literal["chat", "responses", "anthropic", "gemini"]


def _arguments_text(arguments: Any) -> str:
    return arguments if isinstance(arguments, str) else json.dumps(arguments)


@dataclass(frozen=True)
class FakeRequest:
    """One received request, raw and in the protocol-neutral view (see :mod:`.normalise`)."""

    protocol: Protocol
    model: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: Any
    system: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]

    @classmethod
    def parse(
        cls, protocol: Protocol, model: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: Any
    ) -> FakeRequest:
        """Build the snapshot; a body that is not a JSON object gets an empty neutral view."""
        system, messages, tools = READERS[protocol](body) if isinstance(body, dict) else ("", [], [])
        return cls(protocol, model, path, dict(query), dict(headers), body, system, messages, tools)

    @property
    def stream(self) -> bool:
        """Whether the client asked for a streamed answer."""
        if self.protocol == "gemini":
            return ":streamGenerateContent" in self.path
        return isinstance(self.body, dict) and self.body.get("stream") is True

    @property
    def last_user_text(self) -> str:
        return next((m["text"] for m in reversed(self.messages) if m["role"] == "user"), "")

    @property
    def tool_names(self) -> list[str]:
        return [tool["name"] for tool in self.tools]

    def tool(self, name: str) -> dict[str, Any] | None:
        """The offered tool called ``name``, if any."""
        return next((tool for tool in self.tools if tool["name"] == name), None)

    @property
    def prompt_text(self) -> str:
        """Everything the model was given as text: system, messages, tool calls and tool definitions."""
        parts = [self.system]
        for message in self.messages:
            parts.append(message["text"])
            parts.extend(_arguments_text(call["arguments"]) for call in message["tool_calls"])
        parts.append(json.dumps(self.tools) if self.tools else "")
        return "".join(parts)

    @property
    def prompt_tokens(self) -> int:
        """The estimate the server reports as input tokens: a quarter of the prompt's characters."""
        return math.ceil(len(self.prompt_text) / 4)
