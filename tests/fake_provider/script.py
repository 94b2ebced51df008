"""What a scripted reply is made of: a :class:`Reply` holding steps streamed in order."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, get_args


def _pieces(text: str, chunk: int | None) -> list[str]:
    if chunk is None:
        return [text]
    if chunk < 1:
        raise ValueError("chunk must be a positive number of characters")
    return [text[i : i + chunk] for i in range(0, max(len(text), 1), chunk)]


@dataclass(frozen=True)
class Text:
    """Visible output text; ``chunk=n`` streams it as n-character pieces, one event each."""

    text: str
    chunk: int | None = None

    def pieces(self) -> list[str]:
        return _pieces(self.text, self.chunk)


@dataclass(frozen=True)
class Reasoning:
    """Reasoning / thinking text, streamed in the protocol's native reasoning channel."""

    text: str
    chunk: int | None = None

    def pieces(self) -> list[str]:
        return _pieces(self.text, self.chunk)


@dataclass(frozen=True)
class CallTool:
    """A complete tool call. A ``str`` argument is sent verbatim (for malformed-JSON tests)."""

    name: str
    arguments: Mapping[str, Any] | str = field(default_factory=dict)
    id: str | None = None

    @property
    def raw_arguments(self) -> str:
        """The arguments as the JSON text that goes on the wire."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments, ensure_ascii=False)


@dataclass(frozen=True)
class Usage:
    """Explicit token usage. ``output_tokens`` includes ``reasoning_tokens``, as OpenAI and Anthropic count them."""

    input_tokens: int
    output_tokens: int
    reasoning_tokens: int = 0


@dataclass(frozen=True)
class Delay:
    """Sleep before the next step."""

    seconds: float


@dataclass(frozen=True)
class Hold:
    """Wait until the test sets ``gate`` (at most ``timeout`` seconds), then go on: a turn that lasts
    exactly as long as the test needs, however loaded the machine is."""

    gate: threading.Event
    timeout: float = 30.0


@dataclass(frozen=True)
class HttpError:
    """Answer with this HTTP status and a provider-shaped error body (first step only)."""

    status: int
    message: str = "fake provider error"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Drop:
    """Close the connection mid-stream, without the closing events."""


@dataclass(frozen=True)
class Malformed:
    """Send a data line that is not valid JSON."""


Step = Text | Reasoning | CallTool | Usage | Delay | Hold | HttpError | Drop | Malformed
_STEP_TYPES = get_args(Step)


@dataclass(frozen=True, init=False)
class Reply:
    """One scripted model reply: steps streamed in order, then the protocol's closing events.

    ``chunk_delay`` sleeps before every text, reasoning and tool-call step (each text piece counts).
    """

    steps: tuple[Step, ...]
    chunk_delay: float

    def __init__(self, *steps: Step, chunk_delay: float = 0.0) -> None:
        for index, step in enumerate(steps):
            if not isinstance(step, _STEP_TYPES):
                raise TypeError(f"not a reply step: {step!r}")
            if isinstance(step, HttpError) and index:
                raise ValueError("HttpError is only valid as the first step of a Reply")
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "chunk_delay", chunk_delay)

    @property
    def http_error(self) -> HttpError | None:
        """The HttpError this reply answers with, if any."""
        first = self.steps[0] if self.steps else None
        return first if isinstance(first, HttpError) else None

    @property
    def explicit_usage(self) -> Usage | None:
        """The last Usage step, if the script gives one."""
        usages = [step for step in self.steps if isinstance(step, Usage)]
        return usages[-1] if usages else None

    @property
    def calls_tool(self) -> bool:
        return any(isinstance(step, CallTool) for step in self.steps)

    def usage(self, prompt_tokens: int) -> Usage:
        """The usage this reply reports: the scripted Usage, else an estimate of a token per 4 characters."""
        if self.explicit_usage is not None:
            return self.explicit_usage
        visible = sum(len(s.text) for s in self.steps if isinstance(s, Text))
        visible += sum(len(s.raw_arguments) for s in self.steps if isinstance(s, CallTool))
        reasoning = math.ceil(sum(len(s.text) for s in self.steps if isinstance(s, Reasoning)) / 4)
        return Usage(prompt_tokens, math.ceil(visible / 4) + reasoning, reasoning)
