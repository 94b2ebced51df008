"""The coordinator: runs one turn of MassGen's protocol over a set of agents and publishes every step.

Restart semantics (MassGen 0.0.x style, "restart"): a new answer clears every vote and re-runs,
with a fresh conversation holding the current answers, every agent that is not mid-reply.
An agent that is mid-reply is not interrupted: if it then votes although the answers changed
meanwhile, the vote is discarded and it restarts; if it gives a new answer, that answer counts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from massgen_tui.backends.base import (
    BackendNotice,
    Done,
    Message,
    ProviderError,
    ReasoningChunk,
    RetryNotice,
    TextChunk,
    ToolCall,
    ToolResult,
    ToolSpec,
    UsageReport,
)
from massgen_tui.backends.pricing import cost_of, is_free
from massgen_tui.backends.retry import stream_with_retry
from massgen_tui.config.model import OrchestratorSettings
from massgen_tui.coordination import prompts
from massgen_tui.coordination.agent import AgentRuntime, Vote
from massgen_tui.coordination.strictness import round_guidance
from massgen_tui.coordination.structured import decision_schema, parse_decision, string_limit
from massgen_tui.coordination.workflow import (
    NEVER_CALLED,
    WORKFLOW_TOOLS,
    AnswerDecision,
    AnswerRules,
    Rejection,
    VoteDecision,
    judge_reply,
    workflow_tools,
)
from massgen_tui.events import EventBus
from massgen_tui.events import types as ev
from massgen_tui.tools.external import ExternalTools, ToolOutcome

if TYPE_CHECKING:
    from massgen_tui.workspace.manager import Workspaces

COMPLETED, TIMEOUT, FAILED, CANCELLED = ev.TURN_COMPLETED, ev.TURN_TIMEOUT, ev.TURN_FAILED, ev.TURN_CANCELLED
#: The least time a final presentation gets when the orchestrator timeout has (nearly) run out.
PRESENTATION_GRACE_SECONDS = 30.0


@dataclass(slots=True, frozen=True)
class TurnResult:
    """How a turn ended."""

    status: ev.TurnStatus
    winner_id: str | None
    final_answer: str
    error: str = ""


@dataclass(slots=True, frozen=True)
class _RoundOutcome:
    decision: AnswerDecision | VoteDecision
    generation: int


class _GaveUp(Exception):
    """An agent broke the rules on every attempt of a round."""


class Coordinator:
    """Runs turns of the protocol over ``agents`` (in config order), publishing to ``bus``."""

    def __init__(
        self,
        agents: Sequence[AgentRuntime],
        bus: EventBus,
        *,
        orchestrator: OrchestratorSettings,
        timeout_seconds: float,
        redact: Callable[[str], str] = lambda text: text,
        tools: ExternalTools | None = None,
        workspaces: Workspaces | None = None,
    ) -> None:
        self.agents = list(agents)
        self._tools = tools
        self._workspaces = workspaces
        self._bus = bus
        self._settings = orchestrator
        self._timeout = timeout_seconds
        self._presentation_expired = False
        self._redact = redact
        self._by_label = {a.label: a for a in self.agents}
        self._generation = 0
        self._question = ""
        self._history: Sequence[prompts.Exchange] = ()

    # ------------------------------------------------------------------ turn

    async def run_turn(self, question: str, history: Sequence[prompts.Exchange] = ()) -> TurnResult:
        """Run the protocol for ``question`` to a final answer (or failure, timeout, cancellation)."""
        self._question, self._history, self._generation = question, history, 0
        for agent in self.agents:
            agent.reset_for_turn()
        try:
            if len(self.agents) == 1:
                return await self._run_single(self.agents[0])
            return await self._run_coordination()
        except asyncio.CancelledError:
            for agent in self.agents:
                if not agent.failed:
                    self._set_status(agent, ev.CANCELLED)
            raise

    async def _run_coordination(self) -> TurnResult:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        running: dict[asyncio.Task[_RoundOutcome], AgentRuntime] = {}

        def start(agent: AgentRuntime) -> None:
            running[asyncio.create_task(self._run_round(agent))] = agent

        for agent in self.agents:
            if agent.backend is None:
                self._fail(agent, agent.setup_error)
            else:
                start(agent)
        timed_out = False
        try:
            while running and not self._consensus():
                remaining = deadline - loop.time()
                done, _ = await asyncio.wait(
                    running, timeout=max(remaining, 0), return_when=asyncio.FIRST_COMPLETED
                )
                if not done:
                    timed_out = True
                    break
                for task in done:
                    self._settle(running.pop(task), task, start, busy=set(running.values()))
        finally:
            await _cancel_all(running)
        for agent in running.values():
            self._set_status(agent, ev.CANCELLED, "orchestrator timeout")
        live = [a for a in self.agents if not a.failed]
        if not live:
            return self._all_failed()
        if timed_out:
            self._publish(ev.Notice(
                message=f"Orchestrator timeout after {self._timeout:g}s: choosing a winner from the votes "
                        "and answers so far.",
                level="warning",
            ))
            if not any(a.answers for a in self.agents):
                return TurnResult(TIMEOUT, None, "", "timeout with no answer")
        return await self._present(timed_out, deadline - loop.time())

    def _settle(
        self,
        agent: AgentRuntime,
        task: asyncio.Task[_RoundOutcome],
        start: Callable[[AgentRuntime], None],
        busy: set[AgentRuntime],
    ) -> None:
        """Apply a finished round: record the answer or vote, or fail the agent."""
        try:
            outcome = task.result()
        except (ProviderError, _GaveUp) as exc:
            self._fail(agent, str(exc))
            return
        except Exception as exc:  # a bug in one agent's path must not end the session
            self._fail(agent, f"internal error: {exc!r}")
            return
        decision = outcome.decision
        if isinstance(decision, AnswerDecision):
            self._accept_answer(agent, decision.content)
            for other in self.agents:
                if other.failed or other in busy:
                    continue
                if other is not agent and other.round >= 0:
                    self._publish(ev.AgentRestarted(
                        agent_id=other.id, reason=f"new answer from {ev.agent_name(agent.id, agent.label)}",
                        round=other.round + 1
                    ))
                    self._set_status(other, ev.RESTARTING)
                start(other)
        elif outcome.generation != self._generation:
            self._publish(ev.AgentRestarted(
                agent_id=agent.id, reason="answers changed while it was voting", round=agent.round + 1
            ))
            self._set_status(agent, ev.RESTARTING)
            start(agent)
        else:
            target = self._by_label[decision.label]
            agent.vote = Vote(target_id=target.id, label=decision.label, reason=decision.reason)
            self._publish(ev.VoteCast(
                agent_id=agent.id, target_id=target.id, target_label=decision.label, reason=decision.reason
            ))
            self._set_status(agent, ev.VOTED, f"for {ev.agent_name(target.id, decision.label)}")

    def _accept_answer(self, agent: AgentRuntime, content: str) -> None:
        agent.answers.append(content)
        self._generation += 1
        self._publish(ev.AnswerSubmitted(
            agent_id=agent.id, label=agent.label, version=len(agent.answers), content=content
        ))
        if self._workspaces is not None:  # the answer's files are part of it: peers see them from now on
            self._workspaces.answer_accepted(agent.id, len(agent.answers))
        self._set_status(agent, ev.ANSWERED, f"v{len(agent.answers)}")
        voters = [a.id for a in self.agents if a.vote is not None]
        for a in self.agents:
            a.vote = None
        if voters:
            self._publish(ev.VotesInvalidated(by_agent_id=agent.id, voters=voters))

    def _consensus(self) -> bool:
        live = [a for a in self.agents if not a.failed]
        return bool(live) and all(a.vote is not None for a in live)

    # ----------------------------------------------------------------- round

    def _answers_by_label(self) -> dict[str, str]:
        return {a.label: a.answers[-1] for a in sorted(self.agents, key=lambda a: a.label) if a.answers}

    async def _run_round(self, agent: AgentRuntime) -> _RoundOutcome:
        """One attempt at the task with the answers as they are now, retried on rule breaks."""
        # The answers shown and their generation are read together: a vote is stale only if
        # an answer arrived after the agent was shown them.
        visible, generation = self._answers_by_label(), self._generation
        votable = self._votable(agent, visible)
        cap = self._settings.max_new_answers_per_agent
        may_answer = cap is None or len(agent.answers) < cap
        backend_config = agent.config.backend
        structured = backend_config.structured_output
        if structured:
            tools = self._external_specs(agent)
            schema: dict[str, Any] | None = decision_schema(
                votable, may_answer=may_answer, max_length=string_limit(backend_config.max_tokens)
            )
        else:
            tools = workflow_tools(votable, may_answer=may_answer) + self._external_specs(agent)
            schema = None
        messages = prompts.round_messages(
            self._question, visible, history=self._history, system_message=agent.config.system_message,
            structured=structured,
            guidance=round_guidance(self._settings.voting_sensitivity, self._settings.answer_novelty_requirement),
            workspace=self._workspace_note(agent),
        )
        agent.round += 1
        self._publish(ev.RoundStarted(agent_id=agent.id, round=agent.round, answers_seen=list(visible),
                                      json_decisions=structured))
        attempts = self._settings.max_attempts
        called_workflow = structured  # a JSON decision stands for the call
        attempt = 0
        while True:  # at least one attempt, even when max_attempts is below 1
            attempt += 1
            reply, _ = await self._converse(agent, messages, tools, output_schema=schema)
            calls = reply.tool_calls
            called_workflow = called_workflow or any(c.name in WORKFLOW_TOOLS for c in calls)
            parsed = parse_decision(reply.content) if structured and not calls else None
            if isinstance(parsed, Rejection):
                decision: AnswerDecision | VoteDecision | Rejection = parsed
            else:
                decision = judge_reply(
                    [parsed] if parsed is not None else calls,
                    visible_labels=votable,
                    current_answers=self._answers_by_label(),
                    may_answer=may_answer,
                    novelty=self._settings.answer_novelty_requirement,
                    rules=AnswerRules(self._settings.identical_answer_as_vote,
                                      self._settings.keep_own_answer and bool(agent.answers),
                                      None if agent.label in votable else agent.label),
                )
            self._report_tool_results(agent, calls, decision)
            if not isinstance(decision, Rejection):
                same_answer = isinstance(decision, VoteDecision) and decision.same_answer
                return _RoundOutcome(decision, self._generation if same_answer else generation)
            self._publish(ev.WorkflowRejected(agent_id=agent.id, reason=decision.message, attempt=attempt))
            if decision.needs_vote and self._generation != generation:
                # The answer repeats one that arrived after this round began, whose tools (or schema)
                # offer no vote for it: start over with the answers as they are now.
                self._publish(ev.AgentRestarted(
                    agent_id=agent.id, reason="answers changed since its round began", round=agent.round + 1
                ))
                self._set_status(agent, ev.RESTARTING)
                return await self._run_round(agent)
            messages += [reply, *_feedback(calls, decision.message)]
            if attempt >= attempts:
                why = decision.message if called_workflow else NEVER_CALLED
                raise _GaveUp(f"no valid vote or answer after {attempt} attempts: {why}")

    def _votable(self, agent: AgentRuntime, visible: dict[str, str]) -> list[str]:
        """The labels ``agent`` may vote for: all shown, or without its own when ``self_votes`` is off
        (unless its own answer is the only one)."""
        others = [label for label in visible if label != agent.label]
        return list(visible) if self._settings.self_votes or not others else others

    def _report_tool_results(
        self, agent: AgentRuntime, calls: list[ToolCall], decision: AnswerDecision | VoteDecision | Rejection
    ) -> None:
        """Publish the result of each call of a reply that ended a turn (or was rejected)."""
        rejected = isinstance(decision, Rejection)
        message = decision.message if isinstance(decision, Rejection) else "accepted"
        for call in calls:
            self._publish(ev.ToolCallFinished(
                agent_id=agent.id, call_id=call.id, name=call.name, result=_result_text(call, message),
                is_error=rejected or call.name not in WORKFLOW_TOOLS,
            ))

    def _report_not_run(self, agent: AgentRuntime, calls: list[ToolCall]) -> None:
        """Close the calls of a presenting agent's last reply: none of them ran (so no call looks pending)."""
        for call in calls:
            why = "the final answer is being presented" if call.name in WORKFLOW_TOOLS \
                else f"the limit of {self._settings.max_tool_iterations} tool rounds was reached"
            self._publish(ev.ToolCallFinished(
                agent_id=agent.id, call_id=call.id, name=call.name, result=f"not run: {why}", is_error=True,
            ))

    def _workspace_note(self, agent: AgentRuntime) -> str:
        return self._workspaces.prompt_note(agent.id) if self._workspaces is not None else ""

    def _external_specs(self, agent: AgentRuntime) -> list[ToolSpec]:
        return self._tools.specs(agent.id) if self._tools else []

    async def _converse(
        self,
        agent: AgentRuntime,
        messages: list[Message],
        tools: list[ToolSpec],
        *,
        final: bool = False,
        output_schema: dict[str, Any] | None = None,
    ) -> tuple[Message, str]:
        """One model turn with its tool loop; returns the last reply and all text streamed in the turn.

        While a reply calls only external tools, they run (concurrently), their results go back
        and the model continues, at most ``max_tool_iterations`` times; calls in the reply after
        that are not run. A reply with a workflow call, or with no tool call, ends the loop.
        ``output_schema`` asks for the reply as JSON (structured decisions).
        """
        text: list[str] = []
        limit = self._settings.max_tool_iterations
        for iteration in range(limit + 1):
            reply = await self._call(agent, messages, tools, final=final, output_schema=output_schema)
            text.append(reply.content)
            if iteration == limit or not reply.tool_calls or any(c.name in WORKFLOW_TOOLS for c in reply.tool_calls):
                break
            results = await asyncio.gather(*(self._run_tool(agent, call) for call in reply.tool_calls))
            messages += [reply, *results]
        return reply, "".join(text)

    async def _run_tool(self, agent: AgentRuntime, call: ToolCall) -> Message:
        """Run one external tool call, publish its result, and return the tool message for the model."""
        started = time.monotonic()
        if self._tools is None:
            outcome = ToolOutcome(f"Unknown tool {call.name!r}.", is_error=True)
        else:
            outcome = await self._tools.call(agent.id, call)
        self._publish(ev.ToolCallFinished(
            agent_id=agent.id, call_id=call.id, name=call.name, result=self._redact(outcome.text),
            is_error=outcome.is_error, duration=time.monotonic() - started,
        ))
        return Message(role="tool", tool_call_id=call.id, name=call.name, content=outcome.text,
                       is_error=outcome.is_error)

    async def _call(
        self,
        agent: AgentRuntime,
        messages: list[Message],
        tools: list[ToolSpec],
        *,
        final: bool = False,
        output_schema: dict[str, Any] | None = None,
    ) -> Message:
        """Stream one provider call (with retries), publishing its output; returns the assistant message."""
        assert agent.backend is not None
        publish, agent_id = self._publish, agent.id
        self._set_status(agent, ev.THINKING)
        streaming = False
        async for item in stream_with_retry(agent.backend, messages, tools, output_schema=output_schema):
            if isinstance(item, TextChunk):
                if not streaming:
                    streaming = True
                    self._set_status(agent, ev.PRESENTING if final else ev.STREAMING)
                publish(ev.FinalDelta(agent_id=agent_id, text=item.text) if final
                        else ev.TextDelta(agent_id=agent_id, text=item.text))
            elif isinstance(item, ReasoningChunk):
                publish(ev.ReasoningDelta(agent_id=agent_id, text=item.text))
            elif isinstance(item, ToolCall):
                self._set_status(agent, ev.TOOL, item.name)
                publish(ev.ToolCallStarted(
                    agent_id=agent_id, call_id=item.id, name=item.name, arguments=item.arguments
                ))
            elif isinstance(item, ToolResult):
                publish(ev.ToolCallFinished(
                    agent_id=agent_id, call_id=item.id, name=item.name, result=self._redact(item.output),
                    is_error=item.is_error,
                ))
            elif isinstance(item, UsageReport):
                self._count_usage(agent, item)
            elif isinstance(item, RetryNotice):
                streaming = False
                self._set_status(agent, ev.RETRYING, item.reason)
                publish(ev.Retrying(
                    agent_id=agent_id, attempt=item.attempt, max_attempts=item.max_attempts,
                    delay=item.delay, reason=self._redact(item.reason),
                ))
            elif isinstance(item, BackendNotice):
                publish(ev.Notice(message=f"{agent_id}: {self._redact(item.message)}", level="warning"))
            elif isinstance(item, Done):
                return item.message
        raise ProviderError("the stream ended without completing", transient=False)

    def _count_usage(self, agent: AgentRuntime, usage: UsageReport) -> None:
        backend = agent.config.backend
        if usage.cost is not None:
            cost: float | None = usage.cost
        else:
            cost = 0.0 if is_free(backend.type, backend.model) else cost_of(backend.model, usage)
        agent.usage.add(usage, cost)
        self._publish(ev.Usage(
            agent_id=agent.id, input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
            reasoning_tokens=usage.reasoning_tokens, cached_tokens=usage.cached_tokens, cost=cost,
        ))

    # ----------------------------------------------------------- the ending

    def _pick_winner(self) -> tuple[AgentRuntime, dict[str, int]]:
        """Most votes wins, ties go to config order; no votes: the first agent with an answer."""
        tally: dict[str, int] = {}
        for agent in self.agents:
            if agent.vote is not None and not agent.failed:
                tally[agent.vote.target_id] = tally.get(agent.vote.target_id, 0) + 1
        candidates = [a for a in self.agents if a.answers]
        if tally:
            best = max(tally.values())
            winner = next(a for a in self.agents if tally.get(a.id) == best)
        else:
            winner = candidates[0]
        return winner, tally

    async def _present(self, timed_out: bool, remaining: float) -> TurnResult:
        winner, tally = self._pick_winner()
        reason = "timeout" if timed_out else ("votes" if tally else "first answer")
        self._publish(ev.ConsensusReached(winner_id=winner.id, tally=tally, reason=reason))
        answers = {a.id: a.answers[-1] for a in self.agents if a.answers}
        votes = [(a.id, a.vote.reason) for a in self.agents if a.vote and a.vote.target_id == winner.id]
        if self._workspaces is not None:
            self._workspaces.begin_final(winner.id)
        self._presentation_expired = False
        if self._settings.final_presentation == "verbatim":
            final = self._present_verbatim(winner)
        else:
            if self._settings.final_presentation == "rephrase":
                answers = {winner.id: winner.answers[-1]}
            messages = prompts.final_messages(
                self._question, answers, votes, history=self._history, system_message=winner.config.system_message,
                rephrase_only=self._settings.final_presentation == "rephrase", workspace=self._workspace_note(winner),
            )
            # The presentation is bounded too: what remains of the timeout, at least a grace (a turn that timed out
            # still presents); on expiry the winner's last answer is the final answer.
            budget = max(remaining, min(self._timeout, PRESENTATION_GRACE_SECONDS))
            final = await self._stream_final(winner, messages, fallback=winner.answers[-1], budget=budget)
        if self._workspaces is not None:
            await self._workspaces.end_final(winner.id)
        return TurnResult(TIMEOUT if timed_out or self._presentation_expired else COMPLETED, winner.id, final)

    async def _run_single(self, agent: AgentRuntime) -> TurnResult:
        """Single-agent mode: no protocol, the agent's reply is the final answer."""
        if agent.backend is None:
            self._fail(agent, agent.setup_error)
            return self._all_failed()
        if self._workspaces is not None:
            self._workspaces.begin_final(agent.id)
        messages = prompts.single_agent_messages(
            self._question, history=self._history, system_message=agent.config.system_message,
            workspace=self._workspace_note(agent),
        )
        try:
            final = await asyncio.wait_for(self._stream_final(agent, messages, fallback=None), self._timeout)
        except asyncio.TimeoutError:
            self._set_status(agent, ev.CANCELLED, "orchestrator timeout")
            return TurnResult(TIMEOUT, None, "", "timeout with no answer")
        if final is None:
            return self._all_failed()
        if self._workspaces is not None:
            await self._workspaces.end_final(agent.id)
        return TurnResult(COMPLETED, agent.id, final)

    @overload
    async def _stream_final(self, agent: AgentRuntime, messages: list[Message], fallback: str,
                            budget: float | None = None) -> str: ...

    @overload
    async def _stream_final(self, agent: AgentRuntime, messages: list[Message], fallback: None,
                            budget: float | None = None) -> str | None: ...

    async def _stream_final(self, agent: AgentRuntime, messages: list[Message], fallback: str | None,
                            budget: float | None = None) -> str | None:
        """Stream the final answer (within ``budget`` seconds); on failure or empty output fall back to ``fallback``."""
        self._publish(ev.FinalStarted(agent_id=agent.id))
        try:
            call = self._converse(agent, messages, self._external_specs(agent), final=True)
            reply, content = await asyncio.wait_for(call, budget)
            self._report_not_run(agent, reply.tool_calls)
        except asyncio.TimeoutError:
            if fallback is None:
                raise
            self._presentation_expired = True
            self._publish(ev.Notice(
                message=f"Orchestrator timeout: {agent.id} did not finish presenting within {budget:.3g}s; "
                        "its last answer is the final answer.",
                level="warning",
            ))
            content = ""
        except ProviderError as exc:
            if fallback is None:
                self._fail(agent, str(exc))
                return None
            self._publish(ev.Notice(
                message=f"{agent.id} could not present ({self._redact(str(exc))}); using its last answer.",
                level="warning",
            ))
            content = ""
        if not content.strip() and fallback is not None:
            content = fallback
            self._publish(ev.FinalDelta(agent_id=agent.id, text=content))
        self._publish(ev.FinalEnded(agent_id=agent.id, content=content))
        self._set_status(agent, ev.WINNER)
        return content

    def _present_verbatim(self, agent: AgentRuntime) -> str:
        """``final_presentation: verbatim``: the winning answer is the final answer, without a call."""
        content = agent.answers[-1]
        self._publish(ev.FinalStarted(agent_id=agent.id))
        self._publish(ev.FinalDelta(agent_id=agent.id, text=content))
        self._publish(ev.FinalEnded(agent_id=agent.id, content=content))
        self._set_status(agent, ev.WINNER)
        return content

    def _all_failed(self) -> TurnResult:
        reasons = "; ".join(f"{a.id}: {a.setup_error or 'failed'}" for a in self.agents if a.failed)
        return TurnResult(FAILED, None, "", f"all agents failed ({reasons})")

    # -------------------------------------------------------------- helpers

    def _fail(self, agent: AgentRuntime, message: str) -> None:
        message = self._redact(message)
        agent.failed = True
        agent.setup_error = agent.setup_error or message
        agent.vote = None
        self._publish(ev.AgentError(agent_id=agent.id, message=message, fatal=True))
        self._set_status(agent, ev.FAILED, message)

    def _set_status(self, agent: AgentRuntime, status: str, detail: str = "") -> None:
        if agent.status != status:
            agent.status = status
            self._publish(ev.AgentStatus(agent_id=agent.id, status=status, detail=detail))

    def _publish(self, event: ev.Event) -> None:
        self._bus.publish(event)


def _result_text(call: ToolCall, workflow_result: str) -> str:
    """The result a call of a turn-ending (or rejected) reply gets: external calls there are not run."""
    if call.name in WORKFLOW_TOOLS:
        return workflow_result
    return f"Not run: {call.name!r} came in a reply that must end the turn with `vote` or `new_answer`."


def _feedback(calls: list[ToolCall], message: str) -> list[Message]:
    """What goes back to the model after a rejected reply: a result per tool call, or a reminder."""
    if not calls:
        return [Message(role="user", content=message)]
    return [
        Message(role="tool", tool_call_id=call.id, name=call.name, is_error=True, content=_result_text(call, message))
        for call in calls
    ]


async def _cancel_all(tasks: dict[asyncio.Task[_RoundOutcome], AgentRuntime]) -> None:
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)

