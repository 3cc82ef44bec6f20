"""The parent's view of a sandbox's cost: every thread and child counted, nothing counted while frozen."""

from __future__ import annotations

import pytest

from effilab.sandbox import Limits, Worker

PROGRAM = b"""
import os
import threading


def burn(n):
    total = 0
    for i in range(n):
        total += i
    return total


def in_threads(n):
    threads = [threading.Thread(target=burn, args=(n,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return 0


def in_child(n):
    pid = os.fork()
    if pid == 0:
        burn(n)
        os._exit(0)
    os.waitpid(pid, 0)
    return 0


def spin_in_background():
    threading.Thread(target=burn, args=(10**12,), daemon=True).start()
    return 0
"""
WORK = 2_000_000


def cpu_of(entry: str, *args: object, isolation: str = "auto") -> tuple[int, int | None, str | None]:
    """(CPU of the whole sandbox during one call as the parent saw it, the child's own claim, tier)."""
    with Worker(limits=Limits(timeout_s=60, max_processes=16), isolation=isolation) as worker:
        assert worker.load(PROGRAM, entry=entry).verdict.is_ok
        before = worker.sandbox_cpu_ns()
        result = worker.call(list(args))
        assert result.verdict.is_ok, result.detail
        return worker.sandbox_cpu_ns() - before, result.cpu_ns, worker.accounting


def test_work_in_threads_is_counted_by_the_parent() -> None:
    single, _, _tier = cpu_of("burn", WORK)
    threaded, _, _ = cpu_of("in_threads", WORK)
    # Three threads do three times the work: at least twice the single run, whatever the load.
    assert threaded > 2 * single


def test_work_in_a_forked_child_is_counted_with_cgroup_accounting() -> None:
    single, _, tier = cpu_of("burn", WORK)
    if tier == "procfs":
        pytest.skip("the procfs tier cannot see an exited child (documented)")
    forked, _, _ = cpu_of("in_child", WORK)
    assert forked > 0.6 * single


def test_a_frozen_sandbox_uses_no_cpu_until_thawed() -> None:
    with Worker(limits=Limits(timeout_s=60, max_processes=16)) as worker:
        assert worker.load(PROGRAM, entry="spin_in_background").verdict.is_ok
        assert worker.call([]).verdict.is_ok  # a thread now spins forever
        worker.freeze()
        frozen_from = worker.sandbox_cpu_ns()
        # Wait for a measurable amount of work elsewhere, not for wall time: the parent burns CPU itself.
        sum(range(3_000_000))
        frozen_cpu = worker.sandbox_cpu_ns() - frozen_from
        worker.thaw()
        thawed_from = worker.sandbox_cpu_ns()
        sum(range(3_000_000))
        thawed_cpu = worker.sandbox_cpu_ns() - thawed_from
    assert frozen_cpu < 1_000_000  # < 1 ms: nothing ran (SIGSTOP/freezer granularity)
    assert thawed_cpu > 10 * max(frozen_cpu, 100_000)
