"""Replay checkpoints: the view's snapshot after every so many events of a session."""

from __future__ import annotations

from dataclasses import dataclass

from massgen_tui.view.session_view import SessionView
from massgen_tui.view.snapshot import ViewSnapshot, restore, snapshot


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The view after ``position`` events."""

    position: int
    view: ViewSnapshot


def capture(view: SessionView, position: int) -> Checkpoint:
    """A checkpoint of ``view`` after ``position`` events."""
    return Checkpoint(position, snapshot(view))


def rewind(view: SessionView, checkpoint: Checkpoint, whole: SessionView) -> bool:
    """Make ``view`` what it was at ``checkpoint`` (see :func:`massgen_tui.view.snapshot.restore`); returns whether
    agents were added to ``view``."""
    return restore(view, checkpoint.view, whole)
