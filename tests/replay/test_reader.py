"""Reading our own session logs for replay: the index, damaged files, checkpoints that seek exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from massgen_tui.replay import index as ix
from massgen_tui.replay import session as replay_session
from massgen_tui.replay.checkpoints import rewind
from massgen_tui.replay.session import NotASession, open_session
from massgen_tui.view.session_view import SessionView
from tests.app import scenarios
from tests.replay.logs import SAMPLE, finished_session, write_log


def view_state(view: SessionView) -> dict:
    """Everything a user can see of a view, as plain data."""
    return {
        "agents": {a.id: (a.status, a.detail, a.input_tokens, a.output_tokens, a.start_ts, a.end_ts,
                          a.tool_calls, a.tool_errors, list(a.transcript.kinds), list(a.transcript.texts),
                          dict(a.transcript.details), list(a.transcript.tool_lines)) for a in view.agents.values()},
        "answers": {k: (v.label, v.version, v.content) for k, v in view.answers.items()},
        "votes": [(v.voter_id, v.target_id, v.reason, v.valid) for v in view.votes],
        "timeline": [(e.at, e.text) for e in view.timeline],
        "restarts": [(e.at, e.text) for e in view.restarts],
        "winner": view.winner_id, "final": (view.final_text, view.final_done), "status": view.turn_status,
    }


def assert_seeks_match_applying(session, events: list, targets: list[int]) -> None:
    """Jump to each target in turn (checkpoint, then the rest of the events) and compare with a
    view that applied the events from the start."""
    screen_view = SessionView()
    for target in targets:
        checkpoint = session.checkpoint_at(target)
        rewind(screen_view, checkpoint, session.whole)
        screen_view.apply_all(session.events(checkpoint.position, target))
        expected = SessionView()
        expected.apply_all(events[:target])
        assert view_state(screen_view) == view_state(expected), target


@pytest.fixture
def log(tmp_path) -> Path:
    return write_log(tmp_path / "20261122-030000-abcd", finished_session())


def test_a_session_folder_or_its_events_file_opens_and_is_indexed(log):
    for path in (log, log / "events.jsonl"):
        session = open_session(path)
        session.build()
        assert len(session) == len(finished_session()) and session.complete
        assert session.warnings() == []
        kinds = [m.kind for m in session.index.markers]
        assert kinds.count(ix.ANSWER) == 2 and kinds.count(ix.VOTE) == 4 and kinds.count(ix.RESTART) == 1
        assert kinds.count(ix.FINAL) == 1 and kinds.count(ix.TURN_END) == 1
        rounds = [m.text for m in session.index.markers if m.kind == ix.ROUND]
        assert rounds == ["turn 1 round 1", "round 2"]


@pytest.mark.parametrize("every", [1, 4, 7, 250])
def test_every_position_restored_from_a_checkpoint_equals_applying_the_events(log, monkeypatch, every):
    monkeypatch.setattr(replay_session, "CHECKPOINT_EVENTS", every)
    session = open_session(log)
    session.build()
    events = finished_session()
    # Visit positions out of order, as a user jumping around would.
    assert_seeks_match_applying(session, events, [len(events), 3, 17, 40, 1, len(events) - 2, 25, 2, 33])


def test_tool_calls_still_running_at_a_checkpoint_are_restored_as_they_were(tmp_path, monkeypatch):
    """A call's line changes when its result arrives: seeking back must show it running again."""
    monkeypatch.setattr(replay_session, "CHECKPOINT_EVENTS", 3)
    events = scenarios.tool_use().events
    session = open_session(write_log(tmp_path / "20261122-040000-tool", events))
    session.build()
    assert_seeks_match_applying(session, events, [*range(len(events), 0, -1), *range(1, len(events) + 1)])


def test_a_truncated_last_line_and_a_garbage_line_are_skipped_and_named(log):
    events_file = log / "events.jsonl"
    lines = events_file.read_text().splitlines(keepends=True)
    lines.insert(10, "this is not json\n")
    lines[-1] = lines[-1][: len(lines[-1]) // 2]  # killed mid-write
    events_file.write_text("".join(lines))
    session = open_session(log)
    session.build()
    assert session.index.damaged_lines == [11, len(lines)]
    assert session.warnings() == [f"skipped 2 damaged line(s): 11, {len(lines)}"]
    assert len(session) == len(finished_session()) - 1
    read = session.events(0, len(session))
    assert [e.seq for e in read] == list(range(1, len(finished_session())))


def test_unknown_event_types_are_skipped_and_counted(log):
    events_file = log / "events.jsonl"
    lines = events_file.read_text().splitlines(keepends=True)
    extra = json.dumps({"type": "telepathy", "seq": 99, "ts": 1.0}) + "\n"
    events_file.write_text("".join(lines[:5] + [extra, extra] + lines[5:]))
    session = open_session(log)
    session.build()
    assert len(session) == len(finished_session())
    assert session.warnings() == ["skipped 2 event(s) of unknown type: telepathy ×2"]


def test_a_file_that_is_not_a_session_and_an_empty_file_are_one_clear_error(tmp_path):
    readme = tmp_path / "notes.txt"
    readme.write_text("hello\n")
    empty = tmp_path / "events.jsonl"
    empty.write_text("")
    with pytest.raises(NotASession, match=r"notes.txt: not a session log"):
        open_session(readme)
    with pytest.raises(NotASession, match=r"events.jsonl: the file is empty"):
        open_session(empty)
    with pytest.raises(NotASession, match=r"no session here"):
        open_session(tmp_path / "nothing" if (tmp_path / "nothing").mkdir() is None else tmp_path)
    with pytest.raises(NotASession, match=r"no such file"):
        open_session(tmp_path / "missing")


def test_replay_never_writes_the_log_it_reads(log):
    events_file = log / "events.jsonl"
    before = (events_file.read_bytes(), events_file.stat().st_mtime_ns)
    events_file.chmod(0o444)
    session = open_session(log)
    session.build()
    session.events(0, len(session))
    assert (events_file.read_bytes(), events_file.stat().st_mtime_ns) == before


def test_a_massgen_log_opens_with_its_skipped_events_counted():
    session = open_session(SAMPLE)
    session.build()
    assert session.massgen and len(session) > 200
    assert session.warnings() == ["skipped 13 MassGen event(s) with no counterpart here"]
    assert [m.kind for m in session.index.markers].count(ix.ANSWER) == 3


def test_a_log_of_json_decisions_keeps_the_json_and_replays_it_as_text_at_every_position(tmp_path, monkeypatch):
    """Checkpoints fall inside JSON replies: a seek there must go on decoding the reply as applying does."""
    monkeypatch.setattr(replay_session, "CHECKPOINT_EVENTS", 3)
    events = scenarios.json_decisions().events
    folder = write_log(tmp_path / "20261122-050000-json", events)
    lines = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    sent = "".join(line["text"] for line in lines if line["type"] == "text" and line["agent_id"] == "beta")
    assert sent == scenarios.BETA_JSON_ANSWER + scenarios.BETA_JSON_VOTE
    session = open_session(folder)
    session.build()
    assert (
        session.whole.agents["beta"].transcript.texts[-1] == '☑ voted for gamma(agent3): shows the "counting on" step'
    )
    assert session.whole.agents["alpha"].transcript.texts[-1] == "- 2 more u"
    assert_seeks_match_applying(session, events, [*range(len(events), 0, -1), *range(1, len(events) + 1)])
