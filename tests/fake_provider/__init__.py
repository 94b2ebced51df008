"""A loopback fake of the OpenAI (chat + responses), Anthropic and Gemini streaming APIs.

Point the real SDK clients at :meth:`FakeProvider.base_url` and script what each model replies.
"""

from .consensus import consensus_responder
from .provider import FakeProvider, Responder
from .request import FakeRequest
from .script import CallTool, Delay, Drop, HttpError, Malformed, Reasoning, Reply, Text, Usage

__all__ = [
    "CallTool",
    "Delay",
    "Drop",
    "FakeProvider",
    "FakeRequest",
    "HttpError",
    "Malformed",
    "Reasoning",
    "Reply",
    "Responder",
    "Text",
    "Usage",
    "consensus_responder",
]
