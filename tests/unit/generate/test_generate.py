"""``effilab generate`` end to end: the real CLI and the real ``openai`` SDK against a scripted local server.

Back-off never sleeps here: the retry policy's ``sleep`` is replaced by a recorder, so tests also check the
delays that *would* have been waited.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.generate import build_messages, extract_code, read_existing, runner
from effilab.generate.runner import RetryPolicy, _retry_after
from effilab.suites.registry import BUILTIN_ROOT, load_suite
from fakes.openai_server import FakeOpenAI, Reply, Request

KEY = "sk-test-secret-0123456789"
PROBLEM = BUILTIN_ROOT / "effilab" / "pair-sum-count"
SOLUTION = "def count_pairs(nums, target):\n    return 0\n"
REPLY = (
    "Here is an efficient solution.\n\n"
    f"```python\nimport collections\n\n{SOLUTION}```\n\n"
    "Example:\n\n```python\nprint(count_pairs([1, 2], 3))\n```\n"
)
EXPECTED = f"import collections\n\n{SOLUTION}"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment would capture requests to 127.0.0.1; a base URL would override ours.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Delays the retry policy asked for; nothing actually waits (jitter 0: the lower bound)."""
    waited: list[float] = []
    monkeypatch.setattr(runner, "DEFAULT_RETRY", RetryPolicy(sleep=waited.append, jitter=lambda: 0.0))
    return waited


@pytest.fixture
def server(sleeps: list[float]) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(default=Reply.text(REPLY, prompt_tokens=11, completion_tokens=5)) as fake:
        yield fake


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """Three copies of the built-in problem, ids p1..p3, each prompt tagged [pN] so replies can route."""
    root = tmp_path / "suite"
    for pid in ("p1", "p2", "p3"):
        folder = root / pid
        shutil.copytree(PROBLEM, folder)
        toml = folder / "problem.toml"
        text = toml.read_text().replace('id = "pair-sum-count"', f'id = "{pid}"')
        toml.write_text(text.replace("Return the number of index pairs", f"[{pid}] Return the number"))
    return root


def generate(server: FakeOpenAI, out: Path, *extra: str, suite: str | Path = "effilab") -> int:
    """Run the CLI; on the built-in suite (which grows), only its ``pair-sum-count`` problem."""
    argv = ["generate", "--suite", str(suite), "--model", "fake-model", "--base-url", server.base_url]
    if suite == "effilab" and "--problems" not in extra:
        argv += ["--problems", "pair-sum-count"]
    return main([*argv, "--out", str(out), *extra])


def records(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text().splitlines()]


def error_lines(err: str) -> list[str]:
    """Stderr without the progress log: what the user is told went wrong."""
    return [line for line in err.splitlines() if not line.startswith("generate: ")]


def task_of(request: Request) -> str:
    """Which problem of the tmp suite a request is about."""
    return next(pid for pid in ("p1", "p2", "p3") if f"[{pid}]" in request.message("user"))


# --------------------------------------------------------------------------------------------- happy path


def test_writes_one_record_per_sample(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "samples.jsonl"
    assert generate(server, out, "--n", "2", "--max-tokens", "512") == 0
    rows = records(out)
    # Appended in completion order, which concurrency makes arbitrary.
    assert sorted((r["task_id"], r["sample"]) for r in rows) == [("pair-sum-count", 0), ("pair-sum-count", 1)]
    for row in rows:
        assert row == {
            "task_id": "pair-sum-count",
            "sample": row["sample"],
            "solution": EXPECTED,
            "model": "fake-model",
            "prompt_tokens": 11,
            "completion_tokens": 5,
            "finish_reason": "stop",
        }
    requests = server.chat_requests
    assert len(requests) == 2
    for request in requests:
        assert request.authorization == f"Bearer {KEY}"
        assert request.json["model"] == "fake-model"
        assert request.json["temperature"] == 0.8, "several samples need diversity"
        assert request.json["max_tokens"] == 512
        assert "n" not in request.json, "one request per sample: some servers ignore n"
        assert [m["role"] for m in request.messages] == ["system", "user"]
        user = request.message("user")
        assert "count_pairs" in user
        assert "index pairs (i, j)" in user, "the prompt"
        assert "def count_pairs(nums: list[int], target: int) -> int" in user, "the signature"
        assert "hash-map" not in user, "the intended optimisation is not leaked to the model"
    captured = capsys.readouterr()
    assert "wrote 2 samples" in captured.out
    assert "22 prompt + 10 completion = 32" in captured.out
    assert KEY not in captured.out + captured.err


def test_single_sample_is_greedy_and_temperature_is_settable(server: FakeOpenAI, tmp_path: Path) -> None:
    assert generate(server, tmp_path / "a.jsonl") == 0
    assert generate(server, tmp_path / "b.jsonl", "--temperature", "0.3") == 0
    first, second = server.chat_requests
    assert first.json["temperature"] == 0.0
    assert "max_tokens" not in first.json, "server default unless asked"
    assert second.json["temperature"] == 0.3


def test_api_key_env_and_problem_selection(
    server: FakeOpenAI, suite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_KEY", "other-key")
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--api-key-env", "MY_KEY", "--problems", "p3,p1", suite=suite) == 0
    assert sorted(r["task_id"] for r in records(out)) == ["p1", "p3"]
    assert {r.authorization for r in server.chat_requests} == {"Bearer other-key"}


def test_token_totals_over_the_run(
    server: FakeOpenAI, suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set_default(
        lambda r: Reply.text(REPLY, prompt_tokens=100 + int(task_of(r)[1]), completion_tokens=7)
    )
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--n", "2", suite=suite) == 0
    by_task = {(r["task_id"], r["sample"]): r for r in records(out)}
    assert len(by_task) == 6
    assert by_task["p2", 1]["prompt_tokens"] == 102
    out_text = capsys.readouterr().out
    assert "612 prompt + 42 completion = 654" in out_text


def test_missing_usage_is_recorded_as_null(server: FakeOpenAI, tmp_path: Path) -> None:
    server.enqueue(Reply.text(REPLY, usage=False, finish_reason="length"))
    out = tmp_path / "s.jsonl"
    assert generate(server, out) == 0
    (row,) = records(out)
    assert row["prompt_tokens"] is None
    assert row["finish_reason"] == "length"


def test_progress_lines_when_not_a_terminal(
    server: FakeOpenAI, suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(server, tmp_path / "s.jsonl", "--n", "4", suite=suite) == 0
    err = capsys.readouterr().err
    assert "generate: 12 samples to request" in err
    assert "generate: 12/12 samples (100%), 0 failed" in err


# --------------------------------------------------------------------------------------------- failures


def test_retries_rate_limit_honouring_retry_after(
    server: FakeOpenAI, tmp_path: Path, sleeps: list[float]
) -> None:
    server.enqueue(Reply.error(429, "slow down", headers={"Retry-After": "7"}))
    out = tmp_path / "s.jsonl"
    assert generate(server, out) == 0
    assert len(server.chat_requests) == 2
    assert sleeps == [7.0]
    assert records(out)[0]["solution"] == EXPECTED


def test_retry_after_is_capped(server: FakeOpenAI, tmp_path: Path, sleeps: list[float]) -> None:
    server.enqueue(Reply.error(503, headers={"Retry-After": "86400"}))
    assert generate(server, tmp_path / "s.jsonl") == 0
    assert sleeps == [RetryPolicy().retry_after_cap_s]


def test_gives_up_after_repeated_5xx_and_keeps_going(
    server: FakeOpenAI,
    suite: Path,
    tmp_path: Path,
    sleeps: list[float],
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.set_default(
        lambda r: Reply.error(500, "boom") if task_of(r) == "p2" else Reply.text(REPLY, prompt_tokens=1)
    )
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--concurrency", "1", suite=suite) == 1
    assert sorted(r["task_id"] for r in records(out)) == ["p1", "p3"], "the failure is not a sample"
    assert sum(task_of(r) == "p2" for r in server.chat_requests) == 6
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0], "exponential back-off (jitter at its minimum)"
    err = capsys.readouterr().err
    assert "gave up on p2 sample 0 after 6 attempt(s): HTTP 500: boom" in err
    assert "run the same command again" in err
    # Resuming retries only what failed.
    server.set_default(Reply.text(REPLY))
    before = len(server.chat_requests)
    assert generate(server, out, suite=suite) == 0
    assert len(server.chat_requests) == before + 1
    assert sorted(r["task_id"] for r in records(out)) == ["p1", "p2", "p3"]


def test_timeouts_and_connection_errors_are_retried(server: FakeOpenAI, tmp_path: Path) -> None:
    server.enqueue(Reply(delay=30), Reply.raw(200, "{truncated"))
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--timeout", "0.3") == 0
    assert len(server.chat_requests) == 3
    assert records(out)[0]["solution"] == EXPECTED


def test_bad_request_is_not_retried(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.enqueue(Reply.error(400, "maximum context length exceeded", type="invalid_request_error"))
    out = tmp_path / "s.jsonl"
    assert generate(server, out) == 1
    assert len(server.chat_requests) == 1
    assert out.read_text() == ""
    assert "HTTP 400: maximum context length exceeded" in capsys.readouterr().err


@pytest.mark.parametrize(("status", "words"), [(401, "API key"), (404, "model or the base URL")])
def test_configuration_errors_abort_with_one_line(
    server: FakeOpenAI,
    suite: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    status: int,
    words: str,
) -> None:
    # Servers may echo the key back; it must not reach the terminal.
    server.set_default(Reply.error(status, f"Incorrect API key provided: {KEY}"))
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--n", "3", "--concurrency", "2", suite=suite) == 2
    err = capsys.readouterr().err
    # One error line. (Not "one line other than progress": in a full test run another line has turned up
    # here twice, unidentified; the assertion shows stderr whole so the next one says what it is.)
    assert len([line for line in error_lines(err) if line.startswith("error: ")]) == 1, err
    assert words in err
    assert f"HTTP {status}" in err
    assert KEY not in err
    assert len(server.chat_requests) <= 2, "no request is started after the abort"
    assert out.read_text() == ""


def test_missing_api_key_is_a_one_line_error(
    server: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    assert generate(server, tmp_path / "s.jsonl") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "OPENAI_API_KEY" in err
    assert server.requests == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--problems", "p1,nope"], "unknown id(s) nope"),
        (["--n", "0"], "--n=0"),
        (["--concurrency", "0"], "--concurrency=0"),
        (["--temperature", "-1"], "--temperature=-1"),
        (["--base-url", "localhost:8000"], "http://"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    server: FakeOpenAI,
    suite: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    assert generate(server, tmp_path / "s.jsonl", *extra, suite=suite) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert server.requests == []


def test_unknown_suite_is_a_one_line_error(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(server, tmp_path / "s.jsonl", suite=tmp_path / "missing") == 2
    assert capsys.readouterr().err.count("\n") == 1


# --------------------------------------------------------------------------------------------- resume


def test_second_run_makes_no_request(
    server: FakeOpenAI, suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--n", "2", suite=suite) == 0
    assert len(server.chat_requests) == 6
    content = out.read_bytes()
    assert generate(server, out, "--n", "2", suite=suite) == 0
    assert len(server.chat_requests) == 6
    assert out.read_bytes() == content
    assert "nothing to do" in capsys.readouterr().out
    # Asking for more samples requests only the new ones.
    assert generate(server, out, "--n", "3", suite=suite) == 0
    assert len(server.chat_requests) == 9
    assert sorted((r["task_id"], r["sample"]) for r in records(out)) == [
        (p, s) for p in ("p1", "p2", "p3") for s in range(3)
    ]


def test_truncated_last_line_is_repaired(
    server: FakeOpenAI, suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.jsonl"
    assert generate(server, out, suite=suite) == 0
    lines = out.read_bytes().splitlines(keepends=True)
    torn = json.loads(lines[-1])
    out.write_bytes(b"".join(lines[:-1]) + lines[-1][:25])  # a crash mid-write
    assert generate(server, out, suite=suite) == 0
    assert len(server.chat_requests) == 4, "only the torn sample is requested again"
    rows = records(out)  # every line parses
    assert sorted((r["task_id"], r["sample"]) for r in rows) == [("p1", 0), ("p2", 0), ("p3", 0)]
    assert rows[-1]["task_id"] == torn["task_id"]
    assert "dropped incomplete line 3" in capsys.readouterr().err


def test_unterminated_complete_last_record_is_kept(server: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--n", "1") == 0
    out.write_bytes(out.read_bytes().rstrip(b"\n"))  # e.g. saved by an editor
    assert generate(server, out, "--n", "2") == 0
    assert len(server.chat_requests) == 2
    assert [r["sample"] for r in records(out)] == [0, 1]


def test_corrupt_line_in_the_middle_is_an_error(
    server: FakeOpenAI, suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.jsonl"
    assert generate(server, out, suite=suite) == 0
    lines = out.read_text().splitlines(keepends=True)
    out.write_text(lines[0] + "not json\n" + "".join(lines[1:]))
    before = len(server.chat_requests)
    capsys.readouterr()
    assert generate(server, out, "--n", "2", suite=suite) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"error: {out}:2: not a sample record")
    assert len(server.chat_requests) == before


def test_output_of_another_model_is_refused(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.jsonl"
    out.write_text(json.dumps({"task_id": "pair-sum-count", "sample": 0, "model": "gpt-x"}) + "\n")
    assert generate(server, out, "--n", "2") == 2
    assert "gpt-x" in capsys.readouterr().err
    assert server.requests == []


def test_a_file_that_is_not_ours_is_never_truncated(
    server: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("important notes, no newline")
    assert generate(server, out) == 2
    assert f"{out}:1: not a sample record" in capsys.readouterr().err
    assert out.read_text() == "important notes, no newline"
    assert server.requests == []


def test_read_existing_reports_done_pairs(tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    out.write_text('{"task_id": "a", "sample": 0}\n\n{"task_id": "a", "sample": 2}\n{"task_id": "b"')
    existing = read_existing(out, "m")
    assert existing.done == {("a", 0), ("a", 2)}
    assert existing.dropped == "line 4"
    assert out.read_bytes()[: existing.keep_bytes].endswith(b'"sample": 2}\n')


# --------------------------------------------------------------------------------------------- concurrency


def test_concurrency_is_bounded_and_used(server: FakeOpenAI, suite: Path, tmp_path: Path) -> None:
    # Each reply waits until 3 requests are in flight together: proves 3 run at once, and the server's
    # high-water mark proves never more. No timing assumption (the barrier times out only on failure).
    barrier = threading.Barrier(3)

    def together(request: Request) -> Reply:
        barrier.wait(timeout=10)
        return Reply.text(REPLY)

    server.set_default(together)
    out = tmp_path / "s.jsonl"
    assert generate(server, out, "--n", "2", "--concurrency", "3", suite=suite) == 0
    assert len(records(out)) == 6
    assert server.max_in_flight == 3


def test_concurrency_one_is_sequential(server: FakeOpenAI, suite: Path, tmp_path: Path) -> None:
    assert generate(server, tmp_path / "s.jsonl", "--n", "2", "--concurrency", "1", suite=suite) == 0
    assert server.max_in_flight == 1
    # Sample-major order: every problem's sample 0 before any sample 1.
    assert [task_of(r) for r in server.chat_requests] == ["p1", "p2", "p3", "p1", "p2", "p3"]


# --------------------------------------------------------------------------------------------- pieces


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=5.0, jitter=lambda: 0.999)
    delays = [policy.delay(attempt, None) for attempt in range(1, 6)]
    assert delays == pytest.approx([1.0, 2.0, 4.0, 5.0, 5.0], rel=1e-3)
    low = RetryPolicy(jitter=lambda: 0.0)
    assert low.delay(3, None) == 2.0, "equal jitter: at least half of the exponential delay"
    assert low.delay(3, 0.25) == 0.25, "Retry-After wins"


def test_retry_after_header_forms() -> None:
    assert _retry_after({"retry-after": "3"}) == 3.0
    assert _retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert _retry_after({"retry-after": "soon"}) is None
    assert _retry_after({"retry-after": "-1"}) is None
    assert _retry_after({}) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 20 < (_retry_after({"retry-after": later}) or 0) <= 30


def test_messages_carry_prompt_and_signature_only() -> None:
    problem = load_suite("effilab").get("pair-sum-count")
    assert problem is not None
    system, user = build_messages(problem)
    assert system["role"] == "system"
    assert "self-contained" in str(system["content"])
    assert user["role"] == "user"
    content = str(user["content"])
    assert "`count_pairs`" in content
    assert problem.prompt.strip() in content
    assert "Signature:" in content
    assert "hashing" not in content.lower().replace("hash-map", "")


# --------------------------------------------------------------------------------------------- extract_code


def test_extract_takes_the_python_block_defining_the_entry() -> None:
    assert extract_code(REPLY, "count_pairs") == EXPECTED


def test_extract_bare_fence_and_other_python_tags() -> None:
    assert extract_code("```\ndef f():\n    return 1\n```", "f") == "def f():\n    return 1\n"
    assert extract_code("```py3 title=x\ndef f(): pass\n```", "f") == "def f(): pass\n"
    assert extract_code("```Python\ndef f(): pass\n```", "f") == "def f(): pass\n"


def test_extract_prefers_the_last_definition() -> None:
    reply = "Naive:\n```python\ndef f():\n    return 1\n```\nFaster:\n```python\ndef f():\n    return 2\n```"
    assert extract_code(reply, "f") == "def f():\n    return 2\n"


def test_extract_prefers_top_level_definitions_and_exact_names() -> None:
    reply = (
        "```python\ndef f():\n    return 1\n```\n"
        "```python\nclass Helper:\n    def f(self):\n        return 2\n```\n"
        "```python\ndef f_slow():\n    return 3\n```"
    )
    assert extract_code(reply, "f") == "def f():\n    return 1\n"


def test_extract_without_fence_returns_the_reply() -> None:
    assert extract_code("\n\ndef f():\n    return 1\n\n", "f") == "def f():\n    return 1\n"


def test_extract_with_no_defining_block_takes_the_first_python_block() -> None:
    reply = "```bash\npip install x\n```\n```python\nimport x\n```\n```python\nx.run()\n```"
    assert extract_code(reply, "f") == "import x\n"


def test_extract_accepts_a_mislabelled_fence_defining_the_entry() -> None:
    assert extract_code("```text\ndef f():\n    pass\n```", "f") == "def f():\n    pass\n"


def test_extract_unterminated_fence_from_a_truncated_reply() -> None:
    assert extract_code("Sure:\n```python\ndef f():\n    return [", "f") == "def f():\n    return [\n"


def test_extract_dedents_fences_inside_lists() -> None:
    reply = "1. Code:\n   ```python\n   def f():\n       return 1\n   ```\n"
    assert extract_code(reply, "f") == "def f():\n    return 1\n"


def test_extract_ignores_drafts_in_think_blocks() -> None:
    draft = "<think>\n```python\ndef f():\n    return 'draft'\n```\n</think>\n"
    reply = draft + "```python\ndef f():\n    return 1\n```"
    assert extract_code(reply, "f") == "def f():\n    return 1\n"


def test_extract_async_def() -> None:
    assert extract_code("```python\nx = 1\n```\n```python\nasync def f():\n    pass\n```", "f").startswith(
        "async def f"
    )
