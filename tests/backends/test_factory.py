"""create_backend: the right class per family, and only that family's SDK imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from massgen_tui.backends import create_backend
from massgen_tui.config.model import BackendConfig

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
SDKS = ("openai", "anthropic", "google.genai", "httpx2")
loaded = lambda: [name for name in SDKS if name in sys.modules]
import massgen_tui.backends
from massgen_tui.config.model import BackendConfig
after_package = loaded()
massgen_tui.backends.create_backend(BackendConfig(
    type="lmstudio", family="chatcompletion", model="m", base_url="http://127.0.0.1:1/v1"))
print(json.dumps({"package": after_package, "chatcompletion": loaded()}))
"""


def test_importing_the_package_loads_no_sdk_and_a_backend_loads_only_its_own() -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    assert loaded["package"] == []
    assert "openai" in loaded["chatcompletion"]
    assert not {"anthropic", "google.genai"} & set(loaded["chatcompletion"])


@pytest.mark.parametrize(
    ("family", "class_name"),
    [
        ("openai", "OpenAIResponsesBackend"),
        ("chatcompletion", "ChatCompletionsBackend"),
        ("azure_openai", "AzureOpenAIBackend"),
        ("claude", "ClaudeBackend"),
        ("gemini", "GeminiBackend"),
    ],
)
async def test_each_family_gets_its_backend(family: str, class_name: str) -> None:
    config = BackendConfig(type=family, family=family, model="some-model", api_key="sk-test",
                           base_url="http://127.0.0.1:1", api_version="2024-10-21")
    backend = create_backend(config)
    try:
        assert type(backend).__name__ == class_name
        assert backend.family == family
        assert backend.model == "some-model"
    finally:
        await backend.aclose()


def test_unknown_family_is_refused_by_name() -> None:
    config = BackendConfig(type="bedrock", family="bedrock", model="m")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown backend family 'bedrock'"):
        create_backend(config)
