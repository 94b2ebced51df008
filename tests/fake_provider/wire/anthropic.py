"""Anthropic Messages streaming: named events (the SDK dispatches on the ``event:`` name)."""

from __future__ import annotations

from typing import Any

from ..script import CallTool
from .base import Encoder, fragments, sse

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}


class AnthropicEncoder(Encoder):
    """Content blocks (thinking, text, tool_use) opened and closed as the steps change kind."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.index = -1
        self.open_kind: str | None = None

    @staticmethod
    def error_body(status: int, message: str) -> dict[str, Any]:
        kind = _ERROR_TYPES.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}

    def _event(self, kind: str, **fields: Any) -> bytes:
        return sse({"type": kind, **fields}, kind)

    def _open(self, kind: str, block: dict[str, Any]) -> bytes:
        """Start a new content block, closing the open one first."""
        events = self._close()
        self.index += 1
        self.open_kind = kind
        return events + self._event("content_block_start", index=self.index, content_block=block)

    def _close(self) -> bytes:
        if self.open_kind is None:
            return b""
        events = b""
        if self.open_kind == "thinking":
            signature = {"type": "signature_delta", "signature": f"fake-signature-{self.serial}-{self.index}"}
            events += self._event("content_block_delta", index=self.index, delta=signature)
        self.open_kind = None
        return events + self._event("content_block_stop", index=self.index)

    def _delta(self, delta: dict[str, Any]) -> bytes:
        return self._event("content_block_delta", index=self.index, delta=delta)

    def start(self) -> bytes:
        message = {
            "id": f"msg_fake_{self.serial}",
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": self.usage.input_tokens, "output_tokens": 1},
        }
        return self._event("message_start", message=message) + self._event("ping")

    def text(self, piece: str) -> bytes:
        events = b"" if self.open_kind == "text" else self._open("text", {"type": "text", "text": ""})
        return events + self._delta({"type": "text_delta", "text": piece})

    def reasoning(self, piece: str) -> bytes:
        block = {"type": "thinking", "thinking": "", "signature": ""}
        events = b"" if self.open_kind == "thinking" else self._open("thinking", block)
        return events + self._delta({"type": "thinking_delta", "thinking": piece})

    def tool_call(self, call: CallTool) -> bytes:
        block = {"type": "tool_use", "id": self.call_id(call, "toolu"), "name": call.name, "input": {}}
        events = self._open("tool_use", block)
        for piece in fragments(call.raw_arguments):
            events += self._delta({"type": "input_json_delta", "partial_json": piece})
        return events + self._close()

    def finish(self, called_tool: bool) -> bytes:
        usage = self.usage
        totals: dict[str, Any] = {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens}
        if usage.reasoning_tokens:
            totals["output_tokens_details"] = {"thinking_tokens": usage.reasoning_tokens}
        delta = {"stop_reason": "tool_use" if called_tool else "end_turn", "stop_sequence": None}
        return self._close() + self._event("message_delta", delta=delta, usage=totals) + self._event("message_stop")

    def malformed(self) -> bytes:
        return b"event: content_block_delta\ndata: {this is not json\n\n"
