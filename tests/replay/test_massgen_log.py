"""MassGen 0.1.97's own logs read as our event stream (the real sample in tests/fixtures/massgen)."""

from __future__ import annotations

import json
import shutil

import pytest

from massgen_tui.events import types as ev
from massgen_tui.replay.massgen_log import NotAMassGenLog, is_massgen_log, read_massgen_log
from tests.replay.logs import SAMPLE

ATTEMPT = SAMPLE / "turn_1" / "attempt_1"


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


@pytest.mark.parametrize("path", [SAMPLE, ATTEMPT, ATTEMPT / "events.jsonl"])
def test_the_log_folder_an_attempt_folder_or_its_events_file_all_open(path):
    assert is_massgen_log(path)
    session = read_massgen_log(path)
    events = session.events
    started = events[0]
    assert isinstance(started, ev.SessionStarted) and started.session_id == "massgen-20261122_020250_603449"
    assert [(a["id"], a["label"], a["backend"], a["model"]) for a in started.agents] == [
        ("alpha", "agent1", "chatcompletion", "fake-a"), ("beta", "agent2", "chatcompletion", "fake-b"),
        ("gamma", "agent3", "chatcompletion", "fake-c")]
    assert of(events, ev.TurnStarted)[0].question == "What is 2+2?"
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert isinstance(events[-1], ev.SessionEnded) and events[-1].winner_id == "alpha"


def test_the_story_of_the_session_is_kept():
    events = read_massgen_log(SAMPLE).events
    assert [(e.agent_id, e.label, e.version) for e in of(events, ev.AnswerSubmitted)] == [
        ("alpha", "agent1", 1), ("gamma", "agent3", 1), ("beta", "agent2", 1)]
    assert [(e.agent_id, e.target_id, e.target_label) for e in of(events, ev.VoteCast)] == [
        ("beta", "alpha", "agent1"), ("alpha", "alpha", "agent1"), ("gamma", "alpha", "agent1")]
    assert len(of(events, ev.AgentRestarted)) == 5
    consensus = of(events, ev.ConsensusReached)[0]
    assert (consensus.winner_id, consensus.tally) == ("alpha", {"alpha": 3})
    final = of(events, ev.FinalEnded)[0].content
    assert "".join(e.text for e in of(events, ev.FinalDelta)).strip() == final.strip()
    assert final.strip() == (ATTEMPT / "final" / "alpha" / "answer.txt").read_text().strip()
    turn_end = of(events, ev.TurnEnded)[0]
    assert (turn_end.status, turn_end.winner_id, turn_end.final_answer) == ("completed", "alpha", final)
    usage = {e.agent_id: e.input_tokens for e in of(events, ev.Usage)}
    assert set(usage) == {"alpha", "beta", "gamma"} and sum(usage.values()) > 0
    assert events[-1].totals["input_tokens"] == 35056


def test_text_is_kept_chunk_for_chunk_and_unknown_types_are_counted():
    session = read_massgen_log(ATTEMPT)
    raw = [json.loads(line) for line in (ATTEMPT / "events.jsonl").read_text().splitlines()]
    start = next(i for i, r in enumerate(raw) if r["event_type"] == "final_presentation_start")
    end = next(i for i, r in enumerate(raw) if r["event_type"] == "final_answer")
    repeats = [r for r in raw[start:end] if r["event_type"] == "text"]
    # the presenter's text events during the presentation repeat its chunks: shown once, as the final answer
    assert repeats and {r["agent_id"] for r in repeats} == {"alpha"}
    texts = [r["data"]["content"] for r in raw if r["event_type"] == "text" and r not in repeats]
    assert [e.text for e in of(session.events, ev.TextDelta)] == texts
    assert session.skipped["evaluation_criteria_set"] == 8 and session.skipped["context_received"] == 5


def test_damaged_lines_are_skipped_and_reported(tmp_path):
    copy = tmp_path / "attempt_1"
    shutil.copytree(ATTEMPT, copy)
    lines = (copy / "events.jsonl").read_text().splitlines()
    lines[10] = lines[10][:20]
    (copy / "events.jsonl").write_text("\n".join(lines) + "\n" + lines[-1][:15])
    session = read_massgen_log(copy)
    assert session.damaged_lines == [11, len(lines) + 1]
    assert of(session.events, ev.FinalEnded)


def test_a_folder_that_is_not_a_massgen_log_gets_one_clear_error(tmp_path):
    with pytest.raises(NotAMassGenLog, match="no MassGen session here"):
        read_massgen_log(tmp_path)
    assert not is_massgen_log(tmp_path)
