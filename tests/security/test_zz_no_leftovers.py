"""Runs last (file order): nothing this suite started is still running, nothing it created is left."""

from __future__ import annotations

import os
from pathlib import Path


def _cgroup_mount_points() -> list[Path]:
    points = []
    with open("/proc/self/mountinfo") as handle:
        for line in handle:
            left, _, right = line.partition(" - ")
            if right.split()[:1] in (["cgroup"], ["cgroup2"]):
                points.append(Path(left.split()[4]))
    return points


def test_no_process_or_tmp_dir_or_cgroup_left_behind(host):
    procs, dirs = host.wait_until_clean()
    assert procs == [], f"processes started by the security suite are still running: {procs}"
    assert dirs == [], f"sandbox tmp dirs left behind: {dirs}"
    assert host.processes_with_comm(host.stray_marker) == []
    assert sorted(p.name for p in host.session_tmp.iterdir()) == []
    cgroups = [path for root in _cgroup_mount_points() for path in root.glob(f"effilab/w{os.getpid()}-*")]
    assert cgroups == [], f"pids cgroups of this session left behind: {cgroups}"
