"""Ways around the Python level: running programs, ctypes into libc and raw system calls, reloaded modules,
namespaces, mounts, tracing."""

from __future__ import annotations

import os
import signal

import pytest

from effilab.sandbox import Verdict


def _assert_program_did_not_run(call, sandbox_dir, host_marker, marker_name: str) -> None:
    assert call.verdict == Verdict.OK, f"the interpreter did not survive the attempt: {call}"
    assert not (sandbox_dir / marker_name).exists(), "a program ran inside the sandbox"
    assert not host_marker.exists(), "a program ran and wrote to the host"
    assert "EXEC-WORKED" not in call.stdout_tail + call.stderr_tail


def _assert_failed(outcome: str) -> None:
    assert outcome.startswith("denied") or (outcome.startswith("exit ") and outcome != "exit 0"), outcome


@pytest.mark.parametrize(
    "mode", ["subprocess", "system", "posix_spawn", "spawnv", "popen", "execv", "fork_execv"]
)
def test_cannot_run_programs(tier, open_worker, tmp_path, mode):
    host_marker = tmp_path / "exec-host-marker"
    with open_worker("exec_programs", tier) as (worker, sandbox_dir):
        call = worker.call([mode, str(host_marker)])
        _assert_program_did_not_run(call, sandbox_dir, host_marker, "exec-marker")
    _assert_failed(call.value)


@pytest.mark.parametrize("mode", ["reload_system", "posix_system", "posix_fork_exec", "posixsubprocess"])
def test_reloaded_or_lower_level_modules_cannot_run_programs(tier, open_worker, tmp_path, mode):
    host_marker = tmp_path / "reload-host-marker"
    with open_worker("reload_os", tier) as (worker, sandbox_dir):
        call = worker.call([mode, str(host_marker)])
        _assert_program_did_not_run(call, sandbox_dir, host_marker, "reload-marker")
    _assert_failed(call.value)


@pytest.mark.parametrize("mode", ["system", "execv", "raw_execve"])
def test_ctypes_cannot_run_programs(tier, open_worker, tmp_path, mode):
    host_marker = tmp_path / "ctypes-host-marker"
    with open_worker("ctypes_libc", tier) as (worker, sandbox_dir):
        call = worker.call([mode, str(host_marker), os.getpid(), 0, 0])
        _assert_program_did_not_run(call, sandbox_dir, host_marker, "ctypes-marker")
    assert not call.value.startswith("rc=0 "), call.value


def test_ctypes_cannot_signal_the_host(tier, run_candidate, sigurg_recorder):
    result = run_candidate("ctypes_libc", tier, ("kill", "", os.getpid(), int(signal.SIGURG), 0))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert sigurg_recorder.received == [], "a signal sent through libc reached the test process"
    for target, outcome in call.value.items():
        assert outcome.startswith("rc=-1 "), f"{target}: {outcome}"


def test_ctypes_cannot_open_sockets(tier, run_candidate, listener):
    result = run_candidate("ctypes_libc", tier, ("socket", "", os.getpid(), 0, listener.tcp_port))
    listener.stop()
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert listener.connections == [], "a raw-syscall TCP connection reached the host"
    assert call.value["socket"].startswith("rc=-1 "), call.value


def _host_mount_points() -> set[str]:
    with open("/proc/self/mountinfo") as handle:
        return {line.split()[4] for line in handle}


def test_namespaces_mounts_tracing_and_privileged_calls_are_denied(tier, run_candidate, tmp_path):
    mount_target = tmp_path / "mnt"
    mount_target.mkdir()
    mounts_before = _host_mount_points()
    result = run_candidate("namespaces", tier, (str(mount_target), os.getpid()))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert str(mount_target) not in _host_mount_points()
    assert _host_mount_points() == mounts_before
    assert os.listdir(mount_target) == []
    for name, outcome in call.value.items():
        if isinstance(outcome, str):  # could not even name the host's namespace
            continue
        rc, err = outcome
        assert rc == -1, f"{name} succeeded: {outcome}"
        assert err != 0, f"{name}: {outcome}"
