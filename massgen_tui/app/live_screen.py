"""The live screen: every agent side by side, the sidebar, the final answer and the input bar.

All drawing goes through :meth:`LiveScreen.apply_batch` (or :meth:`LiveScreen.apply` for one
event), fed by the live session's :class:`EventFeed` on a short timer or, for a replay, by
recorded events: both paths draw exactly the same screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.types import CSSPathType
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input

from massgen_tui.app.event_feed import EventFeed
from massgen_tui.app.gc_tuning import collect_between_frames
from massgen_tui.app.keys import binding_keys
from massgen_tui.app.widgets.agent_area import AgentArea
from massgen_tui.app.widgets.agent_panel import AgentPanel
from massgen_tui.app.widgets.consensus_strip import ConsensusStrip
from massgen_tui.app.widgets.final_view import FinalView, final_answer_file
from massgen_tui.app.widgets.key_hints import KeyHints
from massgen_tui.app.widgets.queued_question import QueuedQuestion
from massgen_tui.app.widgets.session_bar import SessionBar
from massgen_tui.app.widgets.sidebar import Sidebar
from massgen_tui.app.widgets.transcript_view import TranscriptView
from massgen_tui.events import Event
from massgen_tui.events import types as ev
from massgen_tui.view.session_view import Changes, SessionView

if TYPE_CHECKING:
    from massgen_tui.app.workspace_screen import ReplayControls

BATCH_SECONDS = 0.02
"""How often the live feed is drained. Each panel is redrawn at most every other drain, odd-numbered
panels on one and even-numbered on the next, so a frame repaints half the streaming panels: a
frame's cost (and so the event loop's longest stall) halves, while each panel still updates 25 times a second."""
BAR_DRAINS = 10
"""While replies stream, the session bar's totals are redrawn every this many drains (5 times a second)."""
SIDEBAR_MIN_SCREEN_WIDTH = 100
"""Below this width the sidebar is hidden (unless chosen with ``v``) and the consensus strip stands in."""
NOTICE_SECONDS = 12
"""How long a new notice stays up in full while the sidebar is hidden."""
CANCEL_QUEUED = Binding("ctrl+u", "cancel_queued", "Cancel the queued question", show=False, priority=True,
                        id="cancel_queued")  # before an input's own Ctrl+U, which it gets while it holds text


class LiveScreen(Screen[None]):
    """Agent panels, sidebar and final answer, drawn from a :class:`SessionView`.

    Focus: an agent panel (or the final answer, while it is shown) has the keys; the question bar
    takes them only after ``i`` or a click, and gives them back on Enter, on Esc, and when a turn
    starts or ends while it is empty.
    """

    CSS_PATH: ClassVar[CSSPathType | None] = "live_screen.tcss"
    HELP_GROUP: ClassVar[str] = "screen"  # what the help screen calls the part these keys act in
    # Searching and asking work while zoomed; the session's figures stay in view.
    ALLOW_IN_MAXIMIZED_VIEW = "#session-bar, #search-bar, #queued, #ask-bar, #key-hints"
    ESCAPE_TO_MINIMIZE = False  # Esc goes through action_back, which unzooms in its turn
    AUTO_FOCUS = ""  # not the first focusable widget (a hidden one): the first panel, once it exists

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"focus_agent({n})", f"Agent {n}", show=False, id=f"focus_agent_{n}")
          for n in range(1, 10)),
        Binding("tab", "cycle_agent(1)", "Next agent", show=False, id="next_agent"),
        Binding("shift+tab", "cycle_agent(-1)", "Previous agent", show=False, id="previous_agent"),
        Binding("z", "zoom", "Zoom", id="zoom"),
        Binding("f", "toggle_final", "Final answer", id="final_answer"),
        Binding("v", "toggle_sidebar", "Votes", id="votes"),
        Binding("r", "toggle_reasoning", "Reasoning", id="reasoning"),
        Binding("T", "toggle_tools", "All tool details", show=False, id="tool_details"),
        Binding("slash", "search", "Search", id="search"),
        Binding("w", "workspaces", "Workspaces (files)", show=False, id="workspaces"),
        Binding("i", "ask", "Ask", id="ask"),
        Binding("c", "copy_final", "Copy the selection, else the final answer", show=False, id="copy_final"),
        CANCEL_QUEUED,
        Binding("escape", "back", "Back", show=False, id="back"),
    ]

    class Question(Message):
        """The user submitted a question or command in the input bar."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, feed: EventFeed | None = None, clock: Callable[[], float] | None = None) -> None:
        """``feed`` is drained on a timer (live); ``clock`` gives "now" for running agents'
        elapsed time, ``None`` meaning the time of the latest event (replays, snapshots)."""
        super().__init__()
        self.view = SessionView()
        self.panels: dict[str, AgentPanel] = {}
        self._feed = feed
        self._clock = clock
        self._sidebar_chosen: bool | None = None
        self._search_view: TranscriptView | None = None
        self._last_view: TranscriptView | None = None
        self._stale_transcripts: set[str] = set()
        self._stale_headers: set[str] = set()
        self._stale_bar = True
        self._drains = 0
        self._area = AgentArea(id="agents")

    def compose(self) -> ComposeResult:
        yield SessionBar(id="session-bar", markup=False)
        with Horizontal(id="body"):
            with ContentSwitcher(initial="agents", id="main"):
                yield self._area
                yield FinalView(id="final")
            yield Sidebar(id="sidebar")
        yield ConsensusStrip(id="consensus-strip", markup=False)
        yield Input(placeholder="search this agent's output (Enter to find, Esc to close)", id="search-bar",
                    compact=True)
        yield QueuedQuestion(binding_keys(CANCEL_QUEUED, getattr(self.app, "keymap", {})), id="queued")
        yield Input(placeholder="› Ask a question, or /clear, /quit", id="ask-bar", compact=True)
        yield KeyHints(id="key-hints")

    def on_mount(self) -> None:
        self.query_one("#search-bar").display = False
        shown = [b for b in self.BINDINGS if isinstance(b, Binding)]
        shown += [b for b in getattr(self.app, "BINDINGS", []) if isinstance(b, Binding) and b.id == "help"]
        self.query_one(KeyHints).show_bindings(shown, getattr(self.app, "keymap", {}))
        self._refresh_summary()
        self.query_one(FinalView).refresh_from(self.view)
        self.refresh_session_bar()
        if self._feed is not None:
            self.set_interval(BATCH_SECONDS, self._drain)
        if self._clock is not None:
            self.set_interval(1.0, self._tick)

    # ------------------------------------------------------------------ applying

    def now(self) -> float:
        """The time running agents' clocks read."""
        return self._clock() if self._clock is not None else self.view.last_ts

    def _drain(self) -> None:
        collect_between_frames()
        events = self._feed.drain() if self._feed is not None else []
        if events:
            self._apply_events(events)
        self._drains += 1
        self._redraw_panels(parity=self._drains % 2)

    def _tick(self) -> None:
        now = self.now()
        winner = self.view.winner_id
        self.refresh_session_bar()
        for agent_id, panel in self.panels.items():
            if panel.agent.end_ts is None and panel.agent.start_ts is not None:
                panel.refresh_header(now, agent_id == winner)

    def apply(self, event: Event) -> Changes:
        """Apply one event to the screen."""
        return self.apply_batch((event,))

    def apply_batch(self, events: Iterable[Event]) -> Changes:
        """Apply events in order and redraw what they changed, once."""
        changes = self._apply_events(events)
        self._redraw_panels()
        return changes

    def _apply_events(self, events: Iterable[Event]) -> Changes:
        """Apply events to the model and redraw all but the agent panels, which are only marked stale."""
        turn, notice = self.view.turn, self.view.notice
        changes = self.view.apply_all(events)
        if changes.roster:
            self._add_panels()
            self.refresh_session_bar()  # the session's name as soon as it opens
        self._stale_transcripts |= changes.transcripts
        self._stale_headers |= changes.headers | changes.transcripts
        self._stale_bar = self._stale_bar or bool(changes.headers or changes.transcripts or changes.sidebar)
        if changes.sidebar:
            self._refresh_summary()
            if self.view.notice and self.view.notice != notice:
                self._show_notice()
        if changes.final and (self._showing_final or self.view.final_done):
            self.query_one(FinalView).refresh_from(self.view)
        if changes.turn_ended and self.view.final_text and self.view.turn_status != ev.TURN_CANCELLED:
            self._show_final(True)
        elif self.view.turn != turn and self._showing_final:
            self._show_final(False)  # a new turn: its agents, not the last turn's answer
        for alert in changes.alerts:
            self.notify(alert, severity="error", timeout=15, markup=False)
        return changes

    def _redraw_panels(self, parity: int | None = None) -> None:
        """Redraw stale panels: all, or those whose number has the given ``parity`` (and the session bar
        every :data:`BAR_DRAINS` drains)."""
        now, winner = self.now(), self.view.winner_id
        if self._stale_bar and (parity is None or self._drains % BAR_DRAINS == 0):
            self.refresh_session_bar()
        for agent_id in list(self._stale_headers):
            panel = self.panels[agent_id]
            if parity is not None and panel.number % 2 != parity:
                continue
            if agent_id in self._stale_transcripts:
                self._stale_transcripts.discard(agent_id)
                panel.view.refresh_content()
            self._stale_headers.discard(agent_id)
            self._refresh_header(panel, now, agent_id == winner)

    def _refresh_header(self, panel: AgentPanel, now: float, winner: bool) -> None:
        """Redraw a panel's header and its ticker line."""
        panel.refresh_header(now, winner)
        self._area.refresh_ticker(panel.agent.id, winner)

    def _refresh_summary(self) -> None:
        """Redraw the sidebar and the consensus strip."""
        self.query_one(Sidebar).refresh_from(self.view)
        self.query_one(ConsensusStrip).refresh_from(self.view)

    def refresh_session_bar(self) -> None:
        """Redraw the session's name, clock and totals."""
        self._stale_bar = False
        self.query_one(SessionBar).refresh_from(self.view, self.now())

    def _add_panels(self) -> None:
        new = []
        for agent_id, agent in self.view.agents.items():
            if agent_id not in self.panels:
                panel = self.panels[agent_id] = AgentPanel(agent, len(self.panels) + 1)
                new.append(panel)
        self._area.add_panels(new)
        if new:
            self.call_later(self._focus_if_unfocused)  # once mounted: the keys work from the first frame

    def _focus_if_unfocused(self) -> None:
        if self.focused is None:
            self.focus_panels()

    def _show_notice(self) -> None:
        """A new session notice pops up in full while the sidebar, which lists it, is hidden
        (live only: a replay moving through its log would pop up old ones)."""
        if self._feed is not None and not self.query_one(Sidebar).display:
            self.notify(self.view.notice, timeout=NOTICE_SECONDS, markup=False)

    # -------------------------------------------------------------------- layout

    def on_resize(self) -> None:
        self._reflow(self.size.width)

    def _reflow(self, width: int) -> None:
        """Show the sidebar or the consensus strip; the agent area then lays itself out for its size."""
        sidebar = self.query_one(Sidebar)
        sidebar.display = self._sidebar_chosen if self._sidebar_chosen is not None \
            else width >= SIDEBAR_MIN_SCREEN_WIDTH
        self.query_one(ConsensusStrip).display = not sidebar.display

    @property
    def _showing_final(self) -> bool:
        return self.query_one(ContentSwitcher).current == "final"

    def _show_final(self, show: bool) -> None:
        """Show the final answer (out of any zoom) or the agents; the keys follow unless an input has them."""
        if show:
            self.query_one(FinalView).refresh_from(self.view)
            if self.maximized is not None:
                self.minimize()
        self.query_one(ContentSwitcher).current = "final" if show else "agents"
        if not isinstance(self.focused, Input):
            self.focus_panels()

    # --------------------------------------------------------------------- focus

    @property
    def queued(self) -> QueuedQuestion:
        """The question waiting for the running turn to end."""
        return self.query_one(QueuedQuestion)

    def watch_focused(self, focused: Widget | None) -> None:
        if isinstance(focused, TranscriptView):
            self._last_view = focused

    def focus_panels(self) -> None:
        """Give the keys to the final answer while it is shown, else to the agent panel focused last."""
        self.set_focus(self.query_one("#final-scroll") if self._showing_final else self.focused_view())

    def leave_question_bar(self) -> None:
        """A turn started or ended: an empty question bar gives the keys back (one being written keeps them)."""
        bar = self.query_one("#ask-bar", Input)
        if self.focused is bar and not bar.value:
            self.focus_panels()

    def restore_question(self, question: str) -> bool:
        """Put an unsent question back in the question bar, to edit or send; not over a draft (returns False)."""
        bar = self.query_one("#ask-bar", Input)
        if bar.value:
            return False
        bar.value = question
        bar.cursor_position = len(question)
        return True

    # ------------------------------------------------------------------- actions

    def _views(self) -> list[TranscriptView]:
        return [panel.view for panel in self.panels.values()]

    def focused_view(self) -> TranscriptView | None:
        """The transcript with focus, else the one searched last, else the one focused last (the
        large one in the ticker layout), else the first."""
        if isinstance(self.focused, TranscriptView):
            return self.focused
        if self._search_view is not None and self._search_view.is_mounted:
            return self._search_view
        if self._last_view is not None and self._last_view.is_attached:
            return self._last_view
        large = self._area.large
        if large is not None:
            return large.view
        views = self._views()
        return views[0] if views else None

    def action_focus_agent(self, number: int) -> None:
        """Focus agent ``number`` (1-based); when zoomed, zoom that agent instead."""
        views = self._views()
        if not 1 <= number <= len(views):
            return
        self._show_final(False)
        views[number - 1].focus()
        if self.maximized is not None:
            self.maximize(views[number - 1])

    def action_cycle_agent(self, step: int) -> None:
        """Move focus to the next (or previous) agent panel."""
        views = self._views()
        if not views:
            return
        current = self.focused_view()
        index = views.index(current) if current in views and self.focused is current else -step
        self.action_focus_agent((index + step) % len(views) + 1)

    def action_zoom(self) -> None:
        """Zoom the focused agent to the whole screen, or back."""
        if self.maximized is not None:
            self.minimize()
            return
        view = self.focused_view()
        if view is not None:
            self._show_final(False)
            view.focus()
            self.maximize(view)

    def action_toggle_final(self) -> None:
        """Show the final answer (also from a zoomed panel), or go back to the agents."""
        self._show_final(not self._showing_final or self.maximized is not None)

    def action_toggle_sidebar(self) -> None:
        """Show or hide the votes sidebar; from a zoomed panel, unzoom to show it."""
        sidebar = self.query_one(Sidebar)
        if self.maximized is not None:
            self.minimize()
            if sidebar.display:
                return
        self._sidebar_chosen = not sidebar.display
        self._reflow(self.size.width)

    def action_toggle_reasoning(self) -> None:
        """Show or hide reasoning in every panel."""
        self.view.set_show_reasoning(not self.view.show_reasoning)
        for view in self._views():
            view.relayout()
        self.notify("reasoning shown" if self.view.show_reasoning else "reasoning hidden", timeout=2)

    def action_toggle_tools(self) -> None:
        """Expand every tool call to its full arguments and result, or back to one line each."""
        for view in self._views():
            view.transcript.expand_tools = not view.transcript.expand_tools
            view.relayout()

    def action_search(self) -> None:
        """Open the search bar for the focused agent (from the final answer: the agent focused last)."""
        if self._showing_final:
            self._show_final(False)
        self._search_view = self.focused_view()
        if self._search_view is None:
            return
        bar = self.query_one("#search-bar", Input)
        bar.display = True
        bar.focus()

    def action_ask(self) -> None:
        """Focus the question bar."""
        self.query_one("#ask-bar", Input).focus()

    def action_copy_final(self) -> None:
        """Copy the text selected with the mouse, else the final answer (OSC 52; the saved file is the fallback)."""
        selected = self.get_selected_text()
        if selected:
            self.app.copy_to_clipboard(selected)
            self.clear_selection()
            self.notify(f"copied the selected text ({len(selected)} characters)", timeout=3)
        elif self.view.final_text:
            self.app.copy_to_clipboard(self.view.final_text)
            saved = final_answer_file(self.view)
            fallback = f"; if your terminal ignores OSC 52 it is saved in {saved}" if saved else ""
            self.notify(f"final answer copied{fallback}", timeout=6, markup=False)
        else:
            self.notify("no final answer yet", severity="warning", timeout=2)

    def action_back(self) -> None:
        """Close the search bar, leave the question bar, unzoom, or leave the final answer, in that order."""
        self.back_out()

    def back_out(self) -> bool:
        """One step of :meth:`action_back`; whether there was anything to back out of."""
        if self.query_one("#search-bar", Input).display:
            self._close_search()
        elif self.focused is self.query_one("#ask-bar"):
            self.focus_panels()
        elif self.maximized is not None:
            self.minimize()
        elif self._showing_final:
            self._show_final(False)
        else:
            return False
        return True

    def _close_search(self) -> None:
        self.query_one("#search-bar", Input).display = False
        if self._search_view is not None:
            self._search_view.focus()

    @on(Input.Submitted, "#search-bar")
    def _search_submitted(self, event: Input.Submitted) -> None:
        view = self._search_view
        self._close_search()
        if view is None:
            return
        found = view.search(event.value)
        if event.value:
            self.notify(f"{found} match{'es' if found != 1 else ''} for {event.value!r} (n / N to move)",
                        timeout=3, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_queued":  # when not, Ctrl+U goes on to an input, which clears its text
            focused = self.focused
            return self.queued.question is not None and not (isinstance(focused, Input) and focused.value)
        return super().check_action(action, parameters)

    def action_cancel_queued(self) -> None:
        """Drop the question waiting for the running turn to end."""
        question = self.queued.take()
        self.notify(f"not sending {question!r}", timeout=3, markup=False)

    @on(Input.Submitted, "#ask-bar")
    def _question_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.clear()
        self.focus_panels()
        if text:
            self.post_message(self.Question(text))

    # ---------------------------------------------------------------- workspaces

    def workspace_folder(self) -> Path | None:
        """The session log folder holding the agents' workspace snapshots (None: no log)."""
        return Path(self.view.log_dir) if self.view.log_dir else None

    def action_workspaces(self, target: tuple[tuple[int, str, int | None], str] | None = None) -> None:
        """Open the workspace view (on ``target``, a version and file, if given)."""
        from massgen_tui.app.workspace_screen import WorkspaceScreen

        self.app.push_screen(WorkspaceScreen(self.view, self.workspace_folder(), target,
                                             replay=self.replay_controls()))

    def replay_controls(self) -> ReplayControls | None:
        """What a view opened over this screen may step (a replay's position); live: nothing."""
        return None

    @on(TranscriptView.OpenToolFile)
    def _open_tool_file(self, event: TranscriptView.OpenToolFile) -> None:
        from massgen_tui.replay.workspaces import following

        agent_id = next((a for a, panel in self.panels.items() if panel.view is event.view), None)
        edit = next((self.view.file_edits[(agent_id, line)] for line in event.lines
                     if (agent_id, line) in self.view.file_edits), None) if agent_id is not None else None
        if agent_id is None or edit is None:
            self.notify("no tool call in view wrote a file (write_file, edit_file, move_file)", timeout=3)
            return
        after = following(self.view.answer_log, self.view.final_log, agent_id, edit.turn, edit.answers_before)
        if after is None:
            self.notify(f"{edit.path}: no snapshot yet (it is saved with {self.view.name_of(agent_id)}'s next "
                        "answer)", timeout=4, markup=False)
            return
        self.action_workspaces(((after[0], agent_id, after[1]), edit.path))

    @on(TranscriptView.Following)
    def _following_changed(self, event: TranscriptView.Following) -> None:
        for agent_id, panel in self.panels.items():
            if panel.view is event.view:
                panel.refresh_header(self.now(), agent_id == self.view.winner_id)
