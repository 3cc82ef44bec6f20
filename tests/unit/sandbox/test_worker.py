"""Behaviour of one sandboxed worker: protocol, verdicts, limits, per-call isolation of arguments."""

from __future__ import annotations

import math
import textwrap

import pytest

from effilab.errors import InvalidArgument, SandboxError, SandboxUnavailable
from effilab.sandbox import Limits, RunRequest, Verdict, Worker, make_isolation, run

FAST = Limits(timeout_s=3.0, load_timeout_s=10.0)


def _worker(source: str, tier: str, entry: str = "f", limits: Limits = FAST) -> Worker:
    worker = Worker(limits=limits, isolation=tier)
    worker.start()
    load = worker.load(textwrap.dedent(source), entry=entry)
    assert load.verdict is Verdict.OK, load
    return worker


def _same(a: object, b: object) -> bool:
    """Equality that also checks exact types recursively, nan == nan and the sign of zero."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


VALUES = [
    10**5000,
    -(2**64),
    -0.0,
    float("nan"),
    float("-inf"),
    b"\x00\xff",
    "é\n\x00",
    (1, (2.5, None), [True]),
    {1: "a", (2, 3): frozenset({4}), "$x": {5, 6}},
    [],
    {},
    1 + 2j,
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_values_round_trip_exactly_through_the_sandbox(value: object, any_tier: str) -> None:
    with _worker("def f(x):\n    return x\n", any_tier) as worker:
        result = worker.call([value])
    assert result.verdict is Verdict.OK
    assert _same(result.value, value)


def test_each_call_gets_a_fresh_copy_of_its_arguments(any_tier: str) -> None:
    source = """
        def f(xs):
            xs.append(len(xs))
            return xs
    """
    with _worker(source, any_tier) as worker:
        arg = [1, 2]
        first, second = worker.call([arg]), worker.call([arg])
    assert first.value == second.value == [1, 2, 2]
    assert arg == [1, 2]


def test_kwargs_and_dotted_entry(any_tier: str) -> None:
    source = """
        class Solver:
            @staticmethod
            def solve(a, *, b=0):
                return a - b
    """
    with _worker(source, any_tier, entry="Solver.solve") as worker:
        assert worker.call([10], {"b": 3}).value == 7


def test_error_info_and_output_tails_are_per_call(any_tier: str) -> None:
    source = """
        import sys
        def f(n):
            print("out", n)
            print("err", n, file=sys.stderr)
            if n == 2:
                raise KeyError("missing-key")
            return n
    """
    with _worker(source, any_tier) as worker:
        ok, failed = worker.call([1]), worker.call([2])
    assert ok.verdict is Verdict.OK
    assert ok.stdout_tail == "out 1\n"
    assert ok.stderr_tail == "err 1\n"
    assert failed.verdict is Verdict.RUNTIME_ERROR
    assert failed.stdout_tail == "out 2\n"
    assert failed.error is not None
    assert failed.error.type == "KeyError"
    assert "missing-key" in failed.error.message
    assert 'raise KeyError("missing-key")' in failed.error.traceback  # source lines reach tracebacks


def test_timings_are_reported_and_bounded_by_the_parent(any_tier: str) -> None:
    source = """
        def f(n):
            return sum(i * i for i in range(n))
    """
    with _worker(source, any_tier) as worker:
        result = worker.call([200_000])
    assert result.verdict is Verdict.OK
    assert result.wall_ns is not None
    assert result.cpu_ns is not None
    assert result.peak_rss_kib is not None
    assert 0 < result.wall_ns <= result.parent_wall_ns
    assert result.peak_rss_kib > 1000


def test_a_worker_never_serves_a_second_candidate(any_tier: str) -> None:
    with (
        _worker("def f():\n    return 1\n", any_tier) as worker,
        pytest.raises(SandboxError, match="one candidate"),
    ):
        worker.load("def f():\n    return 2\n", entry="f")


def test_calling_a_dead_worker_is_an_error_not_a_verdict(any_tier: str) -> None:
    with _worker(
        "def f():\n    while True:\n        pass\n", any_tier, limits=FAST.replace(timeout_s=0.3)
    ) as w:
        assert w.call([]).verdict is Verdict.TIMEOUT
        assert not w.alive
        with pytest.raises(SandboxError, match="dead"):
            w.call([])


def test_cpu_limit_is_enforced_separately_from_wall_time(any_tier: str) -> None:
    limits = FAST.replace(timeout_s=20.0, cpu_s=0.3)
    with _worker("def f():\n    while True:\n        pass\n", any_tier, limits=limits) as worker:
        result = worker.call([])
    assert result.verdict is Verdict.TIMEOUT
    assert result.censored
    assert result.error is not None
    assert "CPU" in result.error.message
    assert result.parent_wall_ns < 10e9


def test_load_that_never_finishes_times_out(any_tier: str) -> None:
    request = RunRequest(
        source=b"while True:\n    pass\n",
        entry="f",
        calls=[()],
        limits=FAST.replace(load_timeout_s=0.5),
        isolation=any_tier,
    )
    result = run(request)
    assert result.load.verdict is Verdict.TIMEOUT
    assert result.calls == ()


def test_oversized_result_is_an_output_limit(any_tier: str) -> None:
    limits = FAST.replace(result_bytes=10_000)
    with _worker("def f():\n    return 'x' * 100_000\n", any_tier, limits=limits) as worker:
        assert worker.call([]).verdict is Verdict.OUTPUT_LIMIT


def test_hash_seed_makes_string_hashing_reproducible(any_tier: str) -> None:
    def hashed(seed: int) -> object:
        with Worker(limits=FAST, isolation=any_tier, hash_seed=seed) as worker:
            worker.load("def f(s):\n    return hash(s)\n", entry="f")
            return worker.call(["effilab"]).value

    assert hashed(0) == hashed(0)
    assert hashed(0) != hashed(1)


def test_layers_in_force_are_recorded(any_tier: str) -> None:
    with Worker(limits=FAST, isolation=any_tier) as worker:
        layers = set(worker.layers)
    assert {"fresh-interpreter", "clean-env", "process-group", "rlimits"} <= layers
    if any_tier == "bwrap":
        assert {"bubblewrap", "no-network", "private-tmp"} <= layers
    else:
        assert "bubblewrap" not in layers


def test_entry_must_be_a_dotted_name() -> None:
    with Worker(limits=FAST, isolation="process") as worker, pytest.raises(InvalidArgument, match="entry"):
        worker.load("x = 1", entry="not valid!")


def test_unencodable_arguments_are_rejected_at_the_edge() -> None:
    with (
        _worker("def f(x):\n    return x\n", "process") as worker,
        pytest.raises(InvalidArgument, match="args"),
    ):
        worker.call([object()])


def test_unknown_isolation_tier_is_rejected() -> None:
    with pytest.raises(InvalidArgument, match="isolation='chroot'"):
        make_isolation("chroot")


def test_unavailable_tier_raises_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from effilab.sandbox.isolation import BwrapIsolation

    monkeypatch.setattr(BwrapIsolation, "unavailable_reason", classmethod(lambda cls: "not here"))
    with pytest.raises(SandboxUnavailable, match="not here"):
        make_isolation("bwrap")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timeout_s", 0),
        ("timeout_s", float("inf")),
        ("memory_mb", 8),
        ("output_bytes", -1),
        ("cpu_s", True),
        ("max_processes", 1.5),
    ],
)
def test_limits_reject_bad_values_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidArgument, match=field):
        Limits(**{field: value})  # type: ignore[arg-type]


def test_every_timed_repetition_gets_its_own_copy_of_the_input(any_tier: str) -> None:
    source = """
        def f(xs):
            xs.append(len(xs))  # mutating a shared copy would change the answer of the next repetition
            return list(xs)
    """
    with _worker(source, any_tier) as worker:
        sample = worker.measure([[1, 2]], repeat=5, fetch_value=True)
    assert sample.verdict is Verdict.OK
    assert sample.repeat == 5
    assert sample.consistent
    assert sample.value == [1, 2, 2]
    assert sample.wall_ns is not None
    assert 0 < sample.wall_ns <= sample.parent_wall_ns


def test_inconsistent_repetitions_are_reported(any_tier: str) -> None:
    source = """
        import itertools
        _calls = itertools.count()
        def f():
            return next(_calls)
    """
    with _worker(source, any_tier) as worker:
        assert not worker.measure([], repeat=3).consistent


def test_a_run_stopped_at_its_limit_is_censored(any_tier: str) -> None:
    with _worker("def f():\n    while True:\n        pass\n", any_tier) as worker:
        sample = worker.measure([], repeat=10, timeout_s=0.3)
    assert sample.verdict is Verdict.TIMEOUT
    assert sample.censored
    assert sample.wall_ns is None


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_staged_arguments_are_copied_exactly_for_every_repetition(value: object) -> None:
    # The second measure() of the same argument object sends only its stage id; the child's planned copy
    # must equal what decoding would give, with exact types, for every kind of value the codec carries.
    source = "def f(x):\n    return x\n"
    with _worker(source, "process") as worker:
        args = (value,)
        first = worker.measure(args, repeat=2, fetch_value=True)
        again = worker.measure(args, repeat=3, fetch_value=True)
    assert first.verdict is again.verdict is Verdict.OK
    assert _same(first.value, value)
    assert _same(again.value, value)


def test_staged_mutable_arguments_are_fresh_in_each_repetition_and_each_run() -> None:
    source = """
        def f(rows, seen):
            rows[0].append(1)
            seen.add(len(seen))
            return (len(rows[0]), len(seen))
    """
    with _worker(source, "process") as worker:
        args = ([[0], (1, [2])], {"a"})
        runs = [worker.measure(args, repeat=4, fetch_value=True) for _ in range(3)]
    assert all(run.consistent and run.value == (2, 2) for run in runs)
    assert args == ([[0], (1, [2])], {"a"})  # the parent's object is never touched


def test_more_argument_sets_than_stage_slots_are_sent_again_when_evicted() -> None:
    from effilab.sandbox.worker import STAGE_SLOTS

    source = "def f(x):\n    return x * 2\n"
    inputs = [(i,) for i in range(STAGE_SLOTS + 5)]
    with _worker(source, "process") as worker:
        for args in [*inputs, *inputs]:  # the second pass finds the first inputs evicted
            sample = worker.measure(args, fetch_value=True)
            assert sample.verdict is Verdict.OK
            assert sample.value == args[0] * 2
