"""MassGen-format session logs written by tests: ``log_*/turn_N/attempt_N/`` with ``events.jsonl``
lines as MassGen 0.1.97's event emitter writes them (``massgen/events.py``), ``status.json``,
``execution_metadata.yaml`` and ``final/<agent>/answer.txt``."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

START = datetime(2026, 11, 22, 2, 2, 50)
AGENTS = ("alpha", "beta", "gamma")


class MassGenLog:
    """Builds one attempt's records; :meth:`write` lays the folder out."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.clock = START

    def event(self, event_type: str, agent_id: str | None = None, round_number: int = 0, **data: Any) -> None:
        """One line of ``events.jsonl`` (a tenth of a second after the previous one)."""
        self.clock += timedelta(milliseconds=100)
        self.records.append({"timestamp": self.clock.isoformat(), "event_type": event_type, "agent_id": agent_id,
                             "round_number": round_number, "data": data})

    def turn(self, answer: str = "4", final: str = "The answer is 4.", *, finish: bool = True) -> None:
        """A whole turn: alpha answers, everyone votes for it, alpha presents ``final`` (in chunks, then again
        as batched text, as MassGen logs it); ``finish=False`` stops inside the presentation."""
        self.event("system_status", message="Initializing coordination...")
        for agent in AGENTS:
            self.event("round_start", agent, 0)
        self.event("text", "alpha", 0, content=f"I think {answer}.")
        self.event("answer_submitted", "alpha", 0, answer_label="agent1.1", answer_number=1, content=answer)
        for agent in AGENTS:
            self.event("vote", agent, 1, target_id="alpha", reason="alpha is right")
        self.event("winner_selected", "alpha", 1, vote_results=str({"vote_counts": {"alpha": 3}}))
        self.event("final_presentation_start", "alpha", 1, vote_counts={"alpha": 3},
                   answer_labels={"alpha": "agent1.1"}, is_tie=False)
        words = final.split(" ")
        chunks = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
        half = chunks[: len(chunks) // 2] if not finish else chunks
        for chunk in half:
            self.event("final_presentation_chunk", "alpha", 1, content=chunk)
        self.event("text", "alpha", 1, content="".join(half))  # MassGen's second copy
        if finish:
            self.event("final_answer", "alpha", 1, content=final)
            self.event("final_presentation_end", "alpha", 1)
            self.event("answer_locked", "alpha", 1)

    def write(self, attempt: Path, question: str = "What is 2+2?", *, tokens: int = 100,
              complete: bool = True, final: str | None = None, events: bool = True) -> Path:
        """Lay out ``attempt`` (``.../turn_N/attempt_N``); ``events=False`` leaves out ``events.jsonl``."""
        attempt.mkdir(parents=True, exist_ok=True)
        if events:
            (attempt / "events.jsonl").write_text("".join(json.dumps(r) + "\n" for r in self.records))
        config = {"agents": [{"id": a, "backend": {"type": "chatcompletion", "model": f"fake-{a}"}} for a in AGENTS]}
        (attempt / "execution_metadata.yaml").write_text(yaml.safe_dump({"query": question, "config": config}))
        status = {
            "is_complete": complete, "meta": {"question": question},
            "costs": {"total_input_tokens": tokens * 3, "total_output_tokens": tokens, "total_estimated_cost": 0.0},
            "agents": {a: {"token_usage": {"input_tokens": tokens, "output_tokens": tokens // 3}} for a in AGENTS},
        }
        (attempt / "status.json").write_text(json.dumps(status))
        if final is not None:
            (attempt / "final" / "alpha").mkdir(parents=True)
            (attempt / "final" / "alpha" / "answer.txt").write_text(final)
        return attempt
