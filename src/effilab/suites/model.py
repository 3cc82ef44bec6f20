"""The problem model every suite is loaded into, whatever its on-disk format.

A :class:`Problem` is plain data: sources as bytes, sizes, weights and a comparison rule. Adapters for other
benchmarks' files (ENAMEL, EvalPlus, EvalPerf) produce the same objects as the folder format, so the
evaluator has exactly one code path. Generators and checkers arrive *already wrapped* into modules with a
fixed entry point (:data:`GENERATOR_ENTRY`, :data:`CHECKER_ENTRY`), so the engine never needs to know which
convention a suite's authors followed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from effilab.check.rules import CHECKER_ENTRY
from effilab.errors import InvalidArgument
from effilab.measure.program import Program

if TYPE_CHECKING:
    from effilab.check.rules import Rule

__all__ = [
    "CHECKER_ENTRY",
    "DEFAULT_ALPHA",
    "GENERATOR_ENTRY",
    "Level",
    "Problem",
    "Reference",
    "Suite",
    "SuiteSettings",
    "TestCase",
    "input_seed",
]

GENERATOR_ENTRY = "__effilab_generate__"
"""``__effilab_generate__(size: int, level: int, case: int, seed: int) -> tuple`` in a wrapped generator."""
"""``__effilab_check__(args: tuple, expected, output) -> bool`` in a wrapped checker."""
DEFAULT_ALPHA = 2.0
"""ENAMEL's time-limit factor: a sample is censored at α × the slowest reference test time."""


@dataclasses.dataclass(frozen=True, slots=True)
class Level:
    """One level of tests: generated inputs of one size, and the level's weight in the efficiency score."""

    size: int
    tests: int
    weight: float

    def __post_init__(self) -> None:
        # Upper bounds: a level of 10**12 tests or an infinite weight is a typo that would otherwise
        # surface as a run that never ends or as NaN scores. Sizes only parameterise generators (ENAMEL
        # passes 10**18 to some), so any 64-bit integer is taken.
        if isinstance(self.size, bool) or not isinstance(self.size, int) or not 0 <= self.size < 2**63:
            raise InvalidArgument(f"level size={self.size!r}: must be an integer from 0 to 2**63 - 1")
        if isinstance(self.tests, bool) or not isinstance(self.tests, int) or not 0 <= self.tests <= 10**6:
            raise InvalidArgument(f"level tests={self.tests!r}: must be an integer from 0 to 10**6")
        if (
            isinstance(self.weight, bool)
            or not isinstance(self.weight, int | float)
            or not 0 <= self.weight <= 10**6
        ):
            raise InvalidArgument(f"level weight={self.weight!r}: must be a number from 0 to 10**6")


@dataclasses.dataclass(frozen=True, slots=True)
class Reference:
    """A reference solution tagged with its efficiency level (e.g. ``naive``, ``standard``, ``expert``)."""

    name: str
    source: bytes
    filename: str


@dataclasses.dataclass(frozen=True, slots=True)
class TestCase:
    """One input of one level. ``expected`` is set only for fixed cases whose answer the suite states."""

    level: int
    case: int
    args: tuple[object, ...]
    expected: object = None
    has_expected: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One task: what to call, on which inputs, how to judge outputs, and the references to beat."""

    id: str
    entry: str
    prompt: str
    levels: tuple[Level, ...]
    references: tuple[Reference, ...]
    """Slowest first, fastest last. The last one is the *oracle*: it produces expected outputs and t*."""
    rule: Rule
    generator: Program | None = None
    """Wrapped generator module (entry :data:`GENERATOR_ENTRY`), or None when every test is fixed."""
    fixed: tuple[TestCase, ...] = ()
    """Fixed tests (level 0 unless stated), run before the generated ones."""
    program_prefix: str = ""
    """Text put before every program of this problem (ENAMEL prepends the prompt so its helpers exist)."""
    metadata: Mapping[str, object] = dataclasses.field(default_factory=dict)
    """Free-form facts for reports and prompts: category, intended optimisation, signature, tags…"""
    reference_scores: tuple[float, ...] = ()
    """EvalPerf-style cumulative scores, one per reference (slowest first); empty when not given."""
    read_paths: tuple[str, ...] = ()
    """Extra host paths the problem's code may read (e.g. data files shipped with the problem)."""
    time_limit_s: float | None = None
    """Per-call limit for correctness-only problems (no weighted level); None: the evaluator's default."""

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidArgument("problem id: must not be empty")
        if not self.entry.isidentifier():
            raise InvalidArgument(f"problem {self.id}: entry={self.entry!r} is not a Python identifier")
        if not self.references:
            raise InvalidArgument(f"problem {self.id}: at least one reference solution is needed")
        names = [ref.name for ref in self.references]
        if len(set(names)) != len(names):
            raise InvalidArgument(f"problem {self.id}: reference names repeat: {names}")
        if not self.levels and not self.fixed:
            raise InvalidArgument(f"problem {self.id}: no levels and no fixed tests")
        if any(level.tests for level in self.levels) and self.generator is None:
            raise InvalidArgument(
                f"problem {self.id}: levels ask for generated tests but there is no generator"
            )
        if self.reference_scores and len(self.reference_scores) != len(self.references):
            raise InvalidArgument(
                f"problem {self.id}: {len(self.reference_scores)} scores "
                f"for {len(self.references)} references"
            )

    @property
    def oracle(self) -> Reference:
        return self.references[-1]

    def reference(self, name: str) -> Reference:
        for ref in self.references:
            if ref.name == name:
                return ref
        raise InvalidArgument(
            f"problem {self.id}: no reference named {name!r} "
            f"(have {', '.join(r.name for r in self.references)})"
        )

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(level.weight for level in self.levels)

    @property
    def timed(self) -> bool:
        """Whether any level counts towards efficiency (otherwise the problem is correctness-only)."""
        fixed_levels = {case.level for case in self.fixed}
        return any(
            level.weight > 0 and (level.tests > 0 or index in fixed_levels)
            for index, level in enumerate(self.levels)
        )

    def program(self, source: str | bytes, *, filename: str = "sample.py") -> Program:
        """A candidate program for this problem: the prefix (if any), then ``source``."""
        body = source.encode() if isinstance(source, str) else source
        prefix = self.program_prefix.encode()
        return Program(prefix + b"\n" + body if prefix else body, self.entry, filename)

    def reference_program(self, ref: Reference) -> Program:
        return self.program(ref.source, filename=ref.filename)


@dataclasses.dataclass(frozen=True, slots=True)
class SuiteSettings:
    """Scoring defaults a suite carries (the CLI may override them)."""

    alpha: float = DEFAULT_ALPHA
    seed: int | None = None
    """Seed of the generated inputs; None: a fresh secret seed per run (recorded in the store, so a resumed
    run uses the same inputs). A fixed seed makes the inputs public: programs could embed the answers."""
    repetitions: int = 3
    """Timed rounds per test, each in fresh processes (see effilab.evaluate.engine)."""
    memory_mb: int = 2048
    """Address-space limit of a sample's interpreter, in MiB."""
    oracle_memory_mb: int | None = 4096
    """The references' (and so the oracle's) limit, in MiB; None: no limit below the machine's memory."""
    oracle_timeout_s: float = 60.0
    """Wall-clock limit of one reference call when expected outputs are computed."""
    check_after_censor: bool = True
    """Whether a sample's later cases are still checked for correctness after it timed out on a weighted
    level (False reproduces ENAMEL's evaluator, which stops there)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Suite:
    name: str
    source: str
    """Where the suite came from (folder path or ``format:path``), for messages and run identity."""
    problems: tuple[Problem, ...]
    settings: SuiteSettings = SuiteSettings()
    fingerprint: str = ""
    """Digest of everything that defines the suite; part of an evaluation run's identity."""
    task_order: tuple[str, ...] = ()
    """Every task id of the original benchmark in its own order, scored or not (ENAMEL's sample layout
    is a list indexed by this order); empty when the suite has no such order."""

    def __post_init__(self) -> None:
        ids = [p.id for p in self.problems]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise InvalidArgument(f"suite {self.name}: problem ids repeat: {', '.join(dup[:5])}")

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def get(self, task_id: str) -> Problem | None:
        for problem in self.problems:
            if problem.id == task_id:
                return problem
        return None


def input_seed(suite_seed: int, problem_id: str, level: int, case: int) -> int:
    """A stable 63-bit seed for one generated input (independent of problem order and of Python's hash)."""
    digest = hashlib.blake2b(f"{suite_seed}\0{problem_id}\0{level}\0{case}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def fingerprint(*parts: bytes | str) -> str:
    """Digest of a sequence of parts (length-prefixed, so ("ab","c") and ("a","bc") differ)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()
