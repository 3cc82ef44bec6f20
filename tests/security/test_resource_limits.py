"""Limits enforced from outside the sandbox: wall clock, CPU, memory, output, result size, file size."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from effilab.sandbox import Verdict

TIMEOUT_S = 2.0
SLACK_S = 3.0  # start-up, kill and clean-up on a loaded machine


def _timed(run_candidate, *args, **kwargs):
    started = time.perf_counter()
    result = run_candidate(*args, **kwargs)
    return result, time.perf_counter() - started


def _assert_stopped_at_the_limit(call, elapsed_s: float) -> None:
    assert call.verdict == Verdict.TIMEOUT, call
    assert call.censored, "a call stopped at a limit must be marked censored"
    assert call.value is None
    # The CPU limit equals the wall limit here, and CPU time never exceeds wall time.
    assert call.parent_wall_ns >= TIMEOUT_S * 0.99e9
    assert call.parent_wall_ns <= (TIMEOUT_S + SLACK_S) * 1e9
    assert elapsed_s <= TIMEOUT_S + SLACK_S


def test_infinite_loop_times_out(tier, run_candidate):
    result, elapsed = _timed(run_candidate, "infinite_loop", tier, timeout_s=TIMEOUT_S)
    _assert_stopped_at_the_limit(result.calls[0], elapsed)
    assert result.verdict == Verdict.TIMEOUT


def test_sleep_times_out_on_the_wall_clock(tier, run_candidate):
    result, elapsed = _timed(run_candidate, "sleep_forever", tier, timeout_s=TIMEOUT_S)
    _assert_stopped_at_the_limit(result.calls[0], elapsed)


def test_ignoring_and_blocking_signals_does_not_escape_the_timeout(tier, run_candidate):
    result, elapsed = _timed(run_candidate, "ignore_signals", tier, timeout_s=TIMEOUT_S)
    _assert_stopped_at_the_limit(result.calls[0], elapsed)


@pytest.mark.parametrize("mode", ["spin", "sleep"])
def test_catching_base_exception_does_not_escape_the_timeout(tier, run_candidate, mode):
    result, elapsed = _timed(run_candidate, "catch_base_exception", tier, (mode,), timeout_s=TIMEOUT_S)
    _assert_stopped_at_the_limit(result.calls[0], elapsed)


@pytest.mark.parametrize("mode", ["single", "touch"])
def test_memory_bomb_hits_the_memory_limit(tier, run_candidate, process_sampler, mode):
    memory_mb = 256
    with process_sampler() as sampler:
        result = run_candidate("memory_bomb", tier, (mode,), memory_mb=memory_mb, timeout_s=3)
    call = result.calls[0]
    assert call.verdict == Verdict.MEMORY_LIMIT, call
    assert call.value is None
    # Seen from the host: the resident memory of everything the sandbox ran stayed under the cap.
    assert sampler.samples > 0
    assert sampler.peak_rss_kib <= (memory_mb + 64) * 1024, f"sandbox peak RSS {sampler.peak_rss_kib} KiB"


@pytest.mark.parametrize("mode", ["print", "stdout_fd", "stderr_fd", "stderr_text"])
def test_output_flood_hits_the_output_limit(tier, run_candidate, mode):
    output_bytes, tail_bytes = 1 << 20, 4096
    result = run_candidate("output_flood", tier, (mode,), output_bytes=output_bytes, tail_bytes=tail_bytes)
    call = result.calls[0]
    assert call.verdict == Verdict.OUTPUT_LIMIT, call
    assert call.parent_wall_ns < TIMEOUT_S * 1e9, "stopped by the output cap, not by the clock"
    # The parent kept only bounded tails, not the flood.
    assert len(call.stdout_tail) <= tail_bytes
    assert len(call.stderr_tail) <= tail_bytes
    assert "x" in call.stdout_tail + call.stderr_tail


def test_huge_return_value_hits_the_result_limit(tier, run_candidate):
    result_bytes = 1 << 20
    result = run_candidate("huge_result", tier, (16 * result_bytes,), result_bytes=result_bytes)
    call = result.calls[0]
    assert call.verdict == Verdict.OUTPUT_LIMIT, call
    assert call.value is None


@pytest.mark.parametrize("mode", ["write", "truncate"])
def test_file_size_limit_bounds_files_in_the_private_tmp(tier, open_worker, mode):
    file_size_mb = 4
    with open_worker("huge_file", tier, file_size_mb=file_size_mb) as (worker, sandbox_dir):
        call = worker.call([mode, 1024 if mode == "truncate" else 64, "big.bin"])
        # Looked at from the host while the sandbox is still alive.
        sizes = {path.name: path.stat().st_size for path in sandbox_dir.iterdir() if path.is_file()}
        blocks = {path.name: path.stat().st_blocks * 512 for path in sandbox_dir.iterdir() if path.is_file()}
    assert call.verdict in (Verdict.RUNTIME_ERROR, Verdict.CRASHED), call
    assert call.error is not None
    assert max(sizes.values(), default=0) <= file_size_mb << 20, sizes
    assert max(blocks.values(), default=0) <= file_size_mb << 20, blocks


def test_file_size_limit_applies_to_dev_shm(tier, run_candidate, host):
    name = f"effilab-shm-{host.token}"
    result = run_candidate("huge_file", tier, ("dev_shm", 64, name), file_size_mb=4)
    call = result.calls[0]
    assert call.verdict == Verdict.RUNTIME_ERROR, call
    assert not (Path("/dev/shm") / name).exists()


@pytest.mark.parametrize("mode", ["python", "c"])
def test_deep_recursion_never_succeeds(tier, run_candidate, mode):
    # Reaching a depth of 10**6 takes about 2 s of CPU here: the limit leaves room for it, so the verdict
    # must say what happened (an error), not that time ran out.
    result = run_candidate("deep_recursion", tier, (mode,), timeout_s=5)
    call = result.calls[0]
    assert call.verdict in (Verdict.RUNTIME_ERROR, Verdict.CRASHED), call
    assert call.value is None
