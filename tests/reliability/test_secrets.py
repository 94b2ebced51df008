"""No API key is ever written or shown: split across chunks, with a quote, in URLs, MCP env and args, exports."""

from __future__ import annotations

import io
from pathlib import Path

from massgen_tui.app.export import session_markdown
from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.config.model import AgentConfig, BackendConfig, McpServerConfig, SessionConfig
from massgen_tui.events import types as ev
from massgen_tui.headless.run import run_headless
from massgen_tui.logs.redact import MASK, Redactor, StreamRedactor, redact_document, secrets_of
from massgen_tui.replay.session import open_session
from tests.app.screen_text import screen_text
from tests.app.test_app_session import SIZE, make_app, wait_for_turn
from tests.conftest import FAKE_KEY, make_team
from tests.coordination.helpers import agent, vote_labels
from tests.fake_provider import CallTool, Reply, Text
from tests.replay.logs import write_log
from tests.test_cli_headless import ENV_KEY, FILE_KEY, all_written_text, cli, events_of, session_dir, write_config

HALF = len(ENV_KEY) // 2


def leaking(fake, key: str) -> None:
    """alpha streams ``key`` split across two chunks, answers and presents with it; beta votes for alpha."""
    def alpha(request) -> Reply:
        split = [Text(f"my key is {key[:HALF]}"), Text(f"{key[HALF:]} ok")]
        if not request.tools:
            return Reply(Text("Final: "), *split)
        if not vote_labels(request):
            return Reply(*split, CallTool("new_answer", {"content": f"the key {key}"}))
        return Reply(CallTool("vote", {"agent_id": "agent1", "reason": f"has {key}"}))

    fake.responder("alpha", alpha)
    fake.responder("beta", agent("Four", vote_for="agent1"))


def test_a_key_split_across_stream_chunks_is_in_no_file_and_not_on_stdout_or_stderr(tmp_path, fake):
    leaking(fake, ENV_KEY)
    result = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "What is 2+2?")

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Final: my key is {MASK} ok\n"
    written = all_written_text(session_dir(tmp_path))
    for half in (ENV_KEY[:HALF], ENV_KEY[HALF:]):
        assert half not in written and half not in result.stderr
    streamed = "".join(e["text"] for e in events_of(session_dir(tmp_path)) if e["type"] == "text")
    assert f"my key is {MASK} ok" in streamed  # the text around the key is all there
    # A replay of this log exports no key either.
    view = open_session(session_dir(tmp_path)).whole
    assert ENV_KEY[:HALF] not in session_markdown(view)


def test_the_stream_redactor_holds_back_only_what_could_be_the_start_of_a_key():
    stream = StreamRedactor(Redactor([FAKE_KEY]))
    first = stream(ev.TextDelta(agent_id="a", text=f"key {FAKE_KEY[:5]}"))
    assert [e.text for e in first] == ["key "]  # the start of the key waits
    second = stream(ev.TextDelta(agent_id="a", text=f"{FAKE_KEY[5:]}!"))
    assert [e.text for e in second] == [f"{MASK}!"]
    assert [e.text for e in stream(ev.TextDelta(agent_id="a", text="plain."))] == ["plain."]
    stream(ev.TextDelta(agent_id="a", text=f"cut {FAKE_KEY[:12]}"))
    released = stream(ev.AgentStatus(agent_id="a", status="answered"))  # the stream ended on a partial key
    assert released[0].text == MASK and isinstance(released[1], ev.AgentStatus)
    stream(ev.TextDelta(agent_id="a", text="s"))
    assert stream(ev.TurnEnded(turn=1, status="completed", winner_id=None, final_answer=""))[0].text == "s"


async def test_a_key_containing_a_quote_does_not_escape_redaction_in_json(tmp_path, fake):
    key = 'sk-quote"KEY\\-0123456789'
    config = make_team(fake, ("alpha", "chatcompletion", "alpha"), ("beta", "chatcompletion", "beta"))
    config.agents[0].backend.api_key = key
    leaking(fake, key)
    out, err = io.StringIO(), io.StringIO()
    assert await run_headless(config, "What is 2+2?", log_root=tmp_path, stdout=out, stderr=err) == 0

    (folder,) = tmp_path.iterdir()
    written = "\n".join(p.read_text() for p in folder.rglob("*") if p.is_file())
    assert 'sk-quote\\"KEY' not in written and "sk-quote" not in written
    assert "sk-quote" not in out.getvalue() + err.getvalue()


def test_a_key_in_a_base_url_is_neither_logged_nor_shown(tmp_path):
    config = tmp_path / "team.yaml"
    config.write_text("agents:\n  - id: a\n    backend:\n      type: chatcompletion\n      model: m\n"
                      "      base_url: \"http://127.0.0.1:9/v1?api_key=URLKEY1234567\"\n"
                      f"      api_key: \"{FILE_KEY}\"\n")
    result = cli(tmp_path, "--config", str(config), "hi")

    assert result.returncode == 3
    assert "URLKEY1234567" not in all_written_text(session_dir(tmp_path)) + result.stderr + result.stdout
    assert "api_key=***" in all_written_text(session_dir(tmp_path))


def test_mcp_env_values_and_arg_tokens_are_masked_whatever_their_names():
    server = {"command": "npx", "args": ["-y", "srv", "--token=tok-abc123456", "--api-key", "plainvalue99"],
              "env": {"GITHUB_PAT": "ghp_0123456789abcdef", "DB_PASS": "hunter2hunter2", "OPENAI_KEY": "sk-xyz98765",
                      "SOME_ID": "a1B2c3D4e5F6g7H8i9J0k1L2m3", "LOG_LEVEL": "warn", "HOME_DIR": "/home/me"}}
    raw = {"agents": [{"id": "a", "backend": {"type": "claude", "base_url": "https://h/v1?key=QKEY123456",
                                              "mcp_servers": {"s": server}}}]}
    out = redact_document(raw)["agents"][0]["backend"]
    masked = out["mcp_servers"]["s"]
    assert masked["env"] == {"GITHUB_PAT": MASK, "DB_PASS": MASK, "OPENAI_KEY": MASK, "SOME_ID": MASK,
                             "LOG_LEVEL": "warn", "HOME_DIR": "/home/me"}
    assert masked["args"] == ["-y", "srv", f"--token={MASK}", "--api-key", MASK]
    assert out["base_url"] == f"https://h/v1?key={MASK}"

    backend = BackendConfig(type="claude", family="claude", model="m", base_url="https://h/v1?key=QKEY123456",
                            mcp_servers=[McpServerConfig(name="s", type="stdio", command="npx", args=server["args"],
                                                         env=server["env"])])
    found = set(secrets_of(SessionConfig(agents=[AgentConfig(id="a", backend=backend)]), env={}))
    assert found == {"tok-abc123456", "plainvalue99", "ghp_0123456789abcdef", "hunter2hunter2", "sk-xyz98765",
                     "a1B2c3D4e5F6g7H8i9J0k1L2m3", "QKEY123456"}


async def test_the_app_screen_and_its_export_show_no_key_from_the_config_or_the_environment(
        tmp_path, fake, monkeypatch):
    env_secret = "tok-from-the-environment-42"
    monkeypatch.setenv("MY_SERVICE_TOKEN", env_secret)
    monkeypatch.chdir(tmp_path)
    fake.responder("alpha", agent(f"keys {FAKE_KEY} {env_secret}", final=f"Final {FAKE_KEY} {env_secret}"))
    fake.responder("beta", agent("Four", vote_for="agent1"))
    config = make_team(fake, ("alpha", "chatcompletion", "alpha"), ("beta", "chatcompletion", "beta"))
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_turn(app, pilot)
        assert app.live.view.final_done
        await pilot.press("f")
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert "Final ***" in shown and FAKE_KEY not in shown and env_secret not in shown
        app.action_export()
        (exported,) = (tmp_path / "logs").glob("*/session.md")
        text = exported.read_text()
        assert "keys *** ***" in text and FAKE_KEY not in text and env_secret not in text


async def test_a_replay_export_of_an_old_log_masks_the_environments_keys(tmp_path, monkeypatch):
    key = "sk-old-log-key-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    folder = write_log(tmp_path / "20261122-030000-abcd", [  # written by a version that split the key
        ev.SessionStarted(session_id="s", agents=[{"id": "a", "label": "agent1", "model": "m"}], config={}),
        ev.TurnStarted(turn=1, question="q", labels={"a": "agent1"}),
        ev.TextDelta(agent_id="a", text=f"key {key[:9]}"), ev.TextDelta(agent_id="a", text=key[9:]),
    ])
    app = ReplayApp(open_session(folder), settings_path=tmp_path / "settings.yaml", theme_dirs=())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        path = app.screen.export_markdown(False, folder=tmp_path)
    text = Path(path).read_text()
    assert "key ***" in text and key[:9] not in text
