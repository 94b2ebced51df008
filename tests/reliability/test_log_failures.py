"""The session log cannot die: bad text, hostile agent ids and a full disk, each injected.

A failure is reported once, the session goes on, and what was not saved is named at the end.
"""

from __future__ import annotations

import errno
import io
import json
from pathlib import Path

from massgen_tui.app.widgets.final_view import final_answer_file
from massgen_tui.events import types as ev
from massgen_tui.headless.run import run_headless
from massgen_tui.logs import writer as log_writer
from massgen_tui.logs.writer import MAX_NAME, SessionLogWriter
from tests.app.screen_text import screen_text
from tests.app.test_app_session import SIZE, make_app, wait_for_turn
from tests.conftest import make_team
from tests.coordination.helpers import agent
from tests.test_cli_headless import cli, session_dir, write_config

SURROGATE = "\ud800"


def team(fake, final: str = "The answer is 4."):
    fake.responder("alpha", agent("4", final=final))
    fake.responder("beta", agent("Four"))
    return make_team(fake, ("alpha", "chatcompletion", "alpha"), ("beta", "chatcompletion", "beta"))


def events_in(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_surrogate_in_the_final_answer_neither_stops_the_log_nor_cuts_stdout(tmp_path, fake):
    fake.responder("alpha", agent("4", final=f"The answer {SURROGATE} is 4."))
    fake.responder("beta", agent("Four"))
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "What is 2+2?")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "The answer \ufffd is 4.\n"
    folder = session_dir(tmp_path)
    assert events_in(folder)[-1]["type"] == "session_ended"
    assert json.loads((folder / "result.json").read_text())["status"] == "completed"
    assert (folder / "turn_1" / "final.md").read_text() == "The answer \ufffd is 4."


def test_surrogates_in_answers_and_votes_are_repaired_in_every_file(tmp_path):
    folder = tmp_path / "session"
    writer = SessionLogWriter(folder)
    writer(ev.TurnStarted(turn=1, question=f"q {SURROGATE}", labels={}))
    writer(ev.AnswerSubmitted(agent_id="a", label="agent1", version=1, content=f"4 {SURROGATE}"))
    writer(ev.VoteCast(agent_id="b", target_id="a", target_label="agent1", reason=f"ok {SURROGATE}"))
    writer(ev.TurnEnded(turn=1, status="completed", winner_id="a", final_answer=f"4 {SURROGATE}"))
    writer.close()

    assert writer.failure is None and len(events_in(folder)) == 4
    assert (folder / "turn_1" / "a" / "answer_1.md").read_text() == "4 \ufffd"
    assert json.loads((folder / "turn_1" / "b" / "vote_1.json").read_text())["reason"] == "ok \ufffd"
    assert json.loads((folder / "result.json").read_text())["status"] == "completed"


def test_file_names_from_hostile_agent_ids_stay_inside_the_folder_bounded_and_apart(tmp_path):
    ids = ["a" * 300, "b" * 300, "x/../../escape", "..", "nul\x00id", "/"]
    folder = tmp_path / "session"
    writer = SessionLogWriter(folder)
    writer(ev.TurnStarted(turn=1, question="q", labels={}))
    for agent_id in ids:
        writer(ev.AnswerSubmitted(agent_id=agent_id, label="agent1", version=1, content=f"from {agent_id!r}"))
    writer.close()

    answers = sorted(folder.rglob("answer_1.md"))
    assert len(answers) == len(ids)  # every id got its own folder
    for path in answers:
        assert path.parent.parent == folder / "turn_1" and len(path.parent.name) <= MAX_NAME
    assert not list(tmp_path.glob("*escape*")) and writer.failure is None
    assert events_in(folder)[-1]["agent_id"] == "/"


class FullDisk(io.RawIOBase):
    """A file whose writes fail with ENOSPC once ``budget`` bytes were written."""

    def __init__(self, real, budget: int) -> None:
        self.real, self.budget = real, budget

    def write(self, data) -> int:
        if len(data) > self.budget:
            self.real.write(bytes(data[: self.budget]))  # a partial line, as a full disk leaves it
            self.budget = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.budget -= len(data)
        return self.real.write(data)

    def tell(self) -> int:
        return self.real.tell()

    def truncate(self, size=None) -> int:
        return self.real.truncate(size)

    def close(self) -> None:
        self.real.close()


def fill_disk_after(monkeypatch, budget: int, side_files: bool = True) -> None:
    real_open = log_writer._open_events
    monkeypatch.setattr(log_writer, "_open_events", lambda path: FullDisk(real_open(path), budget))
    if not side_files:
        return

    def no_space(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(log_writer, "_write_file", no_space)


async def test_a_full_disk_is_reported_once_the_session_goes_on_and_the_missing_files_are_named(
        tmp_path, fake, monkeypatch):
    fill_disk_after(monkeypatch, 3000)
    out, err = io.StringIO(), io.StringIO()
    code = await run_headless(team(fake), "What is 2+2?", log_root=tmp_path, stdout=out, stderr=err)

    assert code == 0 and out.getvalue() == "The answer is 4.\n"
    lines = err.getvalue().splitlines()
    stopped = [line for line in lines if "log error: the session log stopped" in line]
    assert len(stopped) == 1 and "No space left on device" in stopped[0]
    (summary,) = [line for line in lines if "log error: the session log is incomplete; not saved:" in line]
    assert "events.jsonl from event" in summary and "turn_1/final.md" in summary and "result.json" in summary
    assert "session completed" in lines[-2] and lines[-1] == summary  # named at the very end

    (folder,) = tmp_path.iterdir()
    events = events_in(folder)  # valid up to its last complete line
    assert 0 < len(events) and events[0]["type"] == "session_started"
    assert not (folder / "turn_1" / "final.md").exists() and not list(folder.rglob("*.tmp"))


async def test_a_disk_full_in_the_middle_of_a_line_leaves_events_jsonl_valid_to_its_last_line(
        tmp_path, fake, monkeypatch):
    fill_disk_after(monkeypatch, 5000, side_files=False)
    out, err = io.StringIO(), io.StringIO()
    assert await run_headless(team(fake), "What is 2+2?", log_root=tmp_path, stdout=out, stderr=err) == 0

    assert err.getvalue().count("log error: the session log stopped (events.jsonl: No space left on device)") == 1
    (folder,) = tmp_path.iterdir()
    text = (folder / "events.jsonl").read_text()
    assert text.endswith("\n") and len(text) <= 5000
    events = [json.loads(line) for line in text.splitlines()]  # every line whole
    assert f"events.jsonl from event {events[-1]['seq'] + 1} on" in err.getvalue()


async def test_the_app_notifies_once_and_does_not_claim_the_final_answer_was_saved(tmp_path, fake, monkeypatch):
    fill_disk_after(monkeypatch, 3000)
    app = make_app(team(fake), "What is 2+2?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_turn(app, pilot)
        view = app.live.view
        assert view.final_done and view.log_failed and final_answer_file(view) is None
        messages = [n.message for n in app._notifications]
        assert sum("the session log stopped" in m for m in messages) == 1
        await pilot.pause(0.1)  # the final answer opens by itself when the turn ends
        shown = screen_text(app)
        assert "not saved: the session log failed" in shown and "final.md" not in shown


def test_an_unwritable_log_dir_is_one_message_and_the_session_still_answers(tmp_path, fake):
    (tmp_path / "logs").write_text("a file, not a folder")
    fake.responder("alpha", agent("4", final="The answer is 4."))
    fake.responder("beta", agent("Four"))
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "What is 2+2?")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "The answer is 4.\n"
    assert result.stderr.count("log error: the session log stopped") == 1
    assert "Traceback" not in result.stderr
    assert "not saved: events.jsonl from event 1 on" in result.stderr


def test_the_session_folder_and_its_files_are_the_users_alone(tmp_path):
    folder = tmp_path / "session"
    writer = SessionLogWriter(folder)
    writer(ev.TurnStarted(turn=1, question="q", labels={}))
    writer(ev.AnswerSubmitted(agent_id="a", label="agent1", version=1, content="private"))
    writer.close()
    assert {p.stat().st_mode & 0o777 for p in folder.rglob("*") if p.is_file()} == {0o600}
    assert {p.stat().st_mode & 0o777 for p in [folder, *folder.rglob("*")] if p.is_dir()} == {0o700}
