"""OpenAI Responses streaming: typed ``event:``/``data:`` pairs with a rising ``sequence_number``."""

from __future__ import annotations

import time
from typing import Any

from ..script import CallTool
from .base import Encoder, fragments, sse
from .chat import ChatEncoder


class ResponsesEncoder(Encoder):
    """Output items (reasoning, message, function_call) opened and closed as the steps change kind."""

    error_body = staticmethod(ChatEncoder.error_body)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.sequence = 0
        self.created_at = time.time()
        self.output: list[dict[str, Any]] = []
        self.open_kind: str | None = None
        self.open_text = ""

    def _event(self, kind: str, **fields: Any) -> bytes:
        payload = {"type": kind, "sequence_number": self.sequence, **fields}
        self.sequence += 1
        return sse(payload, kind)

    def _response(self, status: str, usage: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "id": f"resp_fake_{self.serial}",
            "object": "response",
            "created_at": self.created_at,
            "model": self.model,
            "status": status,
            "output": list(self.output),
            "parallel_tool_calls": True,
            "tool_choice": self.request.body.get("tool_choice", "auto"),
            "tools": self.request.body.get("tools", []),
            "usage": usage,
        }

    @property
    def _item_id(self) -> str:
        prefix = {"message": "msg", "reasoning": "rs", "function_call": "fc"}
        return f"{prefix[self.open_kind or 'message']}_{self.serial}_{len(self.output)}"

    def _where(self) -> dict[str, Any]:
        return {"item_id": self._item_id, "output_index": len(self.output)}

    def _open(self, kind: str) -> bytes:
        """Make ``kind`` the open item, closing another open one first."""
        if self.open_kind == kind:
            return b""
        events = self._close()
        self.open_kind, self.open_text = kind, ""
        index = len(self.output)
        if kind == "message":
            item = {"id": self._item_id, "type": "message", "role": "assistant", "status": "in_progress", "content": []}
            part = {"type": "output_text", "text": "", "annotations": []}
            events += self._event("response.output_item.added", output_index=index, item=item)
            events += self._event("response.content_part.added", **self._where(), content_index=0, part=part)
        else:
            item = {"id": self._item_id, "type": "reasoning", "summary": []}
            part = {"type": "summary_text", "text": ""}
            events += self._event("response.output_item.added", output_index=index, item=item)
            events += self._event("response.reasoning_summary_part.added", **self._where(), summary_index=0, part=part)
        return events

    def _close(self) -> bytes:
        """Close the open message or reasoning item, if any, and add it to the output."""
        if self.open_kind is None:
            return b""
        text, where = self.open_text, self._where()
        if self.open_kind == "message":
            part = {"type": "output_text", "text": text, "annotations": []}
            item = {"id": where["item_id"], "type": "message", "role": "assistant", "status": "completed"}
            item["content"] = [part]
            events = self._event("response.output_text.done", **where, content_index=0, text=text, logprobs=[])
            events += self._event("response.content_part.done", **where, content_index=0, part=part)
        else:
            part = {"type": "summary_text", "text": text}
            item = {"id": where["item_id"], "type": "reasoning", "summary": [part]}
            events = self._event("response.reasoning_summary_text.done", **where, summary_index=0, text=text)
            events += self._event("response.reasoning_summary_part.done", **where, summary_index=0, part=part)
        events += self._event("response.output_item.done", output_index=where["output_index"], item=item)
        self.output.append(item)
        self.open_kind = None
        return events

    def start(self) -> bytes:
        return self._event("response.created", response=self._response("in_progress")) + self._event(
            "response.in_progress", response=self._response("in_progress")
        )

    def text(self, piece: str) -> bytes:
        events = self._open("message")
        self.open_text += piece
        delta = self._event("response.output_text.delta", **self._where(), content_index=0, delta=piece, logprobs=[])
        return events + delta

    def reasoning(self, piece: str) -> bytes:
        events = self._open("reasoning")
        self.open_text += piece
        delta = self._event("response.reasoning_summary_text.delta", **self._where(), summary_index=0, delta=piece)
        return events + delta

    def tool_call(self, call: CallTool) -> bytes:
        events = self._close()
        self.open_kind = "function_call"
        where = self._where()
        item = {
            "id": where["item_id"],
            "type": "function_call",
            "call_id": self.call_id(call, "call"),
            "name": call.name,
            "arguments": "",
            "status": "in_progress",
        }
        arguments = call.raw_arguments
        events += self._event("response.output_item.added", output_index=where["output_index"], item=item)
        for piece in fragments(arguments):
            events += self._event("response.function_call_arguments.delta", **where, delta=piece)
        events += self._event("response.function_call_arguments.done", **where, name=call.name, arguments=arguments)
        item = {**item, "arguments": arguments, "status": "completed"}
        events += self._event("response.output_item.done", output_index=where["output_index"], item=item)
        self.output.append(item)
        self.open_kind = None
        return events

    def finish(self, called_tool: bool) -> bytes:
        usage = self.usage
        events = self._close()
        totals = {
            "input_tokens": usage.input_tokens,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": usage.output_tokens,
            "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
            "total_tokens": usage.input_tokens + usage.output_tokens,
        }
        return events + self._event("response.completed", response=self._response("completed", totals))

    def malformed(self) -> bytes:
        return b"event: response.output_text.delta\ndata: {this is not json\n\n"
