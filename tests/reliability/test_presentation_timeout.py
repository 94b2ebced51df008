"""The orchestrator timeout covers the final presentation: a provider that hangs there cannot hang the session."""

from __future__ import annotations

import json
import time

from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session
from tests.fake_provider import Delay, Reply, Text
from tests.test_cli_headless import cli, events_of, session_dir, write_config


def hangs_presenting(answer: str):
    """An agent that answers and votes normally, then hangs (streaming a little first) when presenting."""
    normal = agent(answer)

    def respond(request) -> Reply:
        if not request.tools:
            return Reply(Text("Partial present"), Delay(300), Text("ation."))
        return normal(request)

    return respond


async def test_a_hang_in_the_presentation_ends_at_the_timeout_with_the_winners_last_answer(fake):
    fake.responder("m-a", hangs_presenting("A is 4"))
    fake.responder("m-b", agent("B is four"))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"), timeout=2)
    started = time.monotonic()
    run = await run_session(team, "Q?")
    assert time.monotonic() - started < 10
    assert (run.result.status, run.result.winner_id, run.result.final_answer) == ("timeout", "a", "A is 4")
    (final,) = run.of(ev.FinalEnded)
    assert final.content == "A is 4"
    assert any(n.message.startswith("Orchestrator timeout: a did not finish presenting within")
               and n.message.endswith("its last answer is the final answer.") for n in run.of(ev.Notice))


def test_headless_with_timeout_prints_the_last_answer_and_logs_a_complete_session(tmp_path, fake):
    fake.responder("alpha", hangs_presenting("The answer is 4."))
    fake.responder("beta", agent("Four"))
    config = write_config(tmp_path, fake, ["alpha", "beta"])
    started = time.monotonic()
    result = cli(tmp_path, "--config", str(config), "--timeout", "3", "What is 2+2?")
    assert time.monotonic() - started < 20
    assert result.returncode == 0, result.stderr  # a timeout with an answer
    assert result.stdout == "The answer is 4.\n"
    assert "did not finish presenting" in result.stderr
    folder = session_dir(tmp_path)
    types = [e["type"] for e in events_of(folder)]
    assert types[-2:] == ["turn_ended", "session_ended"]
    assert (folder / "turn_1" / "final.md").read_text() == "The answer is 4."
    assert json.loads((folder / "result.json").read_text())["status"] in ("completed", "timeout")
