"""What to tell the user about agents that run the ``llamacpp`` backend's local model.

What the config checks need (the engine, the model file, the embedded model) is in
:mod:`massgen_tui.config.local_engine`.
"""

from __future__ import annotations

from collections.abc import Sequence

from massgen_tui.config.local_engine import EMBEDDED_MODEL_NAME
from massgen_tui.config.model import AgentConfig


def embedded_model_notice(agents: Sequence[AgentConfig]) -> str | None:
    """What to tell the user when agents run on the embedded model (``None`` when none do)."""
    if not any(a.backend.family == "llamacpp" and a.backend.model_path is None for a in agents):
        return None
    return (
        f"The embedded {EMBEDDED_MODEL_NAME} model (135M parameters) demonstrates the protocol, not answer "
        "quality. For real answers use a provider config (configs/three_provider_team.yaml) or a local "
        "server (configs/local_openai_compatible.yaml)."
    )
