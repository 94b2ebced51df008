"""Replay of a recorded session: the live screen fed from the log, with a timeline and replay keys.

Moving a few events forward applies them through :meth:`LiveScreen.apply_batch`, the live path.
A longer jump restores the nearest checkpoint at or before the target (transcripts are cut or
extended in place) and applies the remaining events (at most one checkpoint interval) in one
batch, then redraws once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import Input

from massgen_tui.app.export import session_markdown
from massgen_tui.app.gc_tuning import collect_between_frames
from massgen_tui.app.keys import key_hint, keys_of
from massgen_tui.app.live_screen import LiveScreen
from massgen_tui.app.palette import screen_commands
from massgen_tui.app.widgets.final_view import FinalView
from massgen_tui.app.widgets.timeline import TimelineBar, TimelineState
from massgen_tui.events import types as ev
from massgen_tui.replay import index as ix
from massgen_tui.replay.checkpoints import rewind
from massgen_tui.replay.playback import Playback, parse_target
from massgen_tui.replay.session import CHECKPOINT_EVENTS, ReplaySession

TICK_SECONDS = 0.05
SYNC_BUILD_BYTES = 4 << 20  # logs up to this size are indexed before the first frame
STEPS = (ix.ANSWER, ix.VOTE)


class ReplayScreen(LiveScreen):
    """A recorded session, positioned anywhere between its first and last event."""

    CSS_PATH = ["live_screen.tcss", "replay_screen.tcss"]
    ALLOW_IN_MAXIMIZED_VIEW = LiveScreen.ALLOW_IN_MAXIMIZED_VIEW + ", #timeline, #goto-bar"
    HELP_GROUP: ClassVar[str] = "replay"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "play_pause", "Play/pause", priority=True, id="replay.play_pause"),
        Binding("plus", "speed(1)", "Faster", priority=True, id="replay.faster"),
        Binding("minus", "speed(-1)", "Slower", priority=True, id="replay.slower"),
        Binding("left", "step(-1)", "Previous event", show=False, priority=True, id="replay.previous_event"),
        Binding("right", "step(1)", "Next event", show=False, priority=True, id="replay.next_event"),
        Binding("left_square_bracket", "marker(-1)", "Previous answer/vote", show=False, priority=True,
                id="replay.previous_step"),
        Binding("right_square_bracket", "marker(1)", "Next answer/vote", priority=True, id="replay.next_step"),
        Binding("left_curly_bracket", "round(-1)", "Previous round", show=False, priority=True,
                id="replay.previous_round"),
        Binding("right_curly_bracket", "round(1)", "Next round", show=False, priority=True,
                id="replay.next_round"),
        Binding("home", "go_start", "Start", show=False, priority=True, id="replay.start"),
        Binding("end,i", "go_end", "End", priority=True, id="replay.end"),
        Binding("colon", "goto", "Go to", priority=True, id="replay.goto"),
        Binding("q", "close", "Close", priority=True, id="replay.close"),
    ]

    _REPLAY_ACTIONS = frozenset({
        "play_pause", "speed", "step", "marker", "round", "go_start", "go_end", "goto", "close",
    })

    def __init__(self, session: ReplaySession) -> None:
        super().__init__(feed=None, clock=None)
        self.session = session
        self.position = 0
        self.playback = Playback()
        self._last_tick = 0.0
        self._building = False
        self._warned = False

    # ------------------------------------------------------------------ set-up

    def on_mount(self) -> None:
        self.query_one("#ask-bar").display = False
        self.mount(TimelineBar(id="timeline"), after=self.query_one("#body"))
        self.mount(Input(placeholder="go to: a time (1:23, 83s) or a percentage (40%); Enter to go, Esc to close",
                         id="goto-bar", compact=True), after=self.query_one("#body"))
        self.query_one("#goto-bar").display = False
        if self._small():
            self.session.build()
            self._built()
        else:
            self._building = True
            self._build()
        self.set_interval(TICK_SECONDS, self._tick_playback)

    def _small(self) -> bool:
        source_path = getattr(self.session.source, "path", None)
        return source_path is None or Path(source_path).stat().st_size <= SYNC_BUILD_BYTES

    @work(thread=True, exit_on_error=False, group="replay-index")
    def _build(self) -> None:
        self.app.call_from_thread(self._first_frame_soon)
        self.session.build()
        self.app.call_from_thread(self._built)

    def _opening(self) -> int:
        """Where a replay opens: the first question asked (so it is on screen), else the first event."""
        return next((m.position for m in self.session.index.markers if m.kind == ix.ROUND), 1)

    def _first_frame_soon(self) -> None:
        """While a big log is indexed, show its start as soon as the first event is in."""
        if self.position == 0 and len(self.session):
            self.seek(self._opening())
        elif self._building:
            self.set_timer(0.05, self._first_frame_soon)
        self._show_timeline()

    def _built(self) -> None:
        self._building = False
        if self.position == 0 and len(self.session):
            self.seek(self._opening())
        for warning in self.session.warnings():
            self.notify(warning, title="replay", severity="warning", timeout=12, markup=False)
        if not len(self.session):
            self.notify("this log holds no event to replay", severity="warning", markup=False)
        self._show_timeline()

    # ---------------------------------------------------------------- position

    @property
    def total(self) -> int:
        """Events that can be shown (all of them once indexing is done)."""
        return len(self.session)

    def replay_controls(self) -> ReplayScreen:
        """A workspace view opened over the replay steps it with ``[`` and ``]``."""
        return self

    def seek(self, target: int) -> None:
        """Show the session after ``target`` events (clamped to what is indexed)."""
        target = min(max(target, 1 if self.total else 0), self.total)
        before = self.position
        if target == before:
            self._show_timeline()
            return
        checkpoint = self.session.checkpoint_at(target)
        if before < target and (target - before <= CHECKPOINT_EVENTS or checkpoint.position <= before):
            self.apply_batch(self.session.events(before, target))
        else:
            if rewind(self.view, checkpoint, self.session.whole):
                self._add_panels()
            self.apply_batch(self.session.events(checkpoint.position, target))
            self._redraw()
        if before == 0:
            self._redraw()  # the first frame: headers of panels no event has touched yet
        self.position = target
        self._settle_final(before, target)
        self._show_timeline()

    def _redraw(self) -> None:
        """Redraw every panel, the sidebar and the final answer after a jump."""
        now, winner = self.now(), self.view.winner_id
        for agent_id, panel in self.panels.items():
            panel.view.relayout()  # rows may have changed anywhere: drop every cached row
            self._refresh_header(panel, now, agent_id == winner)
        self._refresh_summary()
        self.refresh_session_bar()
        if self._showing_final:
            self.query_one(FinalView).refresh_from(self.view)

    def _settle_final(self, before: int, after: int) -> None:
        """The final answer opens when a jump passes the end of a turn, and closes before it exists."""
        low, high = sorted((before, after))
        crossed = any(low < m.position <= high for m in self.session.index.markers if m.kind == ix.TURN_END)
        if after > before and crossed and self.view.final_text and self.view.turn_status != ev.TURN_CANCELLED:
            self._show_final(True)
        elif self._showing_final and not self.view.final_text:
            self._show_final(False)

    def _show_timeline(self) -> None:
        times = self.session.index.times
        start = times[0] if len(times) else 0.0
        elapsed = times[self.position - 1] - start if self.position else 0.0
        duration = times[-1] - start if len(times) else 0.0
        warnings = len(self.session.index.damaged_lines) + sum(self.session.index.unknown_types.values())
        note = f"⚠ {warnings} line(s) skipped" if warnings else ""
        state = TimelineState(self.position, self.total, elapsed, duration, self.playback.speed,
                              self.playback.playing, complete=not self._building, note=note)
        self.query_one(TimelineBar).show(state, self.session.index.markers)

    # ---------------------------------------------------------------- playback

    def _tick_playback(self) -> None:
        now = time.monotonic()
        seconds, self._last_tick = now - self._last_tick, now
        if not self.playback.playing:
            return
        collect_between_frames()
        target = self.playback.advance(min(seconds, 0.5), self.session.index.times, self.position)
        if target != self.position:
            self.seek(target)
        elif not self.playback.playing:
            self._show_timeline()

    @on(TimelineBar.Seek)
    def _clicked(self, event: TimelineBar.Seek) -> None:
        self._stop()
        self.seek(event.position)

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ask":
            return False
        if action in self._REPLAY_ACTIONS and isinstance(self.focused, Input):
            return False  # the key is typed into the input instead
        return super().check_action(action, parameters)

    def action_play_pause(self) -> None:
        """Play from here at the recorded pace (times the speed), or pause."""
        if self.playback.playing:
            self.playback.playing = False
        elif self.total:
            if self.position >= self.total:
                self.seek(1)
            self.playback.start(self.session.index.times, self.position)
            self._last_tick = time.monotonic()
        self._show_timeline()

    def action_speed(self, step: int) -> None:
        """Play faster or slower (0.25x to 64x)."""
        self.playback.faster(step)
        self._show_timeline()

    def action_step(self, step: int) -> None:
        """One event back or forward."""
        self._stop()
        self.seek(self.position + step)

    def action_marker(self, direction: int) -> None:
        """The previous or next answer or vote."""
        self._jump_to_marker(STEPS, direction)

    def action_round(self, direction: int) -> None:
        """The previous or next round (a turn's start counts as its first round)."""
        self._jump_to_marker((ix.ROUND,), direction)

    def _jump_to_marker(self, kinds: tuple[str, ...], direction: int) -> None:
        self._stop()
        positions = [m.position for m in self.session.index.markers if m.kind in kinds]
        if direction > 0:
            target = next((p for p in positions if p > self.position), None)
        else:
            target = next((p for p in reversed(positions) if p < self.position), None)
        if target is None:
            self.notify("no further step that way" if direction > 0 else "no earlier step", timeout=2)
            return
        self.seek(target)

    def action_go_start(self) -> None:
        """The first event."""
        self._stop()
        self.seek(1)

    def action_go_end(self) -> None:
        """The end state, at once."""
        self._stop()
        self.seek(self.total)

    def action_goto(self) -> None:
        """Ask for a time or a percentage to go to."""
        bar = self.query_one("#goto-bar", Input)
        bar.display = True
        bar.focus()

    def action_close(self) -> None:
        """Leave the replay (back to the screen it was opened from, or quit)."""
        self._stop()
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_back(self) -> None:
        """As in the live screen (and the go-to bar closes); with nothing left to back out of, return to
        the screen the replay was opened from (the browser or the live app), if any."""
        goto = self.query_one("#goto-bar", Input)
        if goto.display:
            self._close_goto()
        elif not self.back_out() and len(self.app.screen_stack) > 2:
            self.action_close()

    def _stop(self) -> None:
        self.playback.playing = False

    def _close_goto(self) -> None:
        goto = self.query_one("#goto-bar", Input)
        goto.display = False
        goto.clear()
        self.focus_panels()

    @on(Input.Submitted, "#goto-bar")
    def _goto_submitted(self, event: Input.Submitted) -> None:
        text = event.value
        self._close_goto()
        if not text.strip():
            return
        try:
            target = parse_target(text, self.session.index.times)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self._stop()
        self.seek(target)

    def workspace_folder(self) -> Path | None:
        """The folder the replay opened (its workspace snapshots are there, wherever the log was written)."""
        path = Path(self.session.path)
        return path if path.is_dir() else path.parent

    # ------------------------------------------------------------------ export

    def export_markdown(self, up_to_here: bool, folder: Path | None = None) -> Path | None:
        """Write the session (or its part up to the current position) as Markdown; returns the file."""
        if not up_to_here and self._building:
            self.notify("still reading the log; try again in a moment", severity="warning")
            return None
        stop = self.position if up_to_here else self.total
        view = self.view if up_to_here else self.session.whole
        answers = [event for m in self.session.index.markers if m.kind == ix.ANSWER and m.position <= stop
                   for event in self.session.events(m.position - 1, m.position)
                   if isinstance(event, ev.AnswerSubmitted)]
        name = re.sub(r"[^\w.-]+", "_", view.session_id or "session")
        path = (folder or Path.cwd()) / (f"{name}-at-{stop}.md" if up_to_here else f"{name}.md")
        try:
            path.write_text(session_markdown(view, answers=answers), encoding="utf-8")
        except OSError as exc:
            self.notify(f"could not export: {exc}", severity="error", markup=False)
            return None
        self.notify(f"exported to {path}", markup=False)
        return path

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The replay's entries for the command palette."""
        speed = f"{keys_of(self, 'replay.faster')} / {keys_of(self, 'replay.slower')} change the speed"
        yield SystemCommand("Replay: play or pause", f"{key_hint(self, 'replay.play_pause')}; {speed}",
                            self.action_play_pause)
        yield SystemCommand("Replay: go to a time or percentage", key_hint(self, "replay.goto"), self.action_goto)
        yield SystemCommand("Replay: jump to the end", key_hint(self, "replay.end"), self.action_go_end)
        yield SystemCommand("Replay: export the whole session to Markdown", "Written in the current folder",
                            lambda: self.export_markdown(False))
        yield SystemCommand("Replay: export up to the current position to Markdown",
                            "Written in the current folder", lambda: self.export_markdown(True))
        yield from screen_commands(self)
        yield SystemCommand("Replay: close", key_hint(self, "replay.close"), self.action_close)
