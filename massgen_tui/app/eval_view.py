"""``massgen-tui eval`` on a terminal: progress and running accuracy per mode, the questions in flight
(the report table at the end) and a chart of accuracy vs cost per mode that grows as results arrive.
The run keeps going until it ends or ``q`` stops it (a rerun resumes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.widgets import Footer, Static

from massgen_tui.app.eval_chart import AccuracyCostChart, colour, marker
from massgen_tui.eval.progress import ModeProgress
from massgen_tui.eval.report import summarise
from massgen_tui.eval.results import Record
from massgen_tui.eval.runner import Item

Job = Callable[..., Awaitable[None]]
#: Narrower than this, the chart goes under the questions in flight instead of beside them.
SIDE_BY_SIDE = 120


class EvalApp(App[None]):
    """Runs ``job`` (``job(on_start=, on_result=)``) and shows its progress; ``report(width)`` gives the final table."""

    CSS_PATH = "eval_view.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit (a rerun resumes)", id="eval.quit"),
        Binding("ctrl+q,ctrl+c", "quit", "Quit", show=False, priority=True, id="eval.quit_ctrl"),
    ]

    def __init__(self, title: str, progress: ModeProgress, job: Job, report: Callable[[int | None], str]) -> None:
        super().__init__()
        self.title = title
        self.progress = progress
        self._job = job
        self._report = report
        self.in_flight: dict[tuple[str, str], str] = {}
        self.finished = False

    def compose(self) -> ComposeResult:
        yield Static(self.title, id="eval-title", markup=False)
        yield Static(id="eval-progress", markup=False)
        with Container(id="eval-main"):
            with Vertical(id="eval-left"):
                yield Static("In flight", id="eval-flight-title")
                with VerticalScroll(id="eval-body"):
                    yield Static(id="eval-flight", markup=False)
            yield AccuracyCostChart(list(self.progress.totals), id="eval-chart")
        yield Footer()

    def on_mount(self) -> None:
        self._fit(self.size.width)
        self._refresh()
        self.run_worker(self._run(), exclusive=True, exit_on_error=False)

    async def _run(self) -> None:
        try:
            await self._job(on_start=self._started, on_result=self._finished)
        except Exception as exc:  # shown, not raised: the results so far are kept
            self.query_one("#eval-flight", Static).update(f"The run stopped: {exc}")
            return
        self.finished = True
        self.query_one("#eval-flight-title", Static).update("Report (press q to quit)")
        self.query_one("#eval-flight", Static).update(self._report(self.query_one("#eval-body").size.width - 2))

    def _started(self, item: Item) -> None:
        self.in_flight[item.question.id, item.mode.name] = item.question.prompt.splitlines()[0]
        self._refresh()

    def _finished(self, record: Record) -> None:
        self.in_flight.pop((record["id"], record["mode"]), None)
        self.progress.count(record)
        self._refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.query_one("#eval-main").set_class(width < SIDE_BY_SIDE, "-stacked")

    def _refresh(self) -> None:
        bars = Text("\n").join(
            Text.assemble((marker(i), f"bold {colour(i)}"), " ", self.progress.line(mode))
            for i, mode in enumerate(self.progress.totals)
        )
        self.query_one("#eval-progress", Static).update(bars)
        self.query_one(AccuracyCostChart).update(summarise(self.progress.records, list(self.progress.totals)))
        if not self.finished:
            lines = [f"{mode}  {qid}: {text}" for (qid, mode), text in self.in_flight.items()]
            self.query_one("#eval-flight", Static).update("\n".join(lines) or "(starting)")


def run_eval_view(title: str, progress: ModeProgress, job: Job, report: Callable[[int | None], str]) -> None:
    """The command line's live view for ``massgen-tui eval``."""
    EvalApp(title, progress, job, report).run()
