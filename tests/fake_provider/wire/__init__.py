"""One encoder per provider wire format, turning reply steps into server-sent-event bytes."""

from __future__ import annotations

from .anthropic import AnthropicEncoder
from .base import Encoder
from .chat import ChatEncoder
from .gemini import GeminiEncoder
from .responses import ResponsesEncoder

ENCODERS: dict[str, type[Encoder]] = {
    "chat": ChatEncoder,
    "responses": ResponsesEncoder,
    "anthropic": AnthropicEncoder,
    "gemini": GeminiEncoder,
}

__all__ = ["ENCODERS", "Encoder"]
