"""OpenAI Chat Completions streaming, for OpenAI and every OpenAI-compatible server.

Serves the ``chatcompletion`` family: grok, zai, cerebras, together, fireworks, groq,
nebius, openrouter, lmstudio, vllm, sglang, ollama and any other ``base_url``.

Two fallbacks, each taken once and kept for the rest of the session: a server that refuses
``stream_options`` is asked again without it, and one that refuses ``response_format:
json_schema`` (llama.cpp's servers answer HTTP 500) gets JSON mode with the schema in
``response_format.schema`` and in the prompt (see :mod:`massgen_tui.backends.json_output`).
llama.cpp's own top-level ``json_schema`` field is not sent: it does nothing more there, and
servers that check their parameters (OpenAI among them) refuse unknown ones.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

import openai

from ..config.model import BackendConfig
from .base import (
    Backend,
    BackendNotice,
    Done,
    Message,
    ProviderError,
    ReasoningChunk,
    StreamEvent,
    TextChunk,
    ToolCall,
    ToolSpec,
    UsageReport,
)
from .json_output import json_object_format, schema_instruction, strict_json_schema
from .openai_errors import provider_error, refused_parameter
from .tls import shared_tls_context
from .tool_args import tool_call_from_json

#: Sent as the key to servers that need none (the SDK refuses an empty key).
NO_KEY = "not-needed"

#: What the user is told when a server refuses ``json_schema``.
JSON_MODE_NOTICE = "json_schema refused by the server; using json_object with the schema in the prompt"
#: Fields OpenAI-compatible servers use for reasoning text (vLLM may send both, equal).
_REASONING_FIELDS = ("reasoning_content", "reasoning")


class ChatCompletionsBackend(Backend):
    """Streams ``chat.completions.create`` on any OpenAI-compatible ``base_url``."""

    family = "chatcompletion"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self._client = self._make_client()
        #: Cleared once a server rejects ``stream_options``; it is then never sent again.
        self._send_stream_options = True
        #: Set once a server rejects ``response_format: json_schema``; JSON mode is used from then on.
        self._json_mode = False

    def _make_client(self) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(
            api_key=self.config.api_key or NO_KEY,
            base_url=self.config.base_url,
            max_retries=0,
            http_client=openai.DefaultAsyncHttpxClient(verify=shared_tls_context()),
        )

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one completion: text and reasoning as they come, then tool calls, usage, Done."""
        reply = _Reply()
        json_mode = self._json_mode
        try:
            chunks = await self._open(messages, tools, output_schema)
            if self._json_mode and not json_mode:
                yield BackendNotice(JSON_MODE_NOTICE)
            async with chunks:
                async for chunk in chunks:
                    for event in reply.take(chunk):
                        yield event
        except (openai.APIError, json.JSONDecodeError) as exc:
            raise provider_error(exc, url=str(self._client.base_url)) from exc
        if not reply.finish_reason:
            raise ProviderError("the stream ended before the response was complete", transient=True)
        for event in reply.finish():
            yield event

    async def _open(
        self, messages: list[Message], tools: list[ToolSpec], output_schema: dict[str, Any] | None
    ) -> openai.AsyncStream[Any]:
        """Start the stream, dropping ``stream_options`` or ``json_schema`` (once each) when refused."""
        while True:
            try:
                # The request sets ``stream: True``; passed as ``**kwargs`` it picks no overload, so say so here.
                stream: openai.AsyncStream[Any] = await self._client.chat.completions.create(
                    **self._request(messages, tools, output_schema)
                )
                return stream
            except openai.APIStatusError as exc:
                refused = refused_parameter(exc)
                if refused == "stream_options" and self._send_stream_options:
                    self._send_stream_options = False
                elif refused == "response_format" and output_schema is not None and not self._json_mode:
                    self._json_mode = True
                else:
                    raise

    def _request(
        self, messages: list[Message], tools: list[ToolSpec], output_schema: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        config = self.config
        wire_messages = [_wire_message(m) for m in messages]
        request: dict[str, Any] = {"model": config.model, "messages": wire_messages, "stream": True}
        if self._send_stream_options:
            request["stream_options"] = {"include_usage": True}
        if tools:
            request["tools"] = [_wire_tool(t) for t in tools]
        for key in ("temperature", "max_tokens", "top_p", "reasoning_effort"):
            value = getattr(config, key)
            if value is not None:
                request[key] = value
        if output_schema is not None and self._json_mode:
            request["response_format"] = json_object_format(output_schema)
            request["messages"] = _with_instruction(wire_messages, schema_instruction(output_schema))
        elif output_schema is not None:
            request["response_format"] = {"type": "json_schema", "json_schema": strict_json_schema(output_schema)}
        return request

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.close()


@dataclass(slots=True)
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Reply:
    """Accumulates one streamed reply.

    Tool calls arrive as deltas keyed by ``index``: the first carries id and name, the
    rest argument fragments. (The SDK's ``ChatCompletionStreamState`` re-serialises the
    whole snapshot on every chunk and concatenates repeated ids, so it is not used.)
    """

    text: list[str] = field(default_factory=list)
    calls: dict[int, _PartialCall] = field(default_factory=dict)
    finish_reason: str = ""
    usage: Any = None

    def take(self, chunk: Any) -> list[StreamEvent]:
        """Absorb one chunk; return the text and reasoning events it carries."""
        events: list[StreamEvent] = []
        if chunk.usage is not None:
            self.usage = chunk.usage
        for choice in chunk.choices:
            delta = choice.delta
            reasoning = _reasoning_of(delta)
            if reasoning:
                events.append(ReasoningChunk(reasoning))
            if delta.content:
                self.text.append(delta.content)
                events.append(TextChunk(delta.content))
            for fragment in delta.tool_calls or ():
                call = self.calls.setdefault(fragment.index, _PartialCall())
                if fragment.id and not call.id:
                    call.id = fragment.id
                if fragment.function is not None:
                    if fragment.function.name and not call.name:
                        call.name = fragment.function.name
                    if fragment.function.arguments:
                        call.arguments.append(fragment.function.arguments)
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
        return events

    def finish(self) -> list[StreamEvent]:
        """The tool calls, the usage report (if the server sent usage) and Done."""
        calls = [
            tool_call_from_json(call.id or f"call_{index}", call.name, "".join(call.arguments))
            for index, call in sorted(self.calls.items())
        ]
        events: list[StreamEvent] = list(calls)
        if self.usage is not None:
            events.append(_usage_report(self.usage))
        message = Message(role="assistant", content="".join(self.text), tool_calls=calls)
        events.append(Done(message=message, stop_reason=self.finish_reason))
        return events


def _reasoning_of(delta: Any) -> str:
    extra = delta.model_extra or {}
    for key in _REASONING_FIELDS:
        value = extra.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _usage_report(usage: Any) -> UsageReport:
    completion_details = usage.completion_tokens_details
    prompt_details = usage.prompt_tokens_details
    return UsageReport(
        input_tokens=usage.prompt_tokens or 0,
        output_tokens=usage.completion_tokens or 0,
        reasoning_tokens=(completion_details and completion_details.reasoning_tokens) or 0,
        cached_tokens=(prompt_details and prompt_details.cached_tokens) or 0,
    )


def _wire_message(message: Message) -> dict[str, Any]:
    if message.role == "tool":
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    if message.role == "assistant" and message.tool_calls:
        return {
            "role": "assistant",
            "content": message.content or None,
            "tool_calls": [_wire_tool_call(call) for call in message.tool_calls],
        }
    return {"role": message.role, "content": message.content}


def _with_instruction(messages: list[dict[str, Any]], instruction: str) -> list[dict[str, Any]]:
    """``messages`` with ``instruction`` ending the first system message (or as one, first).

    Some chat templates accept a system message only at the start, so no second one is added.
    """
    if messages and messages[0]["role"] == "system":
        first = {**messages[0], "content": f"{messages[0]['content']}\n\n{instruction}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]


def _wire_tool_call(call: ToolCall) -> dict[str, Any]:
    arguments = call.raw_arguments or json.dumps(call.arguments)
    return {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": arguments}}


def _wire_tool(tool: ToolSpec) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters},
    }
