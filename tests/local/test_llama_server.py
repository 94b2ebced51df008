"""A team on llama.cpp's own OpenAI-compatible HTTP server (a real server nobody here wrote), run by
xllamacpp in a separate process with the embedded model: the ``chatcompletion`` backend, structured
decisions, headless and in the app, and the server going away mid-stream."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from massgen_tui.app.main import MassGenApp
from massgen_tui.app.themes import bundled_theme_dir
from massgen_tui.config import load_config
from massgen_tui.config.embedded_model import installed_path
from massgen_tui.coordination.session import Session
from massgen_tui.events import EventBus
from massgen_tui.events.types import TextDelta
from tests.local.conftest import needs_local_extra, wait_for_the_turn
from tests.local.llama_server import llama_server
from tests.local.test_local_session import _by_kind, _check_protocol, _events

pytestmark = needs_local_extra


def team_yaml(url: str) -> str:
    """Three chatcompletion agents on the server at ``url``, deciding in JSON."""
    backend = f"{{type: chatcompletion, model: smollm2, base_url: '{url}', structured_output: true, " \
              "temperature: 0.7, max_tokens: 96}"
    return ("agents:\n" + "".join(f"  - id: smol_{name}\n    backend: {backend}\n" for name in "abc")
            + "orchestrator: {max_new_answers_per_agent: 1}\ntimeout_settings: {orchestrator_timeout_seconds: 600}\n")


@pytest.fixture(scope="module")
def server():
    with llama_server(installed_path(), parallel=3) as running:
        yield running


def test_a_team_on_a_real_llama_cpp_server_finishes_headless(server, tmp_path) -> None:
    url, _ = server
    config = tmp_path / "team.yaml"
    config.write_text(team_yaml(url))
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    result = subprocess.run(
        [sys.executable, "-m", "massgen_tui", "--no-display", "--config", str(config), "--log-dir",
         str(tmp_path / "logs"), "What is 2+2?"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and "winner: smol_" in result.stderr
    _check_protocol(_by_kind(_events(tmp_path / "logs")))


async def test_a_team_on_a_real_llama_cpp_server_finishes_in_the_app(server, tmp_path) -> None:
    url, _ = server
    path = tmp_path / "team.yaml"
    path.write_text(team_yaml(url))
    app = MassGenApp(load_config(path, env={}).config, "Name a colour.", settings_path=tmp_path / "settings.yaml",
                     theme_dirs=[bundled_theme_dir()], log_root=tmp_path / "logs")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for_the_turn(app, pilot)
        view = app.live.view
        assert view.turn_status == "completed" and view.final_done and view.final_text.strip()
        assert view.winner_id in view.answers
    _check_protocol(_by_kind(_events(tmp_path / "logs")))


async def test_a_server_that_goes_away_mid_stream_fails_its_agents_with_a_clear_message(tmp_path) -> None:
    with llama_server(installed_path(), parallel=3) as (url, process):
        path = tmp_path / "team.yaml"
        path.write_text(team_yaml(url).replace("max_tokens: 96", "max_tokens: 400"))
        bus = EventBus()
        events: list = []

        def watch(event) -> None:
            events.append(event)
            if isinstance(event, TextDelta) and process.poll() is None:
                process.kill()  # the server dies while the first reply streams

        bus.subscribe(watch)
        session = Session(load_config(path, env={}).config, bus)
        await session.open()
        result = await asyncio.wait_for(session.ask("Write a long story."), 120)
        await session.close()
    assert result.status == "failed"
    errors = [e.to_dict() for e in events if e.to_dict()["type"] == "error"]
    assert {e["agent_id"] for e in errors if e["fatal"]} == {"smol_a", "smol_b", "smol_c"}
    messages = " | ".join(e["message"] for e in errors)
    assert "Traceback" not in messages and url.removesuffix("/v1").split("//")[1] in messages, messages
