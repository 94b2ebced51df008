"""An agent's MCP servers as the form edits them, in either way MassGen writes them.

``mcp_servers`` is a mapping ``name -> server`` or a list of servers that carry ``name``; edits keep
whichever the file uses (a new list is made when there is none) and every key the form does not show.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, MutableMapping, MutableSequence
from dataclasses import dataclass
from typing import Any

from massgen_tui.config.keypath import KeyPath
from massgen_tui.editor.document import ConfigDocument, insert_key

#: The keys the server dialog edits.
EDITED_KEYS = ("type", "command", "args", "url")


@dataclass(frozen=True, slots=True)
class ServerFields:
    """What the server dialog shows and returns."""

    name: str
    type: str = "stdio"
    command: str = ""
    args: str = ""  # shell-quoted
    url: str = ""

    @classmethod
    def of(cls, name: str, server: Mapping[str, Any]) -> ServerFields:
        """The fields of a server as written."""
        args = server.get("args")
        return cls(
            name=name,
            type=str(server.get("type") or "stdio"),
            command=str(server.get("command") or ""),
            args=shlex.join(str(a) for a in args) if isinstance(args, list) else "",
            url=str(server.get("url") or ""),
        )

    def values(self) -> dict[str, Any]:
        """The edited keys' new values (``None`` removes a key the server type does not use)."""
        stdio = self.type == "stdio"
        try:
            args = shlex.split(self.args) if stdio else []
        except ValueError:  # an unclosed quote: keep the words as typed
            args = self.args.split()
        return {
            "type": self.type,
            "command": (self.command.strip() or None) if stdio else None,
            "args": args or None,
            "url": None if stdio else (self.url.strip() or None),
        }


def servers(doc: ConfigDocument, agent: KeyPath) -> list[tuple[str, Mapping[str, Any]]]:
    """The agent's servers in file order, as ``(name, server)``."""
    written = doc.get((*agent, "backend", "mcp_servers"))
    if isinstance(written, Mapping):
        return [(str(name), server if isinstance(server, Mapping) else {}) for name, server in written.items()]
    if isinstance(written, list):
        return [(str(s.get("name") or ""), s) for s in written if isinstance(s, Mapping)]
    return []


def summary(name: str, server: Mapping[str, Any]) -> str:
    """One line for the list: ``files  stdio: npx -y server``."""
    fields = ServerFields.of(name, server)
    target = f"{fields.command} {fields.args}".strip() if fields.type == "stdio" else fields.url
    return f"{name or '(no name)'}  {fields.type}: {target or '?'}"


def put_server(doc: ConfigDocument, agent: KeyPath, index: int | None, fields: ServerFields) -> None:
    """Write ``fields`` into server ``index`` (``None`` adds a server), keeping its other keys."""
    path = (*agent, "backend", "mcp_servers")
    written = doc.get(path)
    if isinstance(written, MutableMapping):
        names = list(written)
        if index is not None and names[index] != fields.name:
            _rename(doc, path, names[index], fields.name)
        server_path = (*path, fields.name)
    else:
        if index is None:
            index = doc.append(path, {"name": fields.name})
        server_path = (*path, index)
        doc.set((*server_path, "name"), fields.name)
    for key, value in fields.values().items():
        doc.set((*server_path, key), value)


def remove_server(doc: ConfigDocument, agent: KeyPath, index: int) -> None:
    """Remove server ``index``; the ``mcp_servers`` key goes with the last one."""
    path = (*agent, "backend", "mcp_servers")
    written = doc.get(path)
    if isinstance(written, MutableMapping):
        doc.set((*path, list(written)[index]), None)
    elif isinstance(written, MutableSequence):
        doc.set((*path, index), None)


def _rename(doc: ConfigDocument, path: KeyPath, old: str, new: str) -> None:
    mapping = doc.get(path)
    position = list(mapping).index(old)
    insert_key(mapping, position, new, mapping.pop(old))
