"""Running the application: a listening socket, uvicorn in a thread, and an orderly stop.

Why uvicorn and Starlette (the optional ``serve`` extra) rather than the standard library's
``ThreadingHTTPServer``: a trainer keeps hundreds of requests open at once (OpenRLHF posts one per
rollout and waits up to 180 s), which an event loop holds for the cost of a coroutine each instead of a
thread each; HTTP/1.1 parsing, keep-alive and graceful shutdown come from a well-kept server (h11,
already installed with ``openai``) instead of ``http.server``, which its own documentation says is not for
production. Starlette is the small toolkit FastAPI is built on; validation is effilab's own (one-line
400s for both request shapes), so FastAPI's models would add weight without a feature. Both stay optional:
nothing else in effilab needs them, and ``effilab serve`` says in one line how to install them.

The server runs in a thread so the caller keeps the main thread: the command line installs its own
SIGINT/SIGTERM handlers there (uvicorn's would re-raise the signal after shutting down, killing the
process before the reward's sandboxes are closed), and tests start servers on ephemeral ports.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from effilab.errors import EffilabError
from effilab.serve.batcher import ScoringQueue
from effilab.serve.protocol import RewardScorer
from effilab.serve.settings import ServeSettings

if TYPE_CHECKING:
    import uvicorn

    from effilab.serve.app import RewardApp

__all__ = ["RewardServer", "ServeUnavailable", "require_extra"]

logger = logging.getLogger("effilab.serve")

_START_POLL = 0.01


class ServeUnavailable(EffilabError):
    """The server cannot run here: its optional dependencies are missing, or the address is taken."""


def require_extra() -> None:
    """Raise :class:`ServeUnavailable` in one line unless the ``serve`` extra is installed."""
    missing = []
    for module in ("uvicorn", "starlette"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise ServeUnavailable(
            f"effilab serve needs {' and '.join(missing)}: install the extra with "
            "pip install 'effilab[serve]' (or: bash scripts/install.sh serve)"
        )


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket. Made with proto IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on
    sockets whose proto says TCP, and without it a response written in two parts (headers, body) waits
    for the client's delayed ACK, 40 ms a request (``socket.create_server`` leaves proto 0)."""
    sock: socket.socket | None = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except (OSError, UnicodeError) as exc:
        if sock is not None:
            sock.close()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ServeUnavailable(f"cannot listen on {host}:{port}: {reason}") from None
    sock.setblocking(False)
    return sock


class RewardServer:
    """The reward server over ``scorer``: :meth:`start`, then :meth:`wait` or :meth:`stop`.

    Also a context manager (stopping on exit). ``log_level`` None leaves logging alone (for tests and
    embedding); a level name lets uvicorn configure its loggers as on the command line.
    """

    def __init__(
        self,
        scorer: RewardScorer,
        settings: ServeSettings,
        *,
        info: Mapping[str, Any] | None = None,
        known_tasks: Collection[str] | None = None,
        log_level: str | None = None,
    ) -> None:
        require_extra()
        from effilab.serve.app import build_app  # noqa: PLC0415 - needs the extra

        self.settings = settings
        self.queue = ScoringQueue(scorer, max_batch=settings.max_concurrency, capacity=settings.queue)
        self.app: RewardApp = build_app(self.queue, settings, info=info, known_tasks=known_tasks)
        self._log_level = log_level
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._forced = False

    @property
    def host(self) -> str:
        return self.settings.host

    @property
    def port(self) -> int:
        """The port listened on (the one chosen by the system when ``settings.port`` is 0)."""
        if self._port is None:
            raise RuntimeError("the server is not started")
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Listen, start scoring, and return once uvicorn serves (or raise :class:`ServeUnavailable`)."""
        import uvicorn  # noqa: PLC0415 - the optional extra

        self._socket = _listen(self.settings.host, self.settings.port)
        self._port = int(self._socket.getsockname()[1])
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            access_log=False,
            log_config=uvicorn.config.LOGGING_CONFIG if self._log_level else None,
            log_level=self._log_level or "warning",
            timeout_graceful_shutdown=max(1, round(self.settings.shutdown_timeout)),
        )
        server = self._server = uvicorn.Server(config)
        self.queue.start()
        sockets = [self._socket]

        def serve() -> None:
            try:
                server.run(sockets=sockets)
            except BaseException as exc:  # reported by start(), never lost
                self._failure = exc

        self._thread = threading.Thread(target=serve, name="effilab-serve-http", daemon=True)
        self._thread.start()
        # Bounded by the thread: either uvicorn reports it started, or the thread has ended.
        while not server.started and self._thread.is_alive():
            self._thread.join(_START_POLL)
        if not server.started:
            self._close_queue()
            raise ServeUnavailable(f"the HTTP server did not start: {self._failure!r}")

    def request_stop(self, *, force: bool = False) -> None:
        """Stop taking work (new requests get 503) and let uvicorn shut down; safe from a signal handler.

        Requests already queued are answered for up to ``settings.shutdown_timeout`` seconds, unless
        ``force``.
        """
        self.app.stop_taking_work()
        if self._server is not None:
            if force:
                self._forced = True
                self._server.force_exit = True
            self._server.should_exit = True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the HTTP server to end (after :meth:`request_stop`); True if it has."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        if self._thread.is_alive():
            return False
        self._close_queue()
        return True

    def stop(self) -> None:
        """Stop and wait: queued requests are answered (within the shutdown timeout), then the queue ends."""
        self.request_stop()
        self.wait()

    def _close_queue(self) -> None:
        self.queue.close(timeout=0 if self._forced else self.settings.shutdown_timeout)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> RewardServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
