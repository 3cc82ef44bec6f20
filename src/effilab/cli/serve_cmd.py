"""``effilab serve``: the HTTP reward server (docs/training.md, "effilab serve").

Parse -> check the settings -> build the reward -> listen -> wait for SIGINT/SIGTERM -> stop in order:
new requests get 503, queued ones are answered (within --shutdown-timeout), then the reward's sandboxes are
closed. A second SIGINT stops at once.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING, Any

from effilab.cli.common import add_executor_option
from effilab.serve.settings import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_REQUEST_BYTES,
    DEFAULT_QUEUE,
    ServeSettings,
)

if TYPE_CHECKING:
    from effilab.serve.server import RewardServer

__all__ = ["register"]

DEFAULT_BATCH_TIMEOUT = 120.0
EXIT_UNAVAILABLE = 3  # as effilab.cli.main's: this machine cannot do it (extra missing, address taken)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "serve",
        help="serve an efficiency reward over HTTP (OpenRLHF's remote reward, or effilab's own JSON)",
        description=(
            "Serve effilab's efficiency reward over HTTP: POST /get_reward (OpenRLHF's --remote_rm_url), "
            "POST /v1/reward (effilab's schema), GET /health, GET /v1/info. Needs the 'serve' extra."
        ),
    )
    add = parser.add_argument
    add("--suite", required=True, metavar="SUITE", help="suite name, folder or format:path (as evaluate's)")
    add("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    add("--port", type=int, default=8000, help="port (8000; 0: any free port)")
    add("--workers", type=int, default=None, metavar="N", help="completions judged at once (CPU count)")
    add("--metric", default="time", metavar="time|wall|instructions", help="what is measured (time)")
    add("--variant", default="eff", metavar="NAME", help="correct, eff, log_speedup, beat, eff+beat (eff)")
    # Shorter than the reward's own default (600 s): OpenRLHF's client gives up on a request after 180 s.
    add("--batch-timeout", type=float, default=DEFAULT_BATCH_TIMEOUT, metavar="SEC",
        help=f"a batch's time bound; unfinished: failure reward ({DEFAULT_BATCH_TIMEOUT:g})")  # fmt: skip
    add("--max-request-bytes", type=int, default=DEFAULT_MAX_REQUEST_BYTES, metavar="N",
        help=f"largest request body; larger: 413 ({DEFAULT_MAX_REQUEST_BYTES})")  # fmt: skip
    add("--max-concurrency", type=int, default=DEFAULT_MAX_CONCURRENCY, metavar="N",
        help=f"completions scored at once, in one batch ({DEFAULT_MAX_CONCURRENCY})")  # fmt: skip
    add("--queue", type=int, default=DEFAULT_QUEUE, metavar="N",
        help=f"completions waiting; beyond: 503 with Retry-After ({DEFAULT_QUEUE})")  # fmt: skip
    add("--shutdown-timeout", type=float, default=60.0, metavar="SEC",
        help="on SIGINT/SIGTERM, time left to answer queued requests (60)")  # fmt: skip
    add("--prepare", action="store_true",
        help="compute the problems' expected outputs and reference costs before listening")  # fmt: skip
    add_executor_option(parser)  # the reward's sandboxes: here, or on a Ray cluster's hosts
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    # Imported here: the reward loads the evaluator, which the other commands' start-up need not pay for.
    from effilab.reward import EfficiencyReward  # noqa: PLC0415
    from effilab.serve.server import RewardServer, ServeUnavailable, require_extra  # noqa: PLC0415

    settings = ServeSettings(
        host=args.host,
        port=args.port,
        max_request_bytes=args.max_request_bytes,
        max_concurrency=args.max_concurrency,
        queue=args.queue,
        shutdown_timeout=args.shutdown_timeout,
    )
    try:
        require_extra()
    except ServeUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    reward = EfficiencyReward(
        suite=args.suite,
        workers=args.workers,
        metric=args.metric,
        variant=args.variant,
        batch_timeout=args.batch_timeout,
        executor=args.executor,
    )
    with reward:
        tasks = [problem.id for problem in reward.suite]
        if args.prepare:
            print(f"effilab serve: preparing {len(tasks)} problems of {reward.suite.name} …", file=sys.stderr)
            reward.prepare()
        logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
        info = {
            "suite": reward.suite.name,
            "variant": args.variant,
            "metric": args.metric,
            "workers": reward.workers,
            "executor": reward.executor_name,
            "batch_timeout": args.batch_timeout,
        }
        server = RewardServer(reward, settings, info=info, known_tasks=tasks, log_level="info")
        try:
            server.start()
        except ServeUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_UNAVAILABLE
        on = f" on {reward.executor_name}" if reward.remote else ""
        print(
            f"effilab serve: {reward.suite.name} ({len(tasks)} tasks, variant {args.variant}, metric "
            f"{args.metric}, {reward.workers} workers{on}) on {server.url} — POST /get_reward (OpenRLHF), "
            "POST /v1/reward, GET /health, GET /v1/info; Ctrl-C or SIGTERM stops",
            flush=True,
        )
        _wait_for_signal(server)
    print("effilab serve: stopped", file=sys.stderr)
    return 0


def _wait_for_signal(server: RewardServer) -> None:
    """Serve until SIGINT/SIGTERM (a second SIGINT forces the stop), then restore the handlers."""
    received: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        del frame
        received.append(signum)
        force = received.count(signal.SIGINT) > 1
        if len(received) == 1 or force:
            print(
                f"effilab serve: {signal.Signals(signum).name}: "
                + ("stopping now" if force else "stopping (queued requests are answered; Ctrl-C again: now)"),
                file=sys.stderr,
                flush=True,
            )
        server.request_stop(force=force)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
