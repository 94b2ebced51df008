"""What a ``llamacpp`` agent's config needs to know about the local engine, checked without importing it.

The engine is xllamacpp (llama.cpp's own server engine, prebuilt wheels), installed by the
``[local]`` extra. The model is a GGUF file: ``model_path``, or the embedded default
SmolLM2-135M-Instruct (see :mod:`massgen_tui.config.embedded_model`). The config checks and the
``llamacpp`` backend both use these, so they live with the config, which imports no backend.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from massgen_tui.config import embedded_model

#: Reply budget of a ``llamacpp`` agent whose config sets no ``max_tokens``.
DEFAULT_MAX_TOKENS = 512
#: The command that installs what the ``llamacpp`` backend needs.
INSTALL_COMMAND = "pip install 'massgen-tui[local]'"
#: The Python package that runs GGUF models.
ENGINE_MODULE = "xllamacpp"
EMBEDDED_MODEL_NAME = embedded_model.MODEL_NAME
#: Every GGUF file starts with these four bytes.
GGUF_MAGIC = b"GGUF"


class LocalModelError(Exception):
    """The local backend cannot run: the extra is missing, or the model file cannot be read."""


def engine_installed() -> bool:
    """Whether the engine (``xllamacpp``) can be imported (checked without importing it)."""
    if ENGINE_MODULE in sys.modules:
        return sys.modules[ENGINE_MODULE] is not None
    return importlib.util.find_spec(ENGINE_MODULE) is not None


def missing_extra_message() -> str:
    """The one message for a missing ``[local]`` extra."""
    return f"the llamacpp backend needs xllamacpp, which is not installed: {INSTALL_COMMAND}"


def model_problem(path: Path) -> str | None:
    """Why ``path`` cannot be loaded as a model file (naming it), or ``None`` if it can be read."""
    if not path.exists():
        return f"model file not found: {path}"
    if path.is_dir():
        return f"model path is a directory, not a .gguf file: {path}"
    if not path.is_file():
        return f"model path is not a file: {path}"
    if not os.access(path, os.R_OK):
        return f"model file is not readable: {path}"
    try:
        with path.open("rb") as file:
            magic = file.read(len(GGUF_MAGIC))
    except OSError as exc:
        return f"model file cannot be read: {path}: {exc.strerror}"
    if magic != GGUF_MAGIC:
        return f"not a GGUF model file (it does not start with 'GGUF'): {path}"
    return None


def resolve_model_path(model_path: str | None) -> Path:
    """The model file to load: ``model_path`` (``~`` expanded), or the embedded model.

    Raises :class:`LocalModelError` naming the path when it cannot be read, or saying how to get
    the embedded model when no path is set and it is not there yet.
    """
    if model_path is None:
        embedded = embedded_model.installed_path()
        if embedded is None:
            raise LocalModelError(
                f"no model_path given and the embedded {EMBEDDED_MODEL_NAME} model is not downloaded yet: "
                f"run '{embedded_model.FETCH_COMMAND}' ({embedded_model.SIZE_TEXT}, once; --local does it for you)"
            )
        path = embedded
    else:
        path = Path(model_path).expanduser().absolute()
    problem = model_problem(path)
    if problem is not None:
        raise LocalModelError(problem)
    return path
