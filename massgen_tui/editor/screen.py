"""The config editor: a form and the text of one config, kept in step and checked as you type.

The text is the truth. Typing in it re-reads the form from it; a form edit changes the round-trip
document (:mod:`massgen_tui.editor.document`) and puts only the changed span back into the text,
so comments, order and layout elsewhere stay as written and undo in the text view still works.
Both paths run the loader's own validator, whose problems are marked in the gutter and listed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from itertools import count
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.text_area import Document

from massgen_tui.config import SessionConfig, check_text
from massgen_tui.config.document import check_text_bounds, read_config_text
from massgen_tui.editor import mcp
from massgen_tui.editor.dialogs import (
    ApiKeyDialog,
    ChangedOnDiskDialog,
    Choice,
    ConfigChooser,
    KeyEntry,
    McpServerDialog,
    SaveAsDialog,
    UnsavedChangesDialog,
)
from massgen_tui.editor.document import ConfigDocument, DocumentError
from massgen_tui.editor.fields import AGENT_FIELDS, SESSION_FIELDS, value_from_widget
from massgen_tui.editor.files import (
    NEW_TEAM_TEXT,
    backup_path,
    bundled_configs_dir,
    config_files,
    save_atomic,
    user_configs_dir,
)
from massgen_tui.editor.keys import (
    KeyEnvironment,
    KeyStatus,
    agent_variable,
    key_status,
)
from massgen_tui.editor.widgets.agent_form import (
    AgentForm,
    AgentList,
    McpList,
    agent_field_path,
    agent_row,
)
from massgen_tui.editor.widgets.form_values import set_content
from massgen_tui.editor.widgets.problems import ProblemsPanel
from massgen_tui.editor.widgets.session_form import SessionForm
from massgen_tui.editor.widgets.yaml_editor import ConfigTextEditor
from massgen_tui.errors import ConfigError, ConfigIssue

NEW_JSON_TEAM_TEXT = '{\n  "agents": []\n}\n'
#: The agent a new team member starts as.
NEW_AGENT_BACKEND = {"type": "openai", "model": "gpt-5-mini"}

Result = TypeVar("Result")


class ConfigEditorScreen(Screen["SessionConfig | None"]):
    """Edit one MassGen config. Dismisses with the validated config on Run, or ``None`` on close.

    Without ``path`` it first offers a new team, the bundled examples and the user's configs;
    a ``path`` that does not exist yet starts a new team saved there; with ``template`` it opens as an
    untitled copy. ``keys`` is where API keys are looked up and typed keys are stored (its
    ``config_dir`` also holds the user's configs).
    """

    CSS_PATH = "screen.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="editor.save"),
        Binding("f12", "save_as", "Save as", id="editor.save_as"),
        Binding("ctrl+r", "run", "Run", priority=True, id="editor.run"),
        Binding("escape", "close", "Close", id="editor.close"),
        Binding("f2", "focus_part('agents')", "Form", id="editor.focus_form"),
        Binding("f3", "focus_part('text')", "Text", id="editor.focus_text"),
        Binding("f4", "focus_part('problems')", "Problems", id="editor.focus_problems"),
    ]

    def __init__(self, path: Path | None = None, *, keys: KeyEnvironment | None = None,
                 bundled_dir: Path | None = None, template: bool = False) -> None:
        super().__init__()
        self.keys = keys or KeyEnvironment()
        self.path: Path | None = None
        self.template_of: Path | None = None
        self.as_json = False
        self.saved_text = ""
        #: The file's text as last read or written here, to notice a change made by someone else.
        self.disk_text: str | None = None
        self.document: ConfigDocument | None = None
        self.document_problem = ""
        self.issues: list[ConfigIssue] = []
        self.config: SessionConfig | None = None
        self.selected = 0
        self._initial = path
        self._initial_is_template = template
        self._bundled_dir = bundled_dir or bundled_configs_dir()

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(id="panes"):
            with VerticalScroll(id="form-pane"):
                yield Static(id="form-note")
                yield Label("Agents", classes="section")
                yield AgentList(id="agents")
                yield Static("No agents yet: press a to add one.", id="no-agents")
                yield AgentForm(id="agent-form")
                yield Label("Session", classes="section")
                yield SessionForm(id="session-form")
            with Vertical(id="text-pane"):
                yield ConfigTextEditor(language="yaml", id="text")
                yield ProblemsPanel(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#form-pane").border_title = "Form  F2"
        self.query_one("#text").border_title = "Text  F3"
        self.query_one("#problems").border_title = "Problems  F4"
        if self._initial is not None:
            self.open(Choice(self._initial, template=self._initial_is_template))
            return
        yours = user_configs_dir(self.keys.config_dir)
        chooser = ConfigChooser(config_files(self._bundled_dir), config_files(yours), yours)
        self.app.push_screen(chooser, self._chosen)

    def _chosen(self, choice: Choice | None) -> None:
        if choice is None:
            self.dismiss(None)
        else:
            self.open(choice)

    @property
    def text_view(self) -> ConfigTextEditor:
        """The text editor."""
        return self.query_one("#text", ConfigTextEditor)

    # ------------------------------------------------------------------ opening

    def open(self, choice: Choice) -> None:
        """Load the chosen file (a template as an untitled copy), or a new team."""
        path = choice.path
        self.as_json = path is not None and path.suffix.lower() == ".json"
        text = NEW_JSON_TEAM_TEXT if self.as_json else NEW_TEAM_TEXT
        if path is not None and path.exists():
            try:
                text = read_config_text(path)
            except ConfigError as exc:
                self.notify(f"cannot read {path}: {exc.issues[0].message.removeprefix('cannot read the file: ')}",
                            severity="error", markup=False)
                path = None
        self.path = None if choice.template else path
        self.template_of = path if choice.template else None
        self.saved_text = text
        self.disk_text = text if self.path is not None else None
        editor = self.text_view
        editor.language = "json" if self.as_json else "yaml"
        with editor.prevent(TextArea.Changed):
            editor.load_text(text)
        self.selected = 0
        self._text_changed(text)
        self.query_one(AgentList).focus()

    # ------------------------------------------------------------------ state

    @property
    def dirty(self) -> bool:
        """Whether the text differs from what was last loaded or saved."""
        return self.text_view.text != self.saved_text

    @property
    def display_name(self) -> str:
        """The file's name, or ``untitled`` (saying which example it copies)."""
        if self.path is not None:
            return self.path.name
        return f"untitled (copy of {self.template_of.name})" if self.template_of else "untitled"

    def _text_changed(self, text: str) -> None:
        """The text changed (typed, or loaded): check it and re-read the form from it."""
        self._validate(text)
        try:
            check_text_bounds(text, self.path)  # an alias bomb never reaches the round-trip layer
            self.document = ConfigDocument.parse(text, as_json=self.as_json)
            self.document_problem = ""
        except ConfigError as exc:
            self.document = None
            self.document_problem = exc.issues[0].message
        except DocumentError as exc:
            self.document = None
            self.document_problem = str(exc).splitlines()[0]
        self._show_form(values=True)

    def _validate(self, text: str) -> None:
        self.config, self.issues = check_text(text, self.path, env=self.keys.merged())
        marks: dict[int, str] = {}
        for issue in self.issues:
            if issue.line is not None and marks.get(issue.line - 1) != "error":
                marks[issue.line - 1] = issue.level
        self.text_view.set_marks(marks)
        self.query_one(ProblemsPanel).show(self.issues)
        self._show_status()

    def _show_status(self) -> None:
        errors = sum(issue.level == "error" for issue in self.issues)
        warnings = len(self.issues) - errors
        status = Text.assemble((f" {self.display_name}", "bold"))
        if self.dirty:
            status.append("  ● modified", "yellow")
        status.append("   ")
        if errors:
            status.append(f"✖ {errors} error{'s' * (errors != 1)}", "bold red")
        else:
            status.append("✓ valid: ctrl+r runs it", "green")
        if warnings:
            status.append(f"  ▲ {warnings} warning{'s' * (warnings != 1)}", "yellow")
        set_content(self.query_one("#status", Static), status)

    def _key_status(self, agent: Mapping[str, Any]) -> KeyStatus:
        backend = agent.get("backend")
        return key_status(backend if isinstance(backend, Mapping) else {}, str(agent.get("id") or "agent"), self.keys)

    def _show_form(self, *, values: bool) -> None:
        """Show the document in the form; ``values=False`` keeps the fields as typed (a form edit)."""
        pane = self.query_one("#form-pane")
        document = self.document
        pane.set_class(document is None, "-unreadable")
        set_content(self.query_one("#form-note", Static),
            f"The form cannot read the text ({self.document_problem}). Fix it in the text view (F3); "
            "the problems list (F4) shows where." if document is None else "")
        if document is None:
            return
        agents = document.agents
        self.selected = max(0, min(self.selected, len(agents) - 1))
        statuses = [self._key_status(agent) for agent in agents]
        rows = [agent_row(a, i, s) for i, (a, s) in enumerate(zip(agents, statuses, strict=True))]
        self.query_one(AgentList).show(rows, self.selected if agents else None)
        pane.set_class(not agents, "-no-agents")
        form = self.query_one(AgentForm)
        if agents:
            agent = agents[self.selected]
            servers = [mcp.summary(name, server) for name, server in mcp.servers(document, self._agent_path)]
            form.border_title = f"Agent {self.selected + 1} of {len(agents)}"
            form.show(agent, statuses[self.selected], servers, values=values)
        if values:
            self.query_one(SessionForm).show(document.data)

    @property
    def _agent_path(self) -> tuple[str | int, ...]:
        assert self.document is not None
        return self.document.agent_path(self.selected)

    # ------------------------------------------------------------------ edits

    def _edit(self, change: Callable[[ConfigDocument], Result]) -> Result | None:
        """Apply ``change`` to the document, put the result into the text, and check it."""
        document = self.document
        if document is None:
            return None
        result = change(document)
        text = document.dump()
        self._put_text(text)
        self._validate(text)
        return result

    def _put_text(self, text: str) -> None:
        """Replace only the span that differs, so the cursor, scroll and undo history stay useful."""
        editor = self.text_view
        old = editor.text
        if old == text:
            return
        start = len(os.path.commonprefix([old, text]))
        tail = min(len(os.path.commonprefix([old[::-1], text[::-1]])), len(old) - start, len(text) - start)
        document = editor.document
        assert isinstance(document, Document)  # a TextArea always holds a Document (or a SyntaxAwareDocument)
        location = document.get_location_from_index
        with editor.prevent(TextArea.Changed):
            editor.replace(text[start:len(text) - tail], location(start), location(len(old) - tail))

    @on(TextArea.Changed, "#text")
    def _typed(self, event: TextArea.Changed) -> None:
        self._text_changed(event.text_area.text)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed, "#agent-system-message")
    def _form_edited(self, event: Input.Changed | Select.Changed | Checkbox.Changed | TextArea.Changed) -> None:
        widget = event.control
        raw = _widget_value(widget)
        if widget.id in SESSION_FIELDS:
            field = SESSION_FIELDS[widget.id]
            self._edit(lambda document: document.set(field.path, value_from_widget(field, raw)))
        elif widget.id in AGENT_FIELDS and self.document is not None and self.document.agents:
            field = AGENT_FIELDS[widget.id]
            path = (*self._agent_path, *agent_field_path(field, self.document.agents[self.selected]))
            self._edit(lambda document: document.set(path, value_from_widget(field, raw)))
            self._show_form(values=False)

    @on(OptionList.OptionHighlighted, "#agents")
    def _agent_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.selected:
            self.selected = event.option_index
            self._show_form(values=True)

    def _agent_ids(self) -> set[str]:
        return {str(agent.get("id")) for agent in self.document.agents} if self.document else set()

    def action_add_agent(self) -> None:
        """Add an agent at the end of the team."""
        taken = self._agent_ids()
        new_id = next(f"agent_{n}" for n in count(len(taken) + 1) if f"agent_{n}" not in taken)
        self._structural_edit(lambda d: d.add_agent({"id": new_id, "backend": dict(NEW_AGENT_BACKEND)}))

    def action_duplicate_agent(self) -> None:
        """Copy the selected agent (with its comments) under a new id."""
        if not self.document or not self.document.agents:
            return
        stem = f"{self.document.agents[self.selected].get('id') or 'agent'}_copy"
        taken = self._agent_ids()
        new_id = next(name for name in _numbered(stem, lambda n: f"{stem}{n}") if name not in taken)
        self._structural_edit(lambda d: d.duplicate_agent(self.selected, new_id))

    def action_remove_agent(self) -> None:
        """Remove the selected agent (undo: ctrl+z in the text view)."""
        if not self.document or not self.document.agents:
            return
        removed = self.document.agents[self.selected].get("id") or f"agent {self.selected + 1}"
        self._structural_edit(lambda d: d.remove_agent(self.selected))
        self.notify(f"removed {removed} (ctrl+z in the text view brings it back)", markup=False)

    def action_move_agent(self, offset: int) -> None:
        """Move the selected agent up (-1) or down (1)."""
        if self.document and self.document.agents:
            self._structural_edit(lambda d: d.move_agent(self.selected, offset))

    def _structural_edit(self, change: Callable[[ConfigDocument], int]) -> None:
        selected = self._edit(change)
        if selected is not None:
            self.selected = selected
        self._show_form(values=True)

    # ------------------------------------------------------------------ MCP servers

    def _servers(self) -> list[tuple[str, Mapping[str, Any]]]:
        if not self.document or not self.document.agents:
            return []
        return mcp.servers(self.document, self._agent_path)

    def action_add_mcp_server(self) -> None:
        """Add an MCP server to the selected agent."""
        if self.document and self.document.agents:
            self._ask_server(None)

    @on(OptionList.OptionSelected, "#mcp-list")
    def _edit_server(self, event: OptionList.OptionSelected) -> None:
        self._ask_server(event.option_index)

    def _ask_server(self, index: int | None) -> None:
        servers = self._servers()
        current = mcp.ServerFields.of(*servers[index]) if index is not None else mcp.ServerFields("")
        taken = {name for position, (name, _) in enumerate(servers) if position != index}

        def put(fields: mcp.ServerFields | None) -> None:
            if fields is not None:
                self._edit(lambda d: mcp.put_server(d, self._agent_path, index, fields))
                self._show_form(values=False)

        self.app.push_screen(McpServerDialog(current, taken=taken), put)

    def action_remove_mcp_server(self) -> None:
        """Remove the highlighted MCP server of the selected agent."""
        index = self.query_one(McpList).highlighted
        if index is not None and index < len(self._servers()):
            self._edit(lambda d: mcp.remove_server(d, self._agent_path, index))
            self._show_form(values=False)

    # ------------------------------------------------------------------ API keys

    @on(Button.Pressed, "#set-key")
    def action_set_api_key(self) -> None:
        """Type the selected agent's API key (stored in the user's .env, referenced as ``${VAR}``)."""
        if not self.document or not self.document.agents:
            return
        agent = self.document.agents[self.selected]
        agent_id = str(agent.get("id") or f"agent {self.selected + 1}")
        variable = self._key_status(agent).variable or agent_variable(agent_id)
        if variable in self.keys.environ:  # the environment wins over .env: a key stored there would not be used
            variable = agent_variable(agent_id)
        path = (*self._agent_path, "backend", "api_key")

        def store(entry: KeyEntry | None) -> None:
            if entry is None:
                return
            if entry.in_file:
                value = entry.value
            else:
                try:
                    self.keys.store(entry.variable, entry.value)
                except OSError as exc:
                    self.notify(f"could not write {self.keys.user_dotenv}: {exc.strerror or exc}",
                                severity="error", markup=False)
                    return
                value = f"${{{entry.variable}}}"
                self.notify(f"key stored in {self.keys.user_dotenv} as {entry.variable}", markup=False)
            self._edit(lambda d: d.set(path, value))
            self._show_form(values=False)

        dialog = ApiKeyDialog(agent_id, variable, self.keys.user_dotenv, in_environment=frozenset(self.keys.environ))
        self.app.push_screen(dialog, store)

    # ------------------------------------------------------------------ problems

    @on(OptionList.OptionSelected, "#problems")
    def _jump_to_problem(self, event: OptionList.OptionSelected) -> None:
        issue = self.query_one(ProblemsPanel).issues[event.option_index]
        editor = self.text_view
        if issue.line is not None:
            editor.cursor_location = (issue.line - 1, (issue.column or 1) - 1)
            editor.scroll_cursor_visible(center=True)
        editor.focus()

    def action_focus_part(self, part: str) -> None:
        """Focus the form (``agents``), the ``text`` view or the ``problems`` list."""
        self.query_one(f"#{part}").focus()

    # ------------------------------------------------------------------ saving, closing, running

    def _suggested_path(self) -> Path:
        if self.path is not None:
            return self.path
        suffix = ".json" if self.as_json else ".yaml"
        folder = user_configs_dir(self.keys.config_dir)
        stem = self.template_of.stem if self.template_of else "team"
        return next(path for name in _numbered(f"{stem}{suffix}", lambda n: f"{stem}-{n}{suffix}")
                    if not (path := folder / name).exists())

    async def _save(self, *, ask: bool = False) -> bool:
        """Save (asking where for an untitled config, or with ``ask``); whether it was saved."""
        path = self.path
        if path is None or ask:
            path = await self.app.push_screen_wait(SaveAsDialog(self._suggested_path(), as_json=self.as_json))
            if path is None:
                return False
        elif self._changed_on_disk(path):
            answer = await self.app.push_screen_wait(ChangedOnDiskDialog(path.name))
            if answer is None:
                return False
            if answer == "reload":
                self.open(Choice(path))
                self.notify(f"reloaded {path}", markup=False)
                return False
            if answer == "save_as":
                return await self._save(ask=True)
        text = self.text_view.text
        had_file = path.exists()
        try:
            save_atomic(path, text)
        except OSError as exc:
            self.notify(f"could not save {path}: {exc.strerror or exc}", severity="error", markup=False)
            return False
        self.path, self.template_of, self.saved_text, self.disk_text = path, None, text, text
        self._validate(text)
        kept = f"; the previous version is {backup_path(path).name}" if had_file else ""
        self.notify(f"saved {path}{kept}", markup=False)
        return True

    def _changed_on_disk(self, path: Path) -> bool:
        """Whether ``path`` (the file being edited) changed on disk since it was opened or saved here."""
        if path != self.path or self.disk_text is None:
            return False
        try:
            return read_config_text(path) != self.disk_text
        except ConfigError:
            return True  # removed, or replaced by something that is not a config file

    @work(exclusive=True, group="editor-file")
    async def action_save(self) -> None:
        """Save to the file (Save As for an untitled config)."""
        await self._save()

    @work(exclusive=True, group="editor-file")
    async def action_save_as(self) -> None:
        """Save under a new name; the editor then edits that file."""
        await self._save(ask=True)

    async def may_leave(self, leaving: str, discard_label: str = "Discard changes") -> bool:
        """Whether to go on leaving: asks first when there are unsaved changes (call it from a worker)."""
        if not self.dirty:
            return True
        answer = await self.app.push_screen_wait(UnsavedChangesDialog(self.display_name, leaving, discard_label))
        if answer is None:
            return False
        return answer == "discard" or await self._save()

    @work(exclusive=True, group="editor-file")
    async def action_close(self) -> None:
        """Leave the editor (warning first about unsaved changes)."""
        if await self.may_leave("closing"):
            self.dismiss(None)

    @work(exclusive=True, group="editor-file")
    async def action_run(self) -> None:
        """Leave the editor with the config, once it has no errors."""
        self._validate(self.text_view.text)
        if self.config is None:
            errors = sum(issue.level == "error" for issue in self.issues)
            self.notify(f"cannot run yet: fix {errors} error{'s' * (errors != 1)} first (F4 lists them)",
                        severity="error")
            self.query_one(ProblemsPanel).focus()
            return
        if await self.may_leave("running", "Run without saving"):
            self._validate(self.text_view.text)  # the saved file is now the config's source
            self.dismiss(self.config)


def _numbered(first: str, nth: Callable[[int], str]) -> Iterator[str]:
    """``first``, then ``nth(2)``, ``nth(3)``, ...: candidates for a name not taken yet."""
    yield first
    for n in count(2):
        yield nth(n)


def _widget_value(widget: Widget) -> Any:
    if isinstance(widget, Select):
        return None if widget.is_blank() else widget.value
    if isinstance(widget, TextArea):
        return widget.text
    return widget.value  # type: ignore[attr-defined]
