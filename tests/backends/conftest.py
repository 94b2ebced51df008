"""Fixtures for the backend tests: backends of every family pointed at the fake provider.

``canned`` serves OpenAI-family stream shapes the fake provider cannot script (errors inside
a stream, built-in tool items, a clean but early end) from a fixed body, through the real
SDK client on an in-memory transport.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx2
import openai
import pytest

from massgen_tui.backends import create_backend
from massgen_tui.backends.base import Backend
from massgen_tui.config.model import BackendConfig
from tests.conftest import fake_backend_config
from tests.fake_provider import FakeProvider


@pytest.fixture
async def make_backend(fake: FakeProvider) -> AsyncIterator[Callable[..., Backend]]:
    """``make(family, model, **settings)``: a backend of any family served by ``fake``, closed at teardown."""
    backends: list[Backend] = []

    def make(family: str, model: str, **settings: Any) -> Backend:
        backends.append(create_backend(fake_backend_config(fake, family, model, **settings)))
        return backends[-1]

    yield make
    for backend in backends:
        await backend.aclose()


@pytest.fixture
async def canned() -> AsyncIterator[Callable[..., Any]]:
    """``await canned(family, body)``: a backend whose every request is answered with ``body`` (SSE)."""
    backends: list[Backend] = []

    async def make(family: str, body: bytes) -> Backend:
        base_url = "http://canned.test/v1"
        backend = create_backend(BackendConfig(type=family, family=family, model="canned-model",
                                               api_key="sk-test", base_url=base_url))
        await backend.aclose()
        transport = httpx2.MockTransport(
            lambda request: httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body))
        backend._client = openai.AsyncOpenAI(  # type: ignore[attr-defined]
            api_key="sk-test", base_url=base_url, max_retries=0, http_client=httpx2.AsyncClient(transport=transport))
        backends.append(backend)
        return backend

    yield make
    for backend in backends:
        await backend.aclose()
