"""Claude through the Anthropic Messages API (``anthropic.AsyncAnthropic``).

The conversation is sent in Claude's native shape: the system prompt apart, tool
results as ``tool_result`` blocks in a user turn, adjacent same-role turns merged.
An assistant turn produced by this backend keeps its content blocks exactly as
received (:class:`ClaudeContent`: thinking blocks with signatures, tool use, server
tool results) and is replayed verbatim, as the API requires when thinking is on.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, Iterator
from dataclasses import dataclass, field
from typing import Any

import anthropic
import httpx2

from ..config.model import BackendConfig
from . import provider_errors
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
    is_transient_status,
)
from .json_output import without_length_bounds
from .retry import retry_after_seconds
from .tls import shared_tls_context
from .tool_args import bounded_call, tool_call_from_json

#: ``max_tokens`` is required by the API; used when the config sets none.
DEFAULT_MAX_TOKENS = 8192
#: Thinking budget for each ``reasoning.effort`` level (models up to Claude 4.5).
THINKING_BUDGETS = {"minimal": 1024, "low": 2048, "medium": 8192, "high": 24576}
#: Models that take ``thinking.budget_tokens``; later ones think adaptively, steered by ``output_config.effort``.
BUDGET_THINKING_MODELS = re.compile(r"claude-(3-7-sonnet|(opus|sonnet|haiku)-4(-[015])?)(-\d{8}|-latest)?")
#: ``reasoning.effort`` -> ``output_config.effort`` for adaptive thinking.
ADAPTIVE_EFFORTS = {"minimal": "low", "low": "low", "medium": "medium", "high": "high"}
WEB_SEARCH_TOOL = {"type": "web_search_20250305", "name": "web_search", "max_uses": 5}
CODE_EXECUTION_TOOL = {"type": "code_execution_20250825", "name": "code_execution"}

#: The HTTP status each error type stands for, for errors sent inside a 200 stream.
_STREAM_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "conflict_error": 409,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}

_SERVER_TOOL_LABELS = {
    "web_search": "web search",
    "web_fetch": "web fetch",
    "code_execution": "code execution",
    "bash_code_execution": "code execution",
    "text_editor_code_execution": "file edit",
}


@dataclass(slots=True)
class ClaudeContent:
    """An assistant turn's content blocks as Claude sent them, replayed verbatim."""

    blocks: list[dict[str, Any]]


class ClaudeBackend(Backend):
    """Streams Claude through ``messages.create(stream=True)``."""

    family = "claude"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self._client = anthropic.AsyncAnthropic(
            api_key=config.api_key,
            base_url=config.base_url,
            max_retries=0,
            http_client=anthropic.DefaultAsyncHttpxClient(verify=shared_tls_context()),
        )

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one Messages API call. Raises :class:`ProviderError` on failure."""
        system, conversation = to_claude_messages(messages)
        turn = _Turn()
        try:
            request = self.request(system, conversation, tools, output_schema)
            events = await self._client.messages.create(stream=True, **request)
            async with events:
                async for event in events:
                    for output in turn.handle(event):
                        yield output
        except (anthropic.AnthropicError, httpx2.TransportError, json.JSONDecodeError) as exc:
            raise provider_error(exc) from exc
        if not turn.finished:
            raise provider_errors.stream_ended_early("message")
        yield turn.usage
        yield Done(message=turn.message(), stop_reason=turn.stop_reason)

    def request(
        self,
        system: str,
        conversation: list[dict[str, Any]],
        tools: list[ToolSpec],
        output_schema: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The keyword arguments of ``messages.create`` for this config (without ``stream``).

        ``output_schema`` goes in ``output_config.format`` (Claude's structured outputs).
        """
        config = self.config
        request: dict[str, Any] = {
            "model": config.model,
            "messages": conversation,
            "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
        }
        if system:
            request["system"] = system
        thinking = self._thinking()
        if thinking:
            request["thinking"] = thinking
            if thinking.get("type") == "adaptive" and config.reasoning_effort:
                effort = config.reasoning_effort.lower()
                request["output_config"] = {"effort": ADAPTIVE_EFFORTS.get(effort, effort)}
            budget = thinking.get("budget_tokens")
            if isinstance(budget, int) and request["max_tokens"] <= budget:
                request["max_tokens"] = budget + DEFAULT_MAX_TOKENS
        sampling = self._sampling(thinking_on=bool(thinking and thinking.get("type") != "disabled"))
        if sampling:
            # The installed SDK has no sampling keywords; the API still takes them in the body.
            request["extra_body"] = sampling
        tool_params: list[dict[str, Any]] = [
            {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools
        ]
        if config.enable_web_search:
            tool_params.append(dict(WEB_SEARCH_TOOL))
        if config.enable_code_execution:
            tool_params.append(dict(CODE_EXECUTION_TOOL))
        if tool_params:
            request["tools"] = tool_params
        if output_schema is not None:
            output_config = request.setdefault("output_config", {})
            output_config["format"] = {"type": "json_schema", "schema": without_length_bounds(output_schema)}
        return request

    def _thinking(self) -> dict[str, Any] | None:
        configured = self.config.extra.get("thinking")
        if isinstance(configured, dict):
            return dict(configured)
        effort = self.config.reasoning_effort
        if not effort:
            return None
        if not BUDGET_THINKING_MODELS.fullmatch(self.config.model.lower()):
            return {"type": "adaptive"}
        return {"type": "enabled", "budget_tokens": THINKING_BUDGETS.get(effort.lower(), THINKING_BUDGETS["medium"])}

    def _sampling(self, *, thinking_on: bool) -> dict[str, float]:
        """Temperature or top_p as the API allows: never both, and with thinking only top_p >= 0.95."""
        temperature, top_p = self.config.temperature, self.config.top_p
        if thinking_on:
            return {"top_p": top_p} if top_p is not None and 0.95 <= top_p <= 1 else {}
        if temperature is not None:
            return {"temperature": temperature}
        return {"top_p": top_p} if top_p is not None else {}

    async def aclose(self) -> None:
        """Close the SDK client's connections."""
        await self._client.close()


def to_claude_messages(messages: list[Message]) -> tuple[str, list[dict[str, Any]]]:
    """The system prompt and the alternating user/assistant turns for ``messages``."""
    system: list[str] = []
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            if message.content:
                system.append(message.content)
            continue
        if message.role == "assistant":
            role, blocks = "assistant", _assistant_blocks(message)
        elif message.role == "tool":
            role, blocks = "user", [_tool_result_block(message)]
        else:
            role, blocks = "user", _text_blocks(message.content)
        if not blocks:
            continue
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": list(blocks)})
    for turn in turns:
        if turn["role"] == "user":
            # Tool results must open the user turn that follows the tool use.
            turn["content"].sort(key=lambda block: block["type"] != "tool_result")
    return "\n\n".join(system), turns


def _text_blocks(text: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": text}] if text.strip() else []


def _assistant_blocks(message: Message) -> list[dict[str, Any]]:
    if isinstance(message.native, ClaudeContent):
        return message.native.blocks
    blocks = _text_blocks(message.content)
    blocks += [
        {"type": "tool_use", "id": call.id, "name": call.name, "input": call.arguments}
        for call in message.tool_calls
    ]
    return blocks


def _tool_result_block(message: Message) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "tool_result", "tool_use_id": message.tool_call_id or ""}
    if message.content:
        block["content"] = message.content
    if message.is_error:
        block["is_error"] = True
    return block


@dataclass(slots=True)
class _Turn:
    """Accumulates one streamed assistant turn and translates its events."""

    blocks: dict[int, dict[str, Any]] = field(default_factory=dict)
    json_parts: dict[int, list[str]] = field(default_factory=dict)
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: UsageReport = field(default_factory=UsageReport)
    stop_reason: str = ""
    finished: bool = False

    def handle(self, event: Any) -> Iterator[StreamEvent]:
        """The stream events for one raw SSE event."""
        kind = event.type
        if kind == "message_start":
            self._set_usage(event.message.usage)
        elif kind == "content_block_start":
            block = event.content_block.to_dict(mode="json")
            self.blocks[event.index] = block
            if block["type"] in ("tool_use", "server_tool_use"):
                self.json_parts[event.index] = []
            elif block["type"].endswith("_tool_result"):
                yield from _reasoning(_describe_server_result(block))
        elif kind == "content_block_delta":
            yield from self._delta(event.index, event.delta)
        elif kind == "content_block_stop":
            yield from self._stop(event.index)
        elif kind == "message_delta":
            self.stop_reason = event.delta.stop_reason or self.stop_reason
            self._set_usage(event.usage)
        elif kind == "message_stop":
            self.finished = True

    def _delta(self, index: int, delta: Any) -> Iterator[StreamEvent]:
        block = self.blocks[index]
        if delta.type == "text_delta":
            block["text"] = block.get("text", "") + delta.text
            yield TextChunk(delta.text)
        elif delta.type == "thinking_delta":
            block["thinking"] = block.get("thinking", "") + delta.thinking
            yield ReasoningChunk(delta.thinking)
        elif delta.type == "signature_delta":
            block["signature"] = delta.signature
        elif delta.type == "input_json_delta":
            self.json_parts[index].append(delta.partial_json)
        elif delta.type == "citations_delta":
            block["citations"] = [*(block.get("citations") or []), delta.citation.to_dict(mode="json")]

    def _stop(self, index: int) -> Iterator[StreamEvent]:
        block = self.blocks[index]
        if index not in self.json_parts:
            return
        raw = "".join(self.json_parts.pop(index))
        if raw:
            call = tool_call_from_json(block["id"], block["name"], raw)
        else:
            call = bounded_call(block["id"], block["name"], dict(block.get("input") or {}), with_raw=False)
        # The API only accepts an object as input when the turn is replayed.
        block["input"] = call.arguments
        if block["type"] == "tool_use":
            self.tool_calls.append(call)
            yield call
        else:
            yield from _reasoning(_describe_server_use(call))

    def _set_usage(self, usage: Any) -> None:
        """Fold in usage from message_start or a (cumulative) message_delta."""
        cache_read = usage.cache_read_input_tokens
        cache_write = usage.cache_creation_input_tokens
        if usage.input_tokens is not None:
            self.usage.input_tokens = usage.input_tokens + (cache_read or 0) + (cache_write or 0)
        if cache_read is not None:
            self.usage.cached_tokens = cache_read
        self.usage.output_tokens = usage.output_tokens
        if usage.output_tokens_details is not None:
            self.usage.reasoning_tokens = usage.output_tokens_details.thinking_tokens

    def message(self) -> Message:
        """The assistant message of the finished turn."""
        blocks = [self.blocks[index] for index in sorted(self.blocks)]
        text = "".join(block["text"] for block in blocks if block["type"] == "text")
        return Message(role="assistant", content=text, tool_calls=self.tool_calls, native=ClaudeContent(blocks))


def _reasoning(line: str) -> Iterator[ReasoningChunk]:
    if line:
        yield ReasoningChunk(line + "\n")


def _describe_server_use(call: ToolCall) -> str:
    label = _SERVER_TOOL_LABELS.get(call.name, call.name)
    args = call.arguments
    detail = args.get("query") or args.get("url") or args.get("code") or args.get("command")
    if detail is None:
        detail = json.dumps(args, ensure_ascii=False)
    return f"[{label}] {detail}"


def _describe_server_result(block: dict[str, Any]) -> str:
    content = block.get("content")
    if isinstance(content, dict) and content.get("error_code"):
        return f"[server tool error] {content['error_code']}"
    if block["type"] == "web_search_tool_result" and isinstance(content, list):
        found = "\n".join(f"  {item.get('title', '')} <{item.get('url', '')}>" for item in content)
        count = f"{len(content)} result" + ("" if len(content) == 1 else "s")
        return f"[web search] {count}" + (f"\n{found}" if found else "")
    if isinstance(content, dict) and ("stdout" in content or "stderr" in content):
        output = "\n".join(part for part in (content.get("stdout"), content.get("stderr")) if part)
        return f"[code result] exit {content.get('return_code', '?')}" + (f"\n{output.rstrip()}" if output else "")
    return ""


def provider_error(exc: Exception) -> ProviderError:
    """The :class:`ProviderError` for an exception raised while calling Claude or reading its stream."""
    if isinstance(exc, anthropic.APIStatusError):
        body = exc.body.strip() if isinstance(exc.body, str) else ""
        message = exc.api_message or body or exc.message
        status: int | None = exc.status_code
        if exc.status_code < 400:
            # An ``error`` event inside a stream that started fine.
            status = _STREAM_ERROR_STATUS.get(exc.type or "")
        return ProviderError(
            message,
            status=status,
            transient=status is None or is_transient_status(status),
            retry_after=retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, anthropic.APITimeoutError):
        return provider_errors.timed_out()
    if isinstance(exc, anthropic.APIConnectionError):
        return provider_errors.cannot_connect(exc.__cause__)
    if isinstance(exc, httpx2.TransportError):
        return provider_errors.connection_dropped(exc)
    if isinstance(exc, json.JSONDecodeError):
        return provider_errors.malformed_stream(exc.doc)
    return provider_errors.unexpected(exc)

