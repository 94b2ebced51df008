"""Headless stdout is exactly the final answer, even when the presentation is retried after partial text."""

from __future__ import annotations

import io

from massgen_tui.events import types as ev
from massgen_tui.headless.printer import ProgressPrinter
from tests.coordination.helpers import agent
from tests.fake_provider import Drop, Reply, Text
from tests.test_cli_headless import cli, session_dir, write_config


def presenting_after_a_dropped_attempt(fake) -> None:
    attempts = []
    voting = agent("4")

    def alpha(request) -> Reply:
        if request.tools:
            return voting(request)
        attempts.append(1)
        return Reply(Text("half of a wro"), Drop()) if len(attempts) == 1 else Reply(Text("The answer is 4."))

    fake.responder("alpha", alpha)
    fake.responder("beta", agent("Four"))


def test_a_retried_presentation_leaves_only_the_real_answer_on_a_piped_stdout(tmp_path, fake):
    presenting_after_a_dropped_attempt(fake)
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "What is 2+2?")

    assert result.returncode == 0, result.stderr
    assert "alpha: retry 1/" in result.stderr
    assert result.stdout == "The answer is 4.\n"
    assert (session_dir(tmp_path) / "turn_1" / "final.md").read_text() + "\n" == result.stdout


def test_on_a_terminal_the_answer_streams_a_retry_starts_a_new_line_and_a_fallback_is_written_whole():
    out, err = io.StringIO(), io.StringIO()
    printer = ProgressPrinter(err, out, stream_final=True)
    for event in (ev.FinalStarted(agent_id="a"), ev.FinalDelta(agent_id="a", text="half"),
                  ev.Retrying(agent_id="a", attempt=1, max_attempts=4, delay=0.1, reason="dropped"),
                  ev.FinalDelta(agent_id="a", text="Whole."), ev.FinalEnded(agent_id="a", content="Whole.")):
        printer(event)
    assert out.getvalue() == "half\nWhole.\n"  # the new attempt on its own line
    fallback = io.StringIO()
    failed = ProgressPrinter(err, fallback, stream_final=True)
    for event in (ev.FinalStarted(agent_id="a"), ev.FinalDelta(agent_id="a", text="cut sho"),
                  ev.FinalEnded(agent_id="a", content="Its last answer.")):
        failed(event)
    assert fallback.getvalue() == "cut sho\nIts last answer.\n"
    out2 = io.StringIO()
    streaming = ProgressPrinter(err, out2, stream_final=True)
    for event in (ev.FinalStarted(agent_id="a"), ev.FinalDelta(agent_id="a", text="Whole."),
                  ev.FinalEnded(agent_id="a", content="Whole.")):
        streaming(event)
    assert out2.getvalue() == "Whole.\n"
