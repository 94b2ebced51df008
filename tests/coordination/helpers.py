"""Scripted agent behaviour for protocol tests, and a way to run a session and keep its events."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from massgen_tui.config.model import SessionConfig
from massgen_tui.coordination.coordinator import TurnResult
from massgen_tui.coordination.session import Session
from massgen_tui.events import Event, EventBus
from tests.fake_provider import CallTool, Delay, Hold, Reply, Text

Responder = Callable[[object], Reply]


def vote_labels(request) -> list[str]:
    """The labels the request's `vote` tool offers (empty when no answers exist yet)."""
    for tool in request.tools:
        if tool["name"] == "vote":
            return list(tool["parameters"]["properties"]["agent_id"]["enum"])
    return []


def agent(answer: str, *, vote_for: str | Callable[[list[str]], str] = "agent1", final: str | None = None,
          first: Iterable[Reply] = (), answer_delay: float = 0.0, hold: threading.Event | None = None) -> Responder:
    """An agent that answers once, then votes; without tools it presents ``final``.

    ``first`` replies are used (in order) before that behaviour starts; the answer
    comes after ``answer_delay`` seconds, and not before ``hold`` is set when one is given.
    """
    queue = list(first)
    answered = False

    def respond(request) -> Reply:
        nonlocal answered
        if not request.tools:
            return Reply(Text(final if final is not None else f"Final: {answer}"))
        if queue:
            return queue.pop(0)
        labels = vote_labels(request)
        if not answered or not labels:
            answered = True
            wait = [Hold(hold)] if hold is not None else []
            return Reply(
                *wait, Delay(answer_delay), Text("Let me answer. "), CallTool("new_answer", {"content": answer})
            )
        target = vote_for(labels) if callable(vote_for) else vote_for
        target = target if target in labels else labels[0]
        return Reply(Text("I vote. "), CallTool("vote", {"agent_id": target, "reason": f"{target} is right"}))

    return respond


@dataclass
class Run:
    """A finished session run: the turn result(s) and every event published."""

    results: list[TurnResult]
    events: list[Event] = field(default_factory=list)
    session: Session | None = None

    @property
    def result(self) -> TurnResult:
        return self.results[-1]

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]


async def run_session(config: SessionConfig, *questions: str) -> Run:
    """Open a session on ``config``, ask each question in turn, close it; keep all events."""
    bus = EventBus()
    run = Run(results=[])
    bus.subscribe(run.events.append)
    session = Session(config, bus)
    run.session = session
    await session.open()
    for question in questions:
        run.results.append(await session.ask(question))
    await session.close()
    return run
