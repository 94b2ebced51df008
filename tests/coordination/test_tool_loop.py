"""External tools mid-turn: results go back to the model, the model continues, workflow calls end the turn."""

from __future__ import annotations

from massgen_tui.backends.base import ToolCall, ToolSpec
from massgen_tui.coordination.session import Session
from massgen_tui.events import EventBus
from massgen_tui.events import types as ev
from massgen_tui.tools.external import ToolOutcome
from tests.conftest import make_team
from tests.coordination.helpers import agent
from tests.fake_provider import CallTool, Reply, Text

LOOKUP = ToolSpec(name="lookup", description="Look a fact up.",
                  parameters={"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]})


class Facts:
    """A tool provider that knows one fact and fails on anything else."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def specs(self, agent_id: str) -> list[ToolSpec]:
        return [LOOKUP]

    async def call(self, agent_id: str, call: ToolCall) -> ToolOutcome:
        self.calls.append((agent_id, call.arguments))
        if call.arguments.get("q") == "2+2":
            return ToolOutcome("4")
        return ToolOutcome(f"no fact for {call.arguments.get('q')!r}", is_error=True)


async def run_with(config, tools, question="What is 2+2?"):
    bus = EventBus()
    events: list = []
    bus.subscribe(events.append)
    session = Session(config, bus, tools=tools)
    await session.open()
    result = await session.ask(question)
    await session.close()
    return result, events


async def test_tool_results_reach_the_model_and_the_turn_goes_on_to_a_workflow_call(fake):
    looked_up = [Reply(Text("Checking. "), CallTool("lookup", {"q": "2+2"}, id="call_1"))]
    fake.responder("m-a", agent("It is 4 (looked up).", first=looked_up))
    fake.responder("m-b", agent("Four."))
    facts = Facts()
    result, events = await run_with(make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "claude", "m-b")), facts)

    assert result.status == "completed"
    assert facts.calls == [("a", {"q": "2+2"})]
    follow_up = fake.requests_for("m-a")[1]
    assert follow_up.messages[-1] == {"role": "tool", "text": "4", "tool_calls": [], "tool_call_id": "call_1"}
    assert "lookup" in fake.requests_for("m-b")[0].tool_names  # every agent is offered the tools
    finished = [e for e in events if isinstance(e, ev.ToolCallFinished) and e.name == "lookup"]
    assert [(e.result, e.is_error) for e in finished] == [("4", False)] and finished[0].duration >= 0


async def test_a_failing_tool_is_an_error_result_for_the_model_not_a_failed_agent(fake):
    fake.responder("m-a", agent("A", first=[Reply(CallTool("lookup", {"q": "moon"}, id="c9"))]))
    fake.responder("m-b", agent("B"))
    result, events = await run_with(make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b")),
                                     Facts())
    assert result.status == "completed" and not [e for e in events if isinstance(e, ev.AgentError)]
    assert fake.requests_for("m-a")[1].messages[-1]["text"] == "no fact for 'moon'"


async def test_the_tool_loop_is_bounded_and_the_model_is_told_to_finish(fake):
    endless = [Reply(CallTool("lookup", {"q": "2+2"}, id=f"c{i}")) for i in range(5)]
    fake.responder("m-a", agent("A", first=endless))
    fake.responder("m-b", agent("B"))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"), max_tool_iterations=2)
    facts = Facts()
    result, events = await run_with(team, facts)
    assert result.status == "completed"
    # Each attempt runs two rounds of tools; its third tool call is refused (a rejected attempt).
    assert len(facts.calls) == 4
    rejected = [e for e in events if isinstance(e, ev.WorkflowRejected) and e.agent_id == "a"]
    assert rejected and rejected[0].attempt == 1
    not_run = fake.requests_for("m-a")[3].messages[-1]["text"]
    assert not_run == "Not run: 'lookup' came in a reply that must end the turn with `vote` or `new_answer`."


async def test_the_winner_may_use_tools_while_presenting_and_all_its_text_is_the_final_answer(fake):
    presenting = iter([Reply(Text("Let me check. "), CallTool("lookup", {"q": "2+2"}, id="f1")),
                       Reply(Text("It is 4."))])
    fake.responder("m-a", _final_with_tool(agent("A"), presenting))
    fake.responder("m-b", agent("B"))
    team = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    result, events = await run_with(team, Facts())
    assert result.final_answer == "Let me check. It is 4."
    assert "".join(e.text for e in events if isinstance(e, ev.FinalDelta)) == "Let me check. It is 4."


def _final_with_tool(coordinating, presenting):
    """Behave like ``coordinating`` while workflow tools are offered; then play ``presenting``."""
    def respond(request):
        if {"vote", "new_answer"} & set(request.tool_names):
            return coordinating(request)
        return next(presenting)
    return respond
