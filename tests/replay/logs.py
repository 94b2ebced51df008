"""Session logs for replay tests: our own, written by the real log writer from scripted events."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from massgen_tui.events import Event
from massgen_tui.events import types as ev
from massgen_tui.logs.writer import SessionLogWriter
from tests.app import scenarios

# A real MassGen 0.1.97 log folder (three agents on a fake provider), without its prompt contexts,
# massgen.log and coordination_events.json, which nothing reads.
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures/massgen/log_20261122_020250_603449"


def finished_session() -> list[Event]:
    """A whole turn: streaming, answers, votes (one cleared), a restart, consensus, final answer, totals."""
    t = scenarios.finished()
    t.add(ev.SessionEnded(status="completed", winner_id="alpha",
                          totals={"input_tokens": 2100, "output_tokens": 140, "cost": 0.00042}))
    return t.events


def write_log(folder: Path, events: Iterable[Event]) -> Path:
    """Write ``events`` as a session folder (events.jsonl and side files); returns the folder."""
    writer = SessionLogWriter(folder)
    for event in events:
        writer(event)
    writer.close()
    return folder
