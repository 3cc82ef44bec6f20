"""Scoring one patch of a task on five counts, and the task context they share.

1. it applies cleanly (after the ``files`` gate; then the source-scan gates run on the patched files);
2. the guarding tests pass: every test that passes on the base passes with the patch;
3. the workload's outputs are equivalent on both seeds (judged in the parent);
4. its speedup over the base, with a bootstrap confidence interval: rounds of fresh sandboxed runs,
   base and patch interleaved (who goes first alternates), both seeds in every round; a run's cost is the
   kernel's CPU account of its whole box less the median cost of an empty program in the same kind of box
   (the interpreter's start), floored at 5 % of that; the interval is the ratio of medians' percentile
   bootstrap (:func:`effilab.measure.stats.ratio_of_medians`). The speedup reported is the smaller of the
   two seeds'; a patch whose second-seed interval lies wholly below halfway between 1 and its first-seed
   speedup is ``special_cased``;
5. its speedup relative to the expert's (the expert patch scored the same way), when there is one.

A patch is *solved* in GSO's sense (Shetty et al. 2025, "GSO: Challenging Software Optimization Tasks")
when it passes 1–3 and the gates, its speedup is at least ``min_speedup`` (1.2) and, with an expert, at
least ``min_expert_share`` (0.95) of the expert's.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from effilab.check.equality import values_equal
from effilab.errors import EffilabError, InvalidArgument
from effilab.measure.stats import RatioEstimate, median, ratio_of_medians
from effilab.programs.box import BoxPool
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import ProgramRun
from effilab.repotask.gates import GateResult, check_files, scan_sources, workload_constants
from effilab.repotask.materialize import work_copy
from effilab.repotask.patching import PatchError, apply_patch, parse_patch
from effilab.repotask.sandboxed import TestOutcome, Version, null_run, run_tests, run_workload
from effilab.repotask.task import RepoTask
from effilab.sandbox.verdict import Verdict

__all__ = [
    "PatchScore",
    "PatchVerdict",
    "ScoreSettings",
    "Speedup",
    "TaskContext",
    "prepare_task",
    "score_patch",
]

_NULL_RUNS = 5
# Every copy gets a path never used before: the box pool prepares boxes ahead with the copy's path bound in
# them, so a path reused after its copy was removed would show a prepared box the old, deleted folder.
_COPIES = itertools.count()
_NULL_SHARE_FLOOR = 0.05  # as programs/evaluate.py: below it what is left is the launcher's noise

Progress = Callable[[str], None]


class PatchVerdict(enum.StrEnum):
    FASTER = "faster"
    """Passes every check; the speedup's interval lies above 1."""
    NOT_FASTER = "not_faster"
    MALFORMED = "malformed"
    REFUSED = "refused"
    """An anti-hack gate refused it (the gate and the reason are in ``gates``)."""
    DOES_NOT_APPLY = "does_not_apply"
    TESTS_FAILED = "tests_failed"
    WORKLOAD_FAILED = "workload_failed"
    NOT_EQUIVALENT = "not_equivalent"
    SPECIAL_CASED = "special_cased"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ScoreSettings:
    confidence: float = 0.95
    rounds: int | None = None
    """Timed rounds (None: the task's)."""
    min_speedup: float = 1.2
    min_expert_share: float = 0.95
    isolation: str = "auto"


@dataclasses.dataclass(frozen=True, slots=True)
class Speedup:
    """Base cost over patched cost on one seed (net costs in ns; every raw sample kept)."""

    seed: int
    point: float
    low: float
    high: float
    base_ns: tuple[float, ...]
    patched_ns: tuple[float, ...]

    @classmethod
    def of(cls, seed: int, base: list[float], patched: list[float], confidence: float) -> Speedup:
        estimate: RatioEstimate = ratio_of_medians(base, patched, confidence=confidence)
        return cls(seed, estimate.point, estimate.low, estimate.high, tuple(base), tuple(patched))

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "speedup": self.point,
            "ci": [self.low, self.high],
            "base_median_ms": median(self.base_ns) / 1e6,
            "patched_median_ms": median(self.patched_ns) / 1e6,
            "base_ns": list(self.base_ns),
            "patched_ns": list(self.patched_ns),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speedup:
        return cls(int(data["seed"]), float(data["speedup"]), float(data["ci"][0]), float(data["ci"][1]),
                   tuple(data["base_ns"]), tuple(data["patched_ns"]))  # fmt: skip


@dataclasses.dataclass(frozen=True, slots=True)
class PatchScore:
    """The five counts for one patch of one task."""

    instance_id: str
    label: str
    verdict: PatchVerdict
    detail: str
    applies: bool
    gates: tuple[GateResult, ...]
    tests_passed: bool | None
    """None: not reached."""
    tests_failed: tuple[str, ...]
    equivalent: bool | None
    speedups: tuple[Speedup, ...]
    """One per seed (empty when not measured)."""
    expert_speedup: float | None = None
    solved: bool = False

    @property
    def speedup(self) -> Speedup | None:
        """The smaller of the seeds' speedups (the one a score uses)."""
        return min(self.speedups, key=lambda s: s.point) if self.speedups else None

    @property
    def effective_speedup(self) -> float:
        """The speedup a score counts: 1.0 (the base is kept) unless the patch passed every check."""
        best = self.speedup
        if self.verdict not in (PatchVerdict.FASTER, PatchVerdict.NOT_FASTER) or best is None:
            return 1.0
        return best.point

    @property
    def relative(self) -> float | None:
        """Speedup relative to the expert's (SWE-fficiency's speedup ratio), when there is an expert."""
        if self.expert_speedup is None or not self.expert_speedup > 0:
            return None
        return self.effective_speedup / self.expert_speedup

    def to_dict(self) -> dict[str, Any]:
        best = self.speedup
        return {
            "instance_id": self.instance_id,
            "label": self.label,
            "verdict": self.verdict.value,
            "detail": self.detail,
            "applies": self.applies,
            "gates": [g.to_dict() for g in self.gates],
            "tests_passed": self.tests_passed,
            "tests_failed": list(self.tests_failed),
            "equivalent": self.equivalent,
            "speedup": None if best is None else best.point,
            "ci": None if best is None else [best.low, best.high],
            "seeds": [s.to_dict() for s in self.speedups],
            "expert_speedup": self.expert_speedup,
            "relative_to_expert": self.relative,
            "solved": self.solved,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PatchScore:
        return cls(
            instance_id=str(data["instance_id"]),
            label=str(data["label"]),
            verdict=PatchVerdict(data["verdict"]),
            detail=str(data["detail"]),
            applies=bool(data["applies"]),
            gates=tuple(GateResult(g["gate"], bool(g["passed"]), g["detail"]) for g in data["gates"]),
            tests_passed=data["tests_passed"],
            tests_failed=tuple(data["tests_failed"]),
            equivalent=data["equivalent"],
            speedups=tuple(Speedup.from_dict(s) for s in data["seeds"]),
            expert_speedup=data["expert_speedup"],
            solved=bool(data["solved"]),
        )


@dataclasses.dataclass(slots=True)
class TaskContext:
    """What every patch of a task is scored against, made once: the base version, its tests and outputs."""

    task: RepoTask
    pool: BoxPool
    scratch: Path
    base_tree: Path
    base: Version
    base_tests: TestOutcome
    base_outputs: dict[int, bytes]
    null_ns: float
    constants: set[object]
    limits: ProgramLimits
    settings: ScoreSettings
    expert_speedup: float | None = None
    notes: list[str] = dataclasses.field(default_factory=list)


def _python_path(task: RepoTask, root: Path) -> tuple[str, ...]:
    if task.python_path is not None:
        return tuple(str(root / p) for p in task.python_path)
    return (str(root / "src"),) if (root / "src").is_dir() else (str(root),)


def _version(task: RepoTask, root: Path, name: str) -> Version:
    return Version(name, root, _python_path(task, root))


def _run_failure(run: ProgramRun) -> str:
    tail = run.stderr_tail.decode("utf-8", errors="replace").strip().splitlines()
    last = tail[-1].strip() if tail else ""
    return f"{run.verdict.value}{f' ({run.detail})' if run.detail else ''}{f': {last}' if last else ''}"


def _decode(task: RepoTask, stdout: bytes) -> object:
    if task.compare == "text":
        return stdout
    return json.loads(stdout.decode("utf-8"))


def _equivalent(task: RepoTask, expected: bytes, actual: bytes) -> bool:
    if task.compare == "text":
        return expected == actual
    try:
        return values_equal(_decode(task, expected), _decode(task, actual), float_tol=task.float_tol)
    except (ValueError, UnicodeDecodeError):
        return False


def prepare_task(task: RepoTask, base_tree: Path, pool: BoxPool, scratch: Path, settings: ScoreSettings,
                 progress: Progress) -> TaskContext:  # fmt: skip
    """The base version's copy, its tests (they must run, and some must pass), outputs and null cost.

    Raises InvalidArgument when the task is broken: its tests cannot run or none passes on the base, or the
    workload fails, prints nothing parseable, or answers differently on two runs of the same seed.
    """
    limits = ProgramLimits(timeout_s=task.timeout_s, memory_mb=task.memory_mb, open_files=256,
                           output_bytes=16 << 20, file_size_mb=256)  # fmt: skip
    base = _version(task, work_copy(base_tree, scratch, f"base-{next(_COPIES)}"), "base")
    for test in task.tests:
        if not (base.root / test).exists():
            raise InvalidArgument(f"{task.file}: tests.paths: {test} does not exist in the repository")
    progress(f"{task.id}: base tests")
    tests = run_tests(pool, base, task.tests, task.test_args, limits, plugins=task.test_plugins,
                      runner=task.test_runner)  # fmt: skip
    if not tests.ran or tests.errors:
        raise InvalidArgument(f"{task.id}: the guarding tests cannot run on the base: "
                              f"{tests.detail or ', '.join(tests.errors)}")  # fmt: skip
    if not tests.passed:
        raise InvalidArgument(f"{task.id}: no guarding test passes on the base ({tests.detail})")
    outputs: dict[int, bytes] = {}
    for seed in task.seeds:
        progress(f"{task.id}: base workload, seed {seed}")
        runs = [run_workload(pool, base, task.workload, seed, limits) for _ in range(2)]
        for run in runs:
            if run.verdict is not Verdict.OK:
                raise InvalidArgument(f"{task.id}: the workload fails on the base (seed {seed}): "
                                      f"{_run_failure(run)}")  # fmt: skip
        try:
            _decode(task, runs[0].stdout)
        except (ValueError, UnicodeDecodeError):
            raise InvalidArgument(
                f"{task.id}: the workload's output is not JSON (print one JSON document, or set "
                f'workload.compare = "text"): {runs[0].stdout[:80]!r}'
            ) from None
        if not _equivalent(task, runs[0].stdout, runs[1].stdout):
            raise InvalidArgument(f"{task.id}: the workload is not deterministic: two runs of seed {seed} "
                                  "printed different results")  # fmt: skip
        outputs[seed] = runs[0].stdout
    nulls = [null_run(pool, base, limits) for _ in range(_NULL_RUNS)]
    null_ns = median([float(r.cpu_ns or 0) for r in nulls if r.verdict is Verdict.OK] or [0.0])
    constants = workload_constants(task.workload.read_text(encoding="utf-8", errors="replace"))
    return TaskContext(task, pool, scratch, base_tree, base, tests, outputs, null_ns, constants, limits,
                       settings)  # fmt: skip


def _net(run: ProgramRun, null_ns: float) -> float:
    cost = float(run.cpu_ns if run.cpu_ns is not None else math.inf)
    return max(cost - null_ns, _NULL_SHARE_FLOOR * null_ns, 1000.0)


def _score(ctx: TaskContext, label: str, verdict: PatchVerdict, detail: str, **fields: Any) -> PatchScore:
    return PatchScore(instance_id=ctx.task.id, label=label, verdict=verdict, detail=detail,
                      expert_speedup=ctx.expert_speedup, **fields)  # fmt: skip


def score_patch(
    ctx: TaskContext, label: str, text: str, progress: Progress, *, expert: bool = False
) -> PatchScore:
    """The five counts for ``text``. ``expert``: the heuristic gates are reported but do not refuse it."""
    task = ctx.task
    empty: dict[str, Any] = {"applies": False, "gates": (), "tests_passed": None, "tests_failed": (),
                             "equivalent": None, "speedups": ()}  # fmt: skip
    if not text.strip():
        return _score(ctx, label, PatchVerdict.MALFORMED, "empty patch", **empty)
    try:
        changes = parse_patch(text)
    except PatchError as exc:
        return _score(ctx, label, PatchVerdict.MALFORMED, str(exc), **empty)
    files_gate = check_files(changes, tests=task.tests, allow=task.allow)
    if not files_gate.passed:
        return _score(ctx, label, PatchVerdict.REFUSED, f"files: {files_gate.detail}",
                      **{**empty, "gates": (files_gate,)})  # fmt: skip
    root = work_copy(ctx.base_tree, ctx.scratch, f"{'expert' if expert else 'patch'}-{next(_COPIES)}")
    try:
        return _score_applied(ctx, label, text, changes, files_gate, root, progress, expert, empty)
    finally:
        if not expert:
            shutil.rmtree(root, ignore_errors=True)


def _score_applied(ctx: TaskContext, label: str, text: str, changes: Any, files_gate: GateResult, root: Path,
                   progress: Progress, expert: bool, empty: dict[str, Any]) -> PatchScore:  # fmt: skip
    task = ctx.task
    progress(f"{task.id} {label}: applying")
    problem = apply_patch(text, root)
    if problem is not None:
        return _score(ctx, label, PatchVerdict.DOES_NOT_APPLY, problem, **{**empty, "gates": (files_gate,)})
    gates = (files_gate, *scan_sources(changes, base=ctx.base.root, patched=root, workload=ctx.constants))
    fields: dict[str, Any] = {**empty, "applies": True, "gates": gates}
    refused = [g for g in gates if not g.passed]
    if refused and not expert:
        reason = "; ".join(f"{g.gate}: {g.detail}" for g in refused)
        return _score(ctx, label, PatchVerdict.REFUSED, reason, **fields)
    version = _version(task, root, label)
    progress(f"{task.id} {label}: guarding tests")
    tests = run_tests(ctx.pool, version, task.tests, task.test_args, ctx.limits, plugins=task.test_plugins,
                      runner=task.test_runner)  # fmt: skip
    broken = sorted(ctx.base_tests.passed - tests.passed)
    if not tests.ran or broken or tests.errors:
        if not tests.ran:
            why = tests.detail
        elif broken:
            why = f"{len(broken)} test(s) that pass on the base do not: {', '.join(broken[:3])}"
        else:
            why = f"collection errors: {', '.join(tests.errors[:3])}"
        return _score(ctx, label, PatchVerdict.TESTS_FAILED, why,
                      **{**fields, "tests_passed": False, "tests_failed": tuple(broken)})  # fmt: skip
    fields["tests_passed"] = True
    for seed in task.seeds:
        progress(f"{task.id} {label}: workload, seed {seed}")
        run = run_workload(ctx.pool, version, task.workload, seed, ctx.limits)
        if run.verdict is not Verdict.OK:
            return _score(
                ctx, label, PatchVerdict.WORKLOAD_FAILED, f"seed {seed}: {_run_failure(run)}", **fields
            )
        if not _equivalent(task, ctx.base_outputs[seed], run.stdout):
            why = f"seed {seed}: the workload's output differs from the base's"
            return _score(ctx, label, PatchVerdict.NOT_EQUIVALENT, why, **{**fields, "equivalent": False})
    fields["equivalent"] = True
    return _measure(ctx, label, version, fields, progress)


def _measure(
    ctx: TaskContext, label: str, version: Version, fields: dict[str, Any], progress: Progress
) -> PatchScore:
    """Interleaved rounds, both seeds each round; every output is checked again."""
    task = ctx.task
    rounds = ctx.settings.rounds or task.rounds
    costs: dict[tuple[str, int], list[float]] = {
        (side, s): [] for side in ("base", "patched") for s in task.seeds
    }
    for r in range(rounds):
        progress(f"{task.id} {label}: timing, round {r + 1}/{rounds}")
        for j, seed in enumerate(task.seeds):
            order = [("base", ctx.base), ("patched", version)]
            if (r + j) % 2:
                order.reverse()
            for side, which in order:
                run = run_workload(ctx.pool, which, task.workload, seed, ctx.limits)
                if run.verdict is not Verdict.OK:
                    if side == "base":
                        raise EffilabError(
                            f"{task.id}: the base workload failed while timed: {_run_failure(run)}"
                        )
                    why = f"seed {seed}, timed round {r + 1}: {_run_failure(run)}"
                    return _score(ctx, label, PatchVerdict.WORKLOAD_FAILED, why, **fields)
                if not _equivalent(task, ctx.base_outputs[seed], run.stdout):
                    if side == "base":
                        raise EffilabError(f"{task.id}: the base workload is not deterministic (seed {seed})")
                    return _score(ctx, label, PatchVerdict.NOT_EQUIVALENT,
                                  f"seed {seed}, timed round {r + 1}: output differs from the base's",
                                  **{**fields, "equivalent": False})  # fmt: skip
                costs[(side, seed)].append(_net(run, ctx.null_ns))
    c = ctx.settings.confidence
    speedups = tuple(Speedup.of(s, costs[("base", s)], costs[("patched", s)], c) for s in task.seeds)
    fields["speedups"] = speedups
    first, second = speedups
    if first.low > 1.0 and second.high < 1.0 + (first.point - 1.0) / 2.0:
        return _score(ctx, label, PatchVerdict.SPECIAL_CASED,
                      f"{first.point:.3g}× faster on seed {first.seed} but {second.point:.3g}× "
                      f"[{second.low:.3g}, {second.high:.3g}] on seed {second.seed}", **fields)  # fmt: skip
    best = min(speedups, key=lambda s: s.point)
    verdict = PatchVerdict.FASTER if best.low > 1.0 else PatchVerdict.NOT_FASTER
    detail = f"{best.point:.3g}× faster ({c:.0%} CI {best.low:.3g} – {best.high:.3g}, seed {best.seed})"
    settings = ctx.settings
    solved = (
        verdict is PatchVerdict.FASTER
        and best.point >= settings.min_speedup
        and (ctx.expert_speedup is None or best.point >= settings.min_expert_share * ctx.expert_speedup)
    )
    return _score(ctx, label, verdict, detail, solved=solved, **fields)
