"""What a call cost, from list prices per million tokens.

Prices are the providers' published standard-tier list prices in USD per million
tokens (base context tier; batch, priority and long-context surcharges are not
modelled). A model is matched by the longest table key that is a prefix of its name
ending at a ``-``, ``:`` or ``@`` boundary, after dropping routing prefixes such as
``openai/`` (OpenRouter) or ``models/``, so dated variants like
``gpt-4o-2024-08-06`` find ``gpt-4o``. Unknown models cost ``None``, never 0; self-hosted
backends (:func:`is_free`) cost 0.
"""

from __future__ import annotations

from typing import NamedTuple

from massgen_tui.config.providers import PROVIDERS

from .base import UsageReport


class Price(NamedTuple):
    """USD per million tokens. ``cached_input`` is the rate for cache hits (``None``: no discount)."""

    input: float
    output: float
    cached_input: float | None = None


PRICES: dict[str, Price] = {
    # OpenAI
    "gpt-4o": Price(2.50, 10.00, 1.25),
    "gpt-4o-2024-05-13": Price(5.00, 15.00),
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "gpt-4.1": Price(2.00, 8.00, 0.50),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-5": Price(1.25, 10.00, 0.125),
    "gpt-5-mini": Price(0.25, 2.00, 0.025),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
    "gpt-5-pro": Price(15.00, 120.00),
    "o1": Price(15.00, 60.00, 7.50),
    "o3": Price(2.00, 8.00, 0.50),
    "o3-mini": Price(1.10, 4.40, 0.55),
    "o3-pro": Price(20.00, 80.00),
    "o3-deep-research": Price(10.00, 40.00, 2.50),
    "o4-mini": Price(1.10, 4.40, 0.275),
    "o4-mini-deep-research": Price(2.00, 8.00, 0.50),
    # Anthropic
    "claude-opus-4": Price(15.00, 75.00, 1.50),
    "claude-opus-4-1": Price(15.00, 75.00, 1.50),
    "claude-opus-4-5": Price(5.00, 25.00, 0.50),
    "claude-sonnet-4": Price(3.00, 15.00, 0.30),
    "claude-sonnet-4-5": Price(3.00, 15.00, 0.30),
    "claude-haiku-4-5": Price(1.00, 5.00, 0.10),
    "claude-3-7-sonnet": Price(3.00, 15.00, 0.30),
    "claude-3-5-sonnet": Price(3.00, 15.00, 0.30),
    "claude-3-5-haiku": Price(0.80, 4.00, 0.08),
    "claude-3-opus": Price(15.00, 75.00, 1.50),
    "claude-3-haiku": Price(0.25, 1.25, 0.03),
    # Google
    "gemini-2.5-pro": Price(1.25, 10.00, 0.3125),
    "gemini-2.5-flash": Price(0.30, 2.50, 0.075),
    "gemini-2.5-flash-lite": Price(0.10, 0.40, 0.025),
    "gemini-2.0-flash": Price(0.10, 0.40, 0.025),
    "gemini-2.0-flash-lite": Price(0.075, 0.30),
    # xAI
    "grok-4": Price(3.00, 15.00, 0.75),
    "grok-4-fast": Price(0.20, 0.50, 0.05),
    "grok-code-fast-1": Price(0.20, 1.50, 0.02),
    "grok-3": Price(3.00, 15.00, 0.75),
    "grok-3-mini": Price(0.30, 0.50, 0.075),
    # Z.ai
    "glm-4.5": Price(0.60, 2.20, 0.11),
    "glm-4.5-air": Price(0.20, 1.10, 0.03),
    "glm-4.6": Price(0.60, 2.20, 0.11),
}

_BOUNDARIES = ("-", ":", "@")


def price_of(model: str) -> Price | None:
    """The price entry for ``model``, or ``None`` when no table key matches it."""
    name = model.strip().lower().rsplit("/", 1)[-1]
    best: str | None = None
    for key in PRICES:
        if name == key or (name.startswith(key) and name[len(key)] in _BOUNDARIES):
            if best is None or len(key) > len(best):
                best = key
    return PRICES[best] if best else None


def is_free(backend_type: str, model: str) -> bool:
    """Whether calls cost nothing per token: a backend type that needs no key runs on your own machine
    or server (``llamacpp`` in-process, ``ollama``, ``lmstudio``, ``vllm``, ``sglang``), and OpenRouter's
    ``:free`` variants are free."""
    preset = PROVIDERS.get(backend_type)
    return (preset is not None and not preset.needs_key) or model.endswith(":free")


def cost_of(model: str, usage: UsageReport) -> float | None:
    """USD cost of one call, or ``None`` for a model missing from the table.

    ``usage.input_tokens`` counts all input tokens, ``cached_tokens`` of them were cache
    hits; ``output_tokens`` includes reasoning tokens (the OpenAI convention).
    OpenRouter's ``:free`` variants cost nothing.
    """
    if model.endswith(":free"):
        return 0.0
    price = price_of(model)
    if price is None:
        return None
    cached = min(usage.cached_tokens, usage.input_tokens)
    cached_rate = price.input if price.cached_input is None else price.cached_input
    total = (
        (usage.input_tokens - cached) * price.input
        + cached * cached_rate
        + usage.output_tokens * price.output
    )
    return total / 1_000_000
