"""The one streaming interface every provider backend implements.

A backend takes a provider-neutral conversation (:class:`Message` list) plus tool
definitions (:class:`ToolSpec`) and yields a small set of typed stream events:
:class:`TextChunk`, :class:`ReasoningChunk`, :class:`ToolCall` (complete, arguments
parsed), :class:`ToolResult` (a tool the backend ran itself), :class:`UsageReport`,
:class:`BackendNotice` (a fallback the user should know about), and finally :class:`Done`
carrying the assistant message to append to the conversation. Failures are raised as :class:`ProviderError`;
:mod:`massgen_tui.backends.retry` turns transient ones into retries.
"""

from __future__ import annotations

import abc
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, Literal

from massgen_tui.config.model import BackendConfig

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(slots=True)
class ToolSpec:
    """A function tool offered to the model: name, description and JSON-schema parameters."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(slots=True)
class ToolCall:
    """A complete tool call from the model. ``arguments`` is the parsed JSON object."""

    id: str
    name: str
    arguments: dict[str, Any]
    raw_arguments: str = ""
    parse_error: str = ""


@dataclass(slots=True)
class Message:
    """One conversation message in provider-neutral form.

    ``role="tool"`` carries a tool result for ``tool_call_id`` (``name`` is the tool's
    name, which Gemini needs). ``native`` holds provider-specific assistant content
    (thinking blocks with signatures, Gemini parts) that the same backend replays
    verbatim when the conversation continues; other backends ignore it.
    """

    role: Role
    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None
    is_error: bool = False
    native: Any = None


@dataclass(slots=True)
class TextChunk:
    """A piece of visible output text."""

    text: str


@dataclass(slots=True)
class ReasoningChunk:
    """A piece of reasoning / thinking text."""

    text: str


@dataclass(slots=True)
class UsageReport:
    """Token usage of the call, from the provider's own usage fields."""

    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    #: The provider's own price of the call in USD, when it reports one (the Claude Code CLI does).
    cost: float | None = None


@dataclass(slots=True)
class ToolResult:
    """A tool the backend ran itself (a CLI agent's Read, Write, Bash) finished; its call was a :class:`ToolCall`."""

    id: str
    name: str
    output: str
    is_error: bool = False


@dataclass(slots=True)
class Done:
    """The call finished; ``message`` is the assistant turn to append to the conversation."""

    message: Message
    stop_reason: str = ""


@dataclass(slots=True)
class RetryNotice:
    """Emitted by the retry layer: the attempt failed transiently, output so far is void."""

    attempt: int
    max_attempts: int
    delay: float
    reason: str


@dataclass(slots=True)
class BackendNotice:
    """The backend changed how it calls the provider for the rest of the session (a fallback)."""

    message: str


StreamEvent = (
    TextChunk | ReasoningChunk | ToolCall | ToolResult | UsageReport | Done | RetryNotice | BackendNotice
)


def is_transient_status(status: int) -> bool:
    """Whether an HTTP status is worth retrying: 408, 409, 429 and 5xx (Anthropic's 529 too)."""
    return status in (408, 409, 429) or status >= 500


class ProviderError(Exception):
    """A provider call failed. ``transient`` errors may be retried (429, 5xx, dropped connection)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        transient: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.transient = transient
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.message}" if self.status else self.message


class Backend(abc.ABC):
    """A provider's streaming chat API behind the common interface."""

    #: Short provider family name shown to users (``openai``, ``claude``, ...).
    family: str = ""

    def __init__(self, config: BackendConfig) -> None:
        self.config = config

    @property
    def model(self) -> str:
        """The model (or Azure deployment) this backend calls."""
        return self.config.model

    @abc.abstractmethod
    def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one model call. Raises :class:`ProviderError` on failure.

        ``output_schema`` asks for the reply text as JSON matching that schema, through the
        provider's structured output (see :mod:`massgen_tui.backends.json_output`).
        """

    async def aclose(self) -> None:
        """Release network resources. Not abstract: a backend that holds none (a CLI agent) keeps this no-op."""
        return None
