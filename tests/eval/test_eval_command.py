"""``massgen-tui eval`` from the command line: resume after a kill, shards merged into the same report."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from massgen_tui.commands import main
from massgen_tui.eval.report import COLUMNS
from massgen_tui.eval.results import read_records
from tests.eval.helpers import QUESTIONS, script_team, write_questions, write_team_config

REPO = Path(__file__).resolve().parents[2]
TIME_COLUMNS = {COLUMNS.index("time s"), COLUMNS.index("s/q")}


def _report_without_times(report: Path) -> list[str]:
    """The report's lines, with the table's time cells blanked (they differ from run to run)."""
    lines = []
    for line in report.read_text(encoding="utf-8").splitlines()[1:]:  # the title names the run
        cells = line.split(" | ")
        if len(cells) == len(COLUMNS):
            cells = [c for i, c in enumerate(cells) if i not in TIME_COLUMNS]
        lines.append(" | ".join(cells))
    return lines


def test_a_killed_run_resumes_skipping_the_items_already_done(fake, tmp_path: Path):
    script_team(fake, delay=0.4)
    questions, team = write_questions(tmp_path / "q.jsonl"), write_team_config(fake, tmp_path / "team.yaml")
    out = tmp_path / "out"
    argv = ["eval", str(questions), "-c", str(team), "--modes", "single", "-o", str(out), "--no-display"]
    process = subprocess.Popen([sys.executable, "-m", "massgen_tui", *argv], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 60
    while len(read_records(results)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = read_records(results)
    assert 3 <= len(done_before) < 12
    requests_before = len(fake.requests)

    assert main(argv) == 0
    records = read_records(results)
    keys = [(r["id"], r["mode"]) for r in records]
    assert len(keys) == len(set(keys)) == len(QUESTIONS) * 3
    assert records[: len(done_before)] == done_before
    # One request per single-agent item: only the items not done before the kill ran again.
    assert len(fake.requests) - requests_before == 12 - len(done_before)


def test_shards_merge_into_the_report_of_one_run(fake, tmp_path: Path, capsys):
    script_team(fake, stagger=1.0)
    questions, team = write_questions(tmp_path / "q.jsonl"), write_team_config(fake, tmp_path / "team.yaml")
    common = [str(questions), "-c", str(team), "--no-display", "--concurrency", "3"]
    assert main(["eval", *common, "-o", str(tmp_path / "whole")]) == 0
    shard_files = []
    for index in (1, 2):
        assert main(["eval", *common, "--shard", f"{index}/2", "-o", str(tmp_path / f"shard{index}")]) == 0
        shard_files.append(tmp_path / f"shard{index}" / f"results-shard-{index}-of-2.jsonl")
    assert {r["id"] for r in read_records(shard_files[0])} == {"q1", "q3"}
    capsys.readouterr()

    assert main(["eval", "merge", str(tmp_path / "merged"), *map(str, shard_files)]) == 0
    table = capsys.readouterr().out
    assert "majority" in table and "protocol" in table and "single:a" in table
    assert _report_without_times(tmp_path / "merged" / "report.md") == \
        _report_without_times(tmp_path / "whole" / "report.md")
    merged, whole = (
        read_records(tmp_path / "merged" / "results.jsonl"),
        read_records(tmp_path / "whole" / "results.jsonl"),
    )
    assert len(merged) == len(whole)


def test_usage_errors_name_the_flag(tmp_path: Path, capsys):
    questions = write_questions(tmp_path / "q.jsonl")
    assert main(["eval", str(questions), "--local", "--shard", "3/2"]) == 2
    assert "--shard '3/2': I must be between 1 and N" in capsys.readouterr().err
    assert main(["eval", "no-such-set", "--local"]) == 2
    assert "no-such-set: no such file or bundled set (bundled: arithmetic, choice, dates)" in capsys.readouterr().err
    assert main(["eval", str(questions), "--local", "--set", "colour=red"]) == 2
    assert "--set 'colour=red': expected KEY=VALUE" in capsys.readouterr().err
