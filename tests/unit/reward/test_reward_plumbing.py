"""EfficiencyReward's plumbing without sandboxes: the evaluator is replaced by a stub, so what is tested is
the batching, the cache, sharing of judgements in flight, argument checks and how failures surface."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from effilab.errors import InvalidArgument, SandboxStartError
from effilab.evaluate.engine import ProblemContext
from effilab.evaluate.store import SampleRow
from effilab.reward import EfficiencyReward, Outcome, ProblemUnusable, RewardError, UnknownTask
from effilab.reward import efficiency as efficiency_module

TASK = "pair-sum-count"
RIGHT = "```python\ndef count_pairs(nums, target):\n    return 1\n```"
WRONG = "```python\ndef count_pairs(nums, target):\n    return 0\n```"


class StubEngine:
    """Stands in for evaluate_sample: a program returning 1 is 'correct' with eff 0.5, others wrong."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.lock = threading.Lock()
        self.gate: threading.Event | None = None
        self.error: BaseException | None = None

    def __call__(self, ctx: Any, program: Any, *, task_sample: Any, checker: Any) -> SampleRow:
        del ctx, checker
        with self.lock:
            self.calls.append(program.source.decode())
        if self.gate is not None:
            assert self.gate.wait(30)
        if self.error is not None:
            raise self.error
        right = b"return 1" in program.source
        return SampleRow(
            task_sample[0],
            0,
            0,
            "ok" if right else "wrong_answer",
            right,
            0.5 if right else 0.0,
            2.0 if right else None,
            False,
            None,
            "",
            0.01,
        )


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubEngine]:
    engine = StubEngine()
    monkeypatch.setattr(efficiency_module, "evaluate_sample", engine)
    monkeypatch.setattr(ProblemContext, "ensure", lambda self: False)  # no references to build
    yield engine
    if engine.gate is not None:
        engine.gate.set()


@pytest.fixture
def reward() -> Iterator[EfficiencyReward]:
    with EfficiencyReward(suite="effilab", workers=2, variant="eff", seed=1) as made:
        yield made


def test_rewards_follow_the_outcomes(stub: StubEngine, reward: EfficiencyReward) -> None:
    results = reward.score_detailed([TASK] * 3, [RIGHT, WRONG, "no code here"])
    assert [r.outcome for r in results] == [Outcome.CORRECT, Outcome.FAILED, Outcome.MALFORMED]
    assert [r.reward for r in results] == [1.5, 0.0, -0.5]
    assert len(stub.calls) == 2  # the malformed completion never reached the evaluator


def test_cache_and_duplicates_are_judged_once(stub: StubEngine, reward: EfficiencyReward) -> None:
    first = reward.score_detailed([TASK] * 3, [RIGHT, RIGHT, WRONG])
    assert len(stub.calls) == 2
    assert [r.cached for r in first] == [False, True, False]
    again = reward.score_detailed([TASK, TASK], [RIGHT, [{"role": "assistant", "content": WRONG}]])
    assert len(stub.calls) == 2
    assert [r.cached for r in again] == [True, True]
    assert [r.reward for r in again] == [1.5, 0.0]


def test_trainer_convention(stub: StubEngine, reward: EfficiencyReward) -> None:
    metrics: list[tuple[str, float]] = []
    extra: list[tuple[str, list[Any]]] = []
    rewards = reward(
        prompts=["p", "p"],
        completions=[RIGHT, WRONG],
        task_id=[TASK, TASK],
        trainer_state=None,
        log_metric=lambda k, v: metrics.append((k, v)),
        log_extra=lambda k, v: extra.append((k, v)),
    )
    assert rewards == [1.5, 0.0]
    assert ("effilab/correct", 0.5) in metrics
    assert extra == [("effilab_outcome", ["ok", "wrong_answer"])]
    assert reward.__name__ == "effilab_efficiency"


def test_argument_errors_come_before_any_work(stub: StubEngine, reward: EfficiencyReward) -> None:
    with pytest.raises(UnknownTask, match="no-such-task"):
        reward.score([TASK, "no-such-task"], [RIGHT, RIGHT])
    with pytest.raises(InvalidArgument, match="2 task ids for 1 completions"):
        reward.score([TASK, TASK], [RIGHT])
    with pytest.raises(InvalidArgument, match="task_id: missing"):
        reward(prompts=["p"], completions=[RIGHT])
    with pytest.raises(InvalidArgument, match="task_ids"):
        reward.score(TASK, [RIGHT])
    assert stub.calls == []
    assert isinstance(UnknownTask("x"), InvalidArgument)


def test_effilab_failures_are_exceptions(stub: StubEngine, reward: EfficiencyReward) -> None:
    stub.error = SandboxStartError("bwrap: cannot start")
    with pytest.raises(SandboxStartError, match="cannot start"):
        reward.score([TASK], [RIGHT])
    stub.error = RuntimeError("a bug")
    with pytest.raises(RewardError, match="a bug"):
        reward.score([TASK], [RIGHT])
    stub.error = None
    assert reward.score([TASK], [RIGHT]) == [1.5]  # nothing of the failures was cached


def test_broken_problem(monkeypatch: pytest.MonkeyPatch, reward: EfficiencyReward) -> None:
    def broken(self: ProblemContext) -> bool:
        self.broken = "the oracle failed"
        return True

    monkeypatch.setattr(ProblemContext, "ensure", broken)
    with pytest.raises(ProblemUnusable, match="the oracle failed"):
        reward.score([TASK], [RIGHT])


def test_concurrent_calls_share_a_judgement_in_flight(stub: StubEngine, reward: EfficiencyReward) -> None:
    stub.gate = threading.Event()
    out: list[list[float]] = []
    threads = [threading.Thread(target=lambda: out.append(reward.score([TASK], [RIGHT]))) for _ in range(2)]
    for thread in threads:
        thread.start()
    key = next(iter(reward._inflight), None)
    for _ in range(3000):  # until both calls wait on the one judgement (bounded: 30 s at most)
        key = next(iter(reward._inflight), None)
        if key is not None and reward._inflight[key].waiters == 2:
            break
        threading.Event().wait(0.01)
    assert key is not None
    assert reward._inflight[key].waiters == 2
    stub.gate.set()
    for thread in threads:
        thread.join(30)
    assert out == [[1.5], [1.5]]
    assert len(stub.calls) == 1


def test_deadline_gives_the_failure_reward(stub: StubEngine) -> None:
    stub.gate = threading.Event()  # the judgement cannot finish before the bound
    with EfficiencyReward(suite="effilab", workers=1, batch_timeout=0.2, seed=1) as reward:
        results = reward.score_detailed([TASK, TASK], [RIGHT, WRONG])
        assert [r.outcome for r in results] == [Outcome.DEADLINE, Outcome.DEADLINE]
        assert [r.reward for r in results] == [0.0, 0.0]
        assert len(stub.calls) == 1  # one pool thread: the second judgement was queued, then cancelled
        stub.gate.set()
    # close() waited for the running judgement; it was kept for later batches.
    assert reward.cache.get((TASK, _digest(RIGHT))) is not None
    assert reward.cache.get((TASK, _digest(WRONG))) is None


def _digest(completion: str) -> str:
    from effilab.reward.completions import prepare

    return prepare(completion, "count_pairs").digest


def test_pickles_with_its_settings(reward: EfficiencyReward) -> None:
    copy = pickle.loads(pickle.dumps(reward))
    assert copy.config == reward.config
    assert copy.shape == reward.shape
    assert copy.__name__ == reward.__name__
    copy.close()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"workers": 0}, "workers"),
        ({"metric": "cycles"}, "metric"),
        ({"batch_timeout": -1}, "batch_timeout"),
        ({"variant": "fast"}, "variant"),
        ({"baseline": "nope"}, "baseline"),
        ({"task_column": ""}, "task_column"),
        ({"suite": "/no/such/suite"}, "no/such/suite"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        EfficiencyReward(**kwargs)


def test_exported_from_the_package() -> None:
    import effilab

    assert effilab.EfficiencyReward is EfficiencyReward
    assert "EfficiencyReward" in effilab.__all__
