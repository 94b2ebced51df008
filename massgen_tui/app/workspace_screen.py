"""The workspace view: each agent's files by answer version (and the final workspace), a file viewer, diffs.

The versions shown are those of the answers in the :class:`SessionView` it watches (a replay's view
holds the answers up to its position), re-read a few times a second so the tree follows a live
session or a moving replay. Files are listed when a version is expanded; the highlighted file is
shown read-only with syntax highlighting where tree-sitter knows the language.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import ClassVar, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static, TextArea, Tree
from textual.widgets.tree import TreeNode

from massgen_tui.app.widgets.key_hints import KeyHints
from massgen_tui.replay import workspaces as ws
from massgen_tui.text_safety import terminal_safe
from massgen_tui.view.session_view import SessionView


class ReplayControls(Protocol):
    """What the workspace view needs of the replay it was opened over: where it is, and a step."""

    @property
    def position(self) -> int: ...

    @property
    def total(self) -> int: ...

    def action_marker(self, direction: int) -> None: ...

POLL_SECONDS = 0.25
_LANGUAGES = {
    ".py": "python", ".pyi": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".jsx": "javascript", ".json": "json", ".md": "markdown", ".markdown": "markdown", ".yaml": "yaml",
    ".yml": "yaml", ".toml": "toml", ".rs": "rust", ".go": "go", ".html": "html", ".htm": "html", ".css": "css",
    ".sql": "sql", ".sh": "bash", ".bash": "bash", ".java": "java", ".xml": "xml", ".svg": "xml",
}
NO_LOG = "this session keeps no log, so no workspace snapshots (start it without --no-log)"
NO_WORKSPACE = "no agent in this session has a workspace (backend.cwd)"
NONE_YET = "no answer with a workspace yet (each answer's files appear here once it is given)"

VersionKey = tuple[int, str, int | None]  # (turn, agent id, answer version or None for the final workspace)
Target = tuple[VersionKey, str]  # a version and a file in it


def language_for(path: str, available: set[str]) -> str | None:
    """The tree-sitter language for a file name, if the installed Textual has it (else plain text)."""
    language = _LANGUAGES.get(PurePosixPath(path).suffix.lower())
    return language if language in available else None


def _plain(label: str) -> Text:
    """A tree label shown as written (a Tree parses a ``str`` label as markup: ``[b]`` in a file name)."""
    return Text(terminal_safe(label))


def _key(version: ws.Version) -> VersionKey:
    return version.turn, version.agent_id, version.version


class WorkspaceScreen(Screen[None]):
    """Agents → versions → files on the left; the file, or a diff of two files, on the right."""

    CSS_PATH = "workspace_screen.tcss"
    HELP_GROUP: ClassVar[str] = "workspaces"  # what the help screen calls the part these keys act in

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "diff", "Compare (d on one file, then on another)", id="workspace.diff"),
        Binding("p", "diff_previous", "Previous version, diffed", id="workspace.diff_previous"),
        Binding("left_square_bracket", "replay_step(-1)", "Replay: previous answer/vote", show=False,
                id="workspace.replay_previous"),
        Binding("right_square_bracket", "replay_step(1)", "Replay: next answer/vote", show=False,
                id="workspace.replay_next"),
        Binding("escape", "back", "Back", id="workspace.back"),
        Binding("q", "close", "Close", show=False, id="workspace.close"),
    ]

    def __init__(self, view: SessionView, folder: Path | None, target: Target | None = None,
                 replay: ReplayControls | None = None) -> None:
        """Watch ``view``'s answers, whose snapshots are in the session log ``folder`` (None: no log);
        open at ``target`` (a version and file) if given; ``replay``: the replay it is opened over."""
        super().__init__()
        self.session = view
        self.replay = replay
        self.folder = folder
        self.versions: list[ws.Version] = []
        self.shown: Target | None = None
        self.base: Target | None = None
        self._target = target
        self._agent_nodes: dict[str, TreeNode[object]] = {}
        self._version_nodes: dict[VersionKey, TreeNode[object]] = {}
        self._drawn = False
        self._title = ""

    def compose(self) -> ComposeResult:
        yield Static(id="ws-title", markup=False)
        with Horizontal(id="ws-body"):
            tree: Tree[object] = Tree("workspaces", id="ws-tree")
            tree.show_root = False
            yield tree
            with ContentSwitcher(initial="ws-empty", id="ws-right"):
                yield Static(id="ws-empty", markup=False)
                yield TextArea.code_editor(read_only=True, id="ws-file", soft_wrap=False)
                with VerticalScroll(id="ws-diff"):
                    yield Static(id="ws-diff-text")
        yield Static(id="ws-status", markup=False)
        yield KeyHints(id="ws-hints")

    def on_mount(self) -> None:
        shown = [b for b in self.BINDINGS if isinstance(b, Binding)]
        shown += [b for b in getattr(self.app, "BINDINGS", []) if isinstance(b, Binding) and b.id == "help"]
        self.query_one(KeyHints).show_bindings(shown, getattr(self.app, "keymap", {}))
        self.refresh_versions()
        if self._target is not None:
            self.open_file(*self._target)
        self.query_one(Tree).focus()
        self.set_interval(POLL_SECONDS, self.refresh_versions)

    # ------------------------------------------------------------------ versions

    def _names(self) -> dict[str, str]:
        return {agent_id: self.session.name_of(agent_id) for agent_id in self.session.agents}

    def refresh_versions(self) -> None:
        """Show the versions that exist for the answers seen so far (added and removed in place)."""
        versions = [] if self.folder is None else \
            ws.versions(self.folder, self.session.answer_log, self.session.final_log)
        if not self._drawn or [_key(v) for v in versions] != [_key(v) for v in self.versions]:
            self._drawn = True
            self._rebuild(versions)
        self._show_title()

    def _rebuild(self, versions: list[ws.Version]) -> None:
        tree = self.query_one(Tree)
        keys = {_key(v) for v in versions}
        for key in [k for k in self._version_nodes if k not in keys]:
            self._version_nodes.pop(key).remove()
        turns = len({v.turn for v in versions}) > 1
        names = self._names()
        for version in versions:
            key = _key(version)
            if key in self._version_nodes:
                continue
            agent = self._agent_nodes.get(version.agent_id)
            if agent is None:
                agent = self._agent_nodes[version.agent_id] = tree.root.add(
                    _plain(names.get(version.agent_id, version.agent_id)), data=version.agent_id, expand=True)
            self._version_nodes[key] = agent.add(_plain(version.name), data=version)
        for version in versions:  # "(turn N)" once there is more than one turn
            self._version_nodes[_key(version)].set_label(
                _plain(version.name + (f" (turn {version.turn})" if turns else "")))
        for agent_id in [a for a, node in self._agent_nodes.items() if not node.children]:
            self._agent_nodes.pop(agent_id).remove()
        self.versions = versions
        if self.shown is not None and self.shown[0] not in keys:  # a replay went back before it
            self.shown = None
            self.query_one(ContentSwitcher).current = "ws-empty"
        if self.base is not None and self.base[0] not in keys:
            self.base = None
        self._show_empty()

    def _show_empty(self) -> None:
        self.query_one(Tree).display = bool(self.versions)  # nothing to browse: the message gets the width
        if self.versions:
            if self.shown is None and self.query_one(ContentSwitcher).current == "ws-empty":
                self.query_one("#ws-empty", Static).update("highlight a file on the left to see it here")
            return
        if self.folder is None:
            message = NO_LOG
        elif not ws.any_workspace(self.folder):
            message = NO_WORKSPACE
        else:
            message = NONE_YET
        self.query_one("#ws-empty", Static).update(message)
        self.query_one(ContentSwitcher).current = "ws-empty"
        self._status("")

    def _show_title(self) -> None:
        count = len(self.versions)
        replay = self.replay
        at = f" · replay event {replay.position}/{replay.total}, [ ] move" if replay is not None else ""
        title = f"Workspaces · {terminal_safe(self.session.session_id or 'session')} · {count} snapshot" \
                f"{'s' * (count != 1)}{at}"
        if title != self._title:
            self._title = title
            self.query_one("#ws-title", Static).update(title)

    def _fill(self, node: TreeNode[object]) -> None:
        """List a version's files under its node (once)."""
        version = node.data
        if not isinstance(version, ws.Version) or node.children:
            return
        names = ws.files(version)
        for name in names:
            node.add_leaf(_plain(name), data=(version, name))
        if not names:
            node.add_leaf("(no files)", data=None)

    @on(Tree.NodeExpanded, "#ws-tree")
    def _expanded(self, event: Tree.NodeExpanded[object]) -> None:
        self._fill(event.node)

    def _version(self, key: VersionKey) -> ws.Version | None:
        return next((v for v in self.versions if _key(v) == key), None)

    # --------------------------------------------------------------------- files

    def open_file(self, key: VersionKey, path: str) -> bool:
        """Expand the tree to ``path`` in version ``key``, highlight it and show it; False if it is not there."""
        path = PurePosixPath(path).as_posix()  # as listed: ``./app.py`` is ``app.py``
        node, version = self._version_nodes.get(key), self._version(key)
        if node is None or version is None:
            self._status(f"{path}: that version's workspace is not in the log (yet)")
            return False
        if node.parent is not None:
            node.parent.expand()
        self._fill(node)
        node.expand()
        leaf = next((c for c in node.children if isinstance(c.data, tuple) and c.data[1] == path), None)
        tree = self.query_one(Tree)
        if leaf is None:
            tree.move_cursor(node)
            self._status(f"{path} is not in {ws.label(version, self._names())}")
            return False
        tree.move_cursor(leaf)
        self.show_file(version, path)
        return True

    @on(Tree.NodeHighlighted, "#ws-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[object]) -> None:
        data = event.node.data
        if isinstance(data, tuple):
            self.show_file(*data)

    def show_file(self, version: ws.Version, path: str) -> None:
        """Show one file, read-only, highlighted as its language."""
        area = self.query_one("#ws-file", TextArea)
        names = self._names()
        try:
            content = ws.read(version, path)
        except (OSError, ValueError) as exc:
            self._status(f"{path}: cannot read it ({exc})")
            return
        self.shown = (_key(version), path)
        if content.text is None:
            area.language = None
            area.load_text(f"(binary file, {content.size:,} bytes)")
        else:
            area.language = language_for(path, area.available_languages)
            area.load_text(content.text)
        self.query_one(ContentSwitcher).current = "ws-file"
        cut = f" · first {ws.READ_LIMIT // 1024} KiB of {content.size:,} bytes" if content.truncated else ""
        base = f" · diff base: {self._target_label(self.base)} (d compares)" if self.base else ""
        self._status(f"{ws.label(version, names)} / {path}{cut}{base}")

    def _target_label(self, target: Target | None) -> str:
        if target is None:
            return ""
        version = self._version(target[0])
        return f"{ws.label(version, self._names()) if version else target[0]} / {target[1]}"

    def _status(self, text: str) -> None:
        self.query_one("#ws-status", Static).update(terminal_safe(text))

    # ---------------------------------------------------------------------- diff

    def action_diff(self) -> None:
        """First press: mark the shown file as the diff's base; next, on another file: show the diff."""
        if self.shown is None:
            self._status("highlight a file first (d marks it, then d on another file compares them)")
            return
        if self.base is None or self.base == self.shown:
            self.base = self.shown
            self._status(f"diff base: {self._target_label(self.base)} · highlight another version or agent's "
                         "file and press d")
            return
        self.show_diff(self.base, self.shown)

    def action_diff_previous(self) -> None:
        """Diff the shown file against the same agent's previous version of it."""
        if self.shown is None:
            self._status("highlight a file first")
            return
        key, path = self.shown
        same_agent = [v for v in self.versions if v.agent_id == key[1]]
        index = next(i for i, v in enumerate(same_agent) if _key(v) == key)
        if index == 0:
            self._status(f"{path}: this is {self.session.name_of(key[1])}'s first version")
            return
        self.show_diff((_key(same_agent[index - 1]), path), self.shown)

    def show_diff(self, old: Target, new: Target) -> None:
        """A unified diff of two files, + and - lines coloured."""
        old_version, new_version = self._version(old[0]), self._version(new[0])
        if old_version is None or new_version is None:
            return
        try:
            lines = ws.diff(old_version, old[1], new_version, new[1], self._names())
        except (OSError, ValueError) as exc:
            self._status(f"cannot diff: {exc}")
            return
        theme = self.app.current_theme
        styles = {"+": theme.success or "green", "-": theme.error or "red", "@": theme.accent or "cyan"}
        text = Text(no_wrap=True, overflow="ignore")
        for line in lines:
            style = "bold" if line.startswith(("+++", "---")) else styles.get(line[:1], "")
            text.append(terminal_safe(line) + "\n", style=style)
        self.query_one("#ws-diff-text", Static).update(text)
        self.query_one(ContentSwitcher).current = "ws-diff"
        added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
        self._status(f"diff +{added} -{removed}: {self._target_label(old)} → {self._target_label(new)} "
                     "· Esc back to the file")

    # -------------------------------------------------------------------- replay

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "replay_step":
            return self.replay is not None
        return super().check_action(action, parameters)

    def action_replay_step(self, direction: int) -> None:
        """Move the replay under this view to its previous or next answer or vote (the tree follows)."""
        replay = self.replay
        if replay is not None:
            replay.action_marker(direction)
            self.refresh_versions()

    # ------------------------------------------------------------------- leaving

    def action_back(self) -> None:
        """Leave the diff, else forget the diff base, else close the view."""
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "ws-diff":
            switcher.current = "ws-file" if self.shown else "ws-empty"
            if self.shown is not None:
                version = self._version(self.shown[0])
                if version is not None:
                    self.show_file(version, self.shown[1])
        elif self.base is not None:
            self.base = None
            self._status("diff base cleared")
        else:
            self.action_close()

    def action_close(self) -> None:
        """Back to the agents."""
        self.dismiss()
