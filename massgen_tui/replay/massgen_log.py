"""MassGen's own session logs, read as massgen-tui events so replay shows them like our sessions.

Accepted: a ``log_YYYYMMDD_HHMMSS_ffffff`` folder (every ``turn_N``, the last ``attempt_N`` of each),
one ``turn_N/attempt_N`` folder, or its ``events.jsonl``. The attempt's ``execution_metadata.yaml``
gives the question and the agents; ``status.json`` the outcome and token usage. Event types with
no counterpart here (evaluation criteria, context labels, locks) are counted in ``skipped``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from massgen_tui.events import Event
from massgen_tui.events import types as ev
from massgen_tui.logs.redact import redact_document

EVENTS = "events.jsonl"
_NUMBERED = re.compile(r"_(\d+)$")


class NotAMassGenLog(ValueError):
    """The path is not a MassGen log folder, attempt folder or events file."""


@dataclass(slots=True)
class ImportedSession:
    """A MassGen session as our events, with what could not be read."""

    events: list[Event]
    skipped: Counter[str] = field(default_factory=Counter)
    damaged_lines: list[int] = field(default_factory=list)


def is_massgen_log(path: Path) -> bool:
    """Whether ``path`` looks like a MassGen log folder, attempt folder or events file."""
    try:
        _attempts(path)
    except NotAMassGenLog:
        return False
    return True


def read_massgen_log(path: Path) -> ImportedSession:
    """Every turn of the MassGen session at ``path`` as one stream of massgen-tui events."""
    attempts = _attempts(path)
    session = ImportedSession(events=[])
    first_meta = _metadata(attempts[0])
    config = first_meta.get("config") or {}
    agents = _agents(config, attempts)
    _emit(session, ev.SessionStarted(
        session_id=_session_id(attempts[0]), agents=agents, config=redact_document(config), log_dir=None,
    ), _first_time(attempts[0]))
    totals: dict[str, Any] = {}
    status = "completed"
    for turn, attempt in enumerate(attempts, start=1):
        status, totals = _read_turn(session, turn, attempt, agents)
    session.events.append(ev.SessionEnded(
        seq=len(session.events) + 1, ts=session.events[-1].ts, status=status, totals=totals,
        winner_id=next((e.winner_id for e in reversed(session.events) if isinstance(e, ev.TurnEnded)), None),
    ))
    return session


def _attempts(path: Path) -> list[Path]:
    """The attempt folders to read, in turn order."""
    if path.is_file():
        if path.name == EVENTS:
            return [path.parent]
        raise NotAMassGenLog(f"{path}: not a MassGen events.jsonl")
    if (path / EVENTS).is_file():
        return [path]
    turns = sorted((p for p in path.glob("turn_*") if p.is_dir()), key=_number)
    attempts = []
    for turn in turns:
        tries = sorted((p for p in turn.glob("attempt_*") if (p / EVENTS).is_file()), key=_number)
        if tries:
            attempts.append(tries[-1])
    if not attempts:
        raise NotAMassGenLog(f"{path}: no MassGen session here (expected turn_N/attempt_N/{EVENTS})")
    return attempts


def _number(path: Path) -> int:
    match = _NUMBERED.search(path.name)
    return int(match.group(1)) if match else 0


def _metadata(attempt: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load((attempt / "execution_metadata.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _status(attempt: Path) -> dict[str, Any]:
    try:
        data = json.loads((attempt / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _session_id(attempt: Path) -> str:
    log_folder = next((p for p in attempt.parents if p.name.startswith("log_")), attempt)
    return f"massgen-{log_folder.name.removeprefix('log_')}"


def _agents(config: dict[str, Any], attempts: list[Path]) -> list[dict[str, Any]]:
    """Agents from the config (MassGen's ``agent``/``agents``), else from the ids seen in the events."""
    listed = config.get("agents") or ([config["agent"]] if isinstance(config.get("agent"), dict) else [])
    ids = [str(a.get("id")) for a in listed if isinstance(a, dict) and a.get("id")]
    backends = {str(a.get("id")): a.get("backend") or {} for a in listed if isinstance(a, dict)}
    if not ids:
        seen: dict[str, None] = {}
        for attempt in attempts:
            for record in _records(attempt / EVENTS, []):
                if record.get("agent_id"):
                    seen.setdefault(str(record["agent_id"]))
        ids = list(seen)
    labels = {agent_id: f"agent{i}" for i, agent_id in enumerate(sorted(ids), start=1)}
    return [{"id": i, "label": labels[i], "backend": str(backends.get(i, {}).get("type", "massgen")),
             "model": str(backends.get(i, {}).get("model", ""))} for i in ids]


def _records(events_file: Path, damaged: list[int]):
    """The JSON objects of an events file; unreadable lines are noted by number and skipped."""
    with events_file.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                damaged.append(number)
                continue
            if isinstance(record, dict):
                yield record
            else:
                damaged.append(number)


def _first_time(attempt: Path) -> float:
    for record in _records(attempt / EVENTS, []):
        return _time(record)
    return 0.0


def _time(record: dict[str, Any]) -> float:
    try:
        return datetime.fromisoformat(str(record.get("timestamp"))).timestamp()
    except ValueError:
        return 0.0


def _emit(session: ImportedSession, event: Event, ts: float) -> None:
    event.seq = len(session.events) + 1
    event.ts = ts
    session.events.append(event)


def _read_turn(
    session: ImportedSession, turn: int, attempt: Path, agents: list[dict[str, Any]]
) -> tuple[str, dict[str, Any]]:
    """Append one turn's events; returns its status and token totals."""
    labels = {a["id"]: a["label"] for a in agents}
    meta, status = _metadata(attempt), _status(attempt)
    question = str(meta.get("query") or (status.get("meta") or {}).get("question") or "")
    records = list(_records(attempt / EVENTS, session.damaged_lines))
    start = _time(records[0]) if records else 0.0
    _emit(session, ev.TurnStarted(turn=turn, question=question, labels=labels), start)
    winner, final = None, ""
    for record in records:
        event = _translate(record, labels)
        if event is None:
            session.skipped[str(record.get("event_type"))] += 1
            continue
        if isinstance(event, ev.FinalStarted):
            votes = (record.get("data") or {}).get("vote_counts") or {}
            _emit(session, ev.ConsensusReached(winner_id=event.agent_id, tally=dict(votes), reason="votes"),
                  _time(record))
            winner = event.agent_id
        elif isinstance(event, ev.FinalEnded):
            final = event.content
        _emit(session, event, _time(record))
    end = session.events[-1].ts
    totals = _usage(session, status, end)
    finished = "completed" if status.get("is_complete", bool(final)) else "failed"
    _emit(session, ev.TurnEnded(turn=turn, status=finished, winner_id=winner, final_answer=final), end)
    return finished, totals


def _usage(session: ImportedSession, status: dict[str, Any], ts: float) -> dict[str, Any]:
    """One Usage event per agent from ``status.json``; returns the turn's totals."""
    per_agent: dict[str, Any] = {}
    for agent_id, info in (status.get("agents") or {}).items():
        usage = (info or {}).get("token_usage") or {}
        per_agent[agent_id] = {
            "input_tokens": int(usage.get("input_tokens") or 0),
            "output_tokens": int(usage.get("output_tokens") or 0),
            "reasoning_tokens": int(usage.get("reasoning_tokens") or 0),
            "cached_tokens": int(usage.get("cached_input_tokens") or 0),
            "cost": usage.get("estimated_cost"),
        }
        _emit(session, ev.Usage(agent_id=agent_id, **per_agent[agent_id]), ts)
    costs = status.get("costs") or {}
    return {
        "input_tokens": int(costs.get("total_input_tokens") or 0),
        "output_tokens": int(costs.get("total_output_tokens") or 0),
        "cost": costs.get("total_estimated_cost"),
        "agents": per_agent,
    }


def _translate(record: dict[str, Any], labels: dict[str, str]) -> Event | None:
    """One MassGen event as ours, or ``None`` when it has no counterpart."""
    kind = record.get("event_type")
    agent = str(record.get("agent_id") or "")
    data = record.get("data") if isinstance(record.get("data"), dict) else {}
    round_number = int(record.get("round_number") or 0)
    if kind == "text":
        return ev.TextDelta(agent_id=agent, text=str(data.get("content", "")))
    if kind == "final_presentation_chunk":
        return ev.FinalDelta(agent_id=agent, text=str(data.get("content", "")))
    if kind == "round_start":
        return ev.RoundStarted(agent_id=agent, round=round_number, answers_seen=[])
    if kind == "answer_submitted":
        label = str(data.get("answer_label") or labels.get(agent, "")).split(".")[0]
        return ev.AnswerSubmitted(agent_id=agent, label=label, version=int(data.get("answer_number") or 1),
                                  content=str(data.get("content", "")))
    if kind == "vote":
        target = str(data.get("target_id") or "")
        return ev.VoteCast(agent_id=agent, target_id=target, target_label=labels.get(target, target),
                           reason=str(data.get("reason", "")))
    if kind == "agent_restart":
        return ev.AgentRestarted(agent_id=agent, reason=str(data.get("restart_reason", "")),
                                 round=int(data.get("restart_round") or round_number))
    if kind in ("system_status", "status"):
        return ev.Notice(message=str(data.get("message", "")), level=str(data.get("level", "info")))
    if kind == "final_presentation_start":
        return ev.FinalStarted(agent_id=agent)
    if kind == "final_answer":
        return ev.FinalEnded(agent_id=agent, content=str(data.get("content", "")))
    return None
