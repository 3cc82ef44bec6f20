"""``effilab.models.chat.ChatClient``: the real ``openai`` SDK against a scripted server on 127.0.0.1.

Back-off never sleeps here: the policy's ``sleep`` records the delays that would have been waited (jitter
0: the lower bound of each). Only the time-out test waits, for its tiny client time-out.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from effilab.errors import InvalidArgument
from effilab.models import chat as chat_module
from effilab.models.chat import (
    ChatClient,
    ChatConfigError,
    ChatFailure,
    ChatReply,
    RetryPolicy,
    api_key_from_env,
    resolve_base_url,
)
from fakes.openai_server import FakeOpenAI, Reply

KEY = "sk-test-secret-0123456789"
MESSAGES = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "say hello"}]


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment would capture requests to 127.0.0.1.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def policy(sleeps: list[float]) -> RetryPolicy:
    return RetryPolicy(max_attempts=3, sleep=sleeps.append, jitter=lambda: 0.0)


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:  # no default: every reply is scripted, an extra request gets a loud 500
        yield fake


def client_for(
    server: FakeOpenAI,
    policy: RetryPolicy | None,
    *,
    timeout_s: float = 120.0,
    stop: threading.Event | None = None,
) -> ChatClient:
    return ChatClient(
        model="fake-model",
        base_url=server.base_url,
        api_key=KEY,
        timeout_s=timeout_s,
        policy=policy,
        stop=stop,
    )


# --------------------------------------------------------------------------------------------- success


def test_success_with_token_counts(server: FakeOpenAI, policy: RetryPolicy, sleeps: list[float]) -> None:
    server.enqueue(Reply.text("hello there", prompt_tokens=12, completion_tokens=3, finish_reason="length"))
    with client_for(server, policy) as client:
        reply = client.complete(MESSAGES, temperature=0.3, max_tokens=64)
    assert reply == ChatReply(
        content="hello there",
        prompt_tokens=12,
        completion_tokens=3,
        finish_reason="length",
        attempts=1,
        elapsed_s=reply.elapsed_s,
    )
    assert reply.elapsed_s >= 0
    assert sleeps == []
    (request,) = server.chat_requests
    assert request.authorization == f"Bearer {KEY}"
    assert request.json["model"] == "fake-model"
    assert request.json["temperature"] == 0.3
    assert request.json["max_tokens"] == 64
    assert request.messages == MESSAGES


def test_missing_content_and_usage(server: FakeOpenAI, policy: RetryPolicy) -> None:
    server.enqueue(Reply.text(None, usage=False, finish_reason=None))
    with client_for(server, policy) as client:
        reply = client.complete(MESSAGES, temperature=0.0)
    assert (reply.content, reply.prompt_tokens, reply.completion_tokens, reply.finish_reason) == (
        "",
        None,
        None,
        None,
    )
    assert "max_tokens" not in server.chat_requests[0].json, "the server's default unless asked"


# --------------------------------------------------------------------------------------------- retries


def test_server_error_then_success_is_retried(
    server: FakeOpenAI, policy: RetryPolicy, sleeps: list[float]
) -> None:
    server.enqueue(Reply.error(500, "boom"), Reply.text("ok", prompt_tokens=2, completion_tokens=1))
    with client_for(server, policy) as client:
        reply = client.complete(MESSAGES, temperature=0.0)
    assert (reply.content, reply.attempts, reply.prompt_tokens) == ("ok", 2, 2)
    assert len(server.chat_requests) == 2
    assert sleeps == [0.5], "base delay 1 s, equal jitter at its minimum"


def test_rate_limit_honours_retry_after(server: FakeOpenAI, policy: RetryPolicy, sleeps: list[float]) -> None:
    server.enqueue(
        Reply.error(429, "slow down", headers={"Retry-After": "7"}),
        Reply.error(503, headers={"retry-after-ms": "1500"}),
        Reply.text("ok"),
    )
    with client_for(server, policy) as client:
        reply = client.complete(MESSAGES, temperature=0.0)
    assert reply.attempts == 3
    assert sleeps == [7.0, 1.5]


def test_malformed_body_is_retried(server: FakeOpenAI, policy: RetryPolicy, sleeps: list[float]) -> None:
    server.enqueue(Reply.raw(200, "{truncated"), Reply.text("ok"))
    with client_for(server, policy) as client:
        assert client.complete(MESSAGES, temperature=0.0).attempts == 2
    assert len(sleeps) == 1


def test_exhausted_retries_fail_with_the_last_reason(
    server: FakeOpenAI, policy: RetryPolicy, sleeps: list[float]
) -> None:
    server.set_default(Reply.error(502, f"upstream says {KEY}"))
    with client_for(server, policy) as client, pytest.raises(ChatFailure) as caught:
        client.complete(MESSAGES, temperature=0.0)
    failure = caught.value
    assert (failure.attempts, failure.status) == (3, 502)
    assert failure.reason == "HTTP 502: upstream says ***", "the key is scrubbed"
    assert str(failure) == failure.reason
    assert len(server.chat_requests) == 3
    assert sleeps == [0.5, 1.0], "no back-off after the last attempt"


def test_timeouts_are_retried_then_fail(server: FakeOpenAI, sleeps: list[float]) -> None:
    server.set_default(Reply(delay=30))  # cut short when the server closes
    policy = RetryPolicy(max_attempts=2, sleep=sleeps.append, jitter=lambda: 0.0)
    with client_for(server, policy, timeout_s=0.2) as client, pytest.raises(ChatFailure) as caught:
        client.complete(MESSAGES, temperature=0.0)
    assert (caught.value.reason, caught.value.attempts, caught.value.status) == ("request timed out", 2, None)
    assert len(server.chat_requests) == 2
    assert sleeps == [0.5]


def test_timeout_then_success(server: FakeOpenAI, policy: RetryPolicy) -> None:
    server.enqueue(Reply(delay=30), Reply.text("ok"))
    with client_for(server, policy, timeout_s=0.2) as client:
        assert client.complete(MESSAGES, temperature=0.0).attempts == 2


def test_connection_refused_is_retried_then_fails(policy: RetryPolicy, sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ChatClient(model="m", base_url=f"http://127.0.0.1:{port}/v1", api_key=KEY, policy=policy)
    with client, pytest.raises(ChatFailure) as caught:
        client.complete(MESSAGES, temperature=0.0)
    assert caught.value.reason.startswith("connection error: ")
    assert (caught.value.attempts, caught.value.status) == (3, None)
    assert sleeps == [0.5, 1.0]


# --------------------------------------------------------------------------------------------- no retry


@pytest.mark.parametrize(("status", "words"), [(401, "API key"), (403, "not allowed"), (404, "base URL")])
def test_configuration_errors_raise_at_once(
    server: FakeOpenAI, policy: RetryPolicy, sleeps: list[float], status: int, words: str
) -> None:
    server.set_default(Reply.error(status, f"Incorrect API key provided: {KEY}"))
    with client_for(server, policy) as client, pytest.raises(ChatConfigError) as caught:
        client.complete(MESSAGES, temperature=0.0)
    error = caught.value
    assert isinstance(error, InvalidArgument), "the CLI reports it as a one-line usage error"
    assert error.status == status
    message = str(error)
    assert words in message
    assert f"HTTP {status}" in message
    assert KEY not in message
    assert "\n" not in message
    assert len(server.chat_requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [400, 413, 422])
def test_bad_request_fails_without_retry(
    server: FakeOpenAI, policy: RetryPolicy, sleeps: list[float], status: int
) -> None:
    server.set_default(Reply.error(status, "maximum context length exceeded"))
    with client_for(server, policy) as client, pytest.raises(ChatFailure) as caught:
        client.complete(MESSAGES, temperature=0.0)
    assert caught.value.reason == f"HTTP {status}: maximum context length exceeded"
    assert (caught.value.attempts, caught.value.status) == (1, status)
    assert len(server.chat_requests) == 1
    assert sleeps == []


def test_no_choices_fails_without_retry(server: FakeOpenAI, policy: RetryPolicy) -> None:
    server.set_default(Reply(body={"id": "x", "object": "chat.completion", "created": 0, "choices": []}))
    with client_for(server, policy) as client, pytest.raises(ChatFailure) as caught:
        client.complete(MESSAGES, temperature=0.0)
    assert (caught.value.reason, caught.value.attempts) == ("bad response: no choices", 1)
    assert len(server.chat_requests) == 1


# --------------------------------------------------------------------------------------------- stop


def test_stop_before_the_first_attempt_sends_nothing(server: FakeOpenAI, policy: RetryPolicy) -> None:
    stop = threading.Event()
    stop.set()
    with client_for(server, policy, stop=stop) as client, pytest.raises(ChatFailure) as caught:
        client.complete(MESSAGES, temperature=0.0)
    assert (caught.value.reason, caught.value.attempts) == ("run aborted", 0)
    assert server.requests == []


def test_stop_during_back_off_ends_retrying(server: FakeOpenAI) -> None:
    server.set_default(Reply.error(500, "boom"))
    client = client_for(server, None)
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        client.stop.set()  # e.g. another worker hit a fatal error meanwhile

    client.policy = RetryPolicy(max_attempts=5, sleep=sleep, jitter=lambda: 0.0)
    with client, pytest.raises(ChatFailure) as caught:
        client.complete(MESSAGES, temperature=0.0)
    assert caught.value.reason == "run aborted (last error: HTTP 500: boom)"
    assert (caught.value.attempts, caught.value.status) == (1, 500)
    assert len(server.chat_requests) == 1
    assert waited == [0.5]


# --------------------------------------------------------------------------------------------- policy


def test_default_policy_is_read_at_call_time(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    server.enqueue(Reply.error(500), Reply.text("ok"))
    client = client_for(server, None)  # built before the policy is swapped
    waited: list[float] = []
    monkeypatch.setattr(chat_module, "DEFAULT_RETRY", RetryPolicy(sleep=waited.append, jitter=lambda: 0.0))
    with client:
        assert client.complete(MESSAGES, temperature=0.0).attempts == 2
    assert waited == [0.5]


def test_policy_and_client_arguments_are_checked(server: FakeOpenAI) -> None:
    with pytest.raises(InvalidArgument, match="max_attempts=0"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(InvalidArgument, match="timeout_s"):
        ChatClient(model="m", base_url=server.base_url, api_key=KEY, timeout_s=0)
    with pytest.raises(InvalidArgument, match="model"):
        ChatClient(model="", base_url=server.base_url, api_key=KEY)
    with pytest.raises(InvalidArgument, match="api_key"):
        ChatClient(model="m", base_url=server.base_url, api_key="")


def test_repr_never_shows_the_key(server: FakeOpenAI) -> None:
    with client_for(server, None) as client:
        assert KEY not in repr(client)
        assert "fake-model" in repr(client)


# --------------------------------------------------------------------------------------------- settings


def test_api_key_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", f"  {KEY}\n")
    monkeypatch.setenv("MY_KEY", "other")
    assert api_key_from_env(None) == KEY
    assert api_key_from_env("MY_KEY") == "other"
    monkeypatch.delenv("MY_KEY")
    with pytest.raises(InvalidArgument, match="MY_KEY is not set"):
        api_key_from_env("MY_KEY")
    with pytest.raises(InvalidArgument, match="--api-key-env"):
        api_key_from_env("")


def test_resolve_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_base_url(None) is None
    assert resolve_base_url("http://localhost:8000/v1") == "http://localhost:8000/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", "https://example.invalid/v1")
    assert resolve_base_url(None) == "https://example.invalid/v1"
    assert resolve_base_url("http://x/v1") == "http://x/v1", "the flag wins"
    with pytest.raises(InvalidArgument, match="--base-url"):
        resolve_base_url("localhost:8000")
    monkeypatch.setenv("OPENAI_BASE_URL", "localhost")
    with pytest.raises(InvalidArgument, match="OPENAI_BASE_URL"):
        resolve_base_url(None)
