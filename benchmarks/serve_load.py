"""Load on ``effilab serve``: requests/s and latency from loopback clients in their own processes.

    .venv/bin/python benchmarks/serve_load.py [--clients 8] [--requests 200] [--items 1]
        [--shape openrlhf|own] [--reward constant|cached] [--max-concurrency 64] [--queue 1024]

``--reward constant`` serves a reward that returns 1.0 at once, so what is measured is the server alone
(HTTP parsing, validation, the queue and its batching thread, JSON answers). ``--reward cached`` serves the
real EfficiencyReward on the built-in suite's pair-sum-count, with the suite's standard solution judged
once before the clock starts: every request is then answered from the reward's cache, so the figure is
the server plus the reward's parent-side work (code extraction, parsing, digest, cache), without sandbox
runs. Clients are separate processes (each a fixed number of requests on one keep-alive connection, then
done), so they do not share the server's interpreter lock; on a 2-core machine they share its cores.

Printed: requests/s, completions/s, latency p50/p99, batches the reward was given, and 503s (none unless
--queue is smaller than clients × items).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import socket
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from effilab.serve import RewardServer, ServeSettings

ROOT = Path(__file__).resolve().parents[1]
TASK = "pair-sum-count"
SOLUTION = (ROOT / "src" / "effilab" / "suites" / "builtin" / "effilab" / TASK / "standard.py").read_text()
COMPLETION = f"Here is a fast version:\n```python\n{SOLUTION}```\n"
PROMPT = "<|im_start|>user\nWrite count_pairs, as fast as you can.<|im_end|>\n<|im_start|>assistant\n"


class Constant:
    """1.0 for everything, at once: the server's own cost."""

    def score(self, task_ids: Sequence[str], completions: Sequence[Any]) -> list[float]:
        return [1.0] * len(task_ids)


def _body(shape: str, items: int) -> bytes:
    if shape == "openrlhf":
        query = PROMPT + COMPLETION + "<|im_end|>"
        return json.dumps(
            {"query": [query] * items, "prompts": [PROMPT] * items, "labels": [TASK] * items}
        ).encode()
    return json.dumps({"items": [{"task_id": TASK, "completion": COMPLETION}] * items}).encode()


def _client(
    port: int, path: str, body: bytes, requests: int, ready: Any
) -> tuple[list[float], int, int, float, float]:
    """One client: ``requests`` requests on one connection; (latencies, 200s, 503s, first start, last end).

    ``perf_counter`` is the system's monotonic clock, shared by the processes."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.connect()
    # As aiohttp (OpenRLHF's client) and urllib3 do: http.client sends the headers and the body in two
    # writes, and Nagle's algorithm with delayed ACKs would add 40 ms to every request.
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    latencies: list[float] = []
    ok = busy = 0
    ready.wait()  # every client connected and waiting: the load starts at once
    first = time.perf_counter()
    for _ in range(requests):
        began = time.perf_counter()
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - began)
        if response.status == 200:
            ok += 1
        elif response.status == 503:
            busy += 1
        else:
            raise SystemExit(f"unexpected status {response.status}")
    last = time.perf_counter()
    conn.close()
    return latencies, ok, busy, first, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="per client")
    parser.add_argument("--items", type=int, default=1, help="completions per request")
    parser.add_argument("--shape", choices=("openrlhf", "own"), default="openrlhf")
    parser.add_argument("--reward", choices=("constant", "cached"), default="constant")
    parser.add_argument("--max-concurrency", type=int, default=64)
    parser.add_argument("--queue", type=int, default=1024)
    args = parser.parse_args()

    scorer: Any
    if args.reward == "cached":
        from effilab.reward import EfficiencyReward  # noqa: PLC0415 - only this mode loads the evaluator

        scorer = EfficiencyReward(suite="effilab", workers=2)
        began = time.perf_counter()
        scorer.score([TASK], [COMPLETION])
        print(f"judged the completion once (context and sandboxes): {time.perf_counter() - began:.1f} s")
    else:
        scorer = Constant()
    settings = ServeSettings(port=0, max_concurrency=args.max_concurrency, queue=args.queue)
    path = "/get_reward" if args.shape == "openrlhf" else "/v1/reward"
    body = _body(args.shape, args.items)
    context = multiprocessing.get_context("spawn")
    with RewardServer(scorer, settings, known_tasks=[TASK]) as server:
        manager = context.Manager()
        ready = manager.Barrier(args.clients)
        with context.Pool(args.clients) as pool:
            pending = [
                pool.apply_async(_client, (server.port, path, body, args.requests, ready))
                for _ in range(args.clients)
            ]
            results = [result.get() for result in pending]
        elapsed = max(result[4] for result in results) - min(result[3] for result in results)
        stats = server.queue.stats()
        manager.shutdown()
    latencies = sorted(latency for result in results for latency in result[0])
    ok = sum(result[1] for result in results)
    busy = sum(result[2] for result in results)
    total = args.clients * args.requests
    print(
        f"{args.reward} reward, {args.shape} shape: {args.clients} clients x {args.requests} requests x "
        f"{args.items} completions in {elapsed:.2f} s"
    )
    rate = ok * args.items / elapsed
    print(f"  {total / elapsed:.0f} requests/s, {rate:.0f} completions/s; {busy} answered 503")
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    print(f"  latency p50 {statistics.median(latencies) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms")
    mean = stats.scored / max(stats.batches, 1)
    print(f"  {stats.batches} batches for the reward (mean {mean:.1f} completions)")
    if args.reward == "cached":
        scorer.close()


if __name__ == "__main__":
    main()
