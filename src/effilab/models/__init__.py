"""Talking to language models: :class:`ChatClient` sends one chat completion to any OpenAI-compatible
endpoint and retries it per a :class:`RetryPolicy`; every command that asks a model something uses it."""

from __future__ import annotations

from effilab.models.chat import (
    DEFAULT_API_KEY_ENV,
    DEFAULT_RETRY,
    FATAL_STATUS,
    RETRYABLE_STATUS,
    ChatClient,
    ChatConfigError,
    ChatFailure,
    ChatReply,
    RetryPolicy,
    api_key_from_env,
    resolve_base_url,
)

__all__ = [
    "DEFAULT_API_KEY_ENV",
    "DEFAULT_RETRY",
    "FATAL_STATUS",
    "RETRYABLE_STATUS",
    "ChatClient",
    "ChatConfigError",
    "ChatFailure",
    "ChatReply",
    "RetryPolicy",
    "api_key_from_env",
    "resolve_base_url",
]
