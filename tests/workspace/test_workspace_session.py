"""Workspaces in whole sessions on the fake provider: files written, snapshots shared by label, the final workspace."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from massgen_tui.config.model import ContextPath
from massgen_tui.coordination.session import anonymous_labels
from massgen_tui.events import types as ev
from massgen_tui.session_setup import prepare_session
from tests.conftest import make_team
from tests.coordination.helpers import vote_labels
from tests.fake_provider import CallTool, Reply, Text
from tests.tools.conftest import calc_server


def last_tool_results(request) -> list[str]:
    results = []
    for message in reversed(request.messages):
        if message["role"] != "tool":
            break
        results.insert(0, message["text"])
    return results


def worker(agent_id: str, *, final_file: bool = False, extra: list[Reply] | None = None, team: str | list[str] = "abc"):
    """Writes ``<id>.txt``, answers; in later rounds reads every other shown answer's file, then votes agent1.

    Presenting (no workflow tools), it writes ``final.txt`` first when ``final_file``.
    """
    labels_of = anonymous_labels(list(team) if isinstance(team, str) else team)
    state: dict = {"wrote": False, "answered": False, "read": set(), "final": False}
    queue = list(extra or [])

    def respond(request) -> Reply:
        names = set(request.tool_names)
        if "vote" not in names and "new_answer" not in names:
            if final_file and not state["final"]:
                state["final"] = True
                return Reply(CallTool("write_file", {"path": "final.txt", "content": f"final by {agent_id}"}))
            return Reply(Text(f"Final answer from {agent_id}."))
        if queue:
            return queue.pop(0)
        if not state["wrote"]:
            state["wrote"] = True
            return Reply(CallTool("write_file", {"path": f"{agent_id}.txt", "content": f"made by {agent_id}"}))
        labels = vote_labels(request)
        if not state["answered"] or not labels:
            state["answered"] = True
            return Reply(CallTool("new_answer", {"content": f"{agent_id} wrote {agent_id}.txt"}))
        unread = [label for label in labels if label != labels_of[agent_id] and label not in state["read"]]
        if unread:
            state["read"].update(unread)
            peer = {v: k for k, v in labels_of.items()}
            return Reply(*(CallTool("read_file", {"path": f".peers/{label}/{peer[label]}.txt"}) for label in unread))
        target = "agent1" if "agent1" in labels else labels[0]
        return Reply(CallTool("vote", {"agent_id": target, "reason": f"{target} is right"}))

    return respond


async def run_logged(config, tmp_path: Path, question: str = "Build it.", **options):
    prepared = prepare_session(config, log_root=tmp_path / "logs", **options)
    events: list[ev.Event] = []
    prepared.bus.subscribe(events.append)
    await prepared.session.open()
    result = await prepared.session.ask(question)
    await prepared.session.close()
    prepared.close_log()
    return result, events, Path(prepared.session.log_dir)


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("families", [("chatcompletion",) * 3, ("openai", "claude", "gemini")],
                         ids=["chat-completions", "responses-claude-gemini"])
async def test_three_agents_share_snapshots_by_label_and_the_winner_s_workspace_lands_in_the_log(
        fake, tmp_path, monkeypatch, families):
    monkeypatch.chdir(tmp_path)
    for agent_id in "abc":
        fake.responder(f"m-{agent_id}", worker(agent_id, final_file=agent_id == "a"))
    config = make_team(
        fake, *((agent_id, family, f"m-{agent_id}") for agent_id, family in zip("abc", families, strict=True))
    )
    for agent in config.agents:
        agent.backend.cwd = f"ws_{agent.id}"
    result, events, log = await run_logged(config, tmp_path)

    assert result.status == "completed" and result.winner_id == "a"
    reads = [e for e in events if isinstance(e, ev.ToolCallFinished) and e.name == "read_file"]
    seen = {(e.agent_id, e.result) for e in reads if not e.is_error}
    for reader in "abc":
        for writer in "abc":
            if reader != writer:
                assert (reader, f"made by {writer}") in seen
    # each accepted answer's files, in the log where the answer is
    for agent_id in "abc":
        assert files_of(log / "turn_1" / agent_id / "answer_1" / "workspace") == {
            f"{agent_id}.txt": f"made by {agent_id}"
        }
        assert (log / "turn_1" / agent_id / "answer_1.md").exists()
    final = [e for e in events if isinstance(e, ev.FinalWorkspaceReady)]
    assert [(e.agent_id, e.path, e.files) for e in final] == [("a", str(log / "turn_1" / "final_workspace"), 2)]
    assert files_of(log / "turn_1" / "final_workspace") == {"a.txt": "made by a", "final.txt": "final by a"}
    snapshots = [e for e in events if isinstance(e, ev.WorkspaceSnapshotted)]
    assert sorted((e.agent_id, e.label, e.version) for e in snapshots) == [("a", "agent1", 1), ("b", "agent2", 1),
                                                                            ("c", "agent3", 1)]
    # the prompt says where the files are
    later = [r for r in fake.requests_for("m-b") if vote_labels(r)]
    assert ".peers/agent1/" in later[-1].prompt_text and "workspace" in later[-1].prompt_text
    # the events log keeps the new events
    logged = [json.loads(line)["type"] for line in (log / "events.jsonl").read_text().splitlines()]
    assert logged.count("workspace_snapshotted") == 3 and "final_workspace" in logged


async def test_nothing_reads_another_agent_s_live_workspace(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    probes = [Reply(CallTool("read_file", {"path": "../ws_a/a.txt"}),
                    CallTool("read_file", {"path": str(tmp_path / "ws_a" / "a.txt")}),
                    CallTool("list_directory", {"path": ".peers"}))]
    fake.responder("m-a", worker("a"))
    fake.responder("m-b", worker("b", extra=probes))
    config = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    for agent in config.agents:
        agent.backend.cwd = f"ws_{agent.id}"
    (tmp_path / "ws_a").mkdir()
    (tmp_path / "ws_a" / "a.txt").write_text("a's live draft")
    result, events, _ = await run_logged(config, tmp_path)

    assert result.status == "completed"
    order = [e.call_id for e in events if isinstance(e, ev.ToolCallStarted) and e.agent_id == "b"][:3]
    probe_results = sorted((e for e in events if isinstance(e, ev.ToolCallFinished) and e.agent_id == "b"
                            and e.call_id in order),
                           key=lambda e: order.index(e.call_id))
    assert [e.is_error for e in probe_results] == [True, True, False]
    assert "'..' is not allowed" in probe_results[0].result and "absolute paths" in probe_results[1].result
    assert all("live draft" not in e.result for e in events if isinstance(e, ev.ToolCallFinished))


async def test_writes_to_a_context_path_need_the_flag(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "notes.md").write_text("v1\n")
    write = Reply(CallTool("edit_file", {"path": ".context/project/notes.md", "old_text": "v1", "new_text": "v2"}))
    during = Reply(CallTool("write_file", {"path": ".context/project/early.md", "content": "no"}))

    def run(allow: bool):
        presenting = {"done": False}
        agent_a = worker("a", extra=[during])

        def respond(request):
            if not {"vote", "new_answer"} & set(request.tool_names) and not presenting["done"]:
                presenting["done"] = True
                return write
            return agent_a(request)

        fake.responder("m-a", respond)
        fake.responder("m-b", worker("b"))
        config = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
        config.agents[0].backend.cwd, config.agents[1].backend.cwd = "ws_a", "ws_b"
        config.orchestrator.context_paths = [ContextPath("project", "write")]
        return run_logged(config, tmp_path / ("on" if allow else "off"), allow_writes=allow)

    _, events, _ = await run(False)
    early = next(e for e in events if isinstance(e, ev.ToolCallFinished) and "early.md" in e.result)
    assert early.is_error and "read-only" in early.result
    reviewed = [e for e in events if isinstance(e, ev.ContextWritesReviewed)]
    assert [(e.files, e.applied) for e in reviewed] == [([f"{tmp_path / 'project'}/notes.md"], False)]
    assert "--allow-writes" in reviewed[0].reason
    assert (tmp_path / "project" / "notes.md").read_text() == "v1\n"

    _, events, _ = await run(True)
    assert [e.applied for e in events if isinstance(e, ev.ContextWritesReviewed)] == [True]
    assert (tmp_path / "project" / "notes.md").read_text() == "v2\n"
    assert not (tmp_path / "project" / "early.md").exists()


async def test_file_tools_sit_beside_a_real_stdio_mcp_server(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    add = Reply(CallTool("mcp__calc__add", {"a": 2, "b": 3}))
    fake.responder("m-a", worker("a", extra=[add]))
    fake.responder("m-b", worker("b"))
    config = make_team(fake, ("a", "claude", "m-a"), ("b", "gemini", "m-b"))
    config.agents[0].backend.cwd, config.agents[1].backend.cwd = "ws_a", "ws_b"
    config.agents[0].backend.mcp_servers = [calc_server()]
    result, events, log = await run_logged(config, tmp_path)

    assert result.status == "completed"
    offered = fake.requests_for("m-a")[0].tool_names
    assert {"read_file", "write_file", "mcp__calc__add", "new_answer"} <= set(offered)
    finished = {e.name: e for e in events if isinstance(e, ev.ToolCallFinished) and e.agent_id == "a"}
    assert finished["mcp__calc__add"].result.strip() in ("5", "5.0") and not finished["write_file"].is_error
    assert files_of(log / "turn_1" / "a" / "answer_1" / "workspace") == {"a.txt": "made by a"}


async def test_run_command_runs_argv_in_the_workspace_when_enabled(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-must-not-leak")
    script = "import os, pathlib; print(pathlib.Path('a.txt').read_text(), os.environ.get('OPENAI_API_KEY'))"
    command = Reply(CallTool("run_command", {"command": [sys.executable, "-c", script]}))
    fake.responder("m-a", worker("a", extra=[]))
    fake.responder("m-b", worker("b", extra=[]))
    config = make_team(fake, ("a", "chatcompletion", "m-a"), ("b", "chatcompletion", "m-b"))
    config.agents[0].backend.cwd, config.agents[1].backend.cwd = "ws_a", "ws_b"
    config.agents[0].backend.commands.enabled = True
    fake.responder("m-a", worker("a", extra=[Reply(CallTool("write_file", {"path": "a.txt", "content": "hello"})),
                                             command]))
    _, events, _ = await run_logged(config, tmp_path)

    ran = next(e for e in events if isinstance(e, ev.ToolCallFinished) and e.name == "run_command")
    assert not ran.is_error and ran.result == "exit code 0\nhello None\n"
    assert "run_command" not in fake.requests_for("m-b")[0].tool_names
