"""`massgen-tui --no-display` as a user runs it: a real process, real config file, the fake provider."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.coordination.helpers import agent
from tests.fake_provider import Delay, HttpError, Reply, Text

REPO = Path(__file__).resolve().parent.parent
ENV_KEY = "sk-env-FAKEKEY-9f8e7d6c5b4a"
FILE_KEY = "sk-file-LITERALKEY-1a2b3c4d5e"


def write_config(tmp_path: Path, fake, models: list[str], *, timeout: float | None = None) -> Path:
    lines = ["agents:"]
    for i, model in enumerate(models):
        key = "${MY_TEST_KEY}" if i == 0 else FILE_KEY
        lines += [f"  - id: {model}", "    backend:", "      type: chatcompletion", f"      model: {model}",
                  f"      base_url: {fake.base_url('openai')}", f"      api_key: \"{key}\""]
    if timeout is not None:
        lines += ["timeout_settings:", f"  orchestrator_timeout_seconds: {timeout}"]
    path = tmp_path / "team.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def cli(tmp_path: Path, *args: str, stdin: str = "", wait: bool = True):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(MY_TEST_KEY=ENV_KEY, XDG_CONFIG_HOME=str(tmp_path / "xdg"), PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "massgen_tui", "--no-display", "--log-dir", str(tmp_path / "logs"), *args]
    if not wait:
        return subprocess.Popen(command, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=tmp_path, env=env, input=stdin, capture_output=True, text=True, timeout=60)


def session_dir(tmp_path: Path) -> Path:
    (folder,) = (tmp_path / "logs").iterdir()
    return folder


def events_of(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]


def all_written_text(folder: Path) -> str:
    return "\n".join(p.read_text() for p in folder.rglob("*") if p.is_file())


def test_final_answer_on_stdout_progress_on_stderr_and_a_complete_log(tmp_path, fake):
    fake.responder("alpha", agent("4", final="The answer is 4."))
    fake.responder("beta", agent("Four"))
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "What is 2+2?")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "The answer is 4.\n"
    assert "winner: alpha (votes; alpha=2)" in result.stderr
    assert "beta: votes for agent1 (alpha)" in result.stderr

    folder = session_dir(tmp_path)
    events = events_of(folder)
    assert events[0]["type"] == "session_started" and events[0]["schema"] == 1
    assert events[-1]["type"] == "session_ended" and events[-1]["status"] == "completed"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    result_json = json.loads((folder / "result.json").read_text())
    assert result_json["status"] == "completed"
    assert result_json["turns"][0]["winner_id"] == "alpha"
    assert result_json["turns"][0]["final_answer"] == "The answer is 4."
    assert result_json["totals"]["input_tokens"] > 0
    assert (folder / "turn_1" / "alpha" / "answer_1.md").read_text() == "4"
    assert json.loads((folder / "turn_1" / "beta" / "vote_1.json").read_text())["target"] == "alpha"
    assert (folder / "turn_1" / "final.md").read_text() == "The answer is 4."


def test_no_api_key_appears_in_any_file_or_on_screen(tmp_path, fake):
    fake.responder("alpha", agent("4"))
    fake.responder("beta", lambda request: Reply(HttpError(401, f"Incorrect API key provided: {FILE_KEY}")))
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "What is 2+2?")

    assert result.returncode == 0, result.stderr
    assert "beta: failed: HTTP 401: Incorrect API key provided: ***" in result.stderr
    written = all_written_text(session_dir(tmp_path))
    for secret in (ENV_KEY, FILE_KEY):
        assert secret not in written and secret not in result.stderr and secret not in result.stdout
    started = events_of(session_dir(tmp_path))[0]
    backends = [a["backend"] for a in started["config"]["agents"]]
    assert [b["api_key"] for b in backends] == ["${MY_TEST_KEY}", "***"]
    # The keys really were sent to the provider: redaction is on output, not on the requests.
    assert {r.headers["authorization"] for r in fake.requests} >= {f"Bearer {ENV_KEY}", f"Bearer {FILE_KEY}"}


def test_all_agents_failing_exits_3(tmp_path, fake):
    fake.default(lambda request: Reply(HttpError(404, "The model `x` does not exist")))
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "Q?")
    assert result.returncode == 3
    assert "turn 1 failed: all agents failed" in result.stderr
    assert result.stdout == ""


def test_timeout_without_an_answer_exits_4(tmp_path, fake):
    fake.default(lambda request: Reply(Delay(30), Text("never")))
    config = write_config(tmp_path, fake, ["alpha", "beta"], timeout=600)
    result = cli(tmp_path, "--config", str(config), "--timeout", "0.5", "Q?")
    assert result.returncode == 4
    assert "warning: Orchestrator timeout after 0.5s" in result.stderr
    assert "turn 1 timeout: timeout with no answer" in result.stderr


def test_config_error_exits_2_with_file_line_and_key(tmp_path, fake):
    config = write_config(tmp_path, fake, ["alpha"])
    config.write_text(
        config.read_text().replace("type: chatcompletion", "type: chatcompletion\n      temperature: hot")
    )
    result = cli(tmp_path, "--config", str(config), "Q?")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{config}:5:20: error: agents[0].backend.temperature:")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "logs").exists()


def test_question_from_standard_input(tmp_path, fake):
    fake.responder("alpha", agent("4", final="Four."))
    fake.responder("beta", agent("4!"))
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), stdin="What is 2+2?\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Four.\n"
    assert "What is 2+2?" in fake.requests[0].last_user_text


def test_quick_setup_with_models_and_base_url(tmp_path, fake):
    fake.responder("m1", agent("one", final="From m1."))
    fake.responder("m2", agent("two"))
    result = cli(tmp_path, "--model", "m1", "--model", "m2", "--backend", "chatcompletion",
                 "--base-url", fake.base_url("openai"), "--no-logs", "Q?")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "From m1.\n"
    assert not (tmp_path / "logs").exists()


def _wait_for_events(folder_root: Path, kind: str, timeout: float = 20.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        folders = list(folder_root.iterdir()) if folder_root.exists() else []
        if folders and (folders[0] / "events.jsonl").exists() and f'"type": "{kind}"' in (
                folders[0] / "events.jsonl").read_text():
            return folders[0]
        time.sleep(0.05)
    raise AssertionError(f"no {kind} event within {timeout}s")


def test_ctrl_c_exits_130_and_leaves_a_replayable_log(tmp_path, fake):
    fake.default(lambda request: Reply(Text("streaming "), Delay(30), Text("never")))
    process = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "Q?", wait=False)
    folder = _wait_for_events(tmp_path / "logs", "text")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    events = events_of(folder)
    assert [e["type"] for e in events[-2:]] == ["turn_ended", "session_ended"]
    assert events[-2]["status"] == "cancelled" and events[-1]["status"] == "cancelled"


def test_a_killed_process_leaves_a_log_valid_to_its_last_line(tmp_path, fake):
    fake.default(lambda request: Reply(*[Text(f"chunk {i} ") for i in range(50)], Delay(30)))
    process = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "Q?", wait=False)
    folder = _wait_for_events(tmp_path / "logs", "text")
    time.sleep(0.3)
    process.kill()
    process.communicate(timeout=20)
    events = events_of(folder)  # every line parses
    texts = [e["text"] for e in events if e["type"] == "text"]
    assert len(texts) >= 50 and texts[0] == "chunk 0 "


@pytest.mark.parametrize("args, message", [
    ((), "no agents: pass --config FILE, at least one --model NAME, or --local"),
    (("--model", "m", "--config", "x.yaml"), "use either --config or --model, not both"),
    (("--model", "gpt-5-mini", "--timeout", "0"), "--timeout must be a positive, finite number of seconds, not 0.0"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    result = cli(tmp_path, *args, "Q?")
    assert result.returncode == 2
    assert result.stderr.strip() == f"massgen-tui: error: {message}"
