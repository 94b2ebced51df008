"""The retry layer: which failures are retried, how long it waits, what the consumer sees."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from massgen_tui.backends.base import (
    Backend,
    Done,
    Message,
    ProviderError,
    RetryNotice,
    StreamEvent,
    TextChunk,
    ToolSpec,
)
from massgen_tui.backends.retry import backoff_delay, retry_after_seconds, stream_with_retry


class ScriptedBackend(Backend):
    """Each call plays the next script: a list of events, ending in an optional error."""

    family = "scripted"

    def __init__(self, *scripts: list[StreamEvent | ProviderError]) -> None:
        super().__init__(config=None)
        self.scripts = list(scripts)
        self.calls = 0
        self.closed_streams = 0

    async def stream(self, messages: list[Message], tools: list[ToolSpec]) -> AsyncIterator[StreamEvent]:
        script = self.scripts[self.calls]
        self.calls += 1
        try:
            for step in script:
                if isinstance(step, ProviderError):
                    raise step
                yield step
        finally:
            self.closed_streams += 1


class Sleeps(list):
    async def __call__(self, delay: float) -> None:
        self.append(delay)


def done(text: str) -> Done:
    return Done(message=Message(role="assistant", content=text))


async def collect(backend: Backend, **kwargs) -> list[StreamEvent]:
    return [event async for event in stream_with_retry(backend, [Message("user", "hi")], [], **kwargs)]


async def test_success_passes_events_through_untouched() -> None:
    backend = ScriptedBackend([TextChunk("a"), TextChunk("b"), done("ab")])
    sleeps = Sleeps()
    events = await collect(backend, sleep=sleeps)
    assert events == [TextChunk("a"), TextChunk("b"), done("ab")]
    assert backend.calls == 1 and sleeps == []


async def test_transient_failure_is_announced_then_retried() -> None:
    backend = ScriptedBackend(
        [TextChunk("par"), ProviderError("overloaded", status=529, transient=True)],
        [TextChunk("full"), done("full")],
    )
    sleeps = Sleeps()
    events = await collect(backend, sleep=sleeps, rng=lambda: 0.5, base_delay=2.0)
    assert events == [
        TextChunk("par"),
        RetryNotice(attempt=1, max_attempts=4, delay=1.0, reason="HTTP 529: overloaded"),
        TextChunk("full"),
        done("full"),
    ]
    assert sleeps == [1.0]


async def test_retry_after_is_honoured_and_capped() -> None:
    backend = ScriptedBackend(
        [ProviderError("slow down", status=429, transient=True, retry_after=7.0)],
        [ProviderError("slow down", status=429, transient=True, retry_after=500.0)],
        [done("ok")],
    )
    sleeps = Sleeps()
    events = await collect(backend, sleep=sleeps, max_delay=30.0)
    assert [e.delay for e in events if isinstance(e, RetryNotice)] == [7.0, 30.0]
    assert sleeps == [7.0, 30.0]
    assert events[-1] == done("ok")


async def test_permanent_error_is_not_retried() -> None:
    backend = ScriptedBackend([ProviderError("Incorrect API key provided", status=401)], [done("never")])
    sleeps = Sleeps()
    with pytest.raises(ProviderError, match="Incorrect API key provided") as info:
        await collect(backend, sleep=sleeps)
    assert info.value.status == 401
    assert backend.calls == 1 and sleeps == []


async def test_exhausting_attempts_raises_the_last_error() -> None:
    backend = ScriptedBackend(*[[ProviderError(f"boom {n}", status=500, transient=True)] for n in range(3)])
    sleeps = Sleeps()
    notices: list[RetryNotice] = []
    with pytest.raises(ProviderError, match="boom 2"):
        async for event in stream_with_retry(backend, [], [], max_attempts=3, sleep=sleeps, rng=lambda: 1.0):
            notices.append(event)
    assert [(n.attempt, n.max_attempts) for n in notices] == [(1, 3), (2, 3)]
    assert backend.calls == 3
    assert sleeps == [1.0, 2.0]  # full backoff ceiling with rng=1.0: base * 2**(attempt-1)


async def test_consumer_stopping_early_closes_the_backend_stream() -> None:
    backend = ScriptedBackend([TextChunk("a"), TextChunk("b"), done("ab")])
    stream = stream_with_retry(backend, [], [])
    assert await anext(stream) == TextChunk("a")
    await stream.aclose()
    assert backend.closed_streams == 1


def test_backoff_is_full_jitter_and_bounded() -> None:
    assert backoff_delay(1, None, base_delay=1.0, max_delay=30.0, rng=lambda: 0.0) == 0.0
    assert backoff_delay(3, None, base_delay=1.0, max_delay=30.0, rng=lambda: 1.0) == 4.0
    assert backoff_delay(10, None, base_delay=1.0, max_delay=30.0, rng=lambda: 1.0) == 30.0
    assert backoff_delay(1, -5.0, base_delay=1.0, max_delay=30.0, rng=lambda: 1.0) == 0.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "soon"}, None),
        ({}, None),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past: no wait
    ],
)
def test_retry_after_header_forms(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(headers) == expected


def test_retry_after_http_date_in_the_future() -> None:
    import email.utils
    import time

    header = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 100 < retry_after_seconds({"retry-after": header}) <= 120
