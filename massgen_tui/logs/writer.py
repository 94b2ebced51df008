"""The session log: an append-only ``events.jsonl`` flushed per event, plus readable side files.

Layout of a session folder::

    events.jsonl                     every event, one JSON object a line (first: session_started)
    result.json                      how it ended: turns, winner, final answer, totals (rewritten atomically)
    turn_1/<agent>/answer_1.md       each accepted answer
    turn_1/<agent>/vote_1.json       each vote, with its reason
    turn_1/<agent>/answer_1/workspace/  the agent's workspace when answer 1 was accepted (hard links)
    turn_1/final.md                  the final answer
    turn_1/final_workspace/          the winner's workspace after the final presentation
    snapshot_store/                  the workspace files' content store the snapshots link to

A killed process leaves ``events.jsonl`` valid up to its last complete line. Events arrive
redacted: :func:`~massgen_tui.session_setup.prepare_session` puts the stream redactor in front of
every subscriber, so no secret is ever written.

The writer cannot stop a session: text that cannot be encoded (an unpaired surrogate) is
repaired, file names from agent ids are bounded and safe, and the first error writing
anything (a full disk) stops the log: it is reported once as a :class:`LogFailed` event,
nothing more is written (a log that went on after a gap would look complete), and at the
end of the session a second ``LogFailed`` names everything that was not saved.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from massgen_tui.events import SCHEMA_VERSION, Event
from massgen_tui.events import types as ev
from massgen_tui.text_safety import repair

if sys.platform == "win32":  # no advisory locks, so no session is known to be running
    fcntl = None
else:
    import fcntl

EVENTS_FILE = "events.jsonl"
RESULT_FILE = "result.json"
#: The longest file name made from an agent id (well under every file system's 255 bytes).
MAX_NAME = 64
#: Answers may be private: the session folder is the user's alone (like a ``.env``).
FILE_MODE, FOLDER_MODE = 0o600, 0o700

#: Receives the writer's :class:`LogFailed` events (whatever it returns is ignored, e.g. ``EventBus.publish``).
Report = Callable[[ev.LogFailed], object]


def _open_events(path: Path) -> BinaryIO:
    """``events.jsonl`` opened for appending, unbuffered: each line reaches the OS when written."""
    file = open(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE), "ab", buffering=0)
    file.seek(0, os.SEEK_END)  # so tell() is where the next line starts
    if fcntl is not None:  # held until close (or the process's end): readers can tell a running session
        fcntl.flock(file.fileno(), fcntl.LOCK_SH)
    return file


def _write_file(path: Path, data: bytes) -> None:
    """Write a whole side file."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "wb") as file:
        file.write(data)


def being_written(events_file: Path) -> bool:
    """Whether a live massgen-tui still holds ``events_file`` open (its writer's lock is there)."""
    if fcntl is None:
        return False
    try:
        with open(events_file, "rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


class SessionLogWriter:
    """A bus subscriber that writes one session's folder; ``report`` receives its :class:`LogFailed` events."""

    def __init__(self, directory: Path, report: Report | None = None) -> None:
        self.directory = directory
        self._report = report
        self._events: BinaryIO | None = None
        self._closed = False
        self.failure: str | None = None  # why the log stopped
        self.unsaved: list[str] = []  # what was not saved, in order
        self._lost_from = 0  # the first event not in events.jsonl (its seq)
        self._lost_events = 0
        self._reported = False
        self._turn = 0
        self._votes: dict[str, int] = {}
        self._result: dict[str, Any] = {"schema": SCHEMA_VERSION, "status": "running", "turns": []}
        try:
            directory.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            self._events = _open_events(directory / EVENTS_FILE)
        except OSError as exc:
            self._fail(exc, EVENTS_FILE)

    def __call__(self, event: Event) -> None:
        if self._closed or isinstance(event, ev.LogFailed):
            return
        self._append(event)
        handler = self._SIDE_FILES.get(type(event))
        if handler is not None:
            try:
                handler(self, event)
            except Exception as exc:  # noqa: BLE001 -- a bug here must not stop the session either
                self._fail(exc, f"the files of {type(event).type}")
        self._report_pending()
        if isinstance(event, ev.SessionEnded):
            self._report_unsaved()

    def close(self) -> None:
        """Close ``events.jsonl`` (reporting what was not saved, if not yet done); later events are ignored."""
        if not self._closed:
            self._report_unsaved()
            self._closed = True
        if self._events is not None:
            try:
                self._events.close()
            except OSError:
                pass
            self._events = None

    # ---------------------------------------------------------- failures

    def _append(self, event: Event) -> None:
        if self.failure is None and self._events is not None:
            start = None
            try:
                line = json.dumps(event.to_dict(), ensure_ascii=False, default=str)
                data = (repair(line) + "\n").encode("utf-8")
                start = self._events.tell()
                _write_all(self._events, data)
                return
            except (OSError, ValueError, TypeError) as exc:
                self._fail(exc, EVENTS_FILE)
                self._cut_partial_line(start)
        if not self._lost_events:
            self._lost_from = event.seq
        self._lost_events += 1

    def _cut_partial_line(self, start: int | None) -> None:
        """Keep ``events.jsonl`` valid to its last complete line after a write failed half-way, if the OS lets us."""
        if start is not None and self._events is not None:
            try:
                self._events.truncate(start)
            except OSError:
                pass

    def _fail(self, exc: BaseException, what: str) -> None:
        """Stop the log at its first failure (reported from :meth:`__call__`, once)."""
        if what != EVENTS_FILE:
            self._unsaved(what)
        if self.failure is None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.failure = f"{what}: {reason}"

    def _unsaved(self, what: str) -> None:
        if what not in self.unsaved:
            self.unsaved.append(what)

    def _missing(self) -> list[str]:
        if not self._lost_events:
            return list(self.unsaved)
        return [f"{EVENTS_FILE} from event {self._lost_from} on ({self._lost_events} events)", *self.unsaved]

    def _report_pending(self) -> None:
        if self.failure is not None and not self._reported and self._report is not None:
            self._reported = True
            self._report(ev.LogFailed(
                message=f"the session log stopped ({self.failure}) in {self.directory}; "
                        "the session goes on, and what is not saved is named at the end",
                unsaved=self._missing(),
            ))

    def _report_unsaved(self) -> None:
        if self.failure is None or self._report is None or self._closed:
            return
        self._report_pending()
        self._closed = True  # nothing after this summary
        self._report(ev.LogFailed(message="the session log is incomplete; not saved: " + ", ".join(self._missing()),
                                  unsaved=self._missing()))

    # ---------------------------------------------------------- side files

    def _on_session_started(self, event: ev.SessionStarted) -> None:
        self._result.update(session_id=event.session_id, agents=event.agents, started_at=event.ts)

    def _on_turn_started(self, event: ev.TurnStarted) -> None:
        self._turn = event.turn
        self._votes.clear()
        self._result["turns"].append({"turn": event.turn, "question": event.question, "status": "running"})
        self._write_result()

    def _on_answer(self, event: ev.AnswerSubmitted) -> None:
        self._write(f"turn_{self._turn}/{_safe(event.agent_id)}/answer_{event.version}.md", event.content)

    def _on_vote(self, event: ev.VoteCast) -> None:
        n = self._votes[event.agent_id] = self._votes.get(event.agent_id, 0) + 1
        vote = {"voter": event.agent_id, "target": event.target_id, "label": event.target_label,
                "reason": event.reason, "ts": event.ts}
        text = json.dumps(vote, indent=2, ensure_ascii=False)
        self._write(f"turn_{self._turn}/{_safe(event.agent_id)}/vote_{n}.json", text)

    def _on_final(self, event: ev.FinalEnded) -> None:
        self._write(FINAL_ANSWER.format(turn=self._turn), event.content)

    def _on_turn_ended(self, event: ev.TurnEnded) -> None:
        if self._result["turns"]:
            self._result["turns"][-1].update(
                status=event.status, winner_id=event.winner_id, final_answer=event.final_answer, error=event.error
            )
        self._result["status"] = event.status
        self._write_result()

    def _on_session_ended(self, event: ev.SessionEnded) -> None:
        self._result.update(status=event.status, winner_id=event.winner_id, totals=event.totals, ended_at=event.ts)
        self._write_result()

    _SIDE_FILES: dict[type, Callable[[SessionLogWriter, Any], None]] = {
        ev.SessionStarted: _on_session_started,
        ev.TurnStarted: _on_turn_started,
        ev.AnswerSubmitted: _on_answer,
        ev.VoteCast: _on_vote,
        ev.FinalEnded: _on_final,
        ev.TurnEnded: _on_turn_ended,
        ev.SessionEnded: _on_session_ended,
    }

    def _write_result(self) -> None:
        self._write(RESULT_FILE, json.dumps(self._result, indent=2, ensure_ascii=False))

    def _write(self, relative: str, text: str) -> None:
        """Write a side file atomically (temporary file, then rename); after a failure, only note it unsaved."""
        if self.failure is not None:
            self._unsaved(relative)
            return
        path = self.directory / relative
        tmp = path.with_name(path.name + ".tmp")
        try:
            folder = self.directory
            for part in Path(relative).parent.parts:  # one by one: parents=True would not give them the mode
                folder = folder / part
                folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
            _write_file(tmp, repair(text).encode("utf-8"))
            os.replace(tmp, path)
        except OSError as exc:
            self._fail(exc, relative)
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass


def _write_all(file: BinaryIO, data: bytes) -> None:
    """Write every byte of ``data`` (an unbuffered write may take only part of it)."""
    view = memoryview(data)
    while view:
        written = file.write(view)
        if not written:
            raise OSError(f"could not write {len(view)} bytes")
        view = view[written:]


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def answer_workspace(directory: Path, turn: int, agent_id: str, version: int) -> Path:
    """Where the workspace snapshot of an accepted answer goes: ``turn_N/<agent>/answer_K/workspace/``."""
    return directory / f"turn_{turn}" / _safe(agent_id) / f"answer_{version}" / "workspace"


#: A turn's final answer, relative to the session folder.
FINAL_ANSWER = "turn_{turn}/final.md"


def final_answer_file(directory: Path, turn: int) -> Path:
    """Where a turn's final answer goes: ``turn_N/final.md``."""
    return directory / FINAL_ANSWER.format(turn=turn)


def final_workspace(directory: Path, turn: int) -> Path:
    """Where a turn's final workspace goes: ``turn_N/final_workspace/``."""
    return directory / f"turn_{turn}" / "final_workspace"


def _safe(name: str) -> str:
    """A file-system-safe form of an agent id: ASCII letters, digits and ``-_.``, no leading dot, at most
    :data:`MAX_NAME` characters. An id that had to change ends in a hash of itself, so ids stay apart."""
    safe = _UNSAFE_NAME.sub("_", name).lstrip(".")
    if safe == name and len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{safe[:MAX_NAME - 11] or 'agent'}-{digest}"
