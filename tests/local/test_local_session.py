"""Three agents on the embedded SmolLM2-135M model through the whole protocol, headless and in the app.

The assertions are about the protocol (answers, votes, a winner, a final answer), never the wording.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from massgen_tui.app.main import MassGenApp
from massgen_tui.app.themes import bundled_theme_dir
from massgen_tui.config import load_config
from tests.coordination.helpers import run_session
from tests.local.conftest import needs_local_extra, wait_for_the_turn

pytestmark = needs_local_extra

#: The bundled demo, with a smaller reply budget to keep the tests quick.
FAST_DEMO = """
agents:
  - id: smol_a
    backend: &smol {type: llamacpp, temperature: 0.7, max_tokens: 96, n_ctx: 2048}
  - id: smol_b
    backend: *smol
  - id: smol_c
    backend: *smol
orchestrator: {max_new_answers_per_agent: 1}
timeout_settings: {orchestrator_timeout_seconds: 120}
"""


def _events(log_root: Path) -> list[dict]:
    (session,) = log_root.iterdir()
    return [json.loads(line) for line in (session / "events.jsonl").read_text().splitlines()]


def _check_protocol(kinds: dict[str, list[dict]]) -> None:
    """Every agent answered, or repeated an answer and voted instead, or was put out (a small model may
    break the rules on every attempt); every agent left voted, the winner has an answer and presented
    a non-empty final answer."""
    answered = {a["agent_id"] for a in kinds["answer"]}
    voted = {v["agent_id"] for v in kinds.get("vote", [])}
    failed = {e["agent_id"] for e in kinds.get("error", []) if e["fatal"]}
    assert answered | voted | failed == {"smol_a", "smol_b", "smol_c"} and len(failed) < 3
    assert answered and (voted | failed) >= {"smol_a", "smol_b", "smol_c"} - failed
    assert all(a["content"].strip() for a in kinds["answer"])
    (ended,) = kinds["turn_ended"]
    assert ended["status"] == "completed" and ended["final_answer"].strip()
    consensus = kinds["consensus"][-1]
    assert consensus["winner_id"] == ended["winner_id"] in answered
    assert consensus["reason"] == "votes" and sum(consensus["tally"].values()) == 3 - len(failed)


def _by_kind(events: list[dict]) -> dict[str, list[dict]]:
    kinds: dict[str, list[dict]] = {}
    for event in events:
        kinds.setdefault(event["type"], []).append(event)
    return kinds


def test_local_flag_runs_three_agents_headless_to_a_final_answer(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    result = subprocess.run(
        [sys.executable, "-m", "massgen_tui", "--local", "--no-display", "--log-dir", str(tmp_path), "What is 2+2?"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()  # the final answer
    assert "demonstrates the protocol, not answer quality" in result.stderr
    assert "winner: smol_" in result.stderr
    _check_protocol(_by_kind(_events(tmp_path)))


async def test_a_demo_session_reaches_consensus_and_counts_tokens(tmp_path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(FAST_DEMO)
    run = await run_session(load_config(path, env={}).config, "Name a colour.")
    assert run.result.status == "completed" and run.result.final_answer.strip()
    _check_protocol(_by_kind([e.to_dict() for e in run.events]))
    totals = run.session.totals()
    assert totals["output_tokens"] > 0 and totals["input_tokens"] > 0 and totals["cost"] == 0.0


async def test_the_app_shows_a_local_session_to_its_winner(tmp_path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(FAST_DEMO)
    config = load_config(path, env={}).config
    app = MassGenApp(config, "What is 2+2?", settings_path=tmp_path / "settings.yaml",
                     theme_dirs=[bundled_theme_dir()], log_root=tmp_path / "logs")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for_the_turn(app, pilot)
        view = app.live.view
        assert view.turn_status == "completed"
        assert view.winner_id in {"smol_a", "smol_b", "smol_c"} and view.final_done and view.final_text.strip()
        assert view.winner_id in view.answers and view.votes
        assert any("demonstrates the protocol" in entry.text for entry in view.timeline)
    _check_protocol(_by_kind(_events(tmp_path / "logs")))
