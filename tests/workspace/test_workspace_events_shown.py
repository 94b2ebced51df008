"""The workspace events reach the user: the final workspace's path under the final answer, snapshots and
context writes in the timeline."""

from __future__ import annotations

from massgen_tui.app.widgets.final_view import final_header
from massgen_tui.events import types as ev
from massgen_tui.view.session_view import SessionView


def _view_after(*events: ev.Event) -> SessionView:
    view = SessionView()
    for event in (
        ev.SessionStarted(session_id="s", agents=[{"id": "alpha", "label": "agent1"}], config={}, log_dir="/logs/s"),
        ev.TurnStarted(turn=1, question="q", labels={"alpha": "agent1"}),
        *events,
    ):
        view.apply(event)
    return view


def test_the_final_answer_says_where_the_final_workspace_is():
    view = _view_after(
        ev.FinalStarted(agent_id="alpha"), ev.FinalEnded(agent_id="alpha", content="done"),
        ev.FinalWorkspaceReady(agent_id="alpha", turn=1, path="/logs/s/turn_1/final_workspace", files=3),
    )
    header = final_header(view).plain
    assert "saved: /logs/s/turn_1/final.md" in header
    assert "final workspace: /logs/s/turn_1/final_workspace" in header
    assert any("final workspace (3 files)" in entry.text for entry in view.timeline)


def test_snapshots_and_refused_context_writes_are_in_the_timeline():
    view = _view_after(
        ev.WorkspaceSnapshotted(agent_id="alpha", label="agent1", turn=1, version=1, path=None, files=2, bytes=10,
                                new_bytes=10),
        ev.ContextWritesReviewed(agent_id="alpha", files=["index.html"], applied=False, reason="no --allow-writes"),
    )
    texts = [entry.text for entry in view.timeline]
    assert any("answer 1: workspace of 2 files saved" in t for t in texts)
    assert any("index.html: not written (no --allow-writes)" in t for t in texts)
