"""A loopback fake of the OpenAI (chat + responses), Anthropic and Gemini streaming APIs.

Point the real SDK clients at :meth:`FakeProvider.base_url` and script what each model replies::

    with FakeProvider() as fp:
        fp.script("gpt-x", Reply(Reasoning("hmm"), Text("Hello ", chunk=2), CallTool("vote", {"agent_id": "agent1"})))
        client = openai.AsyncOpenAI(base_url=fp.base_url("openai"), api_key="test", max_retries=0)
        ...
        assert fp.requests[0].last_user_text == "..."
"""

from .consensus import consensus_responder
from .provider import FakeProvider, Responder
from .request import FakeRequest
from .script import CallTool, Delay, Drop, Hold, HttpError, Malformed, Reasoning, Reply, Text, Usage

__all__ = [
    "CallTool",
    "Delay",
    "Drop",
    "FakeProvider",
    "FakeRequest",
    "Hold",
    "HttpError",
    "Malformed",
    "Reasoning",
    "Reply",
    "Responder",
    "Text",
    "Usage",
    "consensus_responder",
]
