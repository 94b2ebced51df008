"""OpenAI Responses API streaming (the ``openai`` family).

The conversation goes out as ``instructions`` plus input items: messages,
``function_call`` items for the assistant's tool calls and ``function_call_output``
items for their results. Built-in web search and code interpreter are offered when
configured, and their activity is shown as reasoning lines.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

import openai

from ..config.model import BackendConfig
from .base import (
    Backend,
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
from .chat_completions import NO_KEY
from .json_output import strict_json_schema
from .openai_errors import provider_error, stream_error
from .tls import shared_tls_context
from .tool_args import tool_call_from_json

_REASONING_DELTAS = frozenset({"response.reasoning_summary_text.delta", "response.reasoning_text.delta"})
_FINISHED = frozenset({"response.completed", "response.incomplete"})


class OpenAIResponsesBackend(Backend):
    """Streams ``responses.create`` (OpenAI, or any server speaking the Responses API)."""

    family = "openai"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self._client = openai.AsyncOpenAI(
            api_key=config.api_key or NO_KEY,
            base_url=config.base_url,
            max_retries=0,
            http_client=openai.DefaultAsyncHttpxClient(verify=shared_tls_context()),
        )

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one response: text, reasoning and tool calls as they complete, then usage and Done."""
        text: list[str] = []
        calls: dict[str, ToolCall] = {}
        finished: Any = None
        try:
            events = await self._client.responses.create(**self._request(messages, tools, output_schema))
            async with events:
                async for event in events:
                    kind = event.type
                    if kind == "response.output_text.delta":
                        text.append(event.delta)
                        yield TextChunk(event.delta)
                    elif kind in _REASONING_DELTAS:
                        yield ReasoningChunk(event.delta)
                    elif kind == "response.reasoning_summary_part.added" and (event.summary_index or 0) > 0:
                        yield ReasoningChunk("\n\n")
                    elif kind == "response.output_item.done":
                        for out in _item_events(event.item, calls):
                            yield out
                    elif kind in _FINISHED:
                        finished = event.response
                    elif kind == "response.failed":
                        error = event.response.error
                        raise stream_error(error.message if error else "the response failed", error and error.code)
                    elif kind == "error":
                        raise stream_error(event.message or "the provider reported an error", event.code)
        except (openai.APIError, json.JSONDecodeError) as exc:
            raise provider_error(exc, url=str(self._client.base_url)) from exc
        if finished is None:
            raise ProviderError("the stream ended before the response was complete", transient=True)
        # Some servers only list function calls in the final response.
        for item in finished.output or ():
            if item.type == "function_call" and _call_id(item) not in calls:
                yield _record_call(item, calls)
        if finished.usage is not None:
            yield _usage_report(finished.usage)
        details = finished.incomplete_details
        stop_reason = (details and details.reason) or finished.status or ""
        message = Message(role="assistant", content="".join(text), tool_calls=list(calls.values()))
        yield Done(message=message, stop_reason=stop_reason)

    def _request(
        self, messages: list[Message], tools: list[ToolSpec], output_schema: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        config = self.config
        request: dict[str, Any] = {"model": config.model, "stream": True}
        if messages and messages[0].role == "system":
            request["instructions"] = messages[0].content
            messages = messages[1:]
        request["input"] = [item for message in messages for item in _input_items(message)]
        wire_tools = [_wire_tool(t) for t in tools] + _builtin_tools(config)
        if wire_tools:
            request["tools"] = wire_tools
        reasoning = {
            key: value
            for key, value in (("effort", config.reasoning_effort), ("summary", config.reasoning_summary))
            if value
        }
        if reasoning:
            request["reasoning"] = reasoning
        text: dict[str, Any] = {}
        if config.text_verbosity:
            text["verbosity"] = config.text_verbosity
        if output_schema is not None:
            text["format"] = {"type": "json_schema", **strict_json_schema(output_schema)}
        if text:
            request["text"] = text
        for ours, theirs in (("temperature", "temperature"), ("top_p", "top_p"), ("max_tokens", "max_output_tokens")):
            value = getattr(config, ours)
            if value is not None:
                request[theirs] = value
        return request

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.close()


def _item_events(item: Any, calls: dict[str, ToolCall]) -> list[StreamEvent]:
    """Events for one finished output item: a tool call, or a line about built-in tool use."""
    if item.type == "function_call":
        return [_record_call(item, calls)]
    if item.type == "web_search_call":
        action = item.action
        query = getattr(action, "query", None) or getattr(action, "url", None) or ""
        return [ReasoningChunk(f"\n[web search] {query}\n")]
    if item.type == "code_interpreter_call":
        return [ReasoningChunk(f"\n[code interpreter]\n{item.code or ''}\n")]
    return []


def _record_call(item: Any, calls: dict[str, ToolCall]) -> ToolCall:
    call = tool_call_from_json(_call_id(item), item.name or "", item.arguments or "")
    calls[call.id] = call
    return call


def _call_id(item: Any) -> str:
    return item.call_id or item.id or ""


def _input_items(message: Message) -> list[dict[str, Any]]:
    if message.role == "tool":
        return [{"type": "function_call_output", "call_id": message.tool_call_id, "output": message.content}]
    items: list[dict[str, Any]] = []
    if message.content or not message.tool_calls:
        items.append({"role": message.role, "content": message.content})
    for call in message.tool_calls:
        items.append({
            "type": "function_call",
            "call_id": call.id,
            "name": call.name,
            "arguments": call.raw_arguments or json.dumps(call.arguments),
        })
    return items


def _wire_tool(tool: ToolSpec) -> dict[str, Any]:
    return {
        "type": "function",
        "name": tool.name,
        "description": tool.description,
        "parameters": tool.parameters,
        "strict": False,
    }


def _builtin_tools(config: BackendConfig) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    if config.enable_web_search:
        tools.append({"type": "web_search"})
    if config.enable_code_interpreter or config.enable_code_execution:
        tools.append({"type": "code_interpreter", "container": {"type": "auto"}})
    return tools


def _usage_report(usage: Any) -> UsageReport:
    output_details = usage.output_tokens_details
    input_details = usage.input_tokens_details
    return UsageReport(
        input_tokens=usage.input_tokens or 0,
        output_tokens=usage.output_tokens or 0,
        reasoning_tokens=(output_details and output_details.reasoning_tokens) or 0,
        cached_tokens=(input_details and input_details.cached_tokens) or 0,
    )
