"""Cost of a call from the price table."""

from __future__ import annotations

import pytest

from massgen_tui.backends.base import UsageReport
from massgen_tui.backends.pricing import cost_of, is_free


def test_known_model_costs_input_plus_output() -> None:
    # gpt-4o: $2.50 in, $10 out per million tokens.
    assert cost_of("gpt-4o", UsageReport(input_tokens=1_000_000, output_tokens=100_000)) == pytest.approx(3.50)


def test_cached_input_is_billed_at_the_cached_rate() -> None:
    # gpt-4.1: $2 in, $0.50 cached, $8 out; 400k of the 1M input tokens were cache hits.
    usage = UsageReport(input_tokens=1_000_000, output_tokens=0, cached_tokens=400_000)
    assert cost_of("gpt-4.1", usage) == pytest.approx(0.6 * 2.00 + 0.4 * 0.50)


@pytest.mark.parametrize(
    ("model", "same_as"),
    [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("openai/gpt-4.1-mini", "gpt-4.1-mini"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
        ("models/gemini-2.5-flash", "gemini-2.5-flash"),
        ("x-ai/grok-4-0709", "grok-4"),
        ("O3-MINI-2025-01-31", "o3-mini"),
    ],
)
def test_dated_and_routed_variants_match_their_base_model(model: str, same_as: str) -> None:
    usage = UsageReport(input_tokens=12_345, output_tokens=6_789)
    assert cost_of(model, usage) == cost_of(same_as, usage)
    assert cost_of(model, usage) > 0


def test_longest_prefix_wins() -> None:
    usage = UsageReport(input_tokens=1_000_000)
    assert cost_of("gemini-2.5-flash-lite-preview-06-17", usage) == pytest.approx(0.10)
    assert cost_of("gemini-2.5-flash-preview-05-20", usage) == pytest.approx(0.30)
    assert cost_of("claude-opus-4-5-20251101", usage) == pytest.approx(5.00)
    assert cost_of("claude-opus-4-20250514", usage) == pytest.approx(15.00)


@pytest.mark.parametrize("model", ["my-local-llama", "gpt-5.9-turbo", "o3x", "claude", ""])
def test_unknown_model_has_no_cost(model: str) -> None:
    assert cost_of(model, UsageReport(input_tokens=10, output_tokens=10)) is None


def test_openrouter_free_variant_costs_nothing() -> None:
    assert cost_of("meta-llama/llama-3.3-70b-instruct:free", UsageReport(input_tokens=10**6)) == 0.0


@pytest.mark.parametrize(("backend", "model", "free"), [
    ("llamacpp", "", True), ("ollama", "llama3.1", True), ("lmstudio", "qwen", True), ("vllm", "m", True),
    ("sglang", "m", True), ("openrouter", "meta-llama/llama-3-8b:free", True),
    ("openai", "gpt-4o", False), ("chatcompletion", "llama3.1", False), ("groq", "llama3.1", False),
])
def test_self_hosted_backends_are_free_and_hosted_ones_are_not(backend: str, model: str, free: bool) -> None:
    assert is_free(backend, model) is free
