"""A real HTTP server that speaks OpenAI's chat-completions protocol, with scripted replies, for tests.

Tests of code that calls a model (``effilab generate``, the LLM optimiser, …) go through the real
``openai`` SDK and a real socket on 127.0.0.1, so retries, timeouts, headers and concurrency are
exercised as in production, without network access or API keys. Nothing here sleeps on the test's
behalf: a reply only waits when a test asks it to (``Reply(delay=...)``) and closing the server cuts
every wait short.

Scripting: replies are consumed in request-arrival order from a queue; each item is a :class:`Reply` or
a function ``Request -> Reply`` (to answer according to what was asked, or to block on a barrier). When
the queue is empty the ``default`` is used (a Reply or a function); with no default the server answers
500 "no scripted reply left", which makes a test that under-scripts fail loudly.

    with FakeOpenAI(default=Reply.text("```python\\ndef f():\\n    return 1\\n```")) as server:
        server.enqueue(Reply.error(429, headers={"Retry-After": "2"}))
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0)
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
        # -> openai.RateLimitError; the next call gets the default reply
        assert server.requests[0].json["model"] == "m"
        assert server.requests[0].authorization == "Bearer sk-test"

Routes: ``POST /v1/chat/completions`` (also ``/chat/completions`` for base URLs without ``/v1``) and
``GET /v1/models``; anything else gets an OpenAI-style 404. Streaming (``"stream": true``) is refused
with a 400: the fake only speaks the non-streaming protocol.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = ["FakeOpenAI", "Reply", "Request", "Responder", "Script"]

CHAT_PATHS = ("/v1/chat/completions", "/chat/completions")
MODELS_PATHS = ("/v1/models", "/models")


@dataclasses.dataclass(frozen=True, slots=True)
class Request:
    """One request as the server received it."""

    method: str
    path: str
    headers: Mapping[str, str]
    """Header names lower-cased."""
    body: bytes
    json: Any
    """The parsed body (None when it is not JSON)."""

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")

    @property
    def model(self) -> Any:
        return self.json.get("model") if isinstance(self.json, dict) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        messages = self.json.get("messages") if isinstance(self.json, dict) else None
        return messages if isinstance(messages, list) else []

    def message(self, role: str) -> str:
        """Content of the first message with ``role`` ('' if none): handy to route on the prompt."""
        for message in self.messages:
            if message.get("role") == role:
                content = message.get("content")
                return content if isinstance(content, str) else json.dumps(content)
        return ""


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    """What to answer. A 200 without ``body`` is built into a proper ``chat.completion`` object."""

    status: int = 200
    content: str | None = ""
    """The assistant message's text (None is sent as JSON null, like a refusal or a tool call)."""
    body: bytes | str | Mapping[str, Any] | None = None
    """Sent as is instead of a built completion: a mapping is JSON-encoded, bytes/str go out raw."""
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    finish_reason: str | None = "stop"
    prompt_tokens: int | None = None
    """None: whitespace-separated words of the request's messages (deterministic, roughly realistic)."""
    completion_tokens: int | None = None
    """None: whitespace-separated words of ``content``."""
    usage: bool = True
    """False: omit ``usage``, as some servers do."""
    model: str | None = None
    """None: echo the requested model."""
    delay: float = 0.0
    """Seconds to wait before answering (to provoke client time-outs); cut short when the server closes."""

    @classmethod
    def text(cls, content: str | None, **fields: Any) -> Reply:
        """A successful completion whose message is ``content``."""
        return cls(content=content, **fields)

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "scripted error",
        *,
        type: str = "server_error",  # named as in OpenAI's error object
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An OpenAI-style error: ``{"error": {"message", "type", "param", "code"}}``."""
        error = {"message": message, "type": type, "param": None, "code": code}
        return cls(status=status, body={"error": error}, headers=dict(headers or {}))

    @classmethod
    def raw(cls, status: int, body: bytes | str, headers: Mapping[str, str] | None = None) -> Reply:
        """A response body sent verbatim (e.g. HTML from a proxy, truncated JSON)."""
        return cls(status=status, body=body, headers=dict(headers or {}))


Responder = Callable[[Request], Reply]
Script = Reply | Responder


class FakeOpenAI:
    """A scripted chat-completions server on 127.0.0.1 (a free port), running in a background thread.

    Use as a context manager. Thread-safe: the SDK may send requests concurrently, and
    :attr:`max_in_flight` tells how many were being handled at the same time.
    """

    def __init__(self, replies: Iterable[Script] = (), *, default: Script | None = None) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Script] = deque(replies)
        self._default = default
        self._requests: list[Request] = []
        self._in_flight = 0
        self._max_in_flight = 0
        self._ids = itertools.count(1)
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------------- lifecycle

    def __enter__(self) -> FakeOpenAI:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        if self._thread is None:
            # A short poll interval keeps close() (which waits for the next poll) from slowing every test.
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.02,), name="fake-openai", daemon=True
            )
            self._thread.start()

    def close(self) -> None:
        """Stop serving; replies still waiting on their ``delay`` return at once."""
        self._closing.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    # ------------------------------------------------------------------------------------- scripting

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to give the SDK as ``base_url`` (ends in ``/v1``, like OpenAI's)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def enqueue(self, *replies: Script) -> None:
        with self._lock:
            self._queue.extend(replies)

    def set_default(self, default: Script | None) -> None:
        with self._lock:
            self._default = default

    @property
    def requests(self) -> list[Request]:
        """Every request received so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[Request]:
        return [r for r in self.requests if r.method == "POST" and r.path in CHAT_PATHS]

    @property
    def max_in_flight(self) -> int:
        """The largest number of requests handled simultaneously so far."""
        with self._lock:
            return self._max_in_flight

    # ------------------------------------------------------------------------------------- serving

    def _next_script(self) -> Script | None:
        with self._lock:
            return self._queue.popleft() if self._queue else self._default

    def _enter(self, request: Request) -> None:
        with self._lock:
            self._requests.append(request)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _answer(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        """Status, headers, body for one request (runs in the handler thread, inside the in-flight window)."""
        if request.path in MODELS_PATHS and request.method == "GET":
            return _json(200, {"object": "list", "data": []})
        if request.path not in CHAT_PATHS or request.method != "POST":
            return _json(404, _error_body(f"unknown route {request.method} {request.path}", "not_found"))
        if not isinstance(request.json, dict):
            return _json(400, _error_body("request body is not a JSON object", "invalid_request_error"))
        if request.json.get("stream"):
            return _json(400, _error_body("the fake server does not stream", "invalid_request_error"))
        script = self._next_script()
        if script is None:
            return _json(500, _error_body("fake server: no scripted reply left", "server_error"))
        try:
            reply = script if isinstance(script, Reply) else script(request)
        except Exception as exc:  # a failing responder must show up in the test, not kill the handler
            return _json(500, _error_body(f"fake server: responder raised {exc!r}", "server_error"))
        if reply.delay > 0:
            self._closing.wait(reply.delay)
        if reply.body is not None:
            if isinstance(reply.body, Mapping):
                status, headers, body = _json(reply.status, dict(reply.body))
            else:
                raw = reply.body.encode() if isinstance(reply.body, str) else reply.body
                status, headers, body = reply.status, {"Content-Type": "application/json"}, raw
        else:
            status, headers, body = _json(reply.status, self._completion(request, reply))
        return status, {**headers, **reply.headers}, body

    def _completion(self, request: Request, reply: Reply) -> dict[str, Any]:
        content = reply.content
        completion: dict[str, Any] = {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": reply.model if reply.model is not None else request.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
        }
        if reply.usage:
            prompt = reply.prompt_tokens
            if prompt is None:
                prompt = sum(len(str(m.get("content", "")).split()) for m in request.messages)
            produced = reply.completion_tokens
            if produced is None:
                produced = len((content or "").split())
            completion["usage"] = {
                "prompt_tokens": prompt,
                "completion_tokens": produced,
                "total_tokens": prompt + produced,
            }
        return completion

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    parsed: Any = json.loads(body) if body else None
                except ValueError:
                    parsed = None
                headers = {name.lower(): value for name, value in self.headers.items()}
                request = Request(self.command, self.path.split("?", 1)[0], headers, body, parsed)
                fake._enter(request)
                try:
                    status, reply_headers, reply_body = fake._answer(request)
                    self.send_response(status)
                    for name, value in reply_headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply_body)))
                    self.end_headers()
                    self.wfile.write(reply_body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up (its timeout): nothing to answer to.
                    self.close_connection = True
                finally:
                    fake._leave()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        return Handler


def _error_body(message: str, type_: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": None}}


def _json(status: int, payload: Mapping[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(payload).encode()
