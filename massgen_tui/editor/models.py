"""Model names the form suggests for each backend type (any name can still be typed), and Claude Code's tools."""

from __future__ import annotations

from types import MappingProxyType

_LOCAL = ("llama3.2", "llama3.1", "qwen3:4b", "qwen3:8b", "gemma3", "mistral")

MODEL_SUGGESTIONS = MappingProxyType({
    "openai": ("gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "o3"),
    "claude": ("claude-sonnet-4-6", "claude-opus-4-5", "claude-haiku-4-5"),
    "gemini": ("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"),
    "azure_openai": ("gpt-5-mini", "gpt-5", "gpt-4.1"),
    "chatcompletion": ("gpt-5-mini", "gpt-4.1-mini", *_LOCAL),
    "grok": ("grok-4", "grok-4-fast", "grok-3-mini", "grok-code-fast-1"),
    "zai": ("glm-4.6", "glm-4.5", "glm-4.5-air"),
    "cerebras": ("gpt-oss-120b", "llama-3.3-70b", "qwen-3-32b"),
    "together": ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "Qwen/Qwen3-235B-A22B-Instruct-2507-tput"),
    "fireworks": ("accounts/fireworks/models/llama-v3p3-70b-instruct",),
    "groq": ("llama-3.3-70b-versatile", "openai/gpt-oss-120b", "qwen/qwen3-32b"),
    "nebius": ("meta-llama/Llama-3.3-70B-Instruct", "Qwen/Qwen3-235B-A22B"),
    "openrouter": ("openai/gpt-5-mini", "anthropic/claude-sonnet-4.6", "google/gemini-2.5-flash"),
    "lmstudio": _LOCAL,
    "vllm": _LOCAL,
    "sglang": _LOCAL,
    "ollama": _LOCAL,
    # The CLI agents: a Claude Code alias or full name; a Codex model (both CLIs pick one when none is set).
    "claude_code": ("sonnet", "opus", "haiku", "claude-sonnet-4-6", "claude-opus-4-5"),
    "codex": ("gpt-5-codex", "gpt-5", "gpt-5-mini", "o4-mini"),
})

#: Claude Code's own tool names, for ``allowed_tools`` / ``disallowed_tools`` of a claude_code agent.
CLAUDE_CODE_TOOLS = ("Read", "Write", "Edit", "Glob", "Grep", "Bash", "WebFetch", "WebSearch", "Task",
                     "TodoWrite", "NotebookEdit")


def suggestions_for(backend_type: str | None) -> tuple[str, ...]:
    """The suggested models for ``backend_type`` (none for an unknown type)."""
    return MODEL_SUGGESTIONS.get((backend_type or "").lower(), ())
