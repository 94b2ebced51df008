"""Gemini through the google-genai SDK (``client.aio.models.generate_content_stream``).

The conversation is sent as Gemini ``Content``: the system prompt apart, assistant
turns as role ``model`` with ``function_call`` parts, tool results as
``function_response`` parts in a user turn. An assistant turn produced by this
backend keeps its streamed parts (with thought signatures and server-side tool
context) as a ``types.Content`` in ``Message.native`` and is replayed verbatim.

Gemini 2.x models cannot combine built-in tools (Google Search, code execution)
with function declarations; for them the built-in tools are left out of calls that
carry function tools, and the first such call says so in the reasoning stream.
Gemini 3 and later combine them with ``include_server_side_tool_invocations``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import AsyncGenerator, Iterator
from typing import Any

import httpx2
from google import genai
from google.genai import errors, types

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
from .tool_args import bounded_call

#: Thinking budget for each ``reasoning.effort`` level.
THINKING_BUDGETS = {"minimal": 512, "low": 2048, "medium": 8192, "high": 24576}
#: The API version whose wire format the backend speaks (thought signatures, raw JSON schemas).
API_VERSION = "v1beta"

_OLD_MODEL = re.compile(r"gemini-[12](?:\.|-)")
_RETRY_DELAY = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


class GeminiBackend(Backend):
    """Streams Gemini through the google-genai SDK, its own retries switched off."""

    family = "gemini"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self._client = genai.Client(
            api_key=config.api_key,
            http_options=types.HttpOptions(
                base_url=config.base_url,
                api_version=API_VERSION,
                # One attempt: the retry layer above retries visibly.
                retry_options=types.HttpRetryOptions(attempts=1),
                # Its websocket context reads "ssl"; the SDK drops keys httpx2 does not take.
                client_args={"verify": shared_tls_context()},
                async_client_args={"verify": shared_tls_context(), "ssl": shared_tls_context()},
            ),
        )
        self._call_ids = itertools.count(1)
        self._told_builtin_tools_dropped = False

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one ``streamGenerateContent`` call. Raises :class:`ProviderError` on failure."""
        system, contents = to_gemini_contents(messages)
        config, dropped_builtin = self.generate_config(system, tools, output_schema)
        if dropped_builtin and not self._told_builtin_tools_dropped:
            self._told_builtin_tools_dropped = True
            yield ReasoningChunk(f"[{self.model} cannot use {dropped_builtin} together with function tools here]\n")
        turn = _Turn(self._call_ids)
        try:
            chunks = await self._client.aio.models.generate_content_stream(
                model=self.model, contents=contents, config=config
            )
            async for chunk in chunks:
                for output in turn.handle(chunk):
                    yield output
        except (errors.APIError, errors.UnknownApiResponseError, httpx2.TransportError) as exc:
            raise provider_error(exc) from exc
        if not turn.finish_reason:
            raise provider_errors.stream_ended_early("response")
        yield turn.usage
        yield Done(message=turn.message(), stop_reason=turn.finish_reason)

    def generate_config(
        self, system: str, tools: list[ToolSpec], output_schema: dict[str, Any] | None = None
    ) -> tuple[types.GenerateContentConfig, str]:
        """The call's config, and a description of built-in tools left out (empty if none).

        ``output_schema`` asks for JSON through ``response_json_schema`` (as MassGen does for
        Gemini with built-in tools).
        """
        config = self.config
        builtin = [
            (label, tool)
            for label, wanted, tool in (
                ("web search", config.enable_web_search, types.Tool(google_search=types.GoogleSearch())),
                ("code execution", config.enable_code_execution, types.Tool(code_execution=types.ToolCodeExecution())),
            )
            if wanted
        ]
        tool_list: list[types.ToolUnion] = []  # the type GenerateContentConfig.tools takes
        if tools:
            declarations = [
                types.FunctionDeclaration(name=t.name, description=t.description, parameters_json_schema=t.parameters)
                for t in tools
            ]
            tool_list.append(types.Tool(function_declarations=declarations))
        dropped = ""
        tool_config = None
        if builtin and tools and _OLD_MODEL.search(config.model):
            dropped = " and ".join(label for label, _ in builtin)
        elif builtin:
            tool_list += [tool for _, tool in builtin]
            if tools:
                tool_config = types.ToolConfig(include_server_side_tool_invocations=True)
        generate_config = types.GenerateContentConfig(
            system_instruction=system or None,
            temperature=config.temperature,
            top_p=config.top_p,
            max_output_tokens=config.max_tokens,
            tools=tool_list or None,
            tool_config=tool_config,
            thinking_config=self._thinking_config(),
            # Function calls are ours to run; this also keeps the SDK from logging AFC warnings.
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        )
        if output_schema is not None:
            generate_config.response_mime_type = "application/json"
            generate_config.response_json_schema = without_length_bounds(output_schema)
        return generate_config, dropped

    def _thinking_config(self) -> types.ThinkingConfig | None:
        extra = self.config.extra
        configured = extra.get("thinking_config", extra.get("thinking"))
        if isinstance(configured, dict):
            return types.ThinkingConfig(**{"include_thoughts": True, **configured})
        effort = self.config.reasoning_effort
        if effort:
            budget = THINKING_BUDGETS.get(effort.lower(), THINKING_BUDGETS["medium"])
            return types.ThinkingConfig(include_thoughts=True, thinking_budget=budget)
        return None

    async def aclose(self) -> None:
        """Close the SDK client's connections."""
        await self._client.aio.aclose()


def to_gemini_contents(messages: list[Message]) -> tuple[str, list[types.Content]]:
    """The system instruction and the user/model turns for ``messages``.

    Gemini matches a function response to its call by ``id`` when the model gave
    one, else by name and order; ids this backend made up are never sent.
    """
    system: list[str] = []
    contents: list[types.Content] = []
    provider_ids: set[str] = set()
    call_names: dict[str, str] = {}
    for message in messages:
        if message.role == "system":
            if message.content:
                system.append(message.content)
            continue
        for call in message.tool_calls:
            call_names[call.id] = call.name
        if message.role == "assistant":
            role, parts = "model", _model_parts(message, provider_ids)
        elif message.role == "tool":
            call_id = message.tool_call_id or ""
            response = {"error": message.content} if message.is_error else {"result": message.content}
            function_response = types.FunctionResponse(
                name=message.name or call_names.get(call_id, ""),
                response=response,
                id=call_id if call_id in provider_ids else None,
            )
            role, parts = "user", [types.Part(function_response=function_response)]
        else:
            role, parts = "user", [types.Part(text=message.content)] if message.content else []
        if not parts:
            continue
        if contents and contents[-1].role == role:
            contents[-1] = types.Content(role=role, parts=[*(contents[-1].parts or []), *parts])
        else:
            contents.append(types.Content(role=role, parts=parts))
    return "\n\n".join(system), contents


def _model_parts(message: Message, provider_ids: set[str]) -> list[types.Part]:
    if isinstance(message.native, types.Content):
        parts = list(message.native.parts or [])
        provider_ids.update(p.function_call.id for p in parts if p.function_call and p.function_call.id)
        return parts
    parts = [types.Part(text=message.content)] if message.content else []
    parts += [types.Part(function_call=types.FunctionCall(name=c.name, args=c.arguments)) for c in message.tool_calls]
    return parts


class _Turn:
    """Accumulates one streamed model turn and translates its chunks."""

    def __init__(self, call_ids: Iterator[int]) -> None:
        self._call_ids = call_ids
        self.parts: list[types.Part] = []
        self.tool_calls: list[ToolCall] = []
        self.text: list[str] = []
        self.usage = UsageReport()
        self.finish_reason = ""
        self._search_queries: set[str] = set()

    def handle(self, chunk: types.GenerateContentResponse) -> Iterator[StreamEvent]:
        """The stream events for one streamed response chunk."""
        feedback = chunk.prompt_feedback
        if feedback is not None and feedback.block_reason:
            detail = feedback.block_reason_message or _enum_text(feedback.block_reason)
            raise ProviderError(f"the prompt was blocked: {detail}")
        if chunk.usage_metadata is not None:
            self._set_usage(chunk.usage_metadata)
        if not chunk.candidates:
            return
        candidate = chunk.candidates[0]
        if candidate.content is not None:
            for part in candidate.content.parts or []:
                if part.model_dump(exclude_none=True) in ({}, {"text": ""}):
                    continue  # an empty closing part carries nothing worth replaying
                self.parts.append(part)
                yield from self._part(part)
        grounding = candidate.grounding_metadata
        for query in (grounding.web_search_queries or []) if grounding is not None else []:
            if query not in self._search_queries:
                self._search_queries.add(query)
                yield ReasoningChunk(f"[web search] {query}\n")
        if candidate.finish_reason:
            self.finish_reason = _enum_text(candidate.finish_reason)

    def _part(self, part: types.Part) -> Iterator[StreamEvent]:
        if part.text:
            if part.thought:
                yield ReasoningChunk(part.text)
            else:
                self.text.append(part.text)
                yield TextChunk(part.text)
        if part.function_call is not None:
            call = part.function_call
            tool_call = bounded_call(call.id or f"call_{next(self._call_ids)}", call.name or "", dict(call.args or {}))
            self.tool_calls.append(tool_call)
            yield tool_call
        if part.executable_code is not None and part.executable_code.code:
            yield ReasoningChunk(f"[code execution]\n{part.executable_code.code.rstrip()}\n")
        if part.code_execution_result is not None:
            result = part.code_execution_result
            output = (result.output or "").rstrip()
            shown = f"\n{output}" if output else ""
            yield ReasoningChunk(f"[code result] {_enum_text(result.outcome)}{shown}\n")
        if part.tool_call is not None:
            server_call = part.tool_call
            yield ReasoningChunk(
                f"[{_enum_text(server_call.tool_type)}] {json.dumps(server_call.args or {}, ensure_ascii=False)}\n"
            )

    def _set_usage(self, usage: types.GenerateContentResponseUsageMetadata) -> None:
        """Take the latest counts: each chunk's usage is the running total."""
        thoughts = usage.thoughts_token_count or 0
        self.usage = UsageReport(
            input_tokens=(usage.prompt_token_count or 0) + (usage.tool_use_prompt_token_count or 0),
            output_tokens=(usage.candidates_token_count or 0) + thoughts,
            reasoning_tokens=thoughts,
            cached_tokens=usage.cached_content_token_count or 0,
        )

    def message(self) -> Message:
        """The assistant message of the finished turn."""
        return Message(
            role="assistant",
            content="".join(self.text),
            tool_calls=self.tool_calls,
            native=types.Content(role="model", parts=self.parts),
        )


def _enum_text(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


def provider_error(exc: Exception) -> ProviderError:
    """The :class:`ProviderError` for an exception raised while calling Gemini or reading its stream."""
    if isinstance(exc, errors.APIError):
        status = exc.code if isinstance(exc.code, int) else None
        response = exc.response
        headers = getattr(response, "headers", None)
        retry_after = retry_after_seconds(headers) if headers is not None else None
        return ProviderError(
            exc.message or exc.status or f"error {exc.code}",
            status=status,
            transient=status is None or is_transient_status(status),
            retry_after=retry_after if retry_after is not None else _retry_info_delay(exc.details),
        )
    if isinstance(exc, httpx2.TimeoutException):
        return provider_errors.timed_out()
    if isinstance(exc, httpx2.ConnectError):
        return provider_errors.cannot_connect(exc)
    if isinstance(exc, httpx2.TransportError):
        return provider_errors.connection_dropped(exc)
    if isinstance(exc, errors.UnknownApiResponseError):
        return provider_errors.malformed_stream(exc)
    return provider_errors.unexpected(exc)


def _retry_info_delay(details: Any) -> float | None:
    """The ``RetryInfo.retryDelay`` (``"30s"``) Gemini puts in a 429's error details, in seconds."""
    error = details.get("error", details) if isinstance(details, dict) else None
    for item in (error.get("details") or []) if isinstance(error, dict) else []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("RetryInfo"):
            match = _RETRY_DELAY.match(str(item.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None
