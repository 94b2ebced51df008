"""Provider backends behind one streaming interface (see :mod:`massgen_tui.backends.base`).

Importing this package loads no provider SDK: :func:`create_backend` imports only the
module (and so only the SDK) of the family a config asks for, because SDK imports
cost up to 1.4 s of start-up each.
"""

from __future__ import annotations

from importlib import import_module

from massgen_tui.config.model import BackendConfig

from .base import Backend

#: family -> (module inside this package, class name)
_BACKENDS: dict[str, tuple[str, str]] = {
    "openai": ("openai_responses", "OpenAIResponsesBackend"),
    "chatcompletion": ("chat_completions", "ChatCompletionsBackend"),
    "azure_openai": ("azure_openai", "AzureOpenAIBackend"),
    "claude": ("claude", "ClaudeBackend"),
    "gemini": ("gemini", "GeminiBackend"),
    "llamacpp": ("llamacpp", "LlamaCppBackend"),
    "claude_code": ("claude_code", "ClaudeCodeBackend"),
    "codex": ("codex", "CodexBackend"),
}


def create_backend(config: BackendConfig) -> Backend:
    """A backend for ``config.family``, importing only that provider's SDK."""
    try:
        module_name, class_name = _BACKENDS[config.family]
    except KeyError:
        raise ValueError(
            f"unknown backend family {config.family!r} (known: {', '.join(_BACKENDS)})"
        ) from None
    backend_class: type[Backend] = getattr(import_module(f".{module_name}", __name__), class_name)
    return backend_class(config)
