"""Quick setup from --model flags, without a config file."""

from __future__ import annotations

import pytest

from massgen_tui.config import config_from_models, infer_backend_type
from massgen_tui.errors import ConfigError

from .helpers import KEYS


@pytest.mark.parametrize(
    ("model", "backend"),
    [
        ("gpt-5-mini", "openai"),
        ("o1-mini", "openai"),
        ("o3", "openai"),
        ("o4-mini", "openai"),
        ("claude-sonnet-4-5", "claude"),
        ("gemini-2.5-flash", "gemini"),
        ("grok-4", "grok"),
        ("glm-4.6", "zai"),
        ("llama3.2", None),
        ("omni-model", None),
    ],
)
def test_backend_inference(model: str, backend: str | None) -> None:
    assert infer_backend_type(model) == backend


def test_one_agent_per_model_with_unique_ids() -> None:
    config = config_from_models(
        ["gpt-5-mini", "claude-sonnet-4-5", "gemini-2.5-flash", "gpt-5-mini", "grok-4", "glm-4.6"],
        system_message="Be brief.",
        env={**KEYS, "ZAI_API_KEY": "z"},
    )
    assert [(a.id, a.backend.type, a.backend.family, a.backend.base_url) for a in config.agents] == [
        ("gpt-5-mini", "openai", "openai", "https://api.openai.com/v1"),
        ("claude-sonnet-4-5", "claude", "claude", None),
        ("gemini-2.5-flash", "gemini", "gemini", None),
        ("gpt-5-mini_2", "openai", "openai", "https://api.openai.com/v1"),
        ("grok-4", "grok", "chatcompletion", "https://api.x.ai/v1"),
        ("glm-4.6", "zai", "chatcompletion", "https://api.z.ai/api/paas/v4"),
    ]
    assert {a.system_message for a in config.agents} == {"Be brief."}
    assert config.agents[1].backend.api_key == KEYS["ANTHROPIC_API_KEY"]
    assert config.source is None
    assert config.raw["agents"][0] == {
        "id": "gpt-5-mini",
        "backend": {"type": "openai", "model": "gpt-5-mini"},
        "system_message": "Be brief.",
    }


def test_explicit_backend_and_base_url() -> None:
    config = config_from_models(
        ["openai/gpt-oss:20b"], backend="chatcompletion", base_url="http://localhost:11434/v1", env={}
    )
    (agent,) = config.agents
    assert (agent.id, agent.backend.type, agent.backend.base_url, agent.backend.api_key) == (
        "openai_gpt-oss_20b",
        "chatcompletion",
        "http://localhost:11434/v1",
        None,
    )


def test_uninferable_model_names_the_flag() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_models(["llama3.2"], env={})
    assert str(caught.value) == (
        "<command line>: error: --model llama3.2: cannot tell the backend from the model name 'llama3.2'; "
        "pass --backend (one of: openai, claude, gemini, azure_openai, chatcompletion, grok, zai, cerebras, "
        "together, fireworks, groq, nebius, openrouter, qwen, moonshot, nvidia_nim, poe, lmstudio, vllm, sglang, "
        "ollama, llamacpp, claude_code, codex)"
    )


def test_every_problem_is_reported() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_models(["claude-haiku-4-5", "gemini-2.5-flash"], env={})
    assert [str(issue) for issue in caught.value.issues] == [
        "<command line>: error: --model claude-haiku-4-5: no API key for agent 'claude-haiku-4-5' (claude): "
        "set ANTHROPIC_API_KEY",
        "<command line>: error: --model gemini-2.5-flash: no API key for agent 'gemini-2.5-flash' (gemini): "
        "set GEMINI_API_KEY (or GOOGLE_API_KEY)",
    ]


def test_unknown_backend_flag() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_models(["m"], backend="olama", env={})
    assert str(caught.value) == (
        "<command line>: error: --backend olama: unknown backend type 'olama'; did you mean 'ollama'?"
    )


def test_no_models() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_models([], env={})
    assert str(caught.value) == "<command line>: error: no model given: pass --model"


def test_bad_base_url_and_missing_azure_endpoint() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_models(["my-deployment"], backend="azure_openai", env={"AZURE_OPENAI_API_KEY": "a"})
    assert str(caught.value) == (
        "<command line>: error: --model my-deployment: no endpoint for agent 'my-deployment' (azure_openai): "
        "set AZURE_OPENAI_ENDPOINT or pass --base-url"
    )
    with pytest.raises(ConfigError) as caught:
        config_from_models(["m"], backend="vllm", base_url="localhost:8000", env={})
    assert str(caught.value) == "<command line>: error: --base-url localhost:8000: expected an http:// or https:// URL"
