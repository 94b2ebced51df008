"""MassGen's own session logs, read as massgen-tui events so replay shows them like our sessions.

Accepted: a ``log_YYYYMMDD_HHMMSS_ffffff`` folder (every ``turn_N``, the last ``attempt_N`` of each),
one ``turn_N/attempt_N`` folder, or its ``events.jsonl``. The attempt's ``execution_metadata.yaml``
gives the question and the agents; ``status.json`` the outcome and token usage. Event types with
no counterpart here (evaluation criteria, context labels, locks, hooks) are counted in ``skipped``.

Two habits of MassGen's log are undone here. It logs the final presentation twice, as
``final_presentation_chunk`` events and again as batched ``text`` events of the presenter: the
``text`` copy is dropped when chunks exist. And ``massgen --continue`` writes a later turn's events
into the first turn's ``events.jsonl`` (that turn's ``status.json`` and answers go to its own
``turn_N/attempt_N``): such a file is split at each presentation's end, turn by turn. A turn whose
log stops before its final answer (the process was killed) ends as cancelled, not completed.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
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
    status: ev.TurnStatus = ev.TURN_COMPLETED
    segments = _turn_segments(attempts, session.damaged_lines)
    for turn, (attempt, records) in enumerate(zip(attempts, segments, strict=True), start=1):
        status, totals = _read_turn(session, turn, attempt, records, agents)
    session.events.append(ev.SessionEnded(
        seq=len(session.events) + 1, ts=session.events[-1].ts, status=status, totals=totals,
        winner_id=next((e.winner_id for e in reversed(session.events) if isinstance(e, ev.TurnEnded)), None),
    ))
    return session


def _attempts(path: Path) -> list[Path]:
    """The attempt folders to read, in turn order (a later turn's folder may hold no events file)."""
    if path.is_file():
        if path.name == EVENTS:
            return [path.parent]
        raise NotAMassGenLog(f"{path}: not a MassGen events.jsonl")
    if (path / EVENTS).is_file():
        return [path]
    turns = sorted((p for p in path.glob("turn_*") if p.is_dir()), key=_number)
    attempts: list[Path] = []
    for turn in turns:
        tries = sorted((p for p in turn.glob("attempt_*") if p.is_dir()), key=_number)
        with_events = [p for p in tries if (p / EVENTS).is_file()]
        if with_events or (attempts and tries):
            attempts.append((with_events or tries)[-1])
    if not attempts or not (attempts[0] / EVENTS).is_file():
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


def _turn_segments(attempts: list[Path], damaged: list[int]) -> list[list[dict[str, Any]]]:
    """Each attempt's records; an events file holding later turns too (``--continue``) is split at
    each presentation's end and its segments handed to the attempts that have no events file."""
    segments: list[list[dict[str, Any]]] = []
    pending: list[list[dict[str, Any]]] = []
    for attempt in attempts:
        if (attempt / EVENTS).is_file():
            pieces = _split_turns(list(_records(attempt / EVENTS, damaged)))
            segments.append(pieces[0])
            pending = pieces[1:]
        else:
            segments.append(pending.pop(0) if pending else [])
    return segments


#: Event types that open a turn's coordination (text flushed after a presentation does not).
_TURN_OPENERS = ("system_status", "round_start", "evaluation_criteria_set")


def _split_turns(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """``records`` cut into turns: after a presentation's end, the next turn opens with coordination."""
    pieces: list[list[dict[str, Any]]] = [[]]
    ended = False
    for record in records:
        kind = record.get("event_type")
        if ended and kind in _TURN_OPENERS:
            pieces.append([])
            ended = False
        pieces[-1].append(record)
        ended = ended or kind == "final_presentation_end"
    return pieces


def _records(events_file: Path, damaged: list[int]) -> Iterator[dict[str, Any]]:
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
    session: ImportedSession, turn: int, attempt: Path, records: list[dict[str, Any]], agents: list[dict[str, Any]]
) -> tuple[ev.TurnStatus, dict[str, Any]]:
    """Append one turn's events; returns its status and token totals."""
    labels = {a["id"]: a["label"] for a in agents}
    meta, status = _metadata(attempt), _status(attempt)
    question = str(meta.get("query") or (status.get("meta") or {}).get("question") or "")
    start = _time(records[0]) if records else (session.events[-1].ts if session.events else 0.0)
    _emit(session, ev.TurnStarted(turn=turn, question=question, labels=labels), start)
    translate = _Translator(labels, has_chunks=any(r.get("event_type") == "final_presentation_chunk"
                                                   for r in records))
    for record in records:
        events = translate(record)
        if events is None:
            session.skipped[str(record.get("event_type"))] += 1
            continue
        for event in events:
            _emit(session, event, _time(record))
    end = session.events[-1].ts
    if translate.presenter and translate.final is None:  # the log stops inside the presentation
        translate.final = _saved_final(attempt, translate.presenter)
        if translate.final is not None:
            _emit(session, ev.FinalEnded(agent_id=translate.presenter, content=translate.final), end)
    totals = _usage(session, status, end)
    final = translate.final or ""
    if translate.final is not None and status.get("is_complete", True) is not False:
        finished: ev.TurnStatus = ev.TURN_COMPLETED
    elif translate.presenter or records:
        finished = ev.TURN_CANCELLED  # killed before its final answer
    else:
        finished = ev.TURN_FAILED
    _emit(session, ev.TurnEnded(turn=turn, status=finished, winner_id=translate.winner, final_answer=final,
                                error="" if finished == ev.TURN_COMPLETED else "the log ends before the final answer"),
          end)
    return finished, totals


def _saved_final(attempt: Path, agent_id: str) -> str | None:
    """MassGen's saved ``final/<agent>/answer.txt`` of the attempt (or of its turn), if any."""
    for folder in (attempt / "final" / agent_id, attempt.parent / "final" / agent_id):
        try:
            return (folder / "answer.txt").read_text(encoding="utf-8")
        except OSError:
            continue
    return None


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


class _Translator:
    """MassGen records of one turn as our events (``None``: no counterpart), with the turn's winner,
    presenter and final answer as they are seen."""

    def __init__(self, labels: dict[str, str], *, has_chunks: bool) -> None:
        self.labels = labels
        self.has_chunks = has_chunks
        self.winner: str | None = None
        self.presenter: str | None = None
        self.final: str | None = None
        self.tools: dict[str, str] = {}

    def __call__(self, record: dict[str, Any]) -> list[Event] | None:
        kind = str(record.get("event_type"))
        agent = str(record.get("agent_id") or "")
        raw = record.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        handler: Callable[[str, dict[str, Any], int], list[Event] | None] | None = (
            getattr(self, f"_{kind}", None) if kind.isidentifier() else None
        )
        if handler is None:
            return None
        return handler(agent, data, int(record.get("round_number") or 0))

    def _text(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        text = str(data.get("content", ""))
        if agent == self.presenter and self.final is None:
            # The presentation's text: a second copy of the chunks, or the only one.
            return [] if self.has_chunks else [ev.FinalDelta(agent_id=agent, text=text)]
        return [ev.TextDelta(agent_id=agent, text=text)]

    def _thinking(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        text = "[reasoning redacted by the provider]" if data.get("is_redacted") else str(data.get("content", ""))
        return [ev.ReasoningDelta(agent_id=agent, text=text)]

    def _final_presentation_chunk(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        return [ev.FinalDelta(agent_id=agent, text=str(data.get("content", "")))]

    def _round_start(self, agent: str, _: dict[str, Any], round_number: int) -> list[Event]:
        return [ev.RoundStarted(agent_id=agent, round=round_number, answers_seen=[]),
                ev.AgentStatus(agent_id=agent, status=ev.THINKING)]

    def _answer_submitted(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        label = str(data.get("answer_label") or self.labels.get(agent, "")).split(".")[0]
        version = int(data.get("answer_number") or 1)
        return [ev.AnswerSubmitted(agent_id=agent, label=label, version=version, content=str(data.get("content", ""))),
                ev.AgentStatus(agent_id=agent, status=ev.ANSWERED, detail=f"{label} v{version}")]

    def _vote(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        target = str(data.get("target_id") or "")
        label = self.labels.get(target, target)
        return [ev.VoteCast(agent_id=agent, target_id=target, target_label=label, reason=str(data.get("reason", ""))),
                ev.AgentStatus(agent_id=agent, status=ev.VOTED, detail=f"for {label}")]

    def _agent_restart(self, agent: str, data: dict[str, Any], round_number: int) -> list[Event]:
        return [ev.AgentRestarted(agent_id=agent, reason=str(data.get("restart_reason", "")),
                                  round=int(data.get("restart_round") or round_number))]

    def _status(self, _: str, data: dict[str, Any], __: int) -> list[Event]:
        return [ev.Notice(message=str(data.get("message", "")), level=str(data.get("level", "info")))]

    _system_status = _status

    def _tool_start(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        name = str(data.get("tool_name") or "tool")
        server = data.get("server_name")
        if server and not name.startswith("mcp__"):
            name = f"mcp__{server}__{name}"
        call_id = str(data.get("tool_id") or f"massgen-{len(self.tools) + 1}")
        self.tools[call_id] = name
        args = data.get("args")
        arguments = args if isinstance(args, dict) else {"arguments": args} if args not in (None, "") else {}
        return [ev.ToolCallStarted(agent_id=agent, call_id=call_id, name=name, arguments=arguments),
                ev.AgentStatus(agent_id=agent, status=ev.TOOL, detail=name)]

    def _tool_complete(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        call_id = str(data.get("tool_id") or "")
        name = self.tools.pop(call_id, str(data.get("tool_name") or "tool"))
        is_error = bool(data.get("is_error")) or str(data.get("status", "success")) not in ("success", "ok")
        try:
            duration = float(data.get("elapsed_seconds") or 0.0)
        except (TypeError, ValueError):
            duration = 0.0
        return [ev.ToolCallFinished(agent_id=agent, call_id=call_id, name=name, result=str(data.get("result", "")),
                                    is_error=is_error, duration=duration),
                ev.AgentStatus(agent_id=agent, status=ev.STREAMING)]

    def _error(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        message = str(data.get("error") or data.get("message") or "error")
        if not agent:
            return [ev.Notice(message=message, level="error")]
        return [ev.AgentError(agent_id=agent, message=message, fatal=False)]

    def _agent_stopped(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        summary = str(data.get("summary") or "")
        return [ev.Notice(message=f"{agent} stopped ({data.get('status', 'complete')})"
                                  + (f": {summary}" if summary else ""), level="info")]

    def _phase_change(self, _: str, data: dict[str, Any], __: int) -> list[Event]:
        return [ev.Notice(message=f"phase: {data.get('phase', '?')}", level="info")]

    def _orchestrator_timeout(self, _: str, data: dict[str, Any], __: int) -> list[Event]:
        selected = data.get("selected_agent")
        choice = f"; presenting {selected}" + (f" ({data['selection_reason']})" if data.get("selection_reason")
                                              else "") if selected else "; no answer to present"
        return [ev.Notice(message=f"orchestrator timeout: {data.get('timeout_reason', 'time limit')}, "
                                  f"{data.get('available_answers', 0)} answer(s){choice}", level="warning")]

    def _winner_selected(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        self.winner = agent
        return [ev.ConsensusReached(winner_id=agent, tally=_tally(data.get("vote_results")), reason="votes")]

    def _final_presentation_start(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        events: list[Event] = []
        if self.winner != agent:  # no winner_selected event came first
            self.winner = agent
            votes = data.get("vote_counts") if isinstance(data.get("vote_counts"), dict) else {}
            events.append(ev.ConsensusReached(winner_id=agent, tally=_tally(votes), reason="votes"))
        self.presenter = agent
        return [*events, ev.FinalStarted(agent_id=agent), ev.AgentStatus(agent_id=agent, status=ev.PRESENTING)]

    def _final_presentation_end(self, _: str, __: dict[str, Any], ___: int) -> list[Event]:
        return []  # the final answer event already ended it

    _answer_locked = _final_presentation_end

    def _final_answer(self, agent: str, data: dict[str, Any], _: int) -> list[Event]:
        self.final = str(data.get("content", ""))
        return [ev.FinalEnded(agent_id=agent, content=self.final), ev.AgentStatus(agent_id=agent, status=ev.WINNER)]


def _tally(votes: Any) -> dict[str, int]:
    """Vote counts as ``{agent: n}`` (MassGen may log them as a dict's string)."""
    if isinstance(votes, str):
        try:
            votes = ast.literal_eval(votes)
        except (ValueError, SyntaxError):
            return {}
    if isinstance(votes, dict) and isinstance(votes.get("vote_counts"), dict):
        votes = votes["vote_counts"]
    if not isinstance(votes, dict):
        return {}
    tally: dict[str, int] = {}
    for agent, count in votes.items():
        try:
            tally[str(agent)] = int(count)
        except (TypeError, ValueError):
            continue
    return tally
