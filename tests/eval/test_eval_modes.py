"""Eval modes on the fake provider: scripted right and wrong answers give known accuracies exactly."""

from __future__ import annotations

import time
from pathlib import Path

from massgen_tui.eval.modes import build_modes
from massgen_tui.eval.questions import load_questions
from massgen_tui.eval.report import summarise
from massgen_tui.eval.results import read_records
from massgen_tui.eval.run import run_eval
from massgen_tui.events import types as ev
from massgen_tui.replay.session import open_session
from tests.conftest import make_team
from tests.eval.helpers import EXPECTED_ACCURACY, script_team, write_questions

TEAM = (("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"), ("c", "chatcompletion", "m-c"))


async def test_each_mode_scores_exactly_the_scripted_accuracy(fake, tmp_path: Path):
    script_team(fake)
    config = make_team(fake, *TEAM)
    questions = load_questions(write_questions(tmp_path / "q.jsonl"))
    modes = build_modes(["single", "majority", "protocol"], config)
    modes += [m for m in build_modes(["protocol"], config, remedies=True) if m.name == "protocol+verbatim"]
    results = tmp_path / "out" / "results.jsonl"
    await run_eval(config, questions, modes, tmp_path / "out", results, concurrency=4)

    records = read_records(results)
    assert len(records) == len(questions) * len(modes)
    correct = {s.mode: s.correct for s in summarise(records)}
    assert correct == EXPECTED_ACCURACY
    by_key = {(r["id"], r["mode"]): r for r in records}
    # The protocol's presenter rewrote a right answer; verbatim keeps the winner's answer.
    assert by_key["q1", "protocol"]["extracted"] == "168"
    assert by_key["q1", "protocol+verbatim"]["answer"] == "a says 148"
    assert by_key["q4", "majority"]["extracted_by_agent"] == {"a": "21", "b": "24", "c": "24"}
    assert all(r["tokens"] > 0 and r["latency"] > 0 for r in records)


async def test_each_protocol_item_leaves_a_replayable_session_log(fake, tmp_path: Path):
    script_team(fake)
    config = make_team(fake, *TEAM)
    questions = load_questions(write_questions(tmp_path / "q.jsonl"))[:1]
    results = tmp_path / "out" / "results.jsonl"
    await run_eval(config, questions, build_modes(["protocol"], config), tmp_path / "out", results)

    record = read_records(results)[0]
    assert Path(record["log_dir"]).is_relative_to(tmp_path / "out" / "logs" / "protocol" / "q1")
    session = open_session(Path(record["log_dir"]))
    session.build()
    events = session.events(0, len(session))
    assert next(e for e in events if isinstance(e, ev.TurnStarted)).question == "What is 67 + 81?"
    assert next(e for e in events if isinstance(e, ev.FinalEnded)).content == "The answer is 168."


async def test_the_provider_cap_runs_items_on_one_provider_one_at_a_time(fake, tmp_path: Path):
    script_team(fake, delay=0.3)
    config = make_team(fake, *TEAM)
    questions = load_questions(write_questions(tmp_path / "q.jsonl"))
    modes = build_modes(["single"], config)[:1]
    started = time.monotonic()
    await run_eval(config, questions, modes, tmp_path / "out", tmp_path / "out" / "results.jsonl",
                   concurrency=4, provider_concurrency=1)
    assert time.monotonic() - started >= 4 * 0.3  # four calls of 0.3 s, never two at once
    assert len(read_records(tmp_path / "out" / "results.jsonl")) == 4
