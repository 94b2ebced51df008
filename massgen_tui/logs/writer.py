"""The session log: an append-only ``events.jsonl`` flushed per event, plus readable side files.

Layout of a session folder::

    events.jsonl                     every event, one JSON object a line (first: session_started)
    result.json                      how it ended: turns, winner, final answer, totals (rewritten atomically)
    turn_1/<agent>/answer_1.md       each accepted answer
    turn_1/<agent>/vote_1.json       each vote, with its reason
    turn_1/final.md                  the final answer

A killed process leaves ``events.jsonl`` valid up to its last complete line. Every line and
file passes through the redactor, so no secret is ever written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from massgen_tui.events import SCHEMA_VERSION, Event
from massgen_tui.events import types as ev

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so no session is known to be running
    fcntl = None

EVENTS_FILE = "events.jsonl"
RESULT_FILE = "result.json"


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
    """A bus subscriber that writes one session's folder."""

    def __init__(self, directory: Path, redact: Callable[[str], str] = lambda text: text) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._redact = redact
        self._events: TextIO | None = open(directory / EVENTS_FILE, "a", encoding="utf-8", buffering=1)
        if fcntl is not None:  # held until close (or the process's end): readers can tell a running session
            fcntl.flock(self._events.fileno(), fcntl.LOCK_SH)
        self._turn = 0
        self._votes: dict[str, int] = {}
        self._result: dict[str, Any] = {"schema": SCHEMA_VERSION, "status": "running", "turns": []}

    def __call__(self, event: Event) -> None:
        if self._events is None:
            return
        # Line buffering writes each line through to the OS at its newline: a kill loses nothing.
        self._events.write(self._redact(json.dumps(event.to_dict(), ensure_ascii=False)) + "\n")
        handler = self._SIDE_FILES.get(type(event))
        if handler is not None:
            handler(self, event)

    def close(self) -> None:
        """Close ``events.jsonl``; later events are ignored."""
        if self._events is not None:
            self._events.close()
            self._events = None

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
        self._write(f"turn_{self._turn}/{_safe(event.agent_id)}/vote_{n}.json", json.dumps(vote, indent=2))

    def _on_final(self, event: ev.FinalEnded) -> None:
        self._write(f"turn_{self._turn}/final.md", event.content)

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
        """Write a side file atomically (temporary file, then rename)."""
        path = self.directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self._redact(text), encoding="utf-8")
        os.replace(tmp, path)


def _safe(name: str) -> str:
    """A file-system-safe form of an agent id."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "agent"
