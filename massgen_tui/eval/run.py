"""Running a question set under each mode and writing its report: the eval's core, free of any command line."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from massgen_tui.config.model import SessionConfig
from massgen_tui.eval.modes import Mode
from massgen_tui.eval.plot import accuracy_cost_svg
from massgen_tui.eval.questions import Question
from massgen_tui.eval.ray_cluster import Cluster, RayRunner
from massgen_tui.eval.report import markdown_report, summarise, terminal_table
from massgen_tui.eval.results import Record, ResultsWriter, done_keys, read_records
from massgen_tui.eval.runner import EvalRunner, Item

REPORT_FILE, PLOT_FILE = "report.md", "accuracy_vs_cost.svg"


def done_records(results: Path, questions: list[Question], modes: list[Mode]) -> list[Record]:
    """The results already in ``results`` for these questions and modes."""
    wanted = {(q.id, m.name) for q in questions for m in modes}
    return [r for r in read_records(results) if (r["id"], r["mode"]) in wanted]


async def run_eval(
    config: SessionConfig, questions: list[Question], modes: list[Mode], output: Path, results: Path, *,
    concurrency: int = 1, provider_concurrency: int | None = None, timeout_seconds: float | None = None,
    on_start: Callable[[Item], None] | None = None, on_result: Callable[[Record], None] | None = None,
    cluster: Cluster | None = None,
) -> None:
    """Run every question x mode not yet in ``results`` (resume), appending each result as it finishes;
    on ``cluster`` (Ray) when given, else in this process."""
    done = done_keys(read_records(results))
    items = [Item(q, m, rank) for q in questions for rank, m in enumerate(modes) if (q.id, m.name) not in done]
    writer = ResultsWriter(results)
    try:
        runner = EvalRunner if cluster is None else functools.partial(RayRunner, cluster=cluster)
        await runner(
            config, output, writer, concurrency=concurrency, provider_concurrency=provider_concurrency,
            timeout_seconds=timeout_seconds, on_start=on_start, on_result=on_result,
        ).run(items)
    finally:
        writer.close()


def write_report(output: Path, records: list[Record], mode_order: list[str], *, title: str,
                 width: int | None = None) -> str:
    """Write ``report.md`` and the plot into ``output``; returns the table (fitted to ``width``)."""
    summaries = summarise(records, mode_order)
    output.mkdir(parents=True, exist_ok=True)
    (output / PLOT_FILE).write_text(accuracy_cost_svg(summaries), encoding="utf-8")
    (output / REPORT_FILE).write_text(markdown_report(title, summaries, records, PLOT_FILE), encoding="utf-8")
    return f"{terminal_table(summaries, width)}\n\nreport: {output / REPORT_FILE}"
