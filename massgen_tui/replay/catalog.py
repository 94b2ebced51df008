"""The saved sessions in a log directory, summarised for the session browser.

A summary comes from ``result.json`` and the first and last lines of ``events.jsonl``. A session
that did not end (killed, or still running) has no totals there: its winner, end and tokens come
from one pass over ``events.jsonl`` that parses only the lines it needs. MassGen ``log_*`` folders
in the same directory are listed too.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from massgen_tui.events import types as ev
from massgen_tui.logs.writer import being_written
from massgen_tui.replay.massgen_log import EVENTS, NotAMassGenLog, read_massgen_log
from massgen_tui.replay.sources import log_format, parse_line

RESULT = "result.json"
_HEAD_LINES = 40
_TAIL_BYTES = 1 << 16


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One saved session as the browser lists it."""

    path: Path
    started: float
    question: str = ""
    agents: str = ""
    winner: str = ""
    duration: float | None = None
    tokens: int | None = None
    cost: float | None = None
    massgen: bool = False
    status: str = "completed"  # or cancelled, timeout, failed; interrupted or running when it did not end; damaged

    def matches(self, words: str) -> bool:
        """Whether every word of ``words`` appears in the question, agents, winner or folder name."""
        haystack = f"{self.question} {self.agents} {self.winner} {self.path.name}".lower()
        return all(word in haystack for word in words.lower().split())


def list_sessions(root: Path) -> list[SessionSummary]:
    """Every session folder under ``root``, newest first."""
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        try:
            summary = summarize(folder)
        except Exception as exc:  # noqa: BLE001 - one bad folder must never make the browser unusable
            summary = _damaged(folder, exc)
        if summary is not None:
            found.append(summary)
    return sorted(found, key=lambda s: s.started, reverse=True)


def summarize(folder: Path) -> SessionSummary | None:
    """The summary of one session folder, or ``None`` if it holds no session."""
    events = folder / EVENTS
    if events.is_file() and log_format(events) == "ours":
        return _ours(folder, events)
    if folder.name.startswith("log_"):
        return _massgen(folder)
    return None


def _damaged(folder: Path, exc: Exception) -> SessionSummary:
    try:
        started = folder.stat().st_mtime
    except OSError:
        started = 0.0
    why = "nested too deeply" if isinstance(exc, RecursionError) else (str(exc) or type(exc).__name__)
    return SessionSummary(path=folder, started=started, question=f"(cannot read this log: {why})", status="damaged")


def _finite(value: Any) -> float | None:
    """``value`` as a finite number, or ``None`` (a string, NaN, infinity, missing)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _count(value: Any) -> int:
    number = _finite(value)
    return int(number) if number is not None and number >= 0 else 0


def _duration(start: Any, end: Any) -> float | None:
    """Seconds from ``start`` to ``end``; ``None`` when either is not a time or the end comes first."""
    first, last = _finite(start), _finite(end)
    return last - first if first is not None and last is not None and last >= first else None


def delete_session(summary: SessionSummary, root: Path) -> None:
    """Remove a session's folder (only a folder directly inside ``root``)."""
    if summary.path.resolve().parent != root.resolve():
        raise ValueError(f"{summary.path} is not a session folder of {root}")
    shutil.rmtree(summary.path)


def _agents_text(agents: list[dict[str, Any]]) -> str:
    return ", ".join(f"{a.get('id', '?')} ({a['model']})" if a.get("model") else str(a.get("id", "?"))
                     for a in agents)


def _ours(folder: Path, events: Path) -> SessionSummary:
    result = _json_file(folder / RESULT)
    head = _head_events(events)
    started = next((e for e in head if isinstance(e, ev.SessionStarted)), None)
    turn = next((e for e in head if isinstance(e, ev.TurnStarted)), None)
    ended = _last_session_end(events)
    start_ts = _finite(result.get("started_at")) or (started.ts if started else None) or events.stat().st_mtime
    turns = result.get("turns") if isinstance(result.get("turns"), list) else []
    first_turn = turns[0] if turns and isinstance(turns[0], dict) else {}
    question = str(first_turn.get("question", "")) if turns else (turn.question if turn else "")
    agents = result.get("agents") if isinstance(result.get("agents"), list) else []
    agents = agents or (started.agents if started else [])
    if ended is not None:
        totals: dict[str, Any] = result["totals"] if isinstance(result.get("totals"), dict) else ended.totals
        tokens = (_count(totals.get("input_tokens")) + _count(totals.get("output_tokens"))) if totals else None
        winner = result.get("winner_id") if isinstance(result.get("winner_id"), str) else ""
        end_ts: float | None
        status: str
        winner, end_ts, cost, status = (winner or ended.winner_id or "", ended.ts,
                                        _finite(totals.get("cost")), ended.status)
    else:
        unfinished = _scan_unfinished(events)
        winner, end_ts, tokens, cost = unfinished.winner, unfinished.last_ts, unfinished.tokens, unfinished.cost
        status = "running" if being_written(events) else "interrupted"
    return SessionSummary(
        path=folder, started=start_ts, question=question, agents=_agents_text(agents), winner=winner,
        duration=_duration(start_ts, end_ts), tokens=tokens, cost=cost, status=status,
    )


@dataclass(slots=True)
class _Unfinished:
    """What a session that did not end tells in its events: the latest winner, last time and usage."""

    winner: str = ""
    last_ts: float | None = None
    tokens: int | None = None
    cost: float | None = None


# Only lines of these types are parsed (each line starts with its type, as the log writer puts it).
_USAGE, _WINNERS = b'{"type": "usage"', (b'{"type": "turn_ended"', b'{"type": "consensus"')


def _scan_unfinished(path: Path) -> _Unfinished:
    found = _Unfinished()
    last = b""
    with open(path, "rb") as handle:
        for raw in handle:
            if raw.strip():
                last = raw
            if raw.startswith(_USAGE):
                usage = _parsed(raw)
                if isinstance(usage, ev.Usage):
                    found.tokens = (found.tokens or 0) + usage.input_tokens + usage.output_tokens
                    if usage.cost is not None:
                        found.cost = (found.cost or 0.0) + usage.cost
            elif raw.startswith(_WINNERS):
                event = _parsed(raw)
                if isinstance(event, (ev.TurnEnded, ev.ConsensusReached)) and event.winner_id:
                    found.winner = event.winner_id
    event = _parsed(last)
    found.last_ts = event.ts if event is not None else None
    return found


def _massgen(folder: Path) -> SessionSummary | None:
    try:
        events = read_massgen_log(folder).events
    except (NotAMassGenLog, OSError, ValueError):
        return None
    started = next((e for e in events if isinstance(e, ev.SessionStarted)), None)
    turn = next((e for e in events if isinstance(e, ev.TurnStarted)), None)
    ended = events[-1] if events and isinstance(events[-1], ev.SessionEnded) else None
    totals = ended.totals if ended else {}
    tokens = _count(totals.get("input_tokens")) + _count(totals.get("output_tokens")) if totals else None
    return SessionSummary(
        path=folder, started=events[0].ts if events else folder.stat().st_mtime,
        question=turn.question if turn else "", agents=_agents_text(started.agents if started else []),
        winner=(ended.winner_id or "") if ended else "",
        duration=_duration(events[0].ts, events[-1].ts) if events else None, tokens=tokens,
        cost=_finite(totals.get("cost")), massgen=True, status=ended.status if ended else "interrupted",
    )


def _json_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _parsed(raw: bytes) -> ev.Event | None:
    """The event on ``raw``, or ``None`` for a damaged line (bad JSON, NaN, wrong field types, too deep)."""
    if not raw.strip():
        return None
    try:
        return parse_line(raw)
    except ValueError:  # damaged, or of an unknown type
        return None


def _head_events(path: Path) -> list[ev.Event]:
    with open(path, "rb") as handle:
        return [e for _, raw in zip(range(_HEAD_LINES), handle, strict=False) if (e := _parsed(raw)) is not None]


def _last_session_end(path: Path) -> ev.SessionEnded | None:
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(size - _TAIL_BYTES, 0))
        tail = handle.read().split(b"\n")
    for raw in reversed(tail):
        event = _parsed(raw)
        if isinstance(event, ev.SessionEnded):
            return event
    return None
