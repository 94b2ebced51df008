"""Shared fixtures: the loopback fake provider and teams of agents pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from massgen_tui.config.model import AgentConfig, BackendConfig, SessionConfig
from tests.fake_provider import FakeProvider

#: Which fake-server URL each wire family uses.
FAKE_URL_KIND = {"chatcompletion": "openai", "openai": "openai", "azure_openai": "azure",
                 "claude": "anthropic", "gemini": "gemini", "claude_code": "anthropic", "codex": "openai"}
FAKE_KEY = "sk-test-FAKEKEY-0123456789abcdef"


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    """A fake provider server on 127.0.0.1 for one test."""
    with FakeProvider() as server:
        yield server


def fake_backend_config(fake: FakeProvider, family: str, model: str, **settings: Any) -> BackendConfig:
    """A ``family`` backend config for ``model`` served by ``fake`` (``api_key`` defaults to ``FAKE_KEY``)."""
    settings.setdefault("api_key", FAKE_KEY)
    return BackendConfig(type=family, family=family, model=model,
                         base_url=fake.base_url(FAKE_URL_KIND[family]), **settings)


def make_team(
    fake: FakeProvider, *agents: tuple[str, str, str], timeout: float = 60.0, **orchestrator
) -> SessionConfig:
    """A session config of ``(agent_id, family, model)`` agents, all served by ``fake``."""
    config = SessionConfig(agents=[
        AgentConfig(id=agent_id, backend=fake_backend_config(
            fake, family, model, api_version="2024-10-21" if family == "azure_openai" else None))
        for agent_id, family, model in agents
    ])
    config.timeout.orchestrator_timeout_seconds = timeout
    for key, value in orchestrator.items():
        setattr(config.orchestrator, key, value)
    config.raw = {"agents": [{"id": a[0], "backend": {"type": a[1], "model": a[2], "api_key": FAKE_KEY}}
                             for a in agents]}
    return config
