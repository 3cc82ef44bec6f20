"""Processes: fork bombs, daemonised grandchildren, signals to the host, abrupt exits."""

from __future__ import annotations

import os
import signal
import time

import pytest

from effilab.sandbox import Verdict


def test_fork_bomb_is_bounded(tier, run_candidate, process_sampler):
    max_processes = 16
    with process_sampler() as sampler:
        result = run_candidate("fork_bomb", tier, (0.5,), max_processes=max_processes, timeout_s=3)
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    forks = call.value["forks"]
    assert forks <= max_processes <= 64, f"{forks} forks succeeded"
    assert call.value["root_failures"] > 0, "the bomb never hit the process limit"
    # Seen from the host: never more than the limit plus the launcher (and bubblewrap's init).
    assert sampler.samples > 0
    assert sampler.peak_count <= max_processes + 3, f"{sampler.peak_count} sandbox processes at once"


def test_daemonised_grandchild_does_not_outlive_the_call(tier, open_worker, host):
    marker = host.stray_marker
    with open_worker("stray_grandchild", tier) as (worker, _):
        call = worker.call([marker])
        assert call.verdict == Verdict.OK, call
        assert call.value["escaped"] == "-", "setsid/setpgid must be denied"
        # The call has returned and the worker is still serving: the stray must already be gone.
        deadline = time.monotonic() + 2.0
        while host.processes_with_comm(marker) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert host.processes_with_comm(marker) == [], "the daemonised grandchild survived the call"
        assert worker.alive
        again = worker.call([marker])  # the worker still works after its stray was reaped
        assert again.verdict == Verdict.OK, again
    assert host.processes_with_comm(marker) == []


def test_daemonised_grandchild_does_not_outlive_run(tier, run_candidate, host):
    result = run_candidate("stray_grandchild", tier, (host.stray_marker,))
    assert result.calls[0].verdict == Verdict.OK, result.calls[0]
    assert host.processes_with_comm(host.stray_marker) == []


def test_signals_do_not_reach_the_host(tier, run_candidate, sigurg_recorder):
    # SIGURG is ignored by default: if the sandbox leaked it, other processes would not be hurt, but the
    # handler installed in this test process would see it.
    args = (int(signal.SIGURG), os.getpid(), os.getpgid(0))
    result = run_candidate("signal_others", tier, args)
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert sigurg_recorder.received == [], "a signal from the sandbox reached the test process"
    for target, outcome in call.value.items():
        assert outcome.startswith("denied"), f"{target}: {outcome}"


def test_killing_the_parent_is_denied(tier, run_candidate):
    result = run_candidate("kill_parent", tier)
    call = result.calls[0]
    # We are still here to check (the parent of the interpreter is this process in the process tier).
    assert call.verdict in (Verdict.OK, Verdict.RUNTIME_ERROR), call
    if call.verdict == Verdict.OK:
        assert call.value.startswith("PermissionError"), call.value


def test_os_exit_is_a_crash(tier, run_candidate):
    result = run_candidate("os_exit", tier)
    call = result.calls[0]
    assert call.verdict == Verdict.CRASHED, call
    assert call.value is None
    assert "status 3" in call.error.message


@pytest.mark.parametrize(
    ("mode", "exc_type"),
    [("exit0", "SystemExit"), ("exit_none", "SystemExit"), ("keyboard", "KeyboardInterrupt")],
)
def test_system_exit_is_not_a_success(tier, run_candidate, mode, exc_type):
    result = run_candidate("sys_exit", tier, (mode,))
    call = result.calls[0]
    assert call.verdict == Verdict.RUNTIME_ERROR, call
    assert call.error.type == exc_type
    assert call.value is None
