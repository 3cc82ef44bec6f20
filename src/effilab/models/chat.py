"""One chat completion from any OpenAI-compatible endpoint, retried per an explicit policy.

Shared by every command that asks a model for something (``effilab generate``, ``effilab optimize``):

* **Retries belong to effilab, not the SDK** (the client is built with ``max_retries=0``): the policy is
  explicit, testable without sleeping (:class:`RetryPolicy` takes the sleep function), and the same for
  every caller. Retried: 408/409/429 and 5xx (``Retry-After`` honoured, within a cap), time-outs,
  connection errors and 200s whose body is not a chat completion.
* **Three outcomes**: a :class:`ChatReply`; a :class:`ChatFailure` for *this* request (retries exhausted,
  or a 400/413/422 that repeating cannot fix), which a batch reports and moves past; a
  :class:`ChatConfigError` (401/403/404: key, model or base URL) that every request would hit the same
  way, raised at once so the caller stops instead of burning through its work.
* **The API key never leaves**: it is scrubbed from every message, in case a server echoes it back.
* **Thread-safe**: one :class:`ChatClient` may serve many worker threads (``openai.OpenAI`` is), and its
  ``stop`` event lets the owner abort them all: they stop retrying at the next attempt.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import math
import os
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam

from effilab.errors import InvalidArgument

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

RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Statuses worth retrying besides 5xx: timeout, conflict (lock contention), rate limit."""
FATAL_STATUS = {
    401: "the server rejected the API key",
    403: "the API key is not allowed to use this model or endpoint",
    404: "the model or the base URL was not found",
}
"""Statuses that would fail every request identically: abort the run instead of burning through it."""

DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"


@dataclasses.dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential back-off with jitter; ``Retry-After`` wins when the server sends it (within a cap)."""

    max_attempts: int = 6
    base_delay_s: float = 1.0
    max_delay_s: float = 60.0
    retry_after_cap_s: float = 120.0
    """A server asking for a longer pause than this is probably over quota: wait this long at most."""
    sleep: Callable[[float], None] = time.sleep
    """Injected so tests (and callers with their own clock) need not wait."""
    jitter: Callable[[], float] = random.random
    """Uniform in [0, 1): spreads retries of concurrent workers so they do not hit the server in step."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise InvalidArgument(f"retry policy: max_attempts={self.max_attempts} must be at least 1")

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap_s)
        ceiling = min(self.max_delay_s, self.base_delay_s * 2.0 ** min(attempt - 1, 60))
        # "Equal jitter": at least half the exponential delay, so back-off really grows under load.
        return ceiling * (0.5 + 0.5 * self.jitter())


DEFAULT_RETRY = RetryPolicy()
"""The policy of a :class:`ChatClient` built without one, looked up at each call: tests replace it
(``monkeypatch.setattr(effilab.models.chat, "DEFAULT_RETRY", ...)``) with one that does not sleep."""


@dataclasses.dataclass(frozen=True, slots=True)
class ChatReply:
    """The first choice of a successful completion, and what obtaining it cost."""

    content: str
    """The assistant message's text; empty when the model sent none (refusal, content filter, tool call)."""
    prompt_tokens: int | None
    """None when the server did not report usage."""
    completion_tokens: int | None
    finish_reason: str | None
    attempts: int
    """HTTP requests sent for this reply, retries included."""
    elapsed_s: float
    """Wall time from the first attempt to the reply, back-off included."""


class ChatFailure(Exception):
    """A request given up on: retries exhausted, a 4xx that repeating cannot fix (400/413/422), a 200
    without choices, or the client's ``stop`` event set. Concerns this request only; others may succeed."""

    def __init__(self, reason: str, attempts: int, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        """One line, API key scrubbed, e.g. ``HTTP 500: boom``, ``request timed out``, ``run aborted``."""
        self.attempts = attempts
        """HTTP requests sent (0 when aborted before the first)."""
        self.status = status
        """HTTP status of the last attempt when it was an error response; None otherwise (time-out,
        connection error, malformed body, abort)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reason, self.attempts, self.status))


class ChatConfigError(InvalidArgument):
    """401/403/404: the key, the model or the base URL is wrong, so every request would fail the same way.
    Raised on the first occurrence, never retried; the message is one line with the API key scrubbed."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.status))


class ChatClient:
    """Chat completions for one model at one endpoint, retried per a :class:`RetryPolicy`.

    Thread-safe: share one instance between worker threads. ``policy=None`` uses :data:`DEFAULT_RETRY` as
    it is at each call. Setting ``stop`` (given, or created and exposed as :attr:`stop`) makes every
    :meth:`complete` in progress give up at its next attempt with ``ChatFailure("run aborted")``.
    """

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str,
        timeout_s: float = 120.0,
        policy: RetryPolicy | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        if not model:
            raise InvalidArgument("model: must not be empty")
        if not api_key:
            raise InvalidArgument("api_key: must not be empty (a server that needs no key accepts any)")
        if not (math.isfinite(timeout_s) and timeout_s > 0):
            raise InvalidArgument(f"timeout_s={timeout_s}: must be a positive number of seconds")
        self.model = model
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.policy = policy
        self._secret = api_key
        self._stop = stop if stop is not None else threading.Event()
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=0)

    @property
    def stop(self) -> threading.Event:
        """Set it to abort: requests in progress stop retrying, later ones fail without being sent."""
        return self._stop

    def __repr__(self) -> str:  # never the key
        return f"ChatClient(model={self.model!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def complete(
        self,
        messages: Sequence[Mapping[str, str]] | list[ChatCompletionMessageParam],
        *,
        temperature: float,
        max_tokens: int | None = None,
    ) -> ChatReply:
        """The model's answer to ``messages``, retried per the policy.

        Raises :class:`ChatFailure` when this request cannot be completed and :class:`ChatConfigError`
        when no request to this endpoint can (401/403/404).
        """
        policy = self.policy if self.policy is not None else DEFAULT_RETRY
        secret = self._secret
        params = _message_params(messages)
        limit: int | openai.Omit = openai.omit if max_tokens is None else max_tokens
        started = time.monotonic()
        reason = "run aborted"
        status: int | None = None
        attempt = 0
        while attempt < policy.max_attempts and not self._stop.is_set():
            attempt += 1
            status = None
            retry_after: float | None = None
            try:
                completion = self._client.chat.completions.create(
                    model=self.model, messages=params, temperature=temperature, max_tokens=limit
                )
            except openai.APIStatusError as exc:
                status = exc.status_code
                message = _scrub(_status_message(exc), secret)
                if status in FATAL_STATUS:
                    raise ChatConfigError(
                        f"{FATAL_STATUS[status]} (HTTP {status}): {message}", status
                    ) from None
                if status < 500 and status not in RETRYABLE_STATUS:
                    # 400 / 413 / 422: this request is wrong (e.g. prompt too long); repeating cannot help.
                    raise ChatFailure(f"HTTP {status}: {message}", attempt, status) from None
                reason = f"HTTP {status}: {message}"
                retry_after = _retry_after(exc.response.headers)
            except openai.APITimeoutError:
                reason = "request timed out"
            except openai.APIConnectionError as exc:
                reason = _scrub(f"connection error: {_cause(exc)}", secret)
            except (openai.APIError, json.JSONDecodeError) as exc:
                # A 200 whose body is not a chat completion (e.g. cut short by a proxy): retry like a 5xx.
                reason = _scrub(f"bad response: {' '.join(str(exc).split())[:300]}", secret)
            else:
                return _reply(completion, attempt, time.monotonic() - started)
            if attempt < policy.max_attempts:
                policy.sleep(policy.delay(attempt, retry_after))
        if attempt < policy.max_attempts:  # stopped before the policy was exhausted
            reason = "run aborted" if attempt == 0 else f"run aborted (last error: {reason})"
        raise ChatFailure(reason, attempt, status)


def api_key_from_env(var: str | None) -> str:
    """The API key in environment variable ``var`` (``OPENAI_API_KEY`` when None), for ``--api-key-env``.

    Raises :class:`InvalidArgument` naming the variable, never echoing a key, when it is unset or blank.
    """
    variable = DEFAULT_API_KEY_ENV if var is None else var
    if not variable:
        raise InvalidArgument("--api-key-env: must name an environment variable")
    key = os.environ.get(variable, "").strip()
    if not key:
        raise InvalidArgument(
            f"no API key: environment variable {variable} is not set (--api-key-env names it;"
            f" for a local server that needs no key, set {variable}=none)"
        )
    return key


def resolve_base_url(given: str | None) -> str | None:
    """``--base-url``, else ``$OPENAI_BASE_URL``, else None (OpenAI's); must be an http(s) URL."""
    url = given or os.environ.get("OPENAI_BASE_URL") or None
    if url is not None and not url.startswith(("http://", "https://")):
        source = "--base-url" if given else "OPENAI_BASE_URL"
        raise InvalidArgument(f"{source}={url!r}: must start with http:// or https://")
    return url


def _message_params(
    messages: Sequence[Mapping[str, str]] | list[ChatCompletionMessageParam],
) -> list[ChatCompletionMessageParam]:
    return [cast(ChatCompletionMessageParam, dict(message)) for message in messages]


def _reply(completion: ChatCompletion, attempts: int, elapsed_s: float) -> ChatReply:
    # Servers that are only "compatible" omit fields; the SDK does not validate, so look defensively.
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise ChatFailure("bad response: no choices", attempts)
    choice = choices[0]
    content = getattr(getattr(choice, "message", None), "content", None)
    usage = getattr(completion, "usage", None)
    finish_reason = getattr(choice, "finish_reason", None)
    return ChatReply(
        content=content if isinstance(content, str) else "",
        prompt_tokens=_count(getattr(usage, "prompt_tokens", None)),
        completion_tokens=_count(getattr(usage, "completion_tokens", None)),
        finish_reason=finish_reason if isinstance(finish_reason, str) else None,
        attempts=attempts,
        elapsed_s=elapsed_s,
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _status_message(exc: openai.APIStatusError) -> str:
    """The server's own error message on one line (the SDK hands over the body's ``error`` object)."""
    body = exc.body
    text: object = None
    if isinstance(body, Mapping):
        text = body.get("message")
    elif isinstance(body, str):
        text = body  # not JSON: a proxy's page, say; its start usually says what went wrong
    if not isinstance(text, str) or not text.strip():
        text = exc.message
    return " ".join(str(text).split())[:300]


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    return " ".join(str(cause or exc).split())[:300] or type(cause or exc).__name__


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``retry-after-ms`` (OpenAI) or ``Retry-After`` (seconds or HTTP date); None: absent."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            seconds = float(value) / 1000
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
        return max(seconds, 0.0)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
