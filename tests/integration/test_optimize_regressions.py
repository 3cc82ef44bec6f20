"""Issue 17: optimize once accepted a wrong rewrite because the project's tests silently did not run.

The exact case: a scripted model offers ``Counter``-based ``pair_sums``, wrong whenever ``target / 2``
occurs twice; the project's own test ``pair_sums([5, 5, 5], 10) == 3`` catches it. Now the tests must run
(or optimize stops unless ``--no-tests``), and the structured probes catch it without them too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from effilab.cli.main import main
from effilab.errors import InvalidArgument
from effilab.optimize import session as optimize_session
from effilab.optimize import verify as optimize_verify
from effilab.optimize.attempt import Outcome
from effilab.optimize.session import OptimizeConfig, optimize
from fakes.openai_server import FakeOpenAI, Reply

SLOWMOD = '''def pair_sums(xs: list[int], target: int) -> int:
    """How many pairs i < j have xs[i] + xs[j] == target."""
    count = 0
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i] + xs[j] == target:
                count += 1
    return count
'''
TESTS = """from slowmod import pair_sums


def test_pair_sums():
    assert pair_sums([5, 5, 5], 10) == 3
    assert pair_sums([1, 2, 3, 4], 5) == 2
"""
GEN = """def generate(size, rng):
    return ([rng.randint(-1000, 1000) for _ in range(size)], rng.randint(-1000, 1000))
"""
COUNTER = (
    "```python\nfrom collections import Counter\n\n\n"
    "def pair_sums(xs: list[int], target: int) -> int:\n"
    "    c = Counter(xs)\n"
    "    return sum(c[x] * c[target - x] for x in c) // 2\n```\n"
)


@pytest.fixture
def pairs(tmp_path: Path) -> Path:
    root = tmp_path / "pairs"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "pairs"\nversion = "0"\n')
    (root / "slowmod.py").write_text(SLOWMOD)
    (root / "tests" / "test_slowmod.py").write_text(TESTS)
    (root / "gen.py").write_text(GEN)
    return root


def settings(server: FakeOpenAI, root: Path, **changes: object) -> OptimizeConfig:
    values: dict[str, object] = {
        "strategy": "best-of-n",
        "model": "fake-model",
        "base_url": server.base_url,
        "api_key": "sk-test",
        "n": 1,
        "inputs": str(root / "gen.py"),
        "measure_budget_s": 6.0,
        "request_timeout_s": 5.0,
    }
    values.update(changes)
    return OptimizeConfig(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_counter_rewrite_is_rejected_and_the_projects_test_ran(pairs: Path, seed: int) -> None:
    with FakeOpenAI([Reply.text(COUNTER)]) as server:
        result = optimize(f"{pairs / 'slowmod.py'}::pair_sums", settings(server, pairs, seed=seed))
    assert not result.accepted
    [attempt] = result.attempts
    # The probes find it before the tests do; either way it is never verified.
    assert attempt.outcome in (Outcome.WRONG_ANSWER, Outcome.TESTS_FAILED)
    assert result.inputs.tests.to_json() == {
        "status": "ran",
        "ran": 1,
        "passed_with_original": 1,
        "failed_with_original": 0,
    }
    assert result.inputs.seed == seed
    assert result.inputs.structured >= 100
    assert not any("could not run" in note for note in result.notes)


def test_the_projects_test_alone_rejects_it_when_it_survives_the_other_checks(
    pairs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the probes switched off the differential inputs are random and may miss the bug, as in the
    # issue; the user's test must then catch it.
    # Module objects, not dotted strings: effilab.optimize is also the name of the API function.
    monkeypatch.setattr(optimize_session, "structured_inputs", lambda *a, **k: [])
    monkeypatch.setattr(optimize_verify, "rare_output_inputs", lambda *a, **k: [])
    with FakeOpenAI([Reply.text(COUNTER)]) as server:
        result = optimize(
            f"{pairs / 'slowmod.py'}::pair_sums", settings(server, pairs, seed=3, min_checked=1)
        )
    [attempt] = result.attempts
    assert not result.accepted
    assert attempt.outcome in (Outcome.TESTS_FAILED, Outcome.WRONG_ANSWER, Outcome.SPECIAL_CASED)
    if attempt.outcome is Outcome.TESTS_FAILED:
        assert "test_pair_sums" in attempt.detail


def test_without_the_tests_the_probes_still_reject_it(pairs: Path) -> None:
    with FakeOpenAI([Reply.text(COUNTER)]) as server:
        result = optimize(
            f"{pairs / 'slowmod.py'}::pair_sums", settings(server, pairs, run_tests=False, seed=5)
        )
    [attempt] = result.attempts
    assert attempt.outcome is Outcome.WRONG_ANSWER
    assert result.inputs.tests.status == "disabled (--no-tests)"
    assert any("--no-tests" in note for note in result.notes)


def test_tests_that_cannot_run_stop_optimize_unless_no_tests(
    pairs: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (pairs / "tests" / "test_dep.py").write_text(
        "import not_installed_anywhere\n\n\ndef test_x():\n    pass\n"
    )
    spec = f"{pairs / 'slowmod.py'}::pair_sums"
    with FakeOpenAI([Reply.text(COUNTER)]) as server, pytest.raises(InvalidArgument) as caught:
        optimize(spec, settings(server, pairs))
    message = str(caught.value)
    assert "could not run" in message
    assert "not_installed_anywhere" in message
    assert "--no-tests" in message
    status = main(["optimize", spec, "--inputs", str(pairs / "gen.py"), "--db", str(tmp_path / "r.sqlite")])
    err = capsys.readouterr().err
    assert status == 2
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "Traceback" not in err


def test_the_projects_own_environment_is_importable_by_its_tests(
    pairs: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = pairs / ".venv" / "lib" / version / "site-packages"
    (site / "pairhelpers").mkdir(parents=True)
    (pairs / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (site / "pairhelpers" / "__init__.py").write_text("EXPECTED = 3\n")
    (pairs / "tests" / "test_dep.py").write_text(
        "from pairhelpers import EXPECTED\nfrom slowmod import pair_sums\n\n\n"
        "def test_with_dependency():\n    assert pair_sums([5, 5, 5], 10) == EXPECTED\n"
    )
    with FakeOpenAI([Reply.text(COUNTER)]) as server:
        status = main(
            [
                "optimize",
                f"{pairs / 'slowmod.py'}::pair_sums",
                "--model",
                "m",
                "--strategy",
                "best-of-n",
                "--n",
                "1",
                "--base-url",
                server.base_url,
                "--api-key-env",
                "PATH",  # any set variable: the fake server takes every key
                "--inputs",
                str(pairs / "gen.py"),
                "--json",
                "--db",
                str(tmp_path / "r.sqlite"),
            ]
        )
    out = json.loads(capsys.readouterr().out)
    assert status == 1
    assert out["inputs"]["tests"]["status"] == "ran"
    assert out["inputs"]["tests"]["ran"] == 2
    assert out["inputs"]["tests"]["passed_with_original"] == 2
    assert out["inputs"]["min_checked"] == 50
    assert out["attempts"][0]["verdict"] in ("wrong_answer", "tests_failed")
