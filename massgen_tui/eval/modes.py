"""The modes an eval compares: each agent alone, a majority vote of independent answers, the protocol."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from massgen_tui.config.model import OrchestratorSettings, SessionConfig

MODE_KINDS = ("single", "majority", "protocol")

#: ``--remedies``: the protocol under MassGen's defaults and under each remedy alone.
REMEDIES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("protocol", {}),
    ("protocol+identical-vote", {"identical_answer_as_vote": True}),
    ("protocol+keep-own", {"keep_own_answer": True}),
    ("protocol+verbatim", {"final_presentation": "verbatim"}),
    ("protocol+rephrase", {"final_presentation": "rephrase"}),
    ("protocol+no-self-vote", {"self_votes": False}),
)


@dataclass(slots=True, frozen=True)
class Mode:
    """One column of the report: ``name`` is what results and the report call it."""

    name: str
    kind: str
    agent_id: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)


def build_modes(
    kinds: Sequence[str], config: SessionConfig, *, settings: Mapping[str, Any] | None = None,
    remedies: bool = False,
) -> list[Mode]:
    """Modes for ``kinds``: ``single`` gives one mode per agent (``single:<id>``); ``protocol`` one per remedy
    with ``remedies``, with ``settings`` (``--set``) applied to every protocol run."""
    modes: list[Mode] = []
    for kind in kinds:
        if kind not in MODE_KINDS:
            raise ValueError(f"unknown mode {kind!r} (one of: {', '.join(MODE_KINDS)})")
        if kind == "single":
            modes += [Mode(f"single:{a.id}", "single", agent_id=a.id) for a in config.agents]
        elif kind == "majority":
            modes.append(Mode("majority", "majority"))
        else:
            variants = REMEDIES if remedies else (("protocol", {}),)
            modes += [Mode(name, "protocol", settings={**(settings or {}), **extra}) for name, extra in variants]
    return modes


def parse_setting(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` for an orchestrator setting; the value is read as bool, int, float or text."""
    key, sep, raw = text.partition("=")
    names = {f.name for f in dataclasses.fields(OrchestratorSettings)} - {"extra"}
    if not sep or key not in names:
        raise ValueError(f"--set {text!r}: expected KEY=VALUE with KEY one of: {', '.join(sorted(names))}")
    lowered = raw.strip().lower()
    if lowered in ("true", "false"):
        return key, lowered == "true"
    if lowered in ("none", "null"):
        return key, None
    for kind in (int, float):
        try:
            return key, kind(raw)
        except ValueError:
            pass
    return key, raw


def config_for(mode: Mode, config: SessionConfig, agent_id: str | None = None) -> SessionConfig:
    """The session config a run of ``mode`` uses: one agent alone (single, and each majority voter),
    or the whole team with the mode's orchestrator settings."""
    alone = agent_id or mode.agent_id
    agents = [a for a in config.agents if a.id == alone] if alone is not None else config.agents
    return dataclasses.replace(
        config, agents=agents, orchestrator=dataclasses.replace(config.orchestrator, **dict(mode.settings))
    )
