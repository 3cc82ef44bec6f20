"""What the candidate says about itself: timings, values, protocol messages. None of it may be forged."""

from __future__ import annotations

import pytest

from effilab.sandbox import Verdict

BUSY_S = 0.3


def test_patched_time_module_does_not_forge_timings(tier, run_candidate):
    result = run_candidate("forge_timers", tier, (BUSY_S,), timeout_s=3)
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    real_wall_ns, real_cpu_ns = call.value
    assert real_wall_ns >= BUSY_S * 1e9  # it did burn the time
    assert real_cpu_ns >= BUSY_S * 1e9
    assert call.parent_wall_ns >= BUSY_S * 1e9
    assert call.wall_ns is not None
    assert call.cpu_ns is not None
    assert call.wall_ns >= 0.2e9, f"forged wall_ns={call.wall_ns} (parent saw {call.parent_wall_ns})"
    assert call.cpu_ns >= 0.2e9, f"forged cpu_ns={call.cpu_ns}"
    assert call.wall_ns <= call.parent_wall_ns


@pytest.mark.parametrize(
    "kind",
    [
        "object",
        "list",
        "int",
        "str",
        "dict",
        "float",
        "impostor",
        "intenum",
        "nested_in_list",
        "nested_in_tuple",
        "dict_key",
        "dict_value",
        "set_member",
    ],
)
def test_objects_with_forged_equality_are_unserializable(tier, run_candidate, kind):
    result = run_candidate("evil_eq", tier, (kind,))
    call = result.calls[0]
    assert call.verdict == Verdict.UNSERIALIZABLE_OUTPUT, call
    assert call.value is None


def test_fake_replies_on_stdout_and_stderr_are_ignored(tier, run_candidate):
    result = run_candidate("forge_protocol", tier, ("std_streams", 7))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert call.value == 7
    assert '"value": 42' in call.stdout_tail  # captured, not parsed
    assert '"value": 42' in call.stderr_tail
    assert call.wall_ns != 1


def test_forged_reply_on_the_result_pipe_is_not_accepted(tier, run_candidate):
    # The candidate writes {"op": "result", "status": "ok", "value": 42, "wall_ns": 1, ...} on every fd
    # from 3 up to its RLIMIT_NOFILE (one of them is the result pipe), then returns 7.
    result = run_candidate("forge_protocol", tier, ("all_fds", 7))
    call = result.calls[0]
    forged = call.verdict == Verdict.OK and (call.value == 42 or call.wall_ns == 1)
    assert not forged, (
        f"the parent accepted a forged reply: verdict ok, value {call.value}, wall_ns {call.wall_ns}"
    )
    assert call.verdict == Verdict.CRASHED or (call.verdict == Verdict.OK and call.value == 7), call


@pytest.mark.parametrize(("candidate", "forged"), [("forge_bootstrap_timers", True), ("honest_busy", False)])
def test_timers_forged_inside_the_interpreter_are_detected_by_the_parent(tier, candidate, forged):
    """A candidate shares the interpreter with the bootstrap, so it *can* overwrite the clocks the bootstrap
    bound before importing it. What it cannot do is forge the parent's own observation of each run: the
    sampler cross-checks the two and reports the tampering (and a comparison becomes ``unstable``)."""
    from pathlib import Path

    from effilab.measure import Program, Sampler, resolve_backend
    from effilab.sandbox import Limits

    source = (Path(__file__).parent / "candidates" / f"{candidate}.py").read_bytes()
    program = Program(source, "f", f"{candidate}.py")
    with Sampler(program, [(0.006,)], backend=resolve_backend("time"), limits=Limits(timeout_s=5),
                 isolation=tier, target_sample_s=0.02) as sampler:  # fmt: skip
        for _ in range(4):
            assert sampler.take(), sampler.failure
        warnings = sampler.integrity_warnings()
    assert any("clock tampering" in warning for warning in warnings) is forged, warnings
