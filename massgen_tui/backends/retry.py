"""Visible retries of transient provider failures.

:func:`stream_with_retry` re-runs a whole backend call when it fails with a transient
:class:`ProviderError` (rate limit, overload, dropped connection). Before each retry
it yields a :class:`RetryNotice`, so the user sees the wait and consumers know to
discard the failed attempt's partial output. The delay honours the server's
``Retry-After`` when given, otherwise it is exponential backoff with full jitter.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from dataclasses import replace
from typing import Any

from ..events.types import map_strings
from ..text_safety import repair
from .base import Backend, Message, ProviderError, RetryNotice, StreamEvent, ToolSpec


async def stream_with_retry(
    backend: Backend,
    messages: list[Message],
    tools: list[ToolSpec],
    *,
    max_attempts: int = 4,
    base_delay: float = 1.0,
    max_delay: float = 30.0,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    rng: Callable[[], float] = random.random,
    output_schema: dict[str, Any] | None = None,
) -> AsyncIterator[StreamEvent]:
    """Stream ``backend``'s call, retrying transient failures up to ``max_attempts`` calls in all.

    ``output_schema`` is passed on to the backend only when given (see :meth:`Backend.stream`).
    ``RetryNotice.attempt`` is the number of the attempt that failed. Permanent errors,
    and the transient error of the last attempt, propagate as :class:`ProviderError`.
    """
    messages = [_encodable(message) for message in messages]
    for attempt in range(1, max_attempts + 1):
        try:
            call = (backend.stream(messages, tools) if output_schema is None
                    else backend.stream(messages, tools, output_schema=output_schema))
            async with aclosing(call) as events:
                async for event in events:
                    yield event
            return
        except ProviderError as exc:
            if not exc.transient or attempt == max_attempts:
                raise
            delay = backoff_delay(attempt, exc.retry_after, base_delay=base_delay, max_delay=max_delay, rng=rng)
            reason = str(exc)
        yield RetryNotice(attempt=attempt, max_attempts=max_attempts, delay=delay, reason=reason)
        await sleep(delay)


def _encodable(message: Message) -> Message:
    """``message`` with unpaired surrogates repaired (an SDK cannot encode them: one agent's odd answer
    in its peers' prompts must not take them out); itself when nothing needed it."""
    texts = [message.content, *(call.raw_arguments for call in message.tool_calls)]

    def collect(text: str) -> str:
        texts.append(text)
        return text

    for call in message.tool_calls:
        map_strings(call.arguments, collect)
    if all(repair(text) == text for text in texts):
        return message
    calls = [replace(call, arguments=map_strings(call.arguments, repair), raw_arguments=repair(call.raw_arguments))
             for call in message.tool_calls]
    return replace(message, content=repair(message.content), tool_calls=calls)


def backoff_delay(
    attempt: int,
    retry_after: float | None,
    *,
    base_delay: float,
    max_delay: float,
    rng: Callable[[], float],
) -> float:
    """Seconds to wait after failed ``attempt``: the server's wish if any, else full-jitter backoff."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), max_delay)
    return rng() * min(max_delay, base_delay * 2.0 ** (attempt - 1))


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a response asks for: ``retry-after-ms``, ``retry-after`` seconds or HTTP date.

    ``headers`` must look names up case-insensitively (as httpx and aiohttp headers do).
    Returns ``None`` when no usable value is present.
    """
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            continue
        if math.isfinite(seconds):
            return max(seconds, 0.0)
    date = headers.get("retry-after")
    if date:
        try:
            return max(email.utils.parsedate_to_datetime(date).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None
    return None
