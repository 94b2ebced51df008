"""``massgen-tui eval`` on a terminal: progress and running accuracy per mode, the questions in flight,
and the report table at the end. The run keeps going until it ends or ``q`` stops it (a rerun resumes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from massgen_tui.eval.progress import ModeProgress
from massgen_tui.eval.results import Record
from massgen_tui.eval.runner import Item

Job = Callable[..., Awaitable[None]]


class EvalApp(App):
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
        yield Static("In flight", id="eval-flight-title")
        with VerticalScroll(id="eval-body"):
            yield Static(id="eval-flight", markup=False)
        yield Footer()

    def on_mount(self) -> None:
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
        self.query_one("#eval-flight", Static).update(self._report(self.size.width - 2))

    def _started(self, item: Item) -> None:
        self.in_flight[item.question.id, item.mode.name] = item.question.prompt.splitlines()[0]
        self._refresh()

    def _finished(self, record: Record) -> None:
        self.in_flight.pop((record["id"], record["mode"]), None)
        self.progress.count(record)
        self._refresh()

    def _refresh(self) -> None:
        self.query_one("#eval-progress", Static).update("\n".join(self.progress.lines()))
        if not self.finished:
            lines = [f"{mode}  {qid}: {text}" for (qid, mode), text in self.in_flight.items()]
            self.query_one("#eval-flight", Static).update("\n".join(lines) or "(starting)")


def run_eval_view(title: str, progress: ModeProgress, job: Job, report: Callable[[int | None], str]) -> None:
    """The command line's live view for ``massgen-tui eval``."""
    EvalApp(title, progress, job, report).run()
