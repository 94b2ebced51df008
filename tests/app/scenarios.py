"""Recorded-style event lists for screen tests: deterministic timestamps, no server involved."""

from __future__ import annotations

import json
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from massgen_tui.app.event_feed import EventFeed
from massgen_tui.app.live_screen import LiveScreen
from massgen_tui.app.main import MassGenApp
from massgen_tui.events import Event
from massgen_tui.events import types as ev

AGENTS = (("alpha", "agent1", "gpt-4o-mini"), ("beta", "agent2", "claude-haiku"), ("gamma", "agent3", "gemini-flash"))


class Timeline:
    """Builds events half a second apart, numbered like the bus would."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.events: list[Event] = []
        self._ts = start

    def add(self, *events: Event, step: float = 0.5) -> Timeline:
        for event in events:
            self._ts += step
            event.ts, event.seq = self._ts, len(self.events) + 1
            self.events.append(event)
        return self


def opening(agents=AGENTS, question: str = "What is 2+2?", backend: str = "chatcompletion", *,
            json_decisions: bool = False) -> Timeline:
    """Session (running ``team.yaml``) and turn start; every agent thinking in round 1 (deciding in JSON
    with ``json_decisions``)."""
    t = Timeline()
    t.add(ev.SessionStarted(
        session_id="20261122-030000-abcd",
        agents=[{"id": a, "label": label, "backend": backend, "model": model} for a, label, model in agents],
        config={}, log_dir="/home/user/.local/state/massgen-tui/log/sessions/20261122-030000-abcd",
        config_name="team.yaml",
    ))
    t.add(ev.TurnStarted(turn=1, question=question, labels={a: label for a, label, _ in agents}))
    for agent_id, _, _ in agents:
        t.add(ev.AgentStatus(agent_id=agent_id, status=ev.THINKING), ev.RoundStarted(agent_id=agent_id, round=0,
                                                                                    answers_seen=[],
                                                                                    json_decisions=json_decisions))
    return t


def mid_stream() -> Timeline:
    """Three agents streaming: reasoning, text split across chunks, a tool call."""
    t = opening()
    t.add(ev.ReasoningDelta(agent_id="alpha", text="The user asks for a sum.\nTwo plus two "),
          ev.ReasoningDelta(agent_id="alpha", text="is four."))
    t.add(ev.AgentStatus(agent_id="alpha", status=ev.STREAMING))
    for piece in ("The ans", "wer is ", "**4**.\n", "Models may write [bold] or [/] literally.\n", "Done"):
        t.add(ev.TextDelta(agent_id="alpha", text=piece))
    t.add(ev.AgentStatus(agent_id="beta", status=ev.STREAMING))
    t.add(ev.TextDelta(agent_id="beta", text="Adding 2 and 2 gives 4. " * 6))
    t.add(ev.ToolCallStarted(agent_id="gamma", call_id="c1", name="web_search",
                             arguments={"query": "2+2 arithmetic " + "x" * 80}))
    t.add(ev.ToolCallFinished(agent_id="gamma", call_id="c1", name="web_search", result="4", duration=0.4))
    t.add(ev.Usage(agent_id="alpha", input_tokens=1200, output_tokens=80, cost=0.00042))
    t.add(ev.Usage(agent_id="beta", input_tokens=900, output_tokens=60, cost=None))
    return t


def thinking() -> Timeline:
    """One agent reasoning at length before it writes its answer."""
    t = opening(AGENTS[:1])
    t.add(ev.ReasoningDelta(agent_id="alpha", text="The user asks for a sum of two small numbers.\n"
                                                    "Two plus two is four; nothing to look up.\n"))
    t.add(ev.AgentStatus(agent_id="alpha", status=ev.STREAMING))
    t.add(ev.TextDelta(agent_id="alpha", text="The answer is 4.\nIt is the same in every base above four."))
    return t


def tool_use() -> Timeline:
    """Two agents using MCP tools: finished calls (one failed) and one still running."""
    t = opening(AGENTS[:2])
    t.add(ev.ToolCallStarted(agent_id="alpha", call_id="c1", name="mcp__files__read_file",
                             arguments={"path": "notes/arithmetic.md", "limit": 20}))
    t.add(ev.ToolCallFinished(agent_id="alpha", call_id="c1", name="mcp__files__read_file",
                              result="# Arithmetic\n2 + 2 = 4\n3 + 3 = 6", duration=0.3))
    t.add(ev.ToolCallStarted(agent_id="alpha", call_id="c2", name="mcp__calc__evaluate",
                             arguments={"expression": "2+2", "precision": 2}))
    t.add(ev.ToolCallFinished(agent_id="alpha", call_id="c2", name="mcp__calc__evaluate",
                              result="division by zero in step 3", is_error=True, duration=1.3))
    t.add(ev.TextDelta(agent_id="alpha", text="The notes say 2 + 2 = 4.\n"))
    t.add(ev.ToolCallStarted(agent_id="alpha", call_id="c3", name="mcp__web__search",
                             arguments={"query": "is 2+2 always 4"}))
    t.add(ev.ToolCallStarted(agent_id="beta", call_id="c4", name="mcp__files__list",
                             arguments={"folder": "."}))
    t.add(ev.ToolCallFinished(agent_id="beta", call_id="c4", name="mcp__files__list",
                              result="notes/\nREADME.md", duration=0.1))
    return t


def voting() -> Timeline:
    """Answers in, two votes cast, one cleared by a newer answer and a restart."""
    t = mid_stream()
    t.add(ev.AnswerSubmitted(agent_id="alpha", label="agent1", version=1, content="4"))
    t.add(ev.AgentStatus(agent_id="alpha", status=ev.ANSWERED, detail="v1"))
    t.add(ev.VoteCast(agent_id="beta", target_id="alpha", target_label="agent1", reason="simple and right"))
    t.add(ev.AgentStatus(agent_id="beta", status=ev.VOTED, detail="for alpha(agent1)"))
    t.add(ev.AnswerSubmitted(agent_id="gamma", label="agent3", version=1, content="Four (4)."))
    t.add(ev.VotesInvalidated(by_agent_id="gamma", voters=["beta"]))
    t.add(ev.AgentRestarted(agent_id="beta", reason="new answer from gamma(agent3)", round=1))
    t.add(ev.RoundStarted(agent_id="beta", round=1, answers_seen=["agent1", "agent3"]))
    t.add(ev.VoteCast(agent_id="beta", target_id="alpha", target_label="agent1", reason="still the clearest"))
    t.add(ev.VoteCast(agent_id="gamma", target_id="alpha", target_label="agent1", reason="agree"))
    return t


def finished() -> Timeline:
    """Consensus on alpha, its final answer streamed, the turn completed."""
    t = voting()
    t.add(ev.VoteCast(agent_id="alpha", target_id="alpha", target_label="agent1", reason="mine"))
    t.add(ev.ConsensusReached(winner_id="alpha", tally={"alpha": 3}, reason="votes"))
    t.add(ev.FinalStarted(agent_id="alpha"), ev.AgentStatus(agent_id="alpha", status=ev.PRESENTING))
    final = "# Answer\n\n2 + 2 = **4**.\n\n- checked by three agents\n- `[bold]` stays literal\n"
    t.add(*(ev.FinalDelta(agent_id="alpha", text=final[i:i + 7]) for i in range(0, len(final), 7)), step=0.01)
    t.add(ev.FinalEnded(agent_id="alpha", content=final), ev.AgentStatus(agent_id="alpha", status=ev.WINNER))
    t.add(ev.TurnEnded(turn=1, status="completed", winner_id="alpha", final_answer=final))
    return t


def with_failure() -> Timeline:
    """gamma's provider fails for good while the others stream."""
    t = mid_stream()
    t.add(ev.Retrying(agent_id="gamma", attempt=1, max_attempts=3, delay=1.0, reason="HTTP 503"))
    t.add(ev.AgentError(agent_id="gamma", message="HTTP 401: invalid API key"))
    t.add(ev.AgentStatus(agent_id="gamma", status=ev.FAILED, detail="HTTP 401: invalid API key"))
    return t


def streamed(agent_id: str, text: str, size: int) -> list[Event]:
    """``text`` as the agent's text deltas of ``size`` characters."""
    return [ev.TextDelta(agent_id=agent_id, text=text[i:i + size]) for i in range(0, len(text), size)]


def json_decision(action: str, **fields: str) -> str:
    """A decision as a JSON-deciding model sends it."""
    return json.dumps({"decision": {"action": action, **fields}})


BETA_JSON_ANSWER = json_decision("new_answer", content="4")
GAMMA_ANSWER = 'Four.\nCounting on from 2: "3, 4" \u2014 done.'
GAMMA_JSON_ANSWER = json_decision("new_answer", content=GAMMA_ANSWER)  # escapes \n, \" and \u2014
BETA_VOTE_REASON = 'shows the "counting on" step'
BETA_JSON_VOTE = json_decision("vote", agent_id="agent3", reason=BETA_VOTE_REASON)
ALPHA_JSON_PART = r'{"decision": {"content": "2 + 2 = 4 \u2014 add the units:\n- 2 units\n- 2 more u'


def json_decisions() -> Timeline:
    """Agents deciding in JSON: beta answers; gamma's first reply is no JSON (rejected), then it answers;
    beta, restarted, votes for gamma; alpha is half-way through its answer (content before action)."""
    t = opening(json_decisions=True)
    t.add(ev.AgentStatus(agent_id="beta", status=ev.STREAMING), *streamed("beta", BETA_JSON_ANSWER, 6))
    t.add(ev.Usage(agent_id="beta", input_tokens=300, output_tokens=20, cost=0.0),
          ev.AnswerSubmitted(agent_id="beta", label="agent2", version=1, content="4"),
          ev.AgentStatus(agent_id="beta", status=ev.ANSWERED, detail="agent2 v1"))
    t.add(ev.AgentStatus(agent_id="gamma", status=ev.STREAMING), *streamed("gamma", "I think it is 4.", 5))
    t.add(ev.WorkflowRejected(agent_id="gamma", reason="Your reply was not valid JSON (Expecting value).",
                              attempt=1),
          ev.AgentStatus(agent_id="gamma", status=ev.THINKING), ev.AgentStatus(agent_id="gamma", status=ev.STREAMING))
    t.add(*streamed("gamma", GAMMA_JSON_ANSWER, 7))
    t.add(ev.AnswerSubmitted(agent_id="gamma", label="agent3", version=1, content=GAMMA_ANSWER),
          ev.AgentStatus(agent_id="gamma", status=ev.ANSWERED, detail="agent3 v1"))
    t.add(ev.AgentRestarted(agent_id="beta", reason="new answer from agent3", round=1),
          ev.AgentStatus(agent_id="beta", status=ev.RESTARTING),
          ev.RoundStarted(agent_id="beta", round=1, answers_seen=["agent2", "agent3"], json_decisions=True),
          ev.AgentStatus(agent_id="beta", status=ev.THINKING), ev.AgentStatus(agent_id="beta", status=ev.STREAMING))
    t.add(*streamed("beta", BETA_JSON_VOTE, 5))
    t.add(ev.VoteCast(agent_id="beta", target_id="gamma", target_label="agent3", reason=BETA_VOTE_REASON),
          ev.AgentStatus(agent_id="beta", status=ev.VOTED, detail="for agent3"))
    t.add(ev.AgentStatus(agent_id="alpha", status=ev.STREAMING), *streamed("alpha", ALPHA_JSON_PART, 4))
    return t


GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu")


def many_agents(count: int = 12) -> Timeline:
    """``count`` agents (up to twelve), each streaming three lines that end with its own last line."""
    agents = [(name, f"agent{n}", "gpt-4o-mini") for n, name in enumerate(GREEK[:count], 1)]
    t = opening(agents)
    for name, _label, _ in agents:
        t.add(ev.AgentStatus(agent_id=name, status=ev.STREAMING))
        t.add(ev.TextDelta(agent_id=name, text=f"{name} reads the question.\nTwo and two make four.\n"),
              ev.TextDelta(agent_id=name, text=f"last line of {name}"))
    return t


#: Six agents in config order; the anonymous labels follow the sorted ids, so panel 3 is gamma(agent5).
SIX_AGENTS = (("zeta", "agent6", "gpt-4o-mini"), ("alpha", "agent1", "gpt-4o-mini"),
              ("gamma", "agent5", "claude-sonnet-4-5"), ("delta", "agent3", "mystery-model"),
              ("beta", "agent2", "gpt-5-mini"), ("epsilon", "agent4", "gpt-4o"))


def six_agents_streaming() -> Timeline:
    """Six agents: two answers and a vote in, two replies still streaming (no usage report yet)."""
    t = opening(SIX_AGENTS)
    for agent_id, content in (("zeta", "4"), ("alpha", "Four.")):
        t.add(ev.TextDelta(agent_id=agent_id, text="Two plus two is four. " * 3))
        t.add(ev.Usage(agent_id=agent_id, input_tokens=1500, output_tokens=40, cost=0.000249))
        label = dict((a, label) for a, label, _ in SIX_AGENTS)[agent_id]
        t.add(ev.AnswerSubmitted(agent_id=agent_id, label=label, version=1, content=content))
        t.add(ev.AgentStatus(agent_id=agent_id, status=ev.ANSWERED, detail="v1"))
    t.add(ev.Usage(agent_id="epsilon", input_tokens=1600, output_tokens=30, cost=0.0043))
    t.add(ev.VoteCast(agent_id="epsilon", target_id="alpha", target_label="agent1", reason="clear"))
    t.add(ev.AgentStatus(agent_id="epsilon", status=ev.VOTED, detail="for alpha(agent1)"))
    for agent_id in ("gamma", "delta"):
        t.add(ev.AgentStatus(agent_id=agent_id, status=ev.STREAMING))
        t.add(ev.TextDelta(agent_id=agent_id, text="Adding two and two gives four. " * 13))  # 403 characters
    return t


def long_output(lines: int, agent_id: str = "alpha") -> Timeline:
    """One agent writing ``lines`` numbered lines."""
    t = opening()
    t.add(ev.TextDelta(agent_id=agent_id, text="".join(f"line {n}\n" for n in range(1, lines + 1))))
    return t


class ScreenApp(App):
    """A bare app showing one :class:`LiveScreen` fed with ``events`` (no session, no clock); it has the
    real app's help and cancel bindings, so the key hints read as in the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in MassGenApp.BINDINGS if getattr(b, "id", None) in ("help", "interrupt")]

    def __init__(self, events: list[Event] = (), *, live: bool = False) -> None:
        """``live``: the events come through an :class:`EventFeed`, as from a running session."""
        super().__init__()
        self._events = list(events)
        self._feed = EventFeed() if live else None

    def compose(self) -> ComposeResult:
        yield Static("")

    async def on_mount(self) -> None:
        await self.push_screen(LiveScreen(self._feed))
        if self._feed is None:
            self.live.apply_batch(self._events)
        else:
            for event in self._events:
                self._feed(event)

    @property
    def live(self) -> LiveScreen:
        return self.screen_stack[1]
