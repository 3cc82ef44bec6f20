"""Strategies come from a registry and differ only through the protocol; results are typed and their JSON
keeps the keys (and their order) that --json has always printed."""

from __future__ import annotations

import pytest

from effilab.errors import InvalidArgument
from effilab.optimize.attempt import Attempt
from effilab.optimize.results import InputsSummary, ProjectTestsSummary, Usage, VersionFacts
from effilab.optimize.session import OptimizeConfig
from effilab.optimize.strategies import LLM_STRATEGIES, REGISTRY, STRATEGIES, resolve_strategy


def _attempts(n: int) -> list[Attempt]:
    return [Attempt(index=i + 1, strategy="refine", round=1, parent=None) for i in range(n)]


def test_the_registry_names_every_strategy_and_auto_resolves_by_model() -> None:
    assert STRATEGIES == ("auto", "numba", "best-of-n", "refine", "beam")
    assert LLM_STRATEGIES == ("best-of-n", "refine", "beam")
    assert resolve_strategy("auto", model=None).name == "numba"
    assert resolve_strategy("auto", model="m").name == "refine"
    assert not REGISTRY["numba"].uses_model
    with pytest.raises(InvalidArgument, match="choose one of"):
        resolve_strategy("genetic", model="m")


def test_each_strategy_picks_rounds_parents_and_history() -> None:
    verified, attempts = _attempts(3), _attempts(5)
    best_of_n, refine, beam = REGISTRY["best-of-n"], REGISTRY["refine"], REGISTRY["beam"]
    assert (best_of_n.rounds(4), refine.rounds(4), beam.rounds(4)) == (1, 4, 4)
    assert best_of_n.parents(verified, 2) == [None]
    assert refine.parents(verified, 2) == [verified[0]]
    assert refine.parents([], 2) == [None]
    assert beam.parents(verified, 2) == verified[:2]
    assert beam.parents([], 2) == [None]
    assert refine.history(attempts, verified[0]) == attempts  # every earlier attempt
    assert beam.history(attempts, verified[1]) == [verified[1]]  # only the parent
    assert beam.history(attempts, None) == []


def test_the_config_reports_the_resolved_strategy() -> None:
    assert OptimizeConfig().resolved_strategy == "numba"
    assert OptimizeConfig(model="m").to_json()["strategy"] == "refine"
    with pytest.raises(InvalidArgument, match="needs --model"):
        OptimizeConfig(strategy="beam")


def test_typed_results_print_the_same_json_as_the_dicts_did() -> None:
    original = VersionFacts(workload="3 inputs at size 10", hot_lines="")
    assert original.to_json() == {"workload": "3 inputs at size 10", "hot_lines": ""}
    assert VersionFacts().to_json() == {}
    measured = VersionFacts(measured=True, peak_bytes=None, complexity_measured=True, complexity=None)
    assert list(measured.to_json()) == ["peak_bytes", "complexity"]
    tests = ProjectTestsSummary(status="ran", ran=2, passed_with_original=2)
    inputs = InputsSummary(seed=1, sources=("type hints",), examples=3, structured=4, differential=7,
                           fresh_per_candidate=5, dropped={}, min_checked=50, tests=tests)  # fmt: skip
    assert list(inputs.to_json()) == ["seed", "sources", "examples", "structured", "differential",
                                      "fresh_per_candidate", "dropped", "min_checked", "tests"]  # fmt: skip
    assert inputs.to_json()["tests"] == {"status": "ran", "ran": 2, "passed_with_original": 2,
                                         "failed_with_original": 0}  # fmt: skip
    usage = Usage(model=None, model_calls=0, prompt_tokens=0, completion_tokens=0, cost_usd=None,
                  prompts=None)  # fmt: skip
    assert list(usage.to_json()) == ["model", "model_calls", "prompt_tokens", "completion_tokens", "cost_usd",
                                     "prompts"]  # fmt: skip
