"""Tests on the embedded SmolLM2 model: they need the ``[local]`` extra and the model
(the README's test command installs both: ``massgen-tui fetch-model``)."""

from __future__ import annotations

import pytest

from massgen_tui.backends.embedded_model import installed_path
from massgen_tui.backends.local_model import engine_installed

needs_local_extra = pytest.mark.skipif(
    not engine_installed() or installed_path() is None,
    reason="needs the local extra and the embedded model: pip install '.[local]' && massgen-tui fetch-model",
)
