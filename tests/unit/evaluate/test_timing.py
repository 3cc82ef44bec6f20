"""The timed-call arithmetic of the evaluator, on a scripted worker: what the parent observes is the cost."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import pytest

from effilab.evaluate import engine
from effilab.evaluate.engine import EvalConfig
from effilab.sandbox import EncodedArgs, Verdict
from effilab.sandbox.worker import Sample

NULL_NS = 10_000
COLD_NS = round(engine._COLD_START_S * 1e9)


@dataclasses.dataclass
class Scripted:
    """One measure() call: the kernel CPU of the run, of the whole measurement, and the values returned."""

    run_ns: int
    total_ns: int
    values: list[object]
    child_claims_ns: int = 1  # what the child says about itself: must never matter


class FakeWorker:
    """A worker whose costs are scripted: sandbox_cpu_ns() advances by each measurement's total."""

    def __init__(self, script: Sequence[Scripted]) -> None:
        self.script = list(script)
        self.cpu = 0
        self.repeats: list[int] = []
        self.distinct_runs: list[int] = []
        self.frozen = 0

    def sandbox_cpu_ns(self) -> int:
        return self.cpu

    def freeze(self) -> None:
        self.frozen += 1

    def thaw(self) -> None:
        pass

    def measure(self, args: object, *, repeat: int, fetch_values: bool, timeout_s: float) -> Sample:
        step = self.script.pop(0)
        assert fetch_values
        self.repeats.append(repeat)
        self.cpu += step.total_ns
        return Sample(Verdict.OK, repeat, step.child_claims_ns, step.child_claims_ns, None, None,
                      step.run_ns, step.run_ns, True, step.values)  # fmt: skip

    def measure_distinct(
        self, inputs: Sequence[EncodedArgs], *, fetch_values: bool, timeout_s: float
    ) -> Sample:
        self.distinct_runs.append(len(inputs))
        return self.measure(inputs, repeat=len(inputs), fetch_values=fetch_values, timeout_s=timeout_s)


@pytest.fixture(autouse=True)
def calibrated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_null_reading", lambda isolation, metric: NULL_NS)


ARGS = EncodedArgs([1])
CONFIG = EvalConfig(seed=0)


def timing(
    worker: FakeWorker, other: FakeWorker | None = None, distinct: engine._Distinct | None = None
) -> engine._Timing:
    return engine._case_timing(worker, other, ARGS, CONFIG, 1.0, False, distinct)  # type: ignore[arg-type]


FURTHER = engine._Distinct(tuple(EncodedArgs([n]) for n in range(2, 130)), tuple(range(2, 130)))
"""128 further inputs of the case's level (and their expected outputs)."""


def test_a_long_first_call_is_the_cost_less_the_calibrated_null() -> None:
    worker = FakeWorker([Scripted(run_ns=5_010_000, total_ns=5_110_000, values=[3])])
    got = timing(worker)
    assert got.cost == pytest.approx(0.005)
    assert got.around_ns == 100_000
    assert got.values == (3,)
    assert worker.repeats == [1]


def test_a_short_call_is_repeated_and_every_value_is_returned() -> None:
    worker = FakeWorker(
        [
            Scripted(run_ns=110_000, total_ns=150_000, values=[7]),  # first call: 100 µs
            Scripted(run_ns=10_000 + 20 * 90_000, total_ns=2_000_000, values=[7] * 20),
        ]
    )
    got = timing(worker)
    assert worker.repeats == [1, 20]  # sized to ~2 ms
    assert got.cost == pytest.approx(90e-6)  # the repetitions' per-call cost
    assert len(got.values) == 21


def test_repetitions_far_cheaper_than_the_first_call_count_as_the_first_call_over_the_slack() -> None:
    # A cache keyed on the input: the first call pays 1 ms, the repetitions nothing (the run sized from the
    # first call is also sized again from its own per-call cost: still nothing).
    worker = FakeWorker(
        [
            Scripted(run_ns=1_010_000, total_ns=1_050_000, values=[1]),
            Scripted(run_ns=10_000, total_ns=30_000, values=[1, 1]),
            Scripted(run_ns=10_000, total_ns=30_000, values=[1] * engine._MAX_REPEAT),
        ]
    )
    got = timing(worker)
    assert worker.repeats == [1, 2, engine._MAX_REPEAT]
    assert got.cost == pytest.approx((0.001 - COLD_NS / 1e9) / engine._FIRST_CALL_SLACK)


def test_a_first_call_within_a_cold_start_does_not_floor_the_repetitions() -> None:
    # A 1 µs function whose first call in a fresh process cost 16 µs: a cold start, not a cache's first
    # miss; the repetitions' per-call cost stands.
    repeat = math.ceil(engine._SHORT_CALL_S / 16e-6)  # the run is sized from the first call…
    again = math.ceil(engine._SHORT_CALL_S / 1e-6)  # …and, far too short, again from its own per-call cost
    worker = FakeWorker(
        [
            Scripted(run_ns=NULL_NS + 16_000, total_ns=NULL_NS + 30_000, values=[1]),
            Scripted(run_ns=NULL_NS + repeat * 1_000, total_ns=NULL_NS + 200_000, values=[1] * repeat),
            Scripted(run_ns=NULL_NS + again * 1_000, total_ns=NULL_NS + 2_200_000, values=[1] * again),
        ]
    )
    got = timing(worker)
    assert worker.repeats == [1, repeat, again]
    assert got.cost == pytest.approx(1e-6)
    assert len(got.values) == 1 + repeat + again  # every value of every run comes back to be checked


def test_a_cache_cannot_buy_more_than_the_slack_below_its_cost_on_distinct_inputs() -> None:
    # 10 µs per call on an input never seen, nothing on a repeated one; one first call of 15 µs would set
    # no floor at all (within a cold start), but 128 distinct inputs cost 1.28 ms in one run.
    worker = FakeWorker(
        [
            Scripted(run_ns=NULL_NS + 15_000, total_ns=NULL_NS + 30_000, values=[1]),
            Scripted(run_ns=NULL_NS, total_ns=NULL_NS, values=[1] * 134),
            Scripted(run_ns=NULL_NS, total_ns=NULL_NS, values=[1] * engine._MAX_REPEAT),
            Scripted(run_ns=NULL_NS + 1_280_000, total_ns=NULL_NS + 1_300_000, values=list(range(2, 130))),
        ]
    )
    got = timing(worker, distinct=FURTHER)
    assert worker.distinct_runs == [128]
    assert got.cost == pytest.approx((1.28e-3 - engine._COLD_START_S) / 128 / engine._FIRST_CALL_SLACK)
    assert got.distinct_values == tuple(range(2, 130))  # returned for the parent to check


def test_honest_code_is_not_floored_by_its_cost_on_distinct_inputs() -> None:
    # 1 µs per call whatever the input; the distinct run also pays a 30 µs cold start, shared by 128 calls.
    again = math.ceil(engine._SHORT_CALL_S / 1e-6)
    worker = FakeWorker(
        [
            Scripted(run_ns=NULL_NS + 40_000, total_ns=NULL_NS + 60_000, values=[1]),
            Scripted(run_ns=NULL_NS + 50_000, total_ns=NULL_NS + 60_000, values=[1] * 50),
            Scripted(run_ns=NULL_NS + again * 1_000, total_ns=NULL_NS + 2_100_000, values=[1] * again),
            Scripted(run_ns=NULL_NS + 158_000, total_ns=NULL_NS + 170_000, values=list(range(2, 130))),
        ]
    )
    got = timing(worker, distinct=FURTHER)
    assert got.cost == pytest.approx(1e-6)


def test_the_childs_own_claims_do_not_change_the_cost() -> None:
    honest = FakeWorker(
        [Scripted(run_ns=5_010_000, total_ns=5_020_000, values=[0], child_claims_ns=5_000_000)]
    )
    liar = FakeWorker([Scripted(run_ns=5_010_000, total_ns=5_020_000, values=[0], child_claims_ns=1)])
    assert timing(honest).cost == timing(liar).cost


def test_the_other_side_is_frozen_while_one_is_timed() -> None:
    worker = FakeWorker([Scripted(run_ns=5_010_000, total_ns=5_010_000, values=[0])])
    other = FakeWorker([])
    timing(worker, other)
    assert other.frozen == 1
    assert worker.frozen == 0


def test_cpu_around_the_call_is_charged_only_beyond_the_harness_noise() -> None:
    assert engine._excess_around(300_000, 200_000) == 0  # within twice the anchor's, plus 0.1 ms
    # Work done while the arguments were prepared: 5 ms more than the anchor spends there.
    assert engine._excess_around(5_400_000, 200_000) == pytest.approx(0.0049)
