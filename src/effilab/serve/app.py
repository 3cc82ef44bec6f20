"""The HTTP application: routes, body limits and error answers, on Starlette.

Every answer is JSON. A client's mistake is a 4xx with ``{"error": "<one line>"}``; overload is a 503
with ``Retry-After``; a failure of effilab is a 500 with one line. No traceback is ever sent: the handlers
catch everything, and the one-line reason goes to the server's log as well.

Routes:

* ``POST /v1/reward`` — effilab's own schema (see :mod:`effilab.serve.payload`), answered with
  ``{"rewards": [...], "items": [{"task_id": ..., "reward": ..., "details": {...}}, ...]}``.
* ``POST /get_reward`` — OpenRLHF's remote reward model, answered with
  ``{"rewards": [...], "scores": [...], "extra_logs": {...}}``.
* ``GET /health`` — ``{"status": "ok", ...}`` while the server takes work.
* ``GET /v1/info`` — the suite, variant, metric, limits, served tasks, and queue counters.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from effilab import __version__
from effilab.serve.batcher import Overloaded, ScoredItem, ScorerFailed, ScoringQueue, ShuttingDown
from effilab.serve.payload import (
    BadRequest,
    Item,
    parse_openrlhf_request,
    parse_reward_request,
)
from effilab.serve.settings import ServeSettings
from effilab.util import safejson

__all__ = ["build_app"]

logger = logging.getLogger("effilab.serve")

SHUTDOWN_RETRY_AFTER = 5
"""Retry-After (seconds) while stopping: long enough for a restarted server to be listening again."""


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=status, headers=headers)


def _one_line(exc: BaseException) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 500 else text[:500] + "…"


async def _read_json(request: Request, limit: int) -> Any:
    """The body as JSON, refusing more than ``limit`` bytes: by Content-Length before reading a byte,
    and while reading for a body sent without one (chunked)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest(400, f"Content-Length {declared[:40]!r} is not a number")
        if int(declared) > limit:
            raise BadRequest(
                413, f"the body has {declared} bytes; this server takes at most {limit} (--max-request-bytes)"
            )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BadRequest(413, f"the body exceeds {limit} bytes (--max-request-bytes)")
    if not body:
        raise BadRequest(400, "the body is empty; send a JSON object")
    try:
        return safejson.loads(bytes(body))
    except safejson.JSONInputError as exc:
        raise BadRequest(400, f"the body is not valid JSON: {exc}") from None


class _Handlers:
    """The route handlers, sharing the queue, the limits and the served tasks."""

    def __init__(
        self,
        queue: ScoringQueue,
        settings: ServeSettings,
        info: Mapping[str, Any],
        known_tasks: Collection[str] | None,
    ) -> None:
        self.queue = queue
        self.settings = settings
        self.info = dict(info)
        self.known_tasks = frozenset(known_tasks) if known_tasks is not None else None
        self.stopping = False

    async def _score(self, items: Sequence[Item]) -> list[ScoredItem]:
        if len(items) > self.queue.capacity:
            raise BadRequest(
                413,
                f"{len(items)} completions in one request; this server takes at most {self.queue.capacity} "
                "(--queue); split the batch",
            )
        future = self.queue.submit(items)
        return await asyncio.wrap_future(future)

    async def _guarded(self, request: Request, handle: Callable[[Any], Awaitable[Response]]) -> Response:
        """Run ``handle(body)`` turning every failure into its JSON answer (never a traceback)."""
        try:
            if self.stopping:
                raise ShuttingDown("the server is shutting down")
            body = await _read_json(request, self.settings.max_request_bytes)
            response: Response = await handle(body)
            return response
        except BadRequest as exc:
            return _error(exc.status, exc.message)
        except Overloaded as exc:
            return _error(503, str(exc), {"Retry-After": str(exc.retry_after)})
        except ShuttingDown as exc:
            return _error(503, str(exc), {"Retry-After": str(SHUTDOWN_RETRY_AFTER), "Connection": "close"})
        except ScorerFailed as exc:
            logger.error("effilab serve: %s", exc)
            return _error(500, f"effilab failed: {exc}")
        except Exception as exc:  # a bug of effilab's: one line to the client and to the log
            logger.error("effilab serve: internal error on %s: %s", request.url.path, _one_line(exc))
            return _error(500, f"internal error in effilab (please report it): {_one_line(exc)}")

    async def reward(self, request: Request) -> Response:
        async def handle(body: Any) -> Response:
            items = parse_reward_request(body, known_tasks=self.known_tasks)
            scored = await self._score(items)
            entries: list[dict[str, Any]] = []
            for item, result in zip(items, scored, strict=True):
                entry: dict[str, Any] = {"task_id": item.task_id, "reward": result.reward}
                if result.details is not None:
                    entry["details"] = dict(result.details)
                entries.append(entry)
            return JSONResponse({"rewards": [result.reward for result in scored], "items": entries})

        return await self._guarded(request, handle)

    async def openrlhf(self, request: Request) -> Response:
        async def handle(body: Any) -> Response:
            batch = parse_openrlhf_request(body, known_tasks=self.known_tasks)
            scored = await self._score(batch.items)
            return JSONResponse(_openrlhf_answer(scored, batch.prompt_found))

        return await self._guarded(request, handle)

    async def health(self, request: Request) -> Response:
        stats = self.queue.stats()
        if self.stopping:
            return _error(503, "the server is shutting down", {"Retry-After": str(SHUTDOWN_RETRY_AFTER)})
        return JSONResponse({"status": "ok", "waiting": stats.waiting, "scoring": stats.scoring})

    async def describe(self, request: Request) -> Response:
        return JSONResponse(
            {
                "effilab": __version__,
                **self.info,
                "limits": {
                    "max_request_bytes": self.settings.max_request_bytes,
                    "max_concurrency": self.settings.max_concurrency,
                    "queue": self.settings.queue,
                },
                "queue": asdict(self.queue.stats()),
                "tasks": sorted(self.known_tasks) if self.known_tasks is not None else None,
            }
        )


def _openrlhf_answer(scored: Sequence[ScoredItem], prompt_found: Sequence[bool]) -> dict[str, Any]:
    """OpenRLHF's answer: ``rewards`` (for the advantages), ``scores`` (for its dynamic filtering, which
    expects values in [0, 1]: 1.0 for a correct completion, else 0.0, when the reward says which; the
    rewards otherwise) and ``extra_logs`` (each key is logged per sample, so one number per completion)."""
    rewards = [result.reward for result in scored]
    details = [result.details for result in scored]
    logs: dict[str, list[float]] = {"effilab_prompt_found": [1.0 if found else 0.0 for found in prompt_found]}
    if all(detail is not None and "outcome" in detail for detail in details):
        outcomes = [str(detail["outcome"]) for detail in details if detail is not None]
        correct = [1.0 if outcome == "correct" else 0.0 for outcome in outcomes]
        logs["effilab_correct"] = correct
        logs["effilab_malformed"] = [1.0 if outcome == "malformed" else 0.0 for outcome in outcomes]
        scores = correct
    else:
        scores = rewards
    for key in ("eff", "cached"):
        values = [detail.get(key) if detail is not None else None for detail in details]
        if all(isinstance(value, int | float) for value in values):
            logs[f"effilab_{key}"] = [float(value) for value in values if value is not None]
    return {"rewards": rewards, "scores": scores, "extra_logs": logs}


async def _http_error(request: Request, exc: Exception) -> Response:
    """404 and 405 (and any other HTTPException of the router) as one-line JSON."""
    if isinstance(exc, HTTPException):
        message = {404: f"no route {request.url.path!r}", 405: f"{request.method} is not allowed here"}.get(
            exc.status_code, exc.detail
        )
        return _error(
            exc.status_code,
            f"{message} (routes: POST /v1/reward, POST /get_reward, GET /health, GET /v1/info)",
        )
    return _error(500, "internal error in effilab (please report it)")


async def _internal_error(request: Request, exc: Exception) -> Response:
    """The last resort, for an exception outside the handlers' own guard: one line, no traceback."""
    logger.error("effilab serve: internal error on %s: %s", request.url.path, _one_line(exc))
    return _error(500, f"internal error in effilab (please report it): {_one_line(exc)}")


class RewardApp(Starlette):
    """The Starlette application, with a :meth:`stop_taking_work` switch for a graceful shutdown."""

    def __init__(self, handlers: _Handlers) -> None:
        self._handlers = handlers
        super().__init__(
            routes=[
                Route("/v1/reward", handlers.reward, methods=["POST"]),
                Route("/get_reward", handlers.openrlhf, methods=["POST"]),
                Route("/health", handlers.health, methods=["GET"]),
                Route("/v1/info", handlers.describe, methods=["GET"]),
            ],
            exception_handlers={HTTPException: _http_error, Exception: _internal_error},
        )

    def stop_taking_work(self) -> None:
        """From now on, answer new requests (and health checks) with 503; requests already queued finish."""
        self._handlers.stopping = True


def build_app(
    queue: ScoringQueue,
    settings: ServeSettings,
    *,
    info: Mapping[str, Any] | None = None,
    known_tasks: Collection[str] | None = None,
) -> RewardApp:
    """The application over a started :class:`ScoringQueue`.

    ``info`` is added to ``GET /v1/info`` (suite, variant, metric …); ``known_tasks``, when given, makes an
    unknown task id a 400 naming it instead of a question for the reward.
    """
    return RewardApp(_Handlers(queue, settings, info or {}, known_tasks))
