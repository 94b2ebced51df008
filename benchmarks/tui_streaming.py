"""TUI benchmark: streaming into the live screen, a 200,000-line panel, and start-up, printed as tables.

Streaming: 4 and 8 agents publish text chunks on the session's event bus for ``--seconds``, as fast as
the loop lets them (bursts of ``--burst`` chunks, then a yield), into the app running headless (``run_test``).
Reported: chunks per second rendered (first chunk to the frame that shows the last one), event-loop
lag p50/p99 while streaming (a 5 ms sleeper's overshoot), and last chunk to final frame.
With ``--e2e`` the same is measured end to end: real sessions against the loopback fake provider,
so provider SDK parsing and the engine share the loop with the screen.

Long output: one agent writes 200,000 lines; reported are append throughput, the time from a key
(top, bottom, page down, page up) to the frame that shows it (which includes waiting for Textual's
next frame tick, up to 1/60 s), the work of that frame alone (layout and render), and resident memory.

Start-up: wall time from spawning ``python`` to the app's first frame (headless), as a user pays it.

Usage: ``python benchmarks/tui_streaming.py [--agents 4 8] [--seconds S] [--paced RATE] [--lines N] [--e2e]``
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from textual.app import App  # noqa: E402
from textual.screen import Screen  # noqa: E402

from massgen_tui.app.event_feed import EventFeed  # noqa: E402
from massgen_tui.app.gc_tuning import tune_gc_for_streaming  # noqa: E402
from massgen_tui.app.live_screen import LiveScreen  # noqa: E402
from massgen_tui.events import EventBus  # noqa: E402
from massgen_tui.events import types as ev  # noqa: E402

SIZE = (200, 50)
WORDS = ("alpha ", "beta ", "gamma ", "delta ", "[bold] ", "epsilon\n", "zeta ", "eta ")


class BenchApp(App):
    """The live screen fed from a bus, exactly as the real app feeds it."""

    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        self.feed = EventFeed()
        bus.subscribe(self.feed)

    async def on_mount(self) -> None:
        await self.push_screen(LiveScreen(self.feed, clock=time.time))


class LagMonitor:
    """Samples event-loop lag: how late a 5 ms sleep wakes up."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            self.samples.append(time.perf_counter() - start - 0.005)

    def start(self) -> None:
        self.samples.clear()
        self._task = asyncio.create_task(self._run())

    def stop(self) -> tuple[float, float]:
        """Stop; returns lag p50 and p99 in seconds."""
        assert self._task is not None
        self._task.cancel()
        ordered = sorted(self.samples) or [0.0]
        return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


class FrameWork:
    """Time spent in the screen's frame updates (layout and render) while ``active``."""

    def __init__(self) -> None:
        self.active = False
        self.seconds = 0.0
        update = Screen._on_timer_update

        def timed(screen: Screen) -> None:
            start = time.perf_counter()
            update(screen)
            if self.active:
                self.seconds += time.perf_counter() - start

        Screen._on_timer_update = timed  # type: ignore[method-assign]  # instrumentation, this process only


async def frame_after(app: App) -> float:
    """Wait for the next frame that includes everything applied so far; returns its time."""
    done = asyncio.get_running_loop().create_future()
    app.screen.call_after_refresh(lambda: done.done() or done.set_result(time.perf_counter()))
    return await done


def open_session(bus: EventBus, agents: int) -> None:
    bus.publish(ev.SessionStarted(session_id="bench", config={}, agents=[
        {"id": f"agent_{n}", "label": f"agent{n}", "backend": "fake", "model": "fake-model"}
        for n in range(1, agents + 1)]))
    bus.publish(ev.TurnStarted(turn=1, question="benchmark", labels={}))
    for n in range(1, agents + 1):
        bus.publish(ev.AgentStatus(agent_id=f"agent_{n}", status=ev.STREAMING))


async def wait_applied(app: BenchApp, screen: LiveScreen, predicate) -> float:
    """Poll until the screen's model satisfies ``predicate``, then wait for the frame; returns its time."""
    while not predicate(screen):
        await asyncio.sleep(0.001)
    return await frame_after(app)


async def bench_streaming(agents: int, seconds: float, burst: int, rate: float | None = None) -> dict[str, float]:
    """Publish round-robin one-word chunks for ``seconds``, yielding to the loop every ``burst`` chunks.

    With ``rate`` (chunks/s in aggregate) the producer paces itself to it instead of going flat out.
    """
    bus = EventBus()
    app = BenchApp(bus)
    async with app.run_test(headless=True, size=SIZE) as pilot:
        open_session(bus, agents)
        await pilot.pause(0.5)  # panels mounted and laid out
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        monitor = LagMonitor()
        monitor.start()
        ids = [f"agent_{n}" for n in range(1, agents + 1)]
        first = time.perf_counter()
        sent = 0
        while time.perf_counter() - first < seconds:
            for _ in range(burst // agents or 1):
                word = WORDS[sent // agents % len(WORDS)]
                for agent_id in ids:
                    bus.publish(ev.TextDelta(agent_id=agent_id, text=word))
                sent += agents
            ahead = sent / rate - (time.perf_counter() - first) if rate else 0.0
            await asyncio.sleep(max(ahead, 0.0))
        last = time.perf_counter()
        bus.publish(ev.TextDelta(agent_id=ids[-1], text="\nEND"))
        final = await wait_applied(app, screen, lambda s: s.view.agents[ids[-1]].transcript.texts[-1] == "END")
        p50, p99 = monitor.stop()
    return {"agents": agents, "chunks": sent, "rate": sent / (final - first), "p50": p50, "p99": p99,
            "last_to_frame": final - last}


async def bench_streaming_e2e(agents: int, chunks_per_agent: int) -> dict[str, float]:
    """Real sessions on the fake provider: every agent streams ``chunks_per_agent`` one-word chunks."""
    from massgen_tui.app.main import MassGenApp
    from massgen_tui.app.themes import bundled_theme_dir
    from tests.conftest import make_team
    from tests.fake_provider import CallTool, FakeProvider, Reply, Text

    text = "".join(WORDS[i % len(WORDS)] for i in range(chunks_per_agent))
    with FakeProvider() as fake:
        def respond(request) -> Reply:
            if not request.tools:
                return Reply(Text("final"))
            labels = [t for t in request.tools if t["name"] == "vote"]
            if labels:
                target = labels[0]["parameters"]["properties"]["agent_id"]["enum"][0]
                return Reply(Text(text, chunk=6), CallTool("vote", {"agent_id": target, "reason": "x"}))
            return Reply(Text(text, chunk=6), CallTool("new_answer", {"content": "answer"}))

        fake.default(respond)
        config = make_team(fake, *((f"agent_{n}", "chatcompletion", f"m{n}") for n in range(1, agents + 1)))
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            app = MassGenApp(config, None, logging_enabled=False, settings_path=Path(tmp) / "s.yaml",
                             theme_dirs=[bundled_theme_dir()])
            async with app.run_test(headless=True, size=SIZE) as pilot:
                while len(app.live.panels) < agents:
                    await pilot.pause(0.01)
                counter = {"chunks": 0, "first": 0.0, "last": 0.0}

                def count(event: ev.Event) -> None:
                    if isinstance(event, ev.TextDelta):
                        counter["chunks"] += 1
                        counter["last"] = time.perf_counter()
                        counter["first"] = counter["first"] or counter["last"]

                monitor = LagMonitor()
                app.driver.prepared.bus.subscribe(count)  # the session is open: its panels are up
                app.ask("benchmark")
                monitor.start()
                while app.running:
                    await asyncio.sleep(0.01)
                final = await frame_after(app)
                p50, p99 = monitor.stop()
                await app.action_quit()
    chunks = counter["chunks"]
    return {"agents": agents, "chunks": chunks, "rate": chunks / (final - counter["first"]), "p50": p50, "p99": p99,
            "last_to_frame": final - counter["last"]}


async def bench_long_output(lines: int) -> dict[str, float]:
    frames = FrameWork()  # before the app starts: its frame timer holds the method it was given
    bus = EventBus()
    app = BenchApp(bus)
    async with app.run_test(headless=True, size=SIZE) as pilot:
        open_session(bus, 1)
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        baseline = rss_mb()
        start = time.perf_counter()
        batch = 1000
        for first in range(0, lines, batch):
            bus.publish(ev.TextDelta(agent_id="agent_1", text="".join(
                f"line {n} of the long output, with some words to wrap {'x' * (n % 40)}\n"
                for n in range(first, min(first + batch, lines)))))
            await asyncio.sleep(0)
        await wait_applied(app, screen, lambda s: len(s.view.agents["agent_1"].transcript) >= lines)
        append = time.perf_counter() - start
        view = screen.panels["agent_1"].view
        view.focus()
        await pilot.pause()
        timings, work = {}, {}
        # Each move starts from the other end, so that it really moves.
        actions = (("top", view.action_scroll_end, view.action_scroll_home),
                   ("bottom", view.action_scroll_home, view.action_scroll_end),
                   ("page_up", view.action_scroll_end, view.action_page_up),
                   ("page_down", view.action_scroll_home, view.action_page_down))
        for label, setup, action in actions:
            samples, spent = [], []
            for _ in range(5):
                setup()
                await frame_after(app)
                frames.seconds, frames.active = 0.0, True
                before = time.perf_counter()
                action()  # what the key binding runs
                samples.append(await frame_after(app) - before)
                frames.active = False
                spent.append(frames.seconds)
            timings[label] = statistics.median(samples)
            work[label] = statistics.median(spent)
        rows = view.transcript.row_count
    return {"lines": lines, "rows": rows, "append_rate": lines / append, **timings,
            **{f"{label}_work": seconds for label, seconds in work.items()}, "rss_mb": rss_mb(),
            "baseline_mb": baseline}


def rss_mb() -> float:
    """Current resident memory of this process, in MB (peak if /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STARTUP_CHILD = """
import time
from massgen_tui.config.model import AgentConfig, BackendConfig, SessionConfig
from massgen_tui.app.main import MassGenApp

class FirstFrame(MassGenApp):
    async def on_mount(self):
        await super().on_mount()
        self.call_after_refresh(lambda: (print("FIRST_FRAME", flush=True), self.exit()))

config = SessionConfig(agents=[AgentConfig(id=f"a{n}", backend=BackendConfig(
    type="chatcompletion", family="chatcompletion", model="m", api_key="k", base_url="http://127.0.0.1:9"))
    for n in range(3)])
FirstFrame(config, None, logging_enabled=False).run(headless=True, size=(120, 40))
"""


def bench_startup(runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", STARTUP_CHILD], cwd=REPO, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True)
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("FIRST_FRAME"):
                samples.append(time.perf_counter() - start)
                break
        child.wait()
    return {"runs": len(samples), "median": statistics.median(samples), "worst": max(samples)}


def table(title: str, headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))
    out = [title, line, "-" * len(line)]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, nargs="+", default=[4, 8])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long the bus streams")
    parser.add_argument("--burst", type=int, default=100, help="chunks published between yields")
    parser.add_argument("--paced", type=float, default=20_000, help="also stream paced at this many chunks/s")
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument("--e2e", action="store_true", help="also stream end to end through the fake provider")
    parser.add_argument("--e2e-chunks", type=int, default=2_000, help="chunks per agent per call (end to end)")
    args = parser.parse_args()

    tune_gc_for_streaming()  # as the CLI does before starting the app
    r = asyncio.run(bench_long_output(args.lines))
    keys = ("top", "bottom", "page_up", "page_down")
    print(table("Long output (target: < 16 ms per scroll frame, < 250 MB resident); key -> frame shown "
                "(frame work) in ms",
                ["lines", "rows", "append lines/s", *(f"{key.replace('_', ' ')} ms" for key in keys), "RSS MB",
                 "RSS before MB"],
                [[f"{r['lines']:,}", f"{r['rows']:,}", f"{r['append_rate']:,.0f}",
                  *(f"{r[key] * 1000:.1f} ({r[key + '_work'] * 1000:.1f})" for key in keys),
                  f"{r['rss_mb']:.0f}", f"{r['baseline_mb']:.0f}"]]))
    print()
    rows = []
    for agents, rate in [(a, None) for a in args.agents] + [(a, args.paced) for a in args.agents]:
        r = asyncio.run(bench_streaming(agents, args.seconds, args.burst, rate))
        source = "bus, flat out" if rate is None else f"bus, {rate:,.0f}/s"
        rows.append([source, str(agents), f"{r['chunks']:,}", f"{r['rate']:,.0f}", f"{r['p50'] * 1000:.1f}",
                     f"{r['p99'] * 1000:.1f}", f"{r['last_to_frame'] * 1000:.0f}"])
    if args.e2e:
        for agents in args.agents:
            r = asyncio.run(bench_streaming_e2e(agents, args.e2e_chunks))
            rows.append(["fake provider", str(agents), f"{r['chunks']:,}", f"{r['rate']:,.0f}",
                         f"{r['p50'] * 1000:.1f}", f"{r['p99'] * 1000:.1f}", f"{r['last_to_frame'] * 1000:.0f}"])
    print(table("Streaming (target: 20,000 chunks/s aggregate, p99 lag < 50 ms)",
                ["source", "agents", "chunks", "chunks/s rendered", "lag p50 ms", "lag p99 ms",
                 "last chunk→frame ms"], rows))
    print()
    r = bench_startup(args.startup_runs)
    print(table("Start-up: process start to first frame (target: < 1 s)", ["runs", "median s", "worst s"],
                [[str(r["runs"]), f"{r['median']:.2f}", f"{r['worst']:.2f}"]]))


if __name__ == "__main__":
    main()
