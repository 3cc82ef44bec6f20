"""`effilab optimize` end to end against a real chat-completions server on 127.0.0.1 with scripted replies.

The project under optimization is written into tmp_path by each test: a package with one slow function
and a pytest file that calls it (so the recorded-calls path and the user's-tests check both run).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.models import chat
from effilab.optimize.attempt import Outcome
from effilab.optimize.session import OptimizeConfig, optimize
from fakes.openai_server import FakeOpenAI, Reply, Request

MODULE = '''"""Inventory helpers."""


def count_distinct(items: list[int]) -> int:
    """How many different values appear."""
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return len(seen)
'''

TESTS = """from shop.stock import count_distinct


def test_count_distinct():
    assert count_distinct([1, 2, 2, 3]) == 3
    assert count_distinct([]) == 0
    assert count_distinct([5, 5, 5]) == 1
"""


def fenced(code: str) -> str:
    return f"Here you go:\n\n```python\n{code}```\n"


FAST = fenced("def count_distinct(items: list[int]) -> int:\n    return len(set(items))\n")
WRONG = fenced("def count_distinct(items: list[int]) -> int:\n    return len(items)\n")
SLOWER = fenced(
    "def count_distinct(items: list[int]) -> int:\n"
    "    for _ in range(3):\n"
    "        seen = []\n"
    "        for item in items:\n"
    "            if item not in seen:\n"
    "                seen.append(item)\n"
    "    return len(seen)\n"
)
NO_CODE = "I am sorry, I cannot help with that."
SYNTAX = fenced("def count_distinct(items: list[int]) -> int:\n    return len(set(items)\n")
SIGNATURE = fenced("def count_distinct(items, unique=True):\n    return len(set(items))\n")
_EXAMPLE = re.compile(r"^- count_distinct(\(.*\)) -> (\d+)$", re.MULTILINE)


def special_casing(request: Request) -> Reply:
    """Answers the example calls shown in the prompt from a table, and anything else wrongly."""
    table = {args: int(result) for args, result in _EXAMPLE.findall(request.message("user"))}
    assert table, "the prompt shows example calls with their results"
    code = (
        f"_SEEN = {table!r}\n\n\n"
        "def count_distinct(items: list[int]) -> int:\n"
        "    return _SEEN.get(repr((items,)), len(items))\n"
    )
    return Reply.text(fenced(code))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "shop").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\nversion = "0"\n')
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "stock.py").write_text(MODULE)
    (root / "tests" / "test_stock.py").write_text(TESTS)
    return root


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    delays: list[float] = []
    policy = chat.RetryPolicy(max_attempts=3, sleep=delays.append, jitter=lambda: 0.0)
    monkeypatch.setattr(chat, "DEFAULT_RETRY", policy)
    return delays


def config(server: FakeOpenAI, **changes: object) -> OptimizeConfig:
    settings: dict[str, object] = {
        "strategy": "best-of-n",
        "model": "fake-model",
        "base_url": server.base_url,
        "api_key": "sk-test",
        "n": 1,
        "measure_budget_s": 6.0,
        "request_timeout_s": 5.0,
    }
    settings.update(changes)
    return OptimizeConfig(**settings)  # type: ignore[arg-type]


def spec(project: Path) -> str:
    return f"{project / 'shop' / 'stock.py'}::count_distinct"


def test_each_kind_of_reply_gets_its_verdict_and_only_the_right_fast_one_is_accepted(
    project: Path, tmp_path: Path
) -> None:
    replies = [FAST, WRONG, special_casing, SLOWER, NO_CODE, SYNTAX, SIGNATURE]
    with FakeOpenAI([r if callable(r) else Reply.text(r) for r in replies]) as server:
        result = optimize(spec(project), config(server, n=len(replies)), db=tmp_path / "r.sqlite")
    by_reply = {a.reply: a for a in result.attempts}
    assert by_reply[FAST].outcome is Outcome.ACCEPTED
    assert by_reply[FAST].ci is not None
    assert by_reply[FAST].ci[0] > 1
    wrong = by_reply[WRONG]
    assert wrong.outcome is Outcome.WRONG_ANSWER
    assert wrong.failing_input is not None
    assert wrong.expected is not None
    assert wrong.actual is not None
    special = next(a for a in result.attempts if "_SEEN" in a.reply)
    assert special.outcome in (Outcome.WRONG_ANSWER, Outcome.SPECIAL_CASED)
    assert by_reply[SLOWER].outcome is Outcome.NOT_FASTER
    assert by_reply[NO_CODE].outcome is Outcome.NO_CODE
    assert by_reply[SYNTAX].outcome is Outcome.SYNTAX_ERROR
    assert by_reply[SIGNATURE].outcome is Outcome.SIGNATURE_CHANGED
    assert result.accepted
    assert result.best is by_reply[FAST]
    assert "+    return len(set(items))" in result.patch
    assert (project / "shop" / "stock.py").read_text() == MODULE  # never modified without --apply
    assert result.inputs.tests.status == "ran"
    assert result.inputs.tests.passed_with_original == 1  # re-run on every candidate
    assert any("recorded" in s for s in result.inputs.sources)
    assert result.usage.model_calls == len(replies)
    assert result.usage.prompt_tokens > 0


def test_refinement_feeds_back_the_failing_input_and_then_accepts(project: Path) -> None:
    with FakeOpenAI([Reply.text(WRONG), Reply.text(FAST)]) as server:
        result = optimize(spec(project), config(server, strategy="refine", rounds=2))
        second = server.chat_requests[1].message("user")
    assert [a.outcome for a in result.attempts] == [Outcome.WRONG_ANSWER, Outcome.ACCEPTED]
    failing = result.attempts[0]
    assert failing.failing_input is not None
    assert failing.failing_input in second
    assert "return len(items)" in second  # the earlier code is shown with its verdict
    assert result.attempts[1].parent is None  # nothing verified to start from yet


def test_server_errors_rate_limits_and_timeouts_are_retried(project: Path, no_sleep: list[float]) -> None:
    script = [
        Reply.error(500),
        Reply.error(429, headers={"Retry-After": "7"}),
        Reply.text(FAST),
    ]
    with FakeOpenAI(script) as server:
        result = optimize(spec(project), config(server))
    assert result.accepted
    assert no_sleep[1] == 7.0  # Retry-After honoured
    # A timeout in a later round: retried, then reported as that attempt's verdict; the run goes on.
    with FakeOpenAI([Reply.text(WRONG)], default=Reply(content=FAST, delay=3.0)) as server:
        result = optimize(spec(project), config(server, strategy="refine", rounds=2, request_timeout_s=0.3))
        requests = len(server.chat_requests)
    assert [a.outcome for a in result.attempts] == [Outcome.WRONG_ANSWER, Outcome.MODEL_ERROR]
    assert "timed out" in result.attempts[1].detail
    assert "3 tries" in result.attempts[1].detail
    assert requests == 1 + 3


def test_a_dead_endpoint_or_a_bad_key_is_one_line_and_a_non_zero_exit(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_KEY", "sk-secret")
    with FakeOpenAI(default=Reply.error(401, "bad key")) as server:
        status = main(
            [
                "optimize",
                spec(project),
                "--model",
                "m",
                "--base-url",
                server.base_url,
                "--api-key-env",
                "FAKE_KEY",
                "--no-tests",
            ]
        )
    err = capsys.readouterr().err
    assert status == 2
    errors = [line for line in err.splitlines() if not line.startswith("· ")]  # progress lines aside
    assert errors == [errors[0]]
    assert errors[0].startswith("error:")
    assert "401" in errors[0]
    assert "sk-secret" not in err
    with FakeOpenAI() as server:
        url = server.base_url
    status = main(
        [
            "optimize",
            spec(project),
            "--model",
            "m",
            "--base-url",
            url,
            "--api-key-env",
            "FAKE_KEY",
            "--no-tests",
        ]
    )
    err = capsys.readouterr().err
    assert status == 2
    errors = [line for line in err.splitlines() if not line.startswith("· ")]
    assert errors == [errors[0]]
    assert errors[0].startswith("error:")
    assert "endpoint" in errors[0]
    assert (project / "shop" / "stock.py").read_text() == MODULE


def test_apply_writes_the_verified_version_with_a_backup_and_json_output(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FAKE_KEY", "sk-test")
    with FakeOpenAI([Reply.text(FAST)]) as server:
        status = main(
            [
                "optimize",
                spec(project),
                "--strategy",
                "best-of-n",
                "--n",
                "1",
                "--model",
                "m",
                "--base-url",
                server.base_url,
                "--api-key-env",
                "FAKE_KEY",
                "--apply",
                "--json",
                "--measure-budget",
                "6",
                "--db",
                str(tmp_path / "r.sqlite"),
            ]
        )
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    assert out["accepted"] is True
    assert out["speedup"] > 1
    assert out["ci"][0] > 1
    assert out["patch"].startswith("--- ")
    assert [a["verdict"] for a in out["attempts"]] == ["accepted"]
    stock = project / "shop" / "stock.py"
    assert "return len(set(items))" in stock.read_text()
    assert Path(out["applied"]).read_text() == MODULE
    check = "from shop.stock import count_distinct; print(count_distinct([3, 1, 3, 2]))"
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=project, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "3"


def test_beam_children_start_from_the_best_verified_candidate_within_the_call_budget(project: Path) -> None:
    with FakeOpenAI([Reply.text(FAST)], default=Reply.text(FAST)) as server:
        result = optimize(
            spec(project), config(server, strategy="beam", rounds=3, beam_width=1, max_calls=2, n=1)
        )
        second = server.chat_requests[1].message("user")
        requests = len(server.chat_requests)
    assert requests == 2  # the third round is not asked: --max-calls 2
    assert [a.outcome for a in result.attempts] == [Outcome.ACCEPTED, Outcome.DUPLICATE]
    assert result.attempts[1].parent == 1
    assert "Improve on this verified version" in second
    assert "len(set(items))" in second
    assert any("budget" in note for note in result.notes)
