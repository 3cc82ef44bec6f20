"""``effilab doctor``: which isolation layers, cost counters and interpreters this machine supports."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from effilab import api
from effilab.measure.backends import BACKENDS

__all__ = ["register"]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "doctor",
        help="report the isolation, counters and Pythons available here",
        description="Report what this machine supports, verified by starting sandboxes.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_handle)


_ACCOUNTING = {
    "cgroup-v1": "cgroup v1 cpuacct + freezer: every thread and child of a sandbox, nanoseconds",
    "cgroup-v2": "cgroup v2 cpu.stat + cgroup.freeze: every thread and child of a sandbox",
    "procfs": "/proc schedstat of live tasks, SIGSTOP to freeze (weaker: exited tasks are not counted; "
    "run as root with cgroups for the kernel's whole-sandbox account)",
}


def _handle(args: argparse.Namespace) -> int:
    report = api.doctor()
    if args.json:
        print(json.dumps(report.to_dict()))
        return 0
    caps = report.capabilities
    console = Console()
    tiers = Table(title="Isolation tiers (each verified by starting a sandbox)")
    for column in ("tier", "status", "layers in force / reason", "start"):
        tiers.add_column(column)
    for tier in caps.tiers:
        status = "[green]available[/green]" if tier.available else "[red]unavailable[/red]"
        detail = ", ".join(tier.layers) if tier.available else tier.reason
        start = f"{tier.start_ms:.0f} ms" if tier.start_ms is not None else ""
        tiers.add_row(tier.name, status, detail, start)
    console.print(tiers)
    facts = Table(title="Machine", show_header=False)
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("seccomp filter", "yes" if caps.seccomp else "no (only x86_64 is supported)")
    facts.add_row("landlock", f"ABI {caps.landlock_abi}" if caps.landlock_abi else "unavailable")
    facts.add_row("pids cgroup", caps.pids_cgroup or "unavailable (needs root and a pids controller)")
    facts.add_row("cost accounting (read by the parent)", _ACCOUNTING[report.cost_accounting])
    facts.add_row("running as root", "yes" if caps.running_as_root else "no")
    facts.add_row("instruction counter (perf_event_open)", caps.perf_instructions)
    facts.add_row("valgrind (callgrind)", caps.valgrind or "not installed")
    for command, version in caps.pythons:
        facts.add_row("python", f"{version}  {command}")
    console.print(facts)
    backends = Table(title="Cost backends (effilab compare/scale --metric)")
    for column in ("backend", "unit", "status"):
        backends.add_column(column)
    for name, backend in BACKENDS.items():
        reason = backend.unavailable_reason()
        status = "[green]available[/green]" if reason is None else f"[red]unavailable[/red]: {reason}"
        backends.add_row(name, backend.unit, status)
    console.print(backends)
    return 0
