"""The workspaces of a session: each agent's folder, answer snapshots, peers' read-only copies, the final workspace.

* Each agent with a ``backend.cwd`` works in that folder (relative to the session's working folder,
  made if missing) through the built-in file tools (and ``run_command`` when enabled).
* When an answer is accepted its workspace is snapshotted into a content store; the snapshot is
  linked into the session log (``turn_N/<agent>/answer_K/workspace/``) and into every agent's
  temporary workspace under the answer's label, where the file tools read it as ``.peers/<label>/``.
* The winner presents in its workspace restored to its winning snapshot; the result goes to
  ``turn_N/final_workspace/``. Writes it makes to a context path with ``permission: write`` are
  held back and written only when approved (an ``approve`` hook, else ``allow_writes``).
"""

from __future__ import annotations

import asyncio
import difflib
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from massgen_tui.backends.base import ToolCall, ToolSpec
from massgen_tui.config.model import AgentConfig, OrchestratorSettings
from massgen_tui.events import types as ev
from massgen_tui.logs.writer import answer_workspace, final_workspace
from massgen_tui.tools.external import ExternalTools, ToolOutcome
from massgen_tui.workspace.commands import RUN_COMMAND_SPEC, CommandRunner
from massgen_tui.workspace.file_tools import FILE_TOOL_NAMES, FILE_TOOL_SPECS, FileTools, Limits
from massgen_tui.workspace.fs import Folder, PathRefused
from massgen_tui.workspace.scope import CONTEXT, PEERS, Mount, PendingWrites, Scope
from massgen_tui.workspace.snapshots import Manifest, SnapshotStore

Approve = Callable[[list[str], str], Awaitable[bool]]
"""Asked before a user's folder is written: the changed files and a unified diff; ``True`` writes them."""

#: The file tools' default size limits (frozen, so one instance serves every session).
DEFAULT_LIMITS = Limits()


def needs_workspaces(agents: Sequence[AgentConfig], settings: OrchestratorSettings) -> bool:
    """Whether a session with these agents has anything for :class:`Workspaces` to do."""
    return bool(settings.context_paths) or any(agent.backend.cwd for agent in agents)


@dataclass(slots=True, eq=False)
class _Agent:
    config: AgentConfig
    label: str
    scope: Scope
    tools: FileTools
    folder: Path | None
    commands: CommandRunner | None
    latest: Manifest | None = None
    answers: dict[int, Manifest] = field(default_factory=dict)


class Workspaces:
    """One session's workspaces; also the tool provider for the built-in file tools (``specs``/``call``)."""

    def __init__(
        self,
        agents: Sequence[AgentConfig],
        labels: dict[str, str],
        settings: OrchestratorSettings,
        *,
        session_id: str,
        workdir: Path | None = None,
        log_dir: Path | None = None,
        publish: Callable[[ev.Event], object] = lambda event: None,
        allow_writes: bool = False,
        approve: Approve | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.workdir = (workdir or Path.cwd()).absolute()
        self.log_dir = log_dir
        self._publish = publish
        self._allow_writes = allow_writes
        self._approve = approve
        self._turn = 0
        self._owned: list[Path] = []
        temp_base = self._folder_setting(settings.agent_temporary_workspace)
        if temp_base is None:
            temp_base = Path(tempfile.mkdtemp(prefix="massgen-tui-"))
            self._owned.append(temp_base)
        self.temp_root = temp_base / session_id
        self._owned.append(self.temp_root)
        store_base = self._folder_setting(settings.snapshot_storage)
        store_root = (store_base / session_id if store_base is not None
                      else log_dir / "snapshot_store" if log_dir is not None else self.temp_root / "snapshot_store")
        self.store = SnapshotStore(store_root)
        self._context = self._context_mounts(settings)
        self._agents: dict[str, _Agent] = {}
        for agent in agents:
            folder = self.workdir / Path(agent.backend.cwd).expanduser() if agent.backend.cwd else None
            own = None
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
                own = Mount(Folder(folder), shown="", writable=True)
            scope = Scope(own=own, context=dict(self._context))
            commands = CommandRunner(str(folder), agent.backend.commands) \
                if folder is not None and agent.backend.commands.enabled else None
            self._agents[agent.id] = _Agent(agent, labels.get(agent.id, agent.id), scope, FileTools(scope, limits),
                                            folder, commands)

    def _folder_setting(self, value: str | None) -> Path | None:
        return self.workdir / Path(value).expanduser() if value else None

    def _context_mounts(self, settings: OrchestratorSettings) -> dict[str, Mount]:
        mounts: dict[str, Mount] = {}
        for entry in settings.context_paths:
            folder = (self.workdir / Path(entry.path).expanduser()).resolve()
            only = None
            if folder.is_file():  # one file: its folder, with only that name reachable
                folder, only = folder.parent, folder.name
            elif not folder.is_dir():
                self._publish(ev.Notice(level="warning", message=(
                    f"context path {entry.path!r} does not exist ({folder}); it is not offered to the agents")))
                continue
            name = only.replace(".", "_") if only else folder.name or "root"
            while name in mounts:
                name += "_"
            mounts[name] = Mount(Folder(folder), shown=f"{CONTEXT}/{name}", protected=entry.protected,
                                 presenter_may_write=entry.permission == "write", only=only)
        return mounts

    # ------------------------------------------------------------ tools

    def specs(self, agent_id: str) -> list[ToolSpec]:
        """The file tools (and ``run_command`` when enabled) for ``agent_id``; none for an agent with nothing
        to reach."""
        agent = self._agents.get(agent_id)
        if agent is None or (agent.folder is None and not agent.scope.context and not agent.scope.peers):
            return []
        return list(FILE_TOOL_SPECS) + ([RUN_COMMAND_SPEC] if agent.commands else [])

    def handles(self, name: str) -> bool:
        """Whether ``name`` is one of the tools here."""
        return name in FILE_TOOL_NAMES or name == RUN_COMMAND_SPEC.name

    async def call(self, agent_id: str, call: ToolCall) -> ToolOutcome:
        """Run a file tool (or ``run_command``) for ``agent_id``."""
        agent = self._agents.get(agent_id)
        if agent is None or not self.handles(call.name):
            return ToolOutcome(f"Unknown tool {call.name!r}.", is_error=True)
        if call.parse_error:
            return ToolOutcome(f"Invalid arguments for {call.name}: {call.parse_error}. Nothing was run.",
                               is_error=True)
        if call.name == RUN_COMMAND_SPEC.name:
            if agent.commands is None:
                return ToolOutcome("run_command is not enabled (enable_mcp_command_line).", is_error=True)
            return await agent.commands.call(call.arguments)
        # off the event loop: a large grep or write must not stall the other agents' streams
        return await asyncio.to_thread(agent.tools.call, call.name, call.arguments)

    def prompt_note(self, agent_id: str) -> str:
        """Where the agent's files are, for its prompt (``""`` when it has none)."""
        agent = self._agents.get(agent_id)
        if agent is None or not self.specs(agent_id):
            return ""
        lines = []
        if agent.folder is not None:
            lines.append("You have a workspace: the file tools take paths relative to it. Files you leave there "
                         "are part of your answer.")
        if agent.scope.peers:
            labels = ", ".join(f"{PEERS}/{label}/" for label in sorted(agent.scope.peers))
            lines.append(f"The files of each current answer, read-only: {labels}")
        for name, mount in sorted(agent.scope.context.items()):
            access = "read and write" if mount.writable else "read-only"
            lines.append(f"Context path {CONTEXT}/{name}/{mount.only or ''} ({access}).")
        return "\n".join(lines)

    # -------------------------------------------------------- lifecycle

    def start_turn(self, turn: int) -> None:
        """A new turn: peers' snapshots of the last turn are withdrawn."""
        self._turn = turn
        for agent in self._agents.values():
            agent.latest = None
            agent.answers.clear()
            agent.scope.peers.clear()
        shutil.rmtree(self.temp_root / "peers", ignore_errors=True)

    def answer_accepted(self, agent_id: str, version: int) -> None:
        """Snapshot ``agent_id``'s workspace as answer ``version``: into the log and every agent's peers.

        A failure (a full disk) is reported as a non-fatal agent error; the session goes on.
        """
        try:
            self._snapshot_answer(agent_id, version)
        except OSError as exc:
            self._failed(agent_id, f"could not snapshot the workspace of answer {version}", exc)

    def _failed(self, agent_id: str, what: str, exc: OSError) -> None:
        self._publish(ev.AgentError(agent_id=agent_id, message=f"{what}: {exc.strerror or exc}", fatal=False))

    def _snapshot_answer(self, agent_id: str, version: int) -> None:
        agent = self._agents.get(agent_id)
        if agent is None or agent.folder is None:
            return
        manifest, stats = self.store.snapshot(Folder(agent.folder))
        agent.latest = agent.answers[version] = manifest
        logged = None
        if self.log_dir is not None:
            logged = answer_workspace(self.log_dir, self._turn, agent_id, version)
            self.store.materialize(manifest, logged)
        for reader in self._agents.values():
            peers = self.temp_root / "peers" / reader.config.id / agent.label
            self.store.materialize(manifest, peers)
            reader.scope.peers[agent.label] = Mount(Folder(peers), shown=f"{PEERS}/{agent.label}")
        self._publish(ev.WorkspaceSnapshotted(
            agent_id=agent_id, label=agent.label, turn=self._turn, version=version,
            path=str(logged) if logged else None, files=stats.files, bytes=stats.bytes, new_bytes=stats.new_bytes,
        ))

    def begin_final(self, agent_id: str) -> None:
        """The presenter starts from its winning snapshot, and may write where context paths allow it."""
        agent = self._agents.get(agent_id)
        if agent is None:
            return
        if agent.folder is not None and agent.latest is not None:
            try:
                self._restore(agent.folder, agent.latest)
            except (OSError, PathRefused) as exc:
                self._publish(ev.AgentError(agent_id=agent_id, fatal=False,
                                            message=f"could not restore the winning snapshot: {exc}"))
        for name, mount in self._context.items():
            if mount.presenter_may_write:
                agent.scope.context[name] = Mount(mount.folder, shown=mount.shown, writable=True,
                                                  protected=mount.protected, pending=PendingWrites(), only=mount.only)

    def _restore(self, folder: Path, manifest: Manifest) -> None:
        """Make ``folder`` hold exactly ``manifest``: later changes are undone, only differing files are touched."""
        current, _ = self.store.snapshot(Folder(folder))
        live = Folder(folder)
        for rel in sorted(set(current) - set(manifest), reverse=True):
            live.delete(rel)
        for rel, digest in manifest.items():
            if current.get(rel) != digest:
                live.write(rel, self.store.object_path(digest).read_bytes())

    async def end_final(self, agent_id: str) -> str | None:
        """After the presentation: the final workspace into the log, context writes after approval.

        Returns the final workspace's path (``None`` when the presenter has no workspace).
        """
        agent = self._agents.get(agent_id)
        if agent is None:
            return None
        await self._review_context_writes(agent)
        if agent.folder is None:
            return None
        path = agent.folder
        try:
            manifest, stats = self.store.snapshot(Folder(agent.folder))
            if self.log_dir is not None:
                path = final_workspace(self.log_dir, self._turn)
                self.store.materialize(manifest, path)
        except OSError as exc:
            self._failed(agent_id, "could not save the final workspace", exc)
            return None
        self._publish(ev.FinalWorkspaceReady(agent_id=agent_id, turn=self._turn, path=str(path), files=stats.files))
        return str(path)

    async def _review_context_writes(self, agent: _Agent) -> None:
        for name, mount in list(agent.scope.context.items()):
            agent.scope.context[name] = self._context[name]
            if mount.pending is None or not mount.pending.changes:
                continue
            changes = mount.pending.changes
            files = [f"{mount.folder.root}/{rel}" for rel in sorted(changes)]
            if self._approve is not None:
                applied = await self._approve(files, self._diff(mount))
                reason = "approved" if applied else "declined"
            else:
                applied = self._allow_writes
                reason = "--allow-writes" if applied else "writes to your folders need approval (--allow-writes)"
            if applied:
                for rel, data in sorted(changes.items()):
                    try:
                        mount.folder.write(rel, data) if data is not None else mount.folder.delete(rel)
                    except PathRefused as exc:
                        reason += f"; {exc}"
            self._publish(ev.ContextWritesReviewed(agent_id=agent.config.id, files=files, applied=applied,
                                                   reason=reason))

    @staticmethod
    def _diff(mount: Mount) -> str:
        assert mount.pending is not None
        out: list[str] = []
        for rel, data in sorted(mount.pending.changes.items()):
            try:
                before = mount.folder.read(rel, 1 << 24).decode("utf-8", "replace")
            except PathRefused:
                before = ""
            after = "" if data is None else data.decode("utf-8", "replace")
            out += difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        f"a/{rel}", f"b/{rel}")
        return "".join(out)

    def close(self) -> None:
        """Remove the temporary workspaces (and the snapshot store when it lived there)."""
        for path in reversed(self._owned):
            shutil.rmtree(path, ignore_errors=True)


class ToolChain:
    """Several tool providers offered as one: specs in order; a call goes to the provider that offers the name."""

    def __init__(self, *providers: ExternalTools | None) -> None:
        self._providers = [p for p in providers if p is not None]

    def specs(self, agent_id: str) -> list[ToolSpec]:
        """Every provider's tools for ``agent_id``."""
        return [spec for provider in self._providers for spec in provider.specs(agent_id)]

    async def call(self, agent_id: str, call: ToolCall) -> ToolOutcome:
        """Run ``call`` on the provider offering it (the last one if none does, for its error message)."""
        for provider in self._providers:
            if any(spec.name == call.name for spec in provider.specs(agent_id)):
                return await provider.call(agent_id, call)
        if not self._providers:
            return ToolOutcome(f"Unknown tool {call.name!r}.", is_error=True)
        return await self._providers[-1].call(agent_id, call)
