"""``massgen-tui eval --ray``: the items run on a local Ray instance (started once for this module)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from massgen_tui.commands import main
from massgen_tui.config.model import SessionConfig
from massgen_tui.eval import ray_cluster
from massgen_tui.eval.ray_cluster import NodeWorker
from massgen_tui.eval.results import read_records
from massgen_tui.eval.runner import EvalRunner
from tests.eval.helpers import EXPECTED_ACCURACY, QUESTIONS, script_team, write_questions, write_team_config

MODES = "single,majority,protocol"


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    """A small local Ray instance; ``--ray`` finds it running and leaves it running."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _outcomes(results: Path) -> dict[tuple[str, str], tuple[str | None, bool]]:
    return {(r["id"], r["mode"]): (r["extracted"], r["correct"]) for r in read_records(results)}


def test_a_ray_run_scores_every_mode_as_a_local_run(ray_instance, fake, tmp_path: Path, capsys):
    script_team(fake, stagger=1.0)
    questions, team = write_questions(tmp_path / "q.jsonl"), write_team_config(fake, tmp_path / "team.yaml")
    common = ["eval", str(questions), "-c", str(team), "--modes", MODES, "--no-display", "--concurrency", "4"]
    assert main([*common, "-o", str(tmp_path / "local")]) == 0
    capsys.readouterr()

    assert main([*common, "--ray", "-o", str(tmp_path / "ray")]) == 0
    table = capsys.readouterr().out
    on_ray = _outcomes(tmp_path / "ray" / "results.jsonl")
    assert on_ray == _outcomes(tmp_path / "local" / "results.jsonl")
    assert len(on_ray) == len(QUESTIONS) * 5
    expected = {mode: n for mode, n in EXPECTED_ACCURACY.items() if mode != "protocol+verbatim"}
    assert {mode: sum(ok for (_, m), (_, ok) in on_ray.items() if m == mode) for mode in expected} == expected
    assert "protocol" in table and "75.0%" in table  # protocol: 3 of 4
    assert (tmp_path / "ray" / "report.md").is_file()
    log_dirs = [Path(r["log_dir"]) for r in read_records(tmp_path / "ray" / "results.jsonl")]
    assert all(d.is_dir() and str(d).startswith(str(tmp_path / "ray")) for d in log_dirs)


def test_a_ray_run_resumes_skipping_the_items_already_done(ray_instance, fake, tmp_path: Path):
    script_team(fake)
    questions, team = write_questions(tmp_path / "q.jsonl"), write_team_config(fake, tmp_path / "team.yaml")
    out = tmp_path / "out"
    common = ["eval", str(questions), "-c", str(team), "--modes", "single", "-o", str(out), "--no-display"]
    assert main([*common, "--limit", "2"]) == 0
    done_before = read_records(out / "results.jsonl")
    assert len(done_before) == 6
    requests_before = len(fake.requests)

    assert main([*common, "--ray", "--concurrency", "3"]) == 0
    records = read_records(out / "results.jsonl")
    keys = [(r["id"], r["mode"]) for r in records]
    assert len(keys) == len(set(keys)) == len(QUESTIONS) * 3
    assert records[:6] == done_before
    # One request per single-agent item: only the six items of q3 and q4 ran on the cluster.
    assert len(fake.requests) - requests_before == 6


def test_without_ray_installed_the_error_names_the_extra(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails as if it were not installed
    questions = write_questions(tmp_path / "q.jsonl")
    team = tmp_path / "team.yaml"
    team.write_text("agents:\n  - id: a\n    backend: {type: chatcompletion, model: m, base_url: "
                    "'http://127.0.0.1:9/v1', api_key: k}\n", encoding="utf-8")
    assert main(["eval", str(questions), "-c", str(team), "--ray", "-o", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "--ray" in error and "pip install 'massgen-tui[ray]'" in error
    assert not (tmp_path / "out" / "results.jsonl").exists()


async def test_a_node_loads_its_local_models_once_for_all_its_items(monkeypatch, tmp_path: Path):
    loads, released = [], []

    async def load(runner) -> list:
        loads.append(runner)
        await asyncio.sleep(0.05)  # items arriving meanwhile wait for this load, not start their own
        return ["engine"]

    async def run_item(runner, item) -> dict:
        return {"id": item, "loaded": len(loads)}

    async def release(keepers) -> None:
        released.append(keepers)

    monkeypatch.setattr(EvalRunner, "load_local_models", load)
    monkeypatch.setattr(EvalRunner, "run_item", run_item)
    monkeypatch.setattr(ray_cluster, "release_local_models", release)
    worker = NodeWorker(SessionConfig(agents=[]), str(tmp_path), 2, None)
    records = await asyncio.gather(*(worker.run_item(i) for i in range(5)))
    assert [r["loaded"] for r in records] == [1] * 5 and len(loads) == 1
    await worker.close()
    assert released == [["engine"]]
