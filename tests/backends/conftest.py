"""Fixtures for the OpenAI-family backend tests: backends pointed at the fake provider.

``canned`` serves stream shapes the fake provider cannot script (errors inside a stream,
built-in tool items, a clean but early end) from a fixed body, through the real SDK
client on an in-memory transport.
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
from tests.fake_provider import FakeProvider

_URL_KIND = {"chatcompletion": "openai", "openai": "openai", "azure_openai": "azure"}


@pytest.fixture
async def make_openai_backend(fake: FakeProvider) -> AsyncIterator[Callable[..., Backend]]:
    """``make(family, model, **settings)``: a backend of an OpenAI family served by ``fake``."""
    backends: list[Backend] = []

    def make(family: str, model: str, **settings: Any) -> Backend:
        settings.setdefault("api_key", "sk-test-openai")
        config = BackendConfig(type=family, family=family, model=model,
                               base_url=fake.base_url(_URL_KIND[family]), **settings)
        backends.append(create_backend(config))
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
