"""The Ray backend of ``massgen-tui eval --ray [ADDRESS]`` (the ``ray`` extra).

One async actor per node runs question x mode items; it loads the team's local (``llamacpp``) models
once and keeps them for every item it runs. The driver hands items out, ``concurrency`` at a time per
node, and writes each returned result to the results file itself, so resume and the report work as in
a run on one machine. Session logs stay on the node that ran the item (``log_dir`` names the path there).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from massgen_tui.backends.base import Backend
from massgen_tui.config.model import SessionConfig
from massgen_tui.eval.results import Record, ResultsWriter
from massgen_tui.eval.runner import EvalRunner, Item, ProviderLimits, release_local_models

INSTALL_HINT = "pip install 'massgen-tui[ray]'"


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached."""


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RayUnavailable(f"--ray needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


class Cluster:
    """A connection to a Ray cluster: ``address`` ``None`` starts a local instance, ``"auto"`` or an address
    (``host:port``, ``ray://host:port``) connects. A Ray already initialised in this process is reused and
    left running by ``close``."""

    def __init__(self, address: str | None = None) -> None:
        self.ray = _ray()
        self._owned = not self.ray.is_initialized()
        if self._owned:
            try:
                if address:
                    self.ray.init(address=address, log_to_driver=False)
                else:
                    self.ray.init(include_dashboard=False, log_to_driver=False)
            except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError...
                where = f"the Ray cluster at {address}" if address else "a local Ray instance"
                raise RayUnavailable(f"--ray: could not reach {where}: {exc}") from exc

    def node_ids(self) -> list[str]:
        """The alive nodes' ids."""
        return [node["NodeID"] for node in self.ray.nodes() if node.get("Alive")]

    def close(self) -> None:
        """Disconnect (and stop the local instance) unless Ray was running before."""
        if self._owned and self.ray.is_initialized():
            self.ray.shutdown()


class NodeWorker:
    """The actor on one node: an ``EvalRunner`` whose local models stay loaded between items."""

    def __init__(self, config: SessionConfig, output: str, concurrency: int, timeout_seconds: float | None) -> None:
        self._runner = EvalRunner(config, Path(output), _NoWriter(), concurrency=concurrency,
                                  timeout_seconds=timeout_seconds)
        self._keepers: list[Backend] | None = None
        self._loading = asyncio.Lock()

    async def run_item(self, item: Item) -> Record:
        """Run and score one item (the first call loads the local models)."""
        async with self._loading:
            if self._keepers is None:
                self._keepers = await self._runner.load_local_models()
        return await self._runner.run_item(item)

    async def close(self) -> None:
        """Let go of the local models."""
        if self._keepers:
            await release_local_models(self._keepers)
        self._keepers = []


class _NoWriter:
    """The actor's runner writes nothing: the driver writes every result."""

    def write(self, record: Record) -> None:
        pass


class RayRunner:
    """Runs items on ``cluster``: one ``NodeWorker`` per node, ``concurrency`` items at once on each.

    ``provider_concurrency`` caps the items using one provider at once over the whole cluster. An item
    whose node dies goes back to the queue for the other nodes.
    """

    def __init__(
        self,
        config: SessionConfig,
        output: Path,
        writer: ResultsWriter,
        *,
        cluster: Cluster,
        concurrency: int = 1,
        provider_concurrency: int | None = None,
        timeout_seconds: float | None = None,
        on_start: Callable[[Item], None] | None = None,
        on_result: Callable[[Record], None] | None = None,
    ) -> None:
        self._cluster = cluster
        self.config = config
        self.output = output.resolve()  # the workers' working folder is not the driver's
        self._writer = writer
        self._concurrency = concurrency
        self._limits = ProviderLimits(provider_concurrency)
        self._timeout = timeout_seconds
        self._on_start = on_start
        self._on_result = on_result

    def _actors(self) -> list[Any]:  # Ray actor handles (Ray is imported at run time, untyped)
        ray = self._cluster.ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        actor_class = ray.remote(num_cpus=0, max_concurrency=max(self._concurrency, 1) + 1)(NodeWorker)
        return [
            actor_class.options(scheduling_strategy=NodeAffinitySchedulingStrategy(node, soft=False)).remote(
                self.config, str(self.output), self._concurrency, self._timeout)
            for node in self._cluster.node_ids()
        ]

    async def run(self, items: Sequence[Item]) -> None:
        """Run every item; each result is written and passed to ``on_result`` as it comes back."""
        if not items:
            return
        ray = self._cluster.ray
        actors = self._actors()
        if not actors:
            raise RayUnavailable("--ray: the cluster has no alive node")
        queue: asyncio.Queue[Item] = asyncio.Queue()
        for item in items:
            queue.put_nowait(item)
        left = len(items)

        async def slot(actor: Any) -> None:
            nonlocal left
            while left:
                try:
                    item = queue.get_nowait()
                except asyncio.QueueEmpty:  # other slots run the last items (and may hand one back)
                    await asyncio.sleep(0.05)
                    continue
                if self._on_start is not None:
                    self._on_start(item)
                try:
                    record = await self._limits.run(self.config.agents, functools.partial(actor.run_item.remote, item))
                except ray.exceptions.RayActorError:
                    queue.put_nowait(item)  # this node is gone: another node runs the item
                    return
                self._writer.write(record)
                left -= 1
                if self._on_result is not None:
                    self._on_result(record)

        slots = [asyncio.create_task(slot(actor)) for actor in actors for _ in range(self._concurrency)]
        try:
            await asyncio.gather(*slots)
        finally:
            for task in slots:
                task.cancel()
            await asyncio.gather(*(_close(ray, actor) for actor in actors))
        if left:
            raise RayUnavailable(f"--ray: every node was lost with {left} items left (a rerun resumes them)")


async def _close(ray: Any, actor: Any) -> None:
    try:
        await actor.close.remote()
    except ray.exceptions.RayActorError:
        pass
    ray.kill(actor)
