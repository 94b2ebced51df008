"""A session log with workspaces: two agents write files, answer (alpha twice), vote; alpha presents.

Run as a script to write one for trying the app by hand::

    python -m tests.replay.workspace_log /tmp/ws-session && massgen-tui replay /tmp/ws-session
"""

from __future__ import annotations

import sys
from pathlib import Path

from massgen_tui.events import Event
from massgen_tui.events import types as ev
from massgen_tui.replay.workspaces import answer_root, final_root
from tests.app.scenarios import Timeline
from tests.replay.logs import write_log

AGENTS = (("alpha", "agent1", "gpt-4o-mini"), ("beta", "agent2", "claude-haiku"))
APP_V1 = 'def add(a, b):\n    return a + b\n\n\nprint(add(2, 2))\n'
APP_V2 = 'def add(a: int, b: int) -> int:\n    """Sum of two numbers."""\n    return a + b\n\n\nprint(add(2, 2))\n'
APP_FINAL = APP_V2 + 'print(add(3, 4))\n'
BETA_APP = 'def add(a, b):\n    return sum((a, b))\n\n\nprint(add(2, 2))\n'
NOTES = "# Notes\n\n- adds two numbers\n"

# (turn, agent, version) -> files of that snapshot
SNAPSHOTS: dict[tuple[str, int | None], dict[str, str | bytes]] = {
    ("alpha", 1): {"app.py": APP_V1},
    ("beta", 1): {"app.py": BETA_APP, "docs/notes.md": NOTES, "logo.png": b"\x89PNG\r\n\x1a\n\0\0\0"},
    ("alpha", 2): {"app.py": APP_V2, "docs/notes.md": NOTES},
    ("alpha", None): {"app.py": APP_FINAL, "docs/notes.md": NOTES},
}


def _write(calls: Timeline, agent: str, call_id: str, name: str, **arguments: str) -> None:
    calls.add(ev.ToolCallStarted(agent_id=agent, call_id=call_id, name=name, arguments=arguments))
    calls.add(ev.ToolCallFinished(agent_id=agent, call_id=call_id, name=name, result="ok", duration=0.1))


def workspace_events(log_dir: str | None = None) -> list[Event]:
    """The session's events (the snapshots are written by :func:`write_snapshots`); ``log_dir`` as the live
    app would announce its log folder."""
    t = Timeline()
    t.add(ev.SessionStarted(
        session_id="20261202-010000-wksp",
        agents=[{"id": a, "label": label, "backend": "chatcompletion", "model": model} for a, label, model in AGENTS],
        config={}, log_dir=log_dir, config_name="workspaces.yaml",
    ))
    t.add(ev.TurnStarted(turn=1, question="Write add() in app.py", labels={a: label for a, label, _ in AGENTS}))
    for agent, _, _ in AGENTS:
        t.add(ev.AgentStatus(agent_id=agent, status=ev.THINKING),
              ev.RoundStarted(agent_id=agent, round=0, answers_seen=[]))
    _write(t, "alpha", "a1", "write_file", path="app.py", content=APP_V1)
    t.add(ev.AnswerSubmitted(agent_id="alpha", label="agent1", version=1, content="add() is in app.py"))
    _write(t, "beta", "b1", "write_file", path="app.py", content=BETA_APP)
    _write(t, "beta", "b2", "write_file", path="docs/notes.md", content=NOTES)
    t.add(ev.AnswerSubmitted(agent_id="beta", label="agent2", version=1, content="app.py, with notes"))
    _write(t, "alpha", "a2", "edit_file", path="app.py", old="def add(a, b):", new="def add(a: int, b: int) -> int:")
    _write(t, "alpha", "a3", "write_file", path="docs/notes.md", content=NOTES)
    t.add(ev.AnswerSubmitted(agent_id="alpha", label="agent1", version=2, content="typed add() in app.py"))
    t.add(ev.VoteCast(agent_id="beta", target_id="alpha", target_label="agent1", reason="typed"))
    t.add(ev.VoteCast(agent_id="alpha", target_id="alpha", target_label="agent1", reason="mine"))
    t.add(ev.ConsensusReached(winner_id="alpha", tally={"alpha": 2}, reason="votes"))
    t.add(ev.FinalStarted(agent_id="alpha"), ev.AgentStatus(agent_id="alpha", status=ev.PRESENTING))
    _write(t, "alpha", "a4", "edit_file", path="app.py", old="", new="print(add(3, 4))")
    t.add(ev.FinalEnded(agent_id="alpha", content="app.py is done"))
    t.add(ev.TurnEnded(turn=1, status="completed", winner_id="alpha", final_answer="app.py is done"))
    t.add(ev.SessionEnded(status="completed", winner_id="alpha", totals={}))
    return t.events


def write_snapshots(folder: Path) -> None:
    """Write every snapshot of :data:`SNAPSHOTS` where the session log keeps them."""
    for (agent, version), snapshot in SNAPSHOTS.items():
        root = final_root(folder, 1) if version is None else answer_root(folder, 1, agent, version)
        for name, data in snapshot.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")


def write_workspace_log(folder: Path, *, snapshots: bool = True) -> Path:
    """The session's folder: events and side files, plus (with ``snapshots``) every workspace."""
    write_log(folder, workspace_events())
    if snapshots:
        write_snapshots(folder)
    return folder


if __name__ == "__main__":
    print(write_workspace_log(Path(sys.argv[1])))
