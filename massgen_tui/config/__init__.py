"""Configuration: MassGen YAML/JSON files and quick ``--model`` setup, checked and resolved.

Importing this package is cheap (PyYAML, platformdirs and python-dotenv; no provider SDKs).
"""

from massgen_tui.config.env import load_env
from massgen_tui.config.loader import LoadedConfig, check_text, load_config
from massgen_tui.config.model import (
    AgentConfig,
    BackendConfig,
    McpServerConfig,
    OrchestratorSettings,
    SessionConfig,
    TimeoutSettings,
    UiSettings,
)
from massgen_tui.config.providers import PROVIDERS, ProviderPreset, infer_backend_type
from massgen_tui.config.quick import config_from_models

__all__ = [
    "PROVIDERS",
    "AgentConfig",
    "BackendConfig",
    "LoadedConfig",
    "McpServerConfig",
    "OrchestratorSettings",
    "ProviderPreset",
    "SessionConfig",
    "TimeoutSettings",
    "UiSettings",
    "check_text",
    "config_from_models",
    "infer_backend_type",
    "load_config",
    "load_env",
]
