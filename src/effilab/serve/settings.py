"""The server's settings, checked once at the edge (the command line or the caller)."""

from __future__ import annotations

from dataclasses import dataclass

from effilab.errors import InvalidArgument
from effilab.util.argcheck import count, seconds

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_REQUEST_BYTES",
    "DEFAULT_QUEUE",
    "MAX_REQUEST_BYTES_LIMIT",
    "ServeSettings",
]

DEFAULT_MAX_REQUEST_BYTES = 16 * 2**20
"""16 MiB: a batch of 1024 replies of 16 KiB each, with room to spare."""
MAX_REQUEST_BYTES_LIMIT = 2**30
"""1 GiB: the body is held in memory, so larger limits only let one request exhaust the server."""
DEFAULT_MAX_CONCURRENCY = 64
"""Completions scored at once (the largest batch handed to the reward), a GRPO group-batch's size."""
DEFAULT_QUEUE = 1024
"""Completions waiting: an OpenRLHF rollout of 128 prompts × 8 samples fits without a 503."""
MAX_QUEUE = 10**6


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """Where to listen and how much to take in.

    ``max_concurrency`` bounds the completions scored at once (one batch for the reward, spread over
    its sandbox workers); ``queue`` bounds those waiting behind them. A request that does not fit in the
    queue is answered 503 with Retry-After at once; one larger than the whole queue, 413.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    queue: int = DEFAULT_QUEUE
    shutdown_timeout: float = 60.0
    """On SIGINT/SIGTERM, how long requests already queued may take to be answered before they are
    dropped (a second SIGINT stops at once)."""

    def __post_init__(self) -> None:
        if not isinstance(self.host, str) or not self.host or any(c.isspace() for c in self.host):
            raise InvalidArgument(f"host={self.host!r}: must be a host name or address")
        count("port", self.port, low=0, high=65535)
        count("max_request_bytes", self.max_request_bytes, low=1, high=MAX_REQUEST_BYTES_LIMIT)
        count("max_concurrency", self.max_concurrency, low=1, high=MAX_QUEUE)
        count("queue", self.queue, low=1, high=MAX_QUEUE)
        seconds("shutdown_timeout", self.shutdown_timeout)
