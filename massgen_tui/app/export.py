"""The session as a Markdown document: the question, each agent's output, the votes and the final answer."""

from __future__ import annotations

from massgen_tui.app.model import transcript as tk
from massgen_tui.app.model.session_view import SessionView


def session_markdown(view: SessionView) -> str:
    """Everything on screen, as Markdown; agent output goes in fenced blocks so it stays verbatim."""
    parts = [f"# massgen-tui session {view.session_id}".rstrip(), ""]
    if view.question:
        parts += [f"**Turn {view.turn}:** {view.question}", ""]
    for agent in view.agents.values():
        parts += [f"## {agent.id} ({agent.label}) · {agent.model}", "", f"Status: {agent.status}", ""]
        lines = [text for kind, text in zip(agent.transcript.kinds, agent.transcript.texts)
                 if view.show_reasoning or kind != tk.REASONING]
        parts += [_fence(lines), ""]
    if view.votes:
        parts += ["## Votes", ""]
        parts += [f"- {view.label_of(v.voter_id)} → {v.target_label}: {v.reason}"
                  + ("" if v.valid else " (cleared)") for v in view.votes]
        parts.append("")
    if view.final_text:
        winner = view.final_agent or view.winner_id or ""
        parts += [f"## Final answer ({view.label_of(winner)})", "", view.final_text.rstrip(), ""]
    return "\n".join(parts)


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
