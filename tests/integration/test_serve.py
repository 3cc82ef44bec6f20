"""effilab serve over loopback HTTP: both request shapes, limits, overload, failures, shutdown, the CLI.

Servers listen on 127.0.0.1 on ephemeral ports. Most tests use a deterministic fake reward (a gated one
blocks on an Event, so what waits behind it is known without sleeping); the last ones use the real
EfficiencyReward on the built-in suite and the command line on the mini suite.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from effilab.cli.main import main
from effilab.serve import RewardServer, ServeSettings
from effilab.serve.batcher import ScoredItem
from effilab.serve.payload import Item

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0  # seconds: reached only when the code under test is broken
TASKS = frozenset({"alpha", "beta", "poison"})


class FakeReward:
    """reward = len(code) / 100, where code is the completion (or its last message's content).

    The first ``gated`` calls block until ``release`` is set; ``entered`` is set when one is blocked.
    Task "poison" makes the call raise, as a reward whose problem cannot run would.
    """

    def __init__(self, gated: int = 0) -> None:
        self.gated = gated
        self.entered = threading.Event()
        self.release = threading.Event()
        self.batches: list[int] = []
        self._lock = threading.Lock()

    def _text(self, completion: Any) -> str:
        return completion if isinstance(completion, str) else str(completion[-1]["content"])

    def score(self, task_ids: Sequence[str], completions: Sequence[Any]) -> list[float]:
        with self._lock:
            self.batches.append(len(task_ids))
            gate = len(self.batches) <= self.gated
        if gate:
            self.entered.set()
            assert self.release.wait(WAIT)
        if "poison" in task_ids:
            raise RuntimeError("references of 'poison' cannot run\n  on two lines")
        return [len(self._text(c)) / 100 for c in completions]


class Result:
    def __init__(self, task_id: str, reward: float, correct: bool) -> None:
        self.task_id = task_id
        self.reward = reward
        self.correct = correct

    def to_dict(self) -> dict[str, Any]:
        outcome = "correct" if self.correct else "failed"
        return {
            "task_id": self.task_id,
            "reward": self.reward,
            "outcome": outcome,
            "eff": 0.25,
            "cached": False,
        }


class DetailedFakeReward(FakeReward):
    """As FakeReward, with details: a completion containing 'right' is correct."""

    def score_detailed(self, task_ids: Sequence[str], completions: Sequence[Any]) -> list[Result]:
        rewards = self.score(task_ids, completions)
        return [
            Result(t, r, "right" in self._text(c))
            for t, r, c in zip(task_ids, rewards, completions, strict=True)
        ]


class Reply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def request(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> Reply:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        sent = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        if connection is None:
            conn.close()


def assert_one_line_error(reply: Reply, status: int, *words: str) -> str:
    assert reply.status == status, reply.body
    assert reply.headers["content-type"] == "application/json"
    assert b"Traceback" not in reply.body
    message = reply.json["error"]
    assert isinstance(message, str)
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


@pytest.fixture
def serve() -> Iterator[Callable[..., RewardServer]]:
    """Start a server over a reward with the given settings; every one is stopped after the test."""
    started: list[RewardServer] = []

    def start(reward: Any, **settings: Any) -> RewardServer:
        server = RewardServer(
            reward,
            ServeSettings(port=0, **settings),
            info={"suite": "fake", "variant": "len"},
            known_tasks=TASKS,
        )
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _admitted(server: RewardServer) -> tuple[threading.Event, list[int]]:
    """An Event set each time the queue admits a request (the app's submit, wrapped), and their sizes."""
    event = threading.Event()
    sizes: list[int] = []
    submit = server.queue.submit

    def wrapped(items: Sequence[Item]) -> Future[list[ScoredItem]]:
        future = submit(items)
        sizes.append(len(items))
        event.set()
        return future

    server.queue.submit = wrapped  # type: ignore[method-assign]
    return event, sizes


def _in_thread(call: Callable[[], Reply]) -> tuple[threading.Thread, list[Reply]]:
    out: list[Reply] = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    return thread, out


# ------------------------------------------------------------------------------------------ the routes


def test_health_and_info(serve: Callable[..., RewardServer]) -> None:
    server = serve(FakeReward(), queue=7, max_concurrency=3, max_request_bytes=1000)
    health = request(server.port, "GET", "/health")
    assert (health.status, health.json["status"]) == (200, "ok")
    info = request(server.port, "GET", "/v1/info").json
    assert info["suite"] == "fake"
    assert info["limits"] == {"max_request_bytes": 1000, "max_concurrency": 3, "queue": 7}
    assert info["tasks"] == sorted(TASKS)
    assert info["queue"]["capacity"] == 7
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", info["effilab"])


def test_own_schema_returns_rewards_and_details(serve: Callable[..., RewardServer]) -> None:
    server = serve(DetailedFakeReward())
    chat = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "right answer"}]
    reply = request(
        server.port,
        "POST",
        "/v1/reward",
        {"items": [{"task_id": "alpha", "completion": "x" * 50}, {"task_id": "beta", "completion": chat}]},
    )
    assert reply.status == 200
    assert reply.json["rewards"] == [0.5, 0.12]
    first, second = reply.json["items"]
    assert first == {
        "task_id": "alpha",
        "reward": 0.5,
        "details": {"outcome": "failed", "eff": 0.25, "cached": False},
    }
    assert (second["task_id"], second["details"]["outcome"]) == ("beta", "correct")


def test_openrlhf_shape(serve: Callable[..., RewardServer]) -> None:
    server = serve(DetailedFakeReward())
    prompt = "<|im_start|>user\nWrite f.<|im_end|>\n<|im_start|>assistant\n"
    body = {
        "query": [prompt + "right" + "<|im_end|>", "<s>" + prompt + "wrong!", "unrelated"],
        "prompts": [prompt, prompt, "not in the query"],
        "labels": ["alpha", '{"task_id": "beta"}', "alpha"],
    }
    reply = request(server.port, "POST", "/get_reward", body)
    assert reply.status == 200
    # The prompt is cut off (and the trailing end-of-turn token): rewards are len(response) / 100.
    assert reply.json["rewards"] == [0.05, 0.06, 0.09]
    assert reply.json["scores"] == [1.0, 0.0, 0.0]  # correctness, for OpenRLHF's dynamic filtering
    logs = reply.json["extra_logs"]
    assert logs["effilab_prompt_found"] == [1.0, 1.0, 0.0]
    assert logs["effilab_correct"] == [1.0, 0.0, 0.0]
    assert logs["effilab_eff"] == [0.25, 0.25, 0.25]
    assert all(len(values) == 3 for values in logs.values())


def test_openrlhf_scores_are_the_rewards_without_details(serve: Callable[..., RewardServer]) -> None:
    server = serve(FakeReward())
    reply = request(
        server.port, "POST", "/get_reward", {"query": ["P" + "x" * 10], "prompts": ["P"], "labels": ["alpha"]}
    )
    assert reply.json == {"rewards": [0.1], "scores": [0.1], "extra_logs": {"effilab_prompt_found": [1.0]}}


@pytest.mark.parametrize(
    ("path", "raw", "words"),
    [
        ("/v1/reward", b"{not json", ("not valid JSON", "line 1")),
        ("/v1/reward", b"", ("empty",)),
        ("/v1/reward", b"\xff\xfe", ("not UTF-8",)),
        ("/v1/reward", b"[" * 100_000 + b"]" * 100_000, ("nested deeper",)),
        ("/v1/reward", b'{"items": 3}', ('"items" must be a list',)),
        ("/v1/reward", b'{"items": [{"task_id": "nope", "completion": ""}]}', ("unknown task 'nope'",)),
        ("/get_reward", b'{"query": ["q"], "labels": []}', ('"labels" has 0 entries',)),
        ("/get_reward", b'{"query": ["q"], "prompts": ["q"], "labels": [null]}', ("labels[0]",)),
    ],
)
def test_bad_input_is_a_one_line_400(
    serve: Callable[..., RewardServer], path: str, raw: bytes, words: tuple[str, ...]
) -> None:
    server = serve(FakeReward(), max_request_bytes=1 << 20)
    assert_one_line_error(request(server.port, "POST", path, raw=raw), 400, *words)


def test_unknown_routes_and_methods(serve: Callable[..., RewardServer]) -> None:
    server = serve(FakeReward())
    assert_one_line_error(request(server.port, "GET", "/nowhere"), 404, "/nowhere", "POST /v1/reward")
    assert_one_line_error(request(server.port, "GET", "/v1/reward"), 405, "GET")
    assert_one_line_error(request(server.port, "POST", "/health", {}), 405)


def test_oversize_bodies_are_413(serve: Callable[..., RewardServer]) -> None:
    server = serve(FakeReward(), max_request_bytes=1024, queue=4)
    big = {"items": [{"task_id": "alpha", "completion": "x" * 2000}]}
    assert_one_line_error(request(server.port, "POST", "/v1/reward", big), 413, "1024", "--max-request-bytes")
    # Without Content-Length (chunked), the limit holds while reading.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    chunks = iter([b'{"items": [{"task_id": "alpha", "completion": "', b"x" * 1500, b'"}]}'])
    conn.request("POST", "/v1/reward", body=chunks, encode_chunked=True)
    response = conn.getresponse()
    reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    conn.close()
    assert_one_line_error(reply, 413, "exceeds 1024 bytes")
    # More completions than the whole queue could ever hold: 413, not a 503 to retry for ever.
    many = {"items": [{"task_id": "alpha", "completion": "x"}] * 5}
    assert_one_line_error(request(server.port, "POST", "/v1/reward", many), 413, "5 completions", "--queue")
    assert request(server.port, "GET", "/health").status == 200


# ------------------------------------------------------------------------------------ load and failures


def test_overload_is_503_with_retry_after(serve: Callable[..., RewardServer]) -> None:
    reward = FakeReward(gated=1)
    server = serve(reward, max_concurrency=1, queue=2)
    admitted, _ = _admitted(server)
    one = {"items": [{"task_id": "alpha", "completion": "x"}]}
    two = {"items": [{"task_id": "beta", "completion": "yy"}] * 2}
    first, first_reply = _in_thread(lambda: request(server.port, "POST", "/v1/reward", one))
    assert reward.entered.wait(WAIT)  # the first batch is being scored, and blocks
    admitted.clear()
    second, second_reply = _in_thread(lambda: request(server.port, "POST", "/v1/reward", two))
    assert admitted.wait(WAIT)  # its two completions fill the queue
    refused = request(server.port, "POST", "/v1/reward", one)
    message = assert_one_line_error(refused, 503, "overloaded", "2 completions are waiting")
    assert int(refused.headers["retry-after"]) >= 1
    assert "queue of 2" in message
    health = request(server.port, "GET", "/health").json  # health answers while overloaded
    assert (health["waiting"], health["scoring"]) == (2, 1)
    reward.release.set()
    for thread in (first, second):
        thread.join(WAIT)
    assert [r.status for r in first_reply + second_reply] == [200, 200]
    assert second_reply[0].json["rewards"] == [0.02, 0.02]
    assert request(server.port, "GET", "/v1/info").json["queue"]["rejected_requests"] == 1


def test_a_reward_failure_is_a_one_line_500_for_its_request_only(serve: Callable[..., RewardServer]) -> None:
    reward = FakeReward(gated=1)
    server = serve(reward, max_concurrency=8)
    admitted, sizes = _admitted(server)
    gate, _ = _in_thread(
        lambda: request(
            server.port, "POST", "/v1/reward", {"items": [{"task_id": "alpha", "completion": "g"}]}
        )
    )
    assert reward.entered.wait(WAIT)
    admitted.clear()
    poisoned, poisoned_reply = _in_thread(
        lambda: request(
            server.port, "POST", "/v1/reward", {"items": [{"task_id": "poison", "completion": "p"}]}
        )
    )
    assert admitted.wait(WAIT)
    admitted.clear()
    healthy, healthy_reply = _in_thread(
        lambda: request(server.port, "POST", "/get_reward", {"query": ["abcd"], "labels": ["beta"]})
    )
    assert admitted.wait(WAIT)
    reward.release.set()  # both wait in one batch, which fails because of the poisoned request
    for thread in (gate, poisoned, healthy):
        thread.join(WAIT)
    assert sizes == [1, 1, 1]
    assert_one_line_error(
        poisoned_reply[0], 500, "effilab failed", "references of 'poison' cannot run on two lines"
    )
    assert healthy_reply[0].status == 200
    assert healthy_reply[0].json["rewards"] == [0.04]
    assert request(server.port, "GET", "/health").status == 200


def test_concurrent_load_from_loopback_clients(serve: Callable[..., RewardServer]) -> None:
    """8 client threads, each a fixed number of requests on one keep-alive connection, then done."""
    reward = FakeReward()
    server = serve(reward, max_concurrency=16, queue=256)
    clients, per_client = 8, 40
    start = threading.Barrier(clients + 1)
    failures: list[str] = []
    done = [0] * clients

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
        start.wait(WAIT)
        for i in range(per_client):  # bounded: stops by itself
            size = 1 + (number + i) % 4
            text = "z" * (number + i)
            if i % 2:
                body: dict[str, Any] = {"items": [{"task_id": "alpha", "completion": text}] * size}
                reply = request(server.port, "POST", "/v1/reward", body, connection=conn)
            else:
                body = {"query": ["P:" + text] * size, "prompts": ["P:"] * size, "labels": ["beta"] * size}
                reply = request(server.port, "POST", "/get_reward", body, connection=conn)
            if reply.status != 200 or reply.json["rewards"] != [len(text) / 100] * size:
                failures.append(f"client {number} request {i}: {reply.status} {reply.body[:200]!r}")
            done[number] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait(WAIT)
    began = time.perf_counter()
    for thread in threads:
        thread.join(WAIT * 4)
    elapsed = time.perf_counter() - began
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert done == [per_client] * clients
    total_items = sum(1 + (n + i) % 4 for n in range(clients) for i in range(per_client))
    assert sum(reward.batches) == total_items
    assert max(reward.batches) <= 16
    stats = request(server.port, "GET", "/v1/info").json["queue"]
    assert (stats["scored"], stats["waiting"], stats["rejected_requests"]) == (total_items, 0, 0)
    print(f"\n{clients * per_client} requests ({total_items} completions) in {elapsed:.2f} s: "
          f"{clients * per_client / elapsed:.0f} requests/s, {len(reward.batches)} batches")  # fmt: skip


def test_overload_under_load_is_always_answered(serve: Callable[..., RewardServer]) -> None:
    """More load than the queue takes: every request is a 200 or a 503 with Retry-After, never anything
    else, each client's loop is bounded and ends, and the server is healthy afterwards."""
    reward = FakeReward(gated=1)
    server = serve(reward, max_concurrency=2, queue=4)
    clients, per_client = 6, 5
    replies: list[Reply] = []
    changed = threading.Condition()
    start = threading.Barrier(clients + 1)
    body = {"items": [{"task_id": "alpha", "completion": "ab"}] * 2}

    def client() -> None:
        start.wait(WAIT)
        for _ in range(per_client):
            reply = request(server.port, "POST", "/v1/reward", body)
            with changed:
                replies.append(reply)
                changed.notify_all()

    gate, _ = _in_thread(
        lambda: request(
            server.port, "POST", "/v1/reward", {"items": [{"task_id": "alpha", "completion": "g"}]}
        )
    )
    assert reward.entered.wait(WAIT)
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait(WAIT)
    # While the gate holds, two requests (4 completions) fill the queue: the other clients get 503s.
    with changed:
        assert changed.wait_for(lambda: sum(r.status == 503 for r in replies) >= clients - 2, WAIT)
    reward.release.set()
    for thread in [*threads, gate]:
        thread.join(WAIT * 2)
    assert not any(thread.is_alive() for thread in threads)
    assert len(replies) == clients * per_client
    assert {reply.status for reply in replies} <= {200, 503}
    for reply in replies:
        if reply.status == 503:
            assert_one_line_error(reply, 503, "overloaded")
            assert int(reply.headers["retry-after"]) >= 1
        else:
            assert reply.json["rewards"] == [0.02, 0.02]
    assert sum(reply.status == 200 for reply in replies) >= 2
    assert request(server.port, "GET", "/health").status == 200


def test_stop_answers_queued_requests_and_refuses_new_ones(serve: Callable[..., RewardServer]) -> None:
    reward = FakeReward(gated=1)
    server = serve(reward, max_concurrency=1, queue=8)
    admitted, _ = _admitted(server)
    body = {"items": [{"task_id": "alpha", "completion": "abc"}]}
    first, first_reply = _in_thread(lambda: request(server.port, "POST", "/v1/reward", body))
    assert reward.entered.wait(WAIT)
    admitted.clear()
    queued, queued_reply = _in_thread(lambda: request(server.port, "POST", "/v1/reward", body))
    assert admitted.wait(WAIT)
    # request_stop() first stops taking work (what follows then races with uvicorn closing idle
    # connections, so that first stage is checked on its own), then lets uvicorn shut down.
    server.app.stop_taking_work()
    late = request(server.port, "POST", "/v1/reward", body)
    assert_one_line_error(late, 503, "shutting down")
    assert late.headers["retry-after"] == "5"
    assert_one_line_error(request(server.port, "GET", "/health"), 503, "shutting down")
    server.request_stop()
    reward.release.set()
    assert server.wait(WAIT)
    for thread in (first, queued):
        thread.join(WAIT)
    assert [r.status for r in first_reply + queued_reply] == [200, 200]
    with pytest.raises(ConnectionRefusedError):
        request(server.port, "GET", "/health")  # no longer listening


# ------------------------------------------------------------------------------------- command line


def _one_line_failure(argv: list[str], status: int, *words: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(argv) == status
    lines = err.getvalue().splitlines()
    assert len(lines) == 1, err.getvalue()
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err.getvalue()
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--port", "65536"], ("--port=65536",)),
        (["--queue", "0"], ("--queue=0",)),
        (["--max-concurrency", "-1"], ("--max-concurrency=-1",)),
        (["--max-request-bytes", "0"], ("--max-request-bytes=0",)),
        (["--shutdown-timeout", "nan"], ("--shutdown-timeout",)),
        (["--host", ""], ("host",)),
        (["--variant", "fastest"], ("--variant='fastest'", "eff+beat")),
        (["--metric", "joules"], ("--metric='joules'",)),
        (["--workers", "0"], ("--workers=0",)),
        (["--batch-timeout", "-1"], ("--batch-timeout=-1",)),
        (["--port", "x"], ("--port",)),
    ],
)
def test_cli_bad_arguments_are_one_line(extra: list[str], words: tuple[str, ...]) -> None:
    _one_line_failure(["serve", "--suite", "effilab", *extra], 2, *words)


def test_cli_unknown_suite_is_one_line() -> None:
    _one_line_failure(["serve", "--suite", "no-such-suite", "--port", "0"], 2, "no-such-suite")


def test_cli_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    _one_line_failure(["serve", "--suite", "effilab", "--port", "0"], 3, "uvicorn", "effilab[serve]")


def test_cli_address_in_use_is_one_line(serve: Callable[..., RewardServer]) -> None:
    taken = serve(FakeReward())
    _one_line_failure(
        ["serve", "--suite", str(ROOT / "tests" / "data" / "suites" / "mini"), "--port", str(taken.port)],
        3,
        f"127.0.0.1:{taken.port}",
    )


# ------------------------------------------------------------------------- the real reward, end to end

PAIR_SUM = ROOT / "src" / "effilab" / "suites" / "builtin" / "effilab" / "pair-sum-count"
STANDARD = "Here you go:\n```python\n" + (PAIR_SUM / "standard.py").read_text() + "```\n"
WRONG = "```python\ndef count_pairs(nums, target):\n    return 0\n```"


def test_end_to_end_with_efficiency_reward_on_the_builtin_suite() -> None:
    from effilab.reward import EfficiencyReward

    with EfficiencyReward(suite="effilab", workers=2, variant="eff") as reward:
        tasks = [problem.id for problem in reward.suite]
        settings = ServeSettings(port=0, max_concurrency=8, queue=64)
        with RewardServer(reward, settings, info={"suite": "effilab"}, known_tasks=tasks) as server:
            own = request(
                server.port,
                "POST",
                "/v1/reward",
                {
                    "items": [
                        {"task_id": "pair-sum-count", "completion": STANDARD},
                        {"task_id": "pair-sum-count", "completion": WRONG},
                        {"task_id": "pair-sum-count", "completion": "I would rather not."},
                    ]
                },
            )
            assert own.status == 200, own.body
            correct, wrong, prose = own.json["items"]
            assert correct["details"]["outcome"] == "correct"
            assert wrong["details"]["verdict"] == "wrong_answer"
            assert prose["details"]["outcome"] == "malformed"
            assert correct["reward"] >= 1.0 > wrong["reward"] > prose["reward"]
            # OpenRLHF's shape, the same completions after a prompt: judged again from the cache.
            prompt = "Write count_pairs, fast.\n"
            rlhf = request(
                server.port,
                "POST",
                "/get_reward",
                {
                    "query": [prompt + STANDARD + "<|im_end|>", prompt + WRONG],
                    "prompts": [prompt, prompt],
                    "labels": ["pair-sum-count", {"task_id": "pair-sum-count"}],
                },
            )
            assert rlhf.status == 200, rlhf.body
            assert rlhf.json["rewards"] == [correct["reward"], wrong["reward"]]
            assert rlhf.json["scores"] == [1.0, 0.0]
            assert rlhf.json["extra_logs"]["effilab_cached"] == [1.0, 1.0]
            unknown = request(
                server.port, "POST", "/v1/reward", {"items": [{"task_id": "x", "completion": ""}]}
            )
            assert_one_line_error(unknown, 400, "unknown task 'x'")


def test_cli_serves_and_stops_on_sigterm() -> None:
    """``effilab serve`` on the mini suite: listens, scores a completion, stops on SIGTERM with status 0."""
    mini = str(ROOT / "tests" / "data" / "suites" / "mini")
    command = [
        sys.executable,
        "-m",
        "effilab.cli.main",
        "serve",
        "--suite",
        mini,
        "--port",
        "0",
        "--workers",
        "1",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        match = re.search(r"on http://127\.0\.0\.1:(\d+) ", banner)
        assert match, banner
        port = int(match.group(1))
        assert request(port, "GET", "/health").status == 200
        solution = "```python\ndef count_distinct(nums):\n    return len(set(nums))\n```"
        reply = request(
            port, "POST", "/v1/reward", {"items": [{"task_id": "count-distinct", "completion": solution}]}
        )
        assert reply.status == 200, reply.body
        assert reply.json["items"][0]["details"]["outcome"] == "correct"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=WAIT * 2)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "SIGTERM: stopping" in err
