"""Azure OpenAI: Chat Completions streaming against a deployment.

The configured ``model`` is the deployment name; the SDK puts it in the URL path
(``/openai/deployments/{model}/chat/completions``) and ``api-version`` in the query.
"""

from __future__ import annotations

import openai

from .chat_completions import NO_KEY, ChatCompletionsBackend
from .tls import shared_tls_context

#: The latest generally available Azure OpenAI data-plane API version.
DEFAULT_API_VERSION = "2024-10-21"


class AzureOpenAIBackend(ChatCompletionsBackend):
    """Chat Completions on an Azure OpenAI resource (``base_url`` is the resource endpoint)."""

    family = "azure_openai"

    def _make_client(self) -> openai.AsyncAzureOpenAI:
        return openai.AsyncAzureOpenAI(
            # None falls back to AZURE_OPENAI_ENDPOINT in the SDK, whose overloads leave that case out.
            azure_endpoint=self.config.base_url,  # type: ignore[arg-type]
            api_version=self.config.api_version or DEFAULT_API_VERSION,
            api_key=self.config.api_key or NO_KEY,
            max_retries=0,
            http_client=openai.DefaultAsyncHttpxClient(verify=shared_tls_context()),
        )
