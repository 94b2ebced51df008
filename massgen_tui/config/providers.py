"""Provider presets: for each backend ``type``, its wire family, default base URL and key variable.

A plain data table, exported so the README and a config editor can list it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

from massgen_tui.config.model import Family

OPENAI_URL = "https://api.openai.com/v1"


@dataclass(frozen=True, slots=True)
class ProviderPreset:
    """What a backend ``type`` means.

    ``api_key_envs`` are the environment variables a key is read from, in order; empty for a
    keyless (local) server. ``base_url_env`` supplies the base URL when the config gives none.
    """

    type: str
    family: Family
    label: str
    base_url: str | None = None
    api_key_envs: tuple[str, ...] = ()
    base_url_env: str | None = None
    api_version_env: str | None = None
    #: Other hosts of the same provider (a ``chatcompletion`` agent on them reads this preset's key).
    other_hosts: tuple[str, ...] = ()

    @property
    def needs_key(self) -> bool:
        """Whether a key is required (unless the base URL is local)."""
        return bool(self.api_key_envs)


def _table(*presets: ProviderPreset) -> MappingProxyType[str, ProviderPreset]:
    return MappingProxyType({p.type: p for p in presets})


#: Every backend ``type`` massgen-tui accepts, in the order a listing should show them.
PROVIDERS = _table(
    ProviderPreset("openai", "openai", "OpenAI (Responses API)", OPENAI_URL, ("OPENAI_API_KEY",)),
    ProviderPreset("claude", "claude", "Anthropic Claude", None, ("ANTHROPIC_API_KEY",)),
    ProviderPreset("gemini", "gemini", "Google Gemini", None, ("GEMINI_API_KEY", "GOOGLE_API_KEY")),
    ProviderPreset(
        "azure_openai",
        "azure_openai",
        "Azure OpenAI",
        None,
        ("AZURE_OPENAI_API_KEY",),
        base_url_env="AZURE_OPENAI_ENDPOINT",
        api_version_env="AZURE_OPENAI_API_VERSION",
    ),
    ProviderPreset("chatcompletion", "chatcompletion", "Any OpenAI-compatible server", OPENAI_URL, ("OPENAI_API_KEY",)),
    ProviderPreset("grok", "chatcompletion", "xAI Grok", "https://api.x.ai/v1", ("XAI_API_KEY",)),
    ProviderPreset("zai", "chatcompletion", "Z.ai GLM", "https://api.z.ai/api/paas/v4", ("ZAI_API_KEY",)),
    ProviderPreset("cerebras", "chatcompletion", "Cerebras", "https://api.cerebras.ai/v1", ("CEREBRAS_API_KEY",)),
    ProviderPreset("together", "chatcompletion", "Together AI", "https://api.together.xyz/v1", ("TOGETHER_API_KEY",)),
    ProviderPreset(
        "fireworks", "chatcompletion", "Fireworks AI", "https://api.fireworks.ai/inference/v1", ("FIREWORKS_API_KEY",)
    ),
    ProviderPreset("groq", "chatcompletion", "Groq", "https://api.groq.com/openai/v1", ("GROQ_API_KEY",)),
    ProviderPreset(
        "nebius", "chatcompletion", "Nebius AI Studio", "https://api.studio.nebius.ai/v1", ("NEBIUS_API_KEY",)
    ),
    ProviderPreset(
        "openrouter", "chatcompletion", "OpenRouter", "https://openrouter.ai/api/v1", ("OPENROUTER_API_KEY",)
    ),
    ProviderPreset(
        "qwen", "chatcompletion", "Qwen (DashScope)", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        ("QWEN_API_KEY",), other_hosts=("dashscope.aliyuncs.com",),
    ),
    ProviderPreset(
        "moonshot", "chatcompletion", "Moonshot AI (Kimi)", "https://api.moonshot.cn/v1",
        ("MOONSHOT_API_KEY", "KIMI_API_KEY"), other_hosts=("api.moonshot.ai",),
    ),
    ProviderPreset(
        "nvidia_nim", "chatcompletion", "Nvidia NIM", "https://integrate.api.nvidia.com/v1", ("NGC_API_KEY",)
    ),
    ProviderPreset("poe", "chatcompletion", "Poe", "https://api.poe.com/v1", ("POE_API_KEY",)),
    ProviderPreset("lmstudio", "chatcompletion", "LM Studio (local)", "http://localhost:1234/v1"),
    ProviderPreset("vllm", "chatcompletion", "vLLM (local)", "http://localhost:8000/v1"),
    ProviderPreset("sglang", "chatcompletion", "SGLang (local)", "http://localhost:30000/v1"),
    ProviderPreset("ollama", "chatcompletion", "Ollama (local)", "http://localhost:11434/v1"),
    ProviderPreset("llamacpp", "llamacpp", "GGUF model in-process (xllamacpp)"),
    ProviderPreset("claude_code", "claude_code", "Claude Code agent (claude-code extra)", None, ("ANTHROPIC_API_KEY",)),
    ProviderPreset("codex", "codex", "OpenAI Codex agent (codex CLI)", None, ("OPENAI_API_KEY", "CODEX_API_KEY")),
)

#: MassGen backend types that massgen-tui does not implement (named in the error instead of a guess).
MASSGEN_ONLY_TYPES = frozenset({"ag2", "gemini_cli", "copilot", "antigravity_cli"})

#: Model-name prefixes that imply a backend, for quick setup and configs without ``type``.
_MODEL_PREFIXES = (
    (("gpt-", "o1", "o3", "o4"), "openai"),
    (("claude-",), "claude"),
    (("gemini-",), "gemini"),
    (("grok-",), "grok"),
    (("glm-",), "zai"),
)


def infer_backend_type(model: str) -> str | None:
    """The backend a model name implies (``gpt-*``/``o1*``/``o3*``/``o4*``, ``claude-*``, ...), or ``None``."""
    name = model.strip().lower()
    for prefixes, backend in _MODEL_PREFIXES:
        if name.startswith(prefixes):
            return backend
    return None


def is_local_url(url: str) -> bool:
    """Whether a base URL points at this machine or a private network (no key needed there)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def preset_for_url(url: str) -> ProviderPreset | None:
    """The keyed preset whose default base URL has the same host as ``url`` (for ``chatcompletion``)."""
    host = urlsplit(url).hostname
    for preset in PROVIDERS.values():
        if preset.needs_key and preset.base_url and host in (urlsplit(preset.base_url).hostname, *preset.other_hosts):
            return preset
    return None
