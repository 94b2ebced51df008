"""Escape sequences from a model never reach the terminal: headless stdout/stderr, the app, replay.

The log keeps the text as received; only what is shown is made terminal-safe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.replay.session import open_session
from massgen_tui.text_safety import terminal_safe
from tests.app.screen_text import screen_text
from tests.app.test_app_session import SIZE, make_app, wait_for_turn
from tests.conftest import make_team
from tests.coordination.helpers import agent, vote_labels
from tests.fake_provider import CallTool, Reply, Text
from tests.test_cli_headless import REPO, session_dir, write_config

TITLE = "\x1b]0;TITLE\x07"              # sets the terminal's title
CLIPBOARD = "\x1b]52;c;aGFja2Vk\x07"    # writes the clipboard ("hacked")
CLEAR = "\x1b[2J"                       # clears the screen
CSI_8BIT = "\x9b31m"                    # the same CSI without ESC
OVERWRITE = "rm -rf ~\rsafe words"      # the carriage return hides the first part on a terminal
DANGEROUS = [TITLE, CLIPBOARD, CLEAR, CSI_8BIT, OVERWRITE]
FINAL = "Final " + " ".join(DANGEROUS) + " done."
ANSWER = "Answer " + " ".join(DANGEROUS)
# What a terminal must never receive: ESC, BEL, 8-bit CSI, CR (as bytes of the UTF-8 output).
FORBIDDEN = [b"\x1b", b"\x07", b"\xc2\x9b", b"\r"]


def hostile(fake) -> None:
    """alpha streams one sequence per chunk, then answers, votes and presents with them; beta votes for it."""
    chunks = [Text(part) for part in DANGEROUS]

    def alpha(request) -> Reply:
        if not request.tools:
            return Reply(Text("Final "), *chunks, Text(" done."))
        if not vote_labels(request):
            return Reply(*chunks, CallTool("new_answer", {"content": ANSWER}))
        return Reply(CallTool("vote", {"agent_id": "agent1", "reason": "mine " + CLEAR}))

    fake.responder("alpha", alpha)
    fake.responder("beta", agent("Four", vote_for="agent1"))


def test_headless_stdout_and_stderr_carry_no_escape_sequence_and_the_log_keeps_the_text(tmp_path, fake):
    hostile(fake)
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(MY_TEST_KEY="sk-env-FAKEKEY-9f8e7d6c5b4a", XDG_CONFIG_HOME=str(tmp_path / "xdg"), PYTHONPATH=str(REPO))
    config = write_config(tmp_path, fake, ["alpha", "beta"])
    result = subprocess.run(
        [sys.executable, "-m", "massgen_tui", "--no-display", "--log-dir", str(tmp_path / "logs"),
         "--config", str(config), "What is 2+2?"],
        cwd=tmp_path, env=env, capture_output=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for written in (result.stdout, result.stderr):
        for byte in FORBIDDEN:
            assert byte not in written, (byte, written)
    out = result.stdout.decode()
    assert out == "Final ␛]0;TITLE␇␛]52;c;aGFja2Vk␇␛[2J�31mrm -rf ~safe words done.\n"
    assert "new answer agent1 v1: Answer ␛]0;TITLE␇ ␛]52;c;aGFja2Vk␇ ␛[2J" in result.stderr.decode()

    events = [json.loads(line) for line in (session_dir(tmp_path) / "events.jsonl").read_text().splitlines()]
    final = next(e for e in events if e["type"] == "final_ended")
    assert final["content"] == "Final " + "".join(DANGEROUS) + " done."  # the log keeps what arrived


def assert_safe_view(view) -> None:
    texts = [view.final_text, *(a.content for a in view.answers.values())]
    for agent_view in view.agents.values():
        texts += agent_view.transcript.texts
    for text in texts:
        assert text == terminal_safe(text), repr(text)
    assert "␛]0;TITLE␇" in view.final_text and "rm -rf ~safe words" in view.final_text


def assert_safe_screen(app) -> None:
    shown = screen_text(app)
    for char in "\x1b\x07\x9b\r":
        assert char not in shown


async def test_the_app_and_its_replay_show_the_sequences_as_visible_symbols(tmp_path, fake):
    hostile(fake)
    config = make_team(fake, ("alpha", "chatcompletion", "alpha"), ("beta", "chatcompletion", "beta"))
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_turn(app, pilot)
        view = app.live.view
        assert view.final_done
        assert_safe_view(view)
        assert "␛]0;TITLE␇" in view.answers["alpha"].content
        assert_safe_screen(app)
        await pilot.press("f")
        await pilot.pause(0.1)
        assert "␛[2J" in screen_text(app)
        assert_safe_screen(app)

    (folder,) = (tmp_path / "logs").iterdir()
    replay = ReplayApp(open_session(folder), settings_path=tmp_path / "settings.yaml", theme_dirs=())
    async with replay.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        assert_safe_view(replay.screen.view)
        assert_safe_screen(replay)


def test_each_control_character_becomes_one_visible_cell_and_newlines_and_tabs_stay():
    assert terminal_safe(TITLE) == "␛]0;TITLE␇"
    assert terminal_safe(CSI_8BIT) == "�31m"
    assert terminal_safe("a\r\nb\tc\x7f\x00") == "a\nb\tc␡␀"
    assert terminal_safe("lone \ud800 surrogate").encode() == "lone � surrogate".encode()
    assert all(terminal_safe(chr(c)) in ("\n", "\t", "") or len(terminal_safe(chr(c))) == 1 for c in range(0xA0))


def test_the_session_browser_shows_a_hostile_question_from_a_log_safely(tmp_path):
    from massgen_tui.app.session_browser import summary_row
    from massgen_tui.replay.catalog import SessionSummary

    summary = SessionSummary(path=tmp_path, started=0.0, question=f"hi {TITLE}", agents=f"a {CLEAR}", winner=CSI_8BIT)
    assert summary_row(summary)[1:4] == ("hi ␛]0;TITLE␇", "a ␛[2J", "�31m")
