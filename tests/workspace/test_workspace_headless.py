"""Headless runs with workspaces: the final workspace's path is printed.

Writes to the user's folders happen only with --allow-writes.
"""

from __future__ import annotations

from pathlib import Path

from massgen_tui.config.model import ContextPath
from massgen_tui.coordination.session import Session
from massgen_tui.events import EventBus
from massgen_tui.events import types as ev
from tests.conftest import make_team
from tests.fake_provider import CallTool, Reply, Text
from tests.test_cli_headless import cli, session_dir
from tests.workspace.test_workspace_session import files_of, worker


def test_headless_prints_where_the_final_workspace_is(tmp_path, fake):
    fake.responder("alpha", worker("alpha", final_file=True, team=["alpha", "beta"]))
    fake.responder("beta", worker("beta", team=["alpha", "beta"]))
    (tmp_path / "docs").mkdir()
    config = tmp_path / "team.yaml"
    config.write_text("agents:\n" + "".join(
        f"  - id: {name}\n    backend: {{type: chatcompletion, model: {name}, base_url: '{fake.base_url('openai')}', "
        f"api_key: sk-test, cwd: ws_{name}}}\n" for name in ("alpha", "beta"))
        + "orchestrator:\n  snapshot_storage: snapshots\n  agent_temporary_workspace: temp_workspaces\n"
          "  context_paths: [{path: docs, permission: read}]\n")
    result = cli(tmp_path, "--config", str(config), "Build it.")

    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    final = session_dir(tmp_path) / "turn_1" / "final_workspace"
    assert f"final workspace (2 files): {final}" in result.stderr
    assert files_of(final) == {"alpha.txt": "made by alpha", "final.txt": "final by alpha"}
    assert files_of(tmp_path / "ws_alpha") == files_of(final)
    assert list((tmp_path / "snapshots").iterdir())  # the content store lives where snapshot_storage says
    assert not any((tmp_path / "temp_workspaces").iterdir())  # peers' copies are removed at the end


async def test_a_single_agent_gets_its_workspace_and_a_final_workspace(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake.script("solo", Reply(CallTool("write_file", {"path": "out.txt", "content": "solo work"})),
                Reply(Text("Done.")))
    config = make_team(fake, ("solo", "chatcompletion", "solo"))
    config.agents[0].backend.cwd = "solo_ws"
    events: list[ev.Event] = []
    bus = EventBus()
    bus.subscribe(events.append)
    session = Session(config, bus)
    await session.open()
    result = await session.ask("Write it.")
    await session.close()

    assert result.final_answer == "Done."
    assert "workspace" in fake.requests_for("solo")[0].system
    (ready,) = [e for e in events if isinstance(e, ev.FinalWorkspaceReady)]
    assert ready.path == str(tmp_path / "solo_ws") and ready.files == 1  # no log: the workspace itself
    assert (tmp_path / "solo_ws" / "out.txt").read_text() == "solo work"


async def test_the_approval_hook_sees_the_files_and_the_diff(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<h1>old</h1>\n")
    (tmp_path / "site" / "style.css").write_text("h1 {}\n")
    fake.script("solo", Reply(CallTool("edit_file", {"path": ".context/site/style.css", "old_text": "h1 {}",
                                                     "new_text": "h1 { color: red }"}),
                              CallTool("write_file", {"path": ".context/site/index.html", "content": "x"})),
                Reply(Text("Styled.")))
    config = make_team(fake, ("solo", "chatcompletion", "solo"))
    config.orchestrator.context_paths = [ContextPath("site", "write", ("index.html",))]
    asked: list[tuple[list[str], str]] = []

    async def approve(files: list[str], diff: str) -> bool:
        asked.append((files, diff))
        return True

    bus = EventBus()
    events: list[ev.Event] = []
    bus.subscribe(events.append)
    session = Session(config, bus, approve_writes=approve)
    await session.open()
    await session.ask("Make the title red.")
    await session.close()

    protected = next(e for e in events if isinstance(e, ev.ToolCallFinished) and e.name == "write_file")
    assert protected.is_error and "protected" in protected.result
    assert asked == [([f"{tmp_path / 'site'}/style.css"],
                      "--- a/style.css\n+++ b/style.css\n@@ -1 +1 @@\n-h1 {}\n+h1 { color: red }\n")]
    assert (tmp_path / "site" / "style.css").read_text() == "h1 { color: red }\n"
    assert (tmp_path / "site" / "index.html").read_text() == "<h1>old</h1>\n"
    assert [(e.applied, e.reason) for e in events if isinstance(e, ev.ContextWritesReviewed)] == [(True, "approved")]


async def test_a_second_turn_starts_with_no_peers_from_the_first(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake.responder("m-a", worker("a"))
    fake.responder("m-b", worker("b"))
    config = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    config.agents[0].backend.cwd, config.agents[1].backend.cwd = "ws_a", "ws_b"
    bus = EventBus()
    session = Session(config, bus)
    await session.open()
    await session.ask("One.")
    assert sorted(session.workspaces.prompt_note("a").split("read-only: ")[1].split(", ")) == \
        [".peers/agent1/", ".peers/agent2/"]
    session.workspaces.start_turn(2)
    assert ".peers" not in session.workspaces.prompt_note("a")
    await session.close()
    assert not Path(session.workspaces.temp_root).exists()


async def test_a_context_path_that_is_one_file_offers_that_file_only(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "res").mkdir()
    (tmp_path / "res" / "styles.css").write_text("body {}\n")
    (tmp_path / "res" / "private.txt").write_text("not offered")
    fake.script("solo", Reply(CallTool("read_file", {"path": ".context/styles_css/styles.css"}),
                              CallTool("read_file", {"path": ".context/styles_css/private.txt"}),
                              CallTool("list_directory", {"path": ".context/styles_css"})),
                Reply(Text("Read.")))
    config = make_team(fake, ("solo", "chatcompletion", "solo"))
    config.orchestrator.context_paths = [ContextPath("res/styles.css", "read")]
    bus = EventBus()
    events: list[ev.Event] = []
    bus.subscribe(events.append)
    session = Session(config, bus)
    await session.open()
    await session.ask("Read the styles.")
    await session.close()

    assert ".context/styles_css/styles.css (read-only)" in fake.requests_for("solo")[0].system
    order = [e.call_id for e in events if isinstance(e, ev.ToolCallStarted)]  # the parallel calls end in any order
    styles, private, listing = sorted((e for e in events if isinstance(e, ev.ToolCallFinished)),
                                      key=lambda e: order.index(e.call_id))
    assert (styles.result, styles.is_error) == ("body {}\n", False)
    assert private.is_error and "holds only the file 'styles.css'" in private.result
    assert listing.result == "styles.css (8 bytes)"
