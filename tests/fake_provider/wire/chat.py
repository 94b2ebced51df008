"""OpenAI Chat Completions streaming: ``data:`` chunks, then ``data: [DONE]``."""

from __future__ import annotations

import time
from typing import Any

from ..script import CallTool
from .base import Encoder, fragments, sse


class ChatEncoder(Encoder):
    """Chat completion chunks; reasoning goes in ``delta.reasoning_content``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.id = f"chatcmpl-fake-{self.serial}"
        self.created = int(time.time())
        self.tool_index = 0

    @staticmethod
    def error_body(status: int, message: str) -> dict[str, Any]:
        kind = "server_error" if status >= 500 else "invalid_request_error"
        code = {401: "invalid_api_key", 404: "model_not_found", 429: "rate_limit_exceeded"}.get(status)
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}

    def _chunk(self, choices: list[dict[str, Any]], **extra: Any) -> bytes:
        head = {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model}
        return sse({**head, "choices": choices, **extra})

    def _delta(self, delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
        return self._chunk([{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}])

    def start(self) -> bytes:
        return self._delta({"role": "assistant", "content": ""})

    def text(self, piece: str) -> bytes:
        return self._delta({"content": piece})

    def reasoning(self, piece: str) -> bytes:
        return self._delta({"reasoning_content": piece})

    def tool_call(self, call: CallTool) -> bytes:
        index = self.tool_index
        self.tool_index += 1
        head = {"index": index, "id": self.call_id(call, "call"), "type": "function"}
        events = [self._delta({"tool_calls": [{**head, "function": {"name": call.name, "arguments": ""}}]})]
        events += [
            self._delta({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
            for piece in fragments(call.raw_arguments)
        ]
        return b"".join(events)

    def finish(self, called_tool: bool) -> bytes:
        usage = self.usage
        events = [self._delta({}, "tool_calls" if called_tool else "stop")]
        if (self.request.body.get("stream_options") or {}).get("include_usage"):
            totals = {
                "prompt_tokens": usage.input_tokens,
                "completion_tokens": usage.output_tokens,
                "total_tokens": usage.input_tokens + usage.output_tokens,
                "completion_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
            }
            events.append(self._chunk([], usage=totals))
        events.append(b"data: [DONE]\n\n")
        return b"".join(events)
