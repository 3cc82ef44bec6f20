"""Make a whole program faster, PIE's own task: propose rewrites, verify them on tests, measure, patch.

Candidates come from a strategy:

* ``flags`` (offline, C/C++): the compiler settings people reach for, written into the source so the
  patch carries them (``#pragma GCC optimize("O3,unroll-loops")``, a ``target`` pragma for the instruction
  sets this CPU has), and the classic I/O fix for iostream programs (``sync_with_stdio(false)``, no
  ``endl`` flushes) where the program does not mix in C stdio;
* ``fast-io`` (offline, Python): ``input`` bound to ``sys.stdin.readline``;
* ``llm``: any OpenAI-compatible model asked for a faster program with identical output (``--model``).

Every candidate must produce, on every test input (the tests folder's ``input.<i>.txt``, plus generated
inputs from ``--inputs GEN.py`` whose ``generate(size, rng)`` returns stdin text), the expected output
(``output.<i>.txt`` when given, else the original program's), judged with whitespace-tolerant tokens. A
correct candidate is then measured against the original in interleaved rounds of fresh boxes (as
``evaluate --suite pie:`` does), and accepted only if it is faster in *every* round and by at least 5 %
overall (with ``instructions``: 1 % fewer, counts being exact). The best accepted candidate is printed as
a unified diff and written only with ``apply``.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib.util
import math
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from effilab.errors import InvalidArgument
from effilab.programs.box import BoxPool
from effilab.programs.compile import Build, compile_program
from effilab.programs.counting import count_instructions
from effilab.programs.languages import Language
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import run_program
from effilab.sandbox.verdict import Verdict

__all__ = ["ProgramCandidate", "ProgramOptimizeReport", "TestInput", "offline_candidates", "optimize_program"]

MIN_SPEEDUP = 1.05
MIN_INSTRUCTION_GAIN = 1.01
_C_STDIO = re.compile(r"\b(scanf|printf|puts|getchar|putchar|fgets|fputs|fread|fwrite|gets|fprintf)\s*\(")
_MAIN = re.compile(r"\bint\s+main\s*\([^)]*\)\s*\{")
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.DOTALL)


@dataclasses.dataclass(frozen=True, slots=True)
class TestInput:
    name: str
    stdin: bytes
    expected: bytes | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class ProgramCandidate:
    name: str
    source: bytes
    note: str


@dataclasses.dataclass(slots=True)
class Attempt:
    candidate: ProgramCandidate
    verdict: Verdict = Verdict.OK
    detail: str = ""
    speedup: float | None = None
    round_speedups: list[float] = dataclasses.field(default_factory=list)
    accepted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.candidate.name,
            "note": self.candidate.note,
            "verdict": self.verdict.value,
            "detail": self.detail,
            "speedup": self.speedup,
            "round_speedups": self.round_speedups,
            "accepted": self.accepted,
        }


@dataclasses.dataclass(slots=True)
class ProgramOptimizeReport:
    path: str
    language: str
    metric: str
    inputs: int
    original_cost: float
    attempts: list[Attempt]
    best: Attempt | None
    patch: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "language": self.language,
            "metric": self.metric,
            "inputs": self.inputs,
            "original_cost": self.original_cost,
            "attempts": [a.as_dict() for a in self.attempts],
            "accepted": None if self.best is None else self.best.as_dict(),
            "patch": self.patch,
        }


# ----------------------------------------------------------------------------------------------- candidates
def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def offline_candidates(language: Language, source: bytes) -> list[ProgramCandidate]:
    """Rewrites that need no model (see the module docstring)."""
    text = source.decode(errors="replace")
    out: list[ProgramCandidate] = []
    if language.name in ("cpp", "c"):
        o3 = '#pragma GCC optimize("O3,unroll-loops")\n'
        out.append(ProgramCandidate("O3", (o3 + text).encode(), "O3 and loop unrolling, as a pragma"))
        wanted = [f for f in ("avx2", "bmi", "bmi2", "popcnt") if f in _cpu_flags()]
        if wanted:
            target = f'#pragma GCC target("{",".join(wanted)}")\n'
            out.append(
                ProgramCandidate(
                    "O3+target",
                    (o3 + target + text).encode(),
                    f"also {', '.join(wanted)} (this CPU's; not portable)",
                )
            )
        uses_iostream = re.search(r"\b(cin|cout)\b", text) is not None
        if language.name == "cpp" and uses_iostream and not _C_STDIO.search(text):
            fast = _fast_iostream(text)
            if fast is not None:
                out.append(
                    ProgramCandidate(
                        "fast-iostream", fast.encode(), "sync_with_stdio(false), cin untied, '\\n' for endl"
                    )
                )
                out.append(ProgramCandidate("fast-iostream+O3", (o3 + fast).encode(), "both"))
    elif language.name == "python" and re.search(r"\binput\s*\(", text):
        prelude = "import sys\ninput = lambda: sys.stdin.readline().rstrip('\\n')\n"
        out.append(
            ProgramCandidate("fast-input", (prelude + text).encode(), "input() via sys.stdin.readline")
        )
    return out


def _fast_iostream(text: str) -> str | None:
    match = _MAIN.search(text)
    if match is None or "sync_with_stdio" in text:
        return None
    insert = "\n    std::ios::sync_with_stdio(false);\n    std::cin.tie(nullptr);"
    text = text[: match.end()] + insert + text[match.end() :]
    return re.sub(r"\bstd::endl\b|\bendl\b", "'\\\\n'", text)


def llm_candidates(
    complete: Callable[[list[dict[str, str]]], str], language: Language, source: bytes, n: int
) -> list[ProgramCandidate]:
    """``n`` rewrites from a model (``complete`` sends the messages, returns the reply's text)."""
    prompt = (
        f"Here is a {language.name} program that reads its input from stdin and writes its answer to "
        "stdout. Rewrite it to run as fast as possible while printing exactly the same output for every "
        "valid input. Reply with the complete program in one fenced code block.\n\n"
        f"```{language.name}\n{source.decode(errors='replace')}\n```"
    )
    out: list[ProgramCandidate] = []
    for i in range(n):
        reply = complete([{"role": "user", "content": prompt}])
        blocks = _FENCE.findall(reply)
        if blocks:
            code = max(blocks, key=len)
            out.append(ProgramCandidate(f"llm-{i + 1}", code.encode(), "model rewrite"))
    return out


# ----------------------------------------------------------------------------------------------- inputs
def load_inputs(
    tests_dir: Path | None, generator: Path | None, sizes: Sequence[int], seed: int
) -> list[TestInput]:
    """Test inputs from a folder (``input.<i>.txt`` [+ ``output.<i>.txt``]) and from a generator."""
    inputs: list[TestInput] = []
    if tests_dir is not None:
        if not tests_dir.is_dir():
            raise InvalidArgument(f"--tests {tests_dir}: not a folder")
        for path in sorted(tests_dir.glob("input.*.txt"), key=lambda p: (len(p.name), p.name)):
            expected = path.with_name(path.name.replace("input.", "output.", 1))
            inputs.append(
                TestInput(path.name, path.read_bytes(), expected.read_bytes() if expected.is_file() else None)
            )
    if generator is not None:
        spec = importlib.util.spec_from_file_location("effilab_program_inputs", generator)
        if spec is None or spec.loader is None:
            raise InvalidArgument(f"--inputs {generator}: cannot load")
        module = importlib.util.module_from_spec(spec)
        # The generator is the user's own trusted file, as for function optimize's --inputs.
        spec.loader.exec_module(module)
        generate = getattr(module, "generate", None)
        if not callable(generate):
            raise InvalidArgument(f"--inputs {generator}: defines no generate(size, rng)")
        rng = random.Random(seed)
        for size in sizes:
            text = generate(size, rng)
            if not isinstance(text, str | bytes):
                raise InvalidArgument(f"--inputs {generator}: generate() must return the stdin text")
            inputs.append(
                TestInput(f"generated size {size}", text.encode() if isinstance(text, str) else text)
            )
    if not inputs:
        raise InvalidArgument("no test inputs: give --tests DIR (input.<i>.txt files) and/or --inputs GEN.py")
    return inputs


# ----------------------------------------------------------------------------------------------- the loop
class _Runner:
    def __init__(self, pool: BoxPool, cache_dir: Path, limits: ProgramLimits, metric: str) -> None:
        self.pool, self.cache_dir, self.limits, self.metric = pool, cache_dir, limits, metric

    def build(self, language: Language, source: bytes) -> Build:
        return compile_program(language, source, pool=self.pool, cache_dir=self.cache_dir)

    def run(self, build: Build, stdin: bytes) -> tuple[Verdict, bytes, float | None, str]:
        if self.metric == "instructions":
            counted = count_instructions(
                self.pool,
                build.profile(),
                files=build.files(),
                stdin=stdin,
                limits=self.limits,
                executable=build.entry,
            )
            run, cost = counted.run, None if counted.instructions is None else float(counted.instructions)
        else:
            run = run_program(
                self.pool,
                build.profile(),
                files=build.files(),
                stdin=stdin,
                limits=self.limits,
                executable=build.entry,
            )
            cost = None if run.cpu_ns is None else float(run.cpu_ns)
        return run.verdict, run.stdout, cost, run.detail


def optimize_program(
    path: Path,
    language: Language,
    *,
    inputs: Sequence[TestInput],
    candidates: Callable[[bytes], list[ProgramCandidate]],
    cache_dir: Path,
    metric: str = "time",
    rounds: int = 5,
    limits: ProgramLimits | None = None,
    isolation: str = "auto",
    progress: Callable[[Attempt], None] | None = None,
) -> ProgramOptimizeReport:
    """Verify and measure every candidate against the original program at ``path``."""
    if metric not in ("time", "instructions"):
        raise InvalidArgument(f"metric={metric!r}: choose time or instructions")
    source = path.read_bytes()
    limits = limits or ProgramLimits(timeout_s=10.0)
    with BoxPool(isolation=isolation) as pool:
        runner = _Runner(pool, cache_dir, limits, metric)
        original = runner.build(language, source)
        if original.verdict is not Verdict.OK:
            raise InvalidArgument(f"{path}: the original does not compile: {original.diagnostics[-500:]}")
        expected: list[bytes] = []
        for test in inputs:
            verdict, stdout, _, detail = runner.run(original, test.stdin)
            if verdict is not Verdict.OK:
                raise InvalidArgument(f"{path}: the original fails on {test.name}: {verdict} {detail}")
            if test.expected is not None and test.expected.split() != stdout.split():
                raise InvalidArgument(
                    f"{path}: the original's output differs from the expected on {test.name}"
                )
            expected.append(stdout if test.expected is None else test.expected)
        attempts: list[Attempt] = []
        base_cost = math.nan
        for candidate in candidates(source):
            attempt = Attempt(candidate)
            attempts.append(attempt)
            base_cost = (
                _try(runner, language, original, attempt, inputs, expected, rounds, metric) or base_cost
            )
            if progress is not None:
                progress(attempt)
    accepted = [a for a in attempts if a.accepted]
    best = max(accepted, key=lambda a: a.speedup or 0.0) if accepted else None
    patch = ""
    if best is not None:
        patch = "".join(
            difflib.unified_diff(
                source.decode(errors="replace").splitlines(keepends=True),
                best.candidate.source.decode(errors="replace").splitlines(keepends=True),
                fromfile=_diff_name("a", path),
                tofile=_diff_name("b", path),
            )
        )
    return ProgramOptimizeReport(
        str(path), language.name, metric, len(inputs), base_cost, attempts, best, patch
    )


def _try(
    runner: _Runner,
    language: Language,
    original: Build,
    attempt: Attempt,
    inputs: Sequence[TestInput],
    expected: Sequence[bytes],
    rounds: int,
    metric: str,
) -> float | None:
    """Verify, then measure one candidate; returns the original's total cost when measured."""
    build = runner.build(language, attempt.candidate.source)
    if build.verdict is not Verdict.OK:
        attempt.verdict, attempt.detail = build.verdict, build.diagnostics[-500:]
        return None
    n_rounds = 1 if metric == "instructions" else rounds
    per_round: list[tuple[float, float]] = []
    for r in range(n_rounds):
        totals = [0.0, 0.0]
        for i, (test, want) in enumerate(zip(inputs, expected, strict=True)):
            order = [(0, original), (1, build)] if (r + i) % 2 == 0 else [(1, build), (0, original)]
            for side, program in order:
                verdict, stdout, cost, detail = runner.run(program, test.stdin)
                if side == 1 and verdict is not Verdict.OK:
                    attempt.verdict, attempt.detail = verdict, f"{test.name}: {detail}"
                    return None
                if side == 1 and stdout.split() != want.split():
                    attempt.verdict, attempt.detail = Verdict.WRONG_ANSWER, f"{test.name}: wrong output"
                    return None
                totals[side] += cost or 0.0
        per_round.append((totals[0], totals[1]))
    best_original = min(t[0] for t in per_round)
    best_candidate = min(t[1] for t in per_round)
    attempt.round_speedups = [round(a / b, 4) if b > 0 else math.inf for a, b in per_round]
    attempt.speedup = best_original / best_candidate if best_candidate > 0 else math.inf
    threshold = MIN_INSTRUCTION_GAIN if metric == "instructions" else MIN_SPEEDUP
    attempt.accepted = attempt.speedup >= threshold and all(s > 1.0 for s in attempt.round_speedups)
    if not attempt.accepted:
        attempt.detail = f"not faster in every round by at least {100 * (threshold - 1):.0f} % overall"
    return best_original


def _diff_name(side: str, path: Path) -> str:
    return str(path) if path.is_absolute() else f"{side}/{path}"
