"""The encoder interface and the server-sent-event framing shared by every wire format."""

from __future__ import annotations

import abc
import json
import math
from typing import Any

from ..request import FakeRequest
from ..script import CallTool, Usage


def sse(payload: Any, event: str | None = None) -> bytes:
    """One server-sent event: an optional ``event:`` line, then the payload as a ``data:`` line.

    Text with a lone surrogate (which UTF-8 cannot encode) goes as ``\\uXXXX`` escapes: valid JSON.
    """
    head = f"event: {event}\n" if event else ""
    try:
        return f"{head}data: {json.dumps(payload, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()
    except UnicodeEncodeError:
        return f"{head}data: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


def fragments(text: str, count: int = 3) -> list[str]:
    """``text`` split into up to ``count`` consecutive pieces (none for empty text)."""
    size = max(1, math.ceil(len(text) / count))
    return [text[i : i + size] for i in range(0, len(text), size)]


class Encoder(abc.ABC):
    """Turns the steps of one reply into one protocol's stream, event by event.

    ``serial`` numbers the request, so ids (response, message, tool call) are unique and readable;
    ``usage`` is what the reply reports (some protocols announce input tokens up front).
    """

    def __init__(self, request: FakeRequest, serial: int, usage: Usage) -> None:
        self.request = request
        self.model = request.model
        self.serial = serial
        self.usage = usage
        self._calls = 0

    def call_id(self, call: CallTool, prefix: str) -> str:
        """The scripted id of a tool call, or a generated one."""
        self._calls += 1
        return call.id or f"{prefix}_{self.serial}_{self._calls}"

    @staticmethod
    @abc.abstractmethod
    def error_body(status: int, message: str) -> dict[str, Any]:
        """The provider-shaped JSON body of an HTTP error."""

    @abc.abstractmethod
    def start(self) -> bytes:
        """Opening events, sent before the first step."""

    @abc.abstractmethod
    def text(self, piece: str) -> bytes:
        """One piece of visible text."""

    @abc.abstractmethod
    def reasoning(self, piece: str) -> bytes:
        """One piece of reasoning text."""

    @abc.abstractmethod
    def tool_call(self, call: CallTool) -> bytes:
        """A whole tool call, in the protocol's native pieces."""

    @abc.abstractmethod
    def finish(self, called_tool: bool) -> bytes:
        """Closing events, with usage and the stop reason."""

    def malformed(self) -> bytes:
        """A data line that is not JSON."""
        return b"data: {this is not json\n\n"
