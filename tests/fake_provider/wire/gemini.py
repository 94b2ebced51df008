"""Gemini ``streamGenerateContent?alt=sse``: plain ``data:`` lines, each a whole camelCase response."""

from __future__ import annotations

import json
from typing import Any

from ..script import CallTool
from .base import Encoder, sse

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class GeminiEncoder(Encoder):
    """One response per step; the last one carries ``finishReason`` and ``usageMetadata``.

    Gemini counts thoughts apart from candidates, so ``candidatesTokenCount`` is the scripted
    output minus reasoning, and candidates + thoughts add up to the same output as elsewhere.
    """

    @staticmethod
    def error_body(status: int, message: str) -> dict[str, Any]:
        return {"error": {"code": status, "message": message, "status": _STATUS_NAMES.get(status, "UNKNOWN")}}

    def _response(self, part: dict[str, Any], **extra: Any) -> bytes:
        candidate = {"content": {"parts": [part], "role": "model"}, "index": 0}
        if "finishReason" in extra:
            candidate["finishReason"] = extra.pop("finishReason")
        return sse(
            {"candidates": [candidate], "modelVersion": self.model, "responseId": f"fake-{self.serial}", **extra}
        )

    def start(self) -> bytes:
        return b""

    def text(self, piece: str) -> bytes:
        return self._response({"text": piece})

    def reasoning(self, piece: str) -> bytes:
        return self._response({"text": piece, "thought": True})

    def tool_call(self, call: CallTool) -> bytes:
        """``args`` is an object; a scripted string that is not JSON goes out as that string."""
        args: Any = call.arguments
        if isinstance(args, str):
            try:
                args = json.loads(args)
            except ValueError:
                pass
        function_call = {"name": call.name, "args": args}
        if call.id:
            function_call["id"] = call.id
        return self._response({"functionCall": function_call})

    def finish(self, called_tool: bool) -> bytes:
        usage = self.usage
        metadata = {
            "promptTokenCount": usage.input_tokens,
            "candidatesTokenCount": max(usage.output_tokens - usage.reasoning_tokens, 0),
            "totalTokenCount": usage.input_tokens + usage.output_tokens,
        }
        if usage.reasoning_tokens:
            metadata["thoughtsTokenCount"] = usage.reasoning_tokens
        return self._response({"text": ""}, finishReason="STOP", usageMetadata=metadata)
