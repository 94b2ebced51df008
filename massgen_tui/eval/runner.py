"""Running question x mode items with bounded concurrency, writing each result as it finishes."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from massgen_tui.backends import create_backend
from massgen_tui.backends.base import Backend
from massgen_tui.config.model import AgentConfig, SessionConfig
from massgen_tui.eval.modes import Mode, config_for
from massgen_tui.eval.questions import Question
from massgen_tui.eval.results import Record, RecordSink
from massgen_tui.eval.scoring import score
from massgen_tui.session_setup import prepare_session

LOGS_DIR = "logs"

_T = TypeVar("_T")


@dataclass(slots=True, frozen=True)
class Item:
    """One question under one mode."""

    question: Question
    mode: Mode
    #: The mode's place in the run's list of modes: the report's column order, also after a merge.
    mode_rank: int = 0


@dataclass(slots=True)
class _Answer:
    """One session's outcome: its final text, status, usage and log folder."""

    text: str
    status: str
    error: str
    totals: dict[str, Any]
    log_dir: str | None


class ProviderLimits:
    """At most ``cap`` items at a time per provider (backend family + base URL); ``None``: no cap."""

    def __init__(self, cap: int | None) -> None:
        self._cap = cap
        self._semaphores: dict[str, asyncio.Semaphore] = {}

    @staticmethod
    def key(agent: AgentConfig) -> str:
        """The provider an agent calls."""
        return f"{agent.backend.family}:{agent.backend.base_url or ''}"

    async def run(self, agents: Sequence[AgentConfig], work: Callable[[], Awaitable[_T]]) -> _T:
        """Run ``work()`` holding a slot of every provider ``agents`` use (acquired in a fixed order)."""
        if self._cap is None:
            return await work()
        keys = sorted({self.key(a) for a in agents})
        held = []
        try:
            for key in keys:
                semaphore = self._semaphores.setdefault(key, asyncio.Semaphore(self._cap))
                await semaphore.acquire()
                held.append(semaphore)
            return await work()
        finally:
            for semaphore in held:
                semaphore.release()


class EvalRunner:
    """Runs items against ``config``; every finished item is written to ``writer`` and passed to ``on_result``.

    ``timeout_seconds`` overrides each session's orchestrator timeout.
    """

    def __init__(
        self,
        config: SessionConfig,
        output: Path,
        writer: RecordSink,
        *,
        concurrency: int = 1,
        provider_concurrency: int | None = None,
        timeout_seconds: float | None = None,
        on_start: Callable[[Item], None] | None = None,
        on_result: Callable[[Record], None] | None = None,
    ) -> None:
        self.config = config
        self.output = output
        self._writer = writer
        self._concurrency = concurrency
        self._limits = ProviderLimits(provider_concurrency)
        self._timeout = timeout_seconds
        self._on_start = on_start
        self._on_result = on_result

    async def run(self, items: Sequence[Item]) -> None:
        """Run every item, at most ``concurrency`` at once, with the local models loaded once for all."""
        keepers = await self.load_local_models()
        try:
            await self._run(items)
        finally:
            await release_local_models(keepers)

    async def load_local_models(self) -> list[Backend]:
        """Load the team's local models and keep them loaded until ``release_local_models``: a placeholder
        backend per ``llamacpp`` agent and concurrent item holds each engine, which so gets a slot for every
        agent that may generate at once."""
        local = [a for a in self.config.agents if a.backend.family == "llamacpp"]
        return list(await asyncio.gather(*(
            asyncio.to_thread(create_backend, a.backend) for a in local * self._concurrency
        )))

    async def _run(self, items: Sequence[Item]) -> None:
        queue: asyncio.Queue[Item] = asyncio.Queue()
        for item in items:
            queue.put_nowait(item)

        async def worker() -> None:
            while not queue.empty():
                item = queue.get_nowait()
                if self._on_start is not None:
                    self._on_start(item)
                record = await self.run_item(item)
                self._writer.write(record)
                if self._on_result is not None:
                    self._on_result(record)

        await asyncio.gather(*(worker() for _ in range(min(self._concurrency, len(items)) or 1)))

    async def run_item(self, item: Item) -> Record:
        """Run one item and score it."""
        question, mode = item.question, item.mode
        started = time.monotonic()
        folder = self.output / LOGS_DIR / _safe(mode.name) / _safe(question.id)
        by_agent: dict[str, str | None] | None = None
        log_dir: str | None
        if mode.kind == "majority":
            answers = await asyncio.gather(*(
                self._session(config_for(mode, self.config, a.id), question, folder / a.id)
                for a in self.config.agents
            ))
            by_agent = {
                a.id: score(question, ans.text).extracted for a, ans in zip(self.config.agents, answers, strict=True)
            }
            winner = _majority([a.id for a in self.config.agents], by_agent)
            answer = answers[[a.id for a in self.config.agents].index(winner)] if winner else answers[0]
            totals = _sum_totals([a.totals for a in answers])
            log_dir = str(folder)
        else:
            answer = await self._session(config_for(mode, self.config), question, folder)
            totals, log_dir = answer.totals, answer.log_dir
        result = score(question, answer.text)
        record: Record = {
            "id": question.id, "mode": mode.name, "mode_rank": item.mode_rank, "question": question.prompt,
            "expected": question.answer,
            "answer": answer.text, "extracted": result.extracted, "correct": result.correct,
            "status": answer.status, "error": answer.error,
            "input_tokens": totals.get("input_tokens", 0), "output_tokens": totals.get("output_tokens", 0),
            "tokens": totals.get("input_tokens", 0) + totals.get("output_tokens", 0),
            "cost": totals.get("cost"), "latency": round(time.monotonic() - started, 3), "log_dir": log_dir,
        }
        if by_agent is not None:
            record["extracted_by_agent"] = by_agent
        return record

    async def _session(self, config: SessionConfig, question: Question, log_root: Path) -> _Answer:
        """One session of one turn, logged under ``log_root`` (replayable with ``massgen-tui replay``)."""
        async def work() -> _Answer:
            prepared = prepare_session(config, log_root=log_root, timeout_seconds=self._timeout)
            session = prepared.session
            try:
                await session.open()
                result = await session.ask(question.prompt)
            finally:
                await session.close()
                prepared.close_log()
            return _Answer(result.final_answer, result.status, result.error, session.totals(),
                           str(prepared.log.directory) if prepared.log else None)

        return await self._limits.run(config.agents, work)


async def release_local_models(keepers: Sequence[Backend]) -> None:
    """Let go of the models ``EvalRunner.load_local_models`` loaded."""
    for backend in keepers:
        await backend.aclose()


def _majority(order: list[str], extracted: dict[str, str | None]) -> str | None:
    """The agent whose extracted answer is most common (ties: config order); ``None`` if none was found."""
    counts = Counter(v for v in extracted.values() if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return next(agent for agent in order if (value := extracted[agent]) is not None and counts[value] == best)


def _sum_totals(totals: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("input_tokens", "output_tokens")
    summed: dict[str, Any] = {key: sum(int(t.get(key, 0)) for t in totals) for key in keys}
    costs = [t.get("cost") for t in totals]
    known = [c for c in costs if c is not None]
    summed["cost"] = round(sum(known), 6) if len(known) == len(costs) else None
    return summed


def _safe(name: str) -> str:
    """A folder name for a mode or question id."""
    return "".join(c if c.isalnum() or c in "-_.+" else "_" for c in name)
