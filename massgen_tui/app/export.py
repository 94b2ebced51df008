"""The session as a Markdown document: the question, each agent's output, the votes and the final answer."""

from __future__ import annotations

from collections.abc import Sequence

from massgen_tui.events.types import AnswerSubmitted
from massgen_tui.logs.redact import Redactor, environment_secrets
from massgen_tui.view import figures
from massgen_tui.view import transcript as tk
from massgen_tui.view.session_view import SessionView


def session_markdown(view: SessionView, answers: Sequence[AnswerSubmitted] = ()) -> str:
    """Everything on screen, as Markdown; agent output goes in fenced blocks so it stays verbatim.

    ``answers`` (every answer in the order given, e.g. from a replay) adds a section with each in full.
    Keys of the environment and the ``.env`` files are masked (a live view is redacted already; an
    old log may hold a key it missed).
    """
    parts = [f"# massgen-tui session {view.session_id}".rstrip(), ""]
    facts = [f"Config: {view.config_name}"] if view.config_name else []
    if view.session_start_ts is not None:
        facts.append(f"elapsed {figures.clock(view.session_elapsed(view.last_ts))}")
    if facts:
        parts += [" · ".join(facts), ""]
    if view.question:
        parts += [f"**Turn {view.turn}:** {view.question}", ""]
    for agent in view.agents.values():
        model = f" · {agent.model}" if agent.model else ""
        parts += [f"## {agent.name}{model}", "", f"Status: {agent.status}", ""]
        lines = [text for kind, text in zip(agent.transcript.kinds, agent.transcript.texts, strict=True)
                 if view.show_reasoning or kind != tk.REASONING]
        parts += [_fence(lines), ""]
    if answers:
        parts += ["## Answers in order", ""]
        for answer in answers:
            parts += [f"### {view.name_of(answer.agent_id)} v{answer.version}", "",
                      _fence(answer.content.split("\n")), ""]
    if view.votes:
        parts += ["## Votes", ""]
        parts += [f"- {view.name_of(v.voter_id)} → {view.name_of(v.target_id)}: {v.reason}"
                  + ("" if v.valid else " (cleared)") for v in view.votes]
        parts.append("")
    parts += _totals(view)
    if view.final_text:
        winner = view.final_agent or view.winner_id or ""
        parts += [f"## Final answer ({view.name_of(winner)})", "", view.final_text.rstrip(), ""]
    return Redactor(environment_secrets())("\n".join(parts))


def _totals(view: SessionView) -> list[str]:
    """Tokens and cost per agent and overall, as a table (``~``: estimated, no usage report came)."""
    if not view.agents:
        return []
    rows = ["## Totals", "", "| agent | input tokens | output tokens | cost |", "| --- | ---: | ---: | ---: |"]
    for agent in view.agents.values():
        output = agent.output_tokens + agent.estimated_output
        rows.append(f"| {agent.name} | {agent.input_tokens} | {'~' * bool(agent.estimated_output)}{output} | "
                    f"{figures.cost(agent)} |")
    totals = view.totals()
    rows.append(f"| all | {totals.input_tokens} | {'~' * totals.estimated}{totals.output_tokens} | "
                f"{totals.cost_text()} |")
    return rows + [""]


def _fence(lines: list[str]) -> str:
    """A fenced block longer than any backtick run inside it."""
    ticks = "`" * max(3, _longest_backtick_run(lines) + 1)
    return "\n".join([ticks, *lines, ticks])


def _longest_backtick_run(lines: list[str]) -> int:
    best = 0
    for line in lines:
        run = 0
        for char in line:
            run = run + 1 if char == "`" else 0
            best = max(best, run)
    return best
