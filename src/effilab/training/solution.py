"""Optimize a suite problem's solution with ``effilab optimize``: the solution as a one-file project.

``effilab optimize`` works on ``FILE::FUNCTION`` in a project. A solution to a suite problem becomes such a
project in a work folder: ``solution.py`` (the program exactly as evaluate runs it, with the problem's
prefix, if any) and ``inputs.py``, a ``generate(size, rng)`` over the problem's own generator at its
largest level, so the optimizer's differential tests and workload use the problem's kind of inputs. The
original solution is the optimizer's oracle; the problem's tests (and the fastest reference's outputs)
are checked afterwards by evaluating the accepted version like any other sample
(:mod:`effilab.training.build`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from effilab.errors import InvalidArgument
from effilab.optimize.session import OptimizeConfig, OptimizeResult, optimize
from effilab.suites.model import GENERATOR_ENTRY, Problem

__all__ = ["inputs_source", "optimize_solution", "strip_prefix"]

_INPUTS = '''"""Inputs for effilab optimize: the suite problem's generator at level {level} (by effilab)."""

_GENERATOR = {source!r}
_SCOPE: dict = {{"__name__": "effilab_suite_generator"}}
exec(compile(_GENERATOR, {filename!r}, "exec"), _SCOPE)


def generate(size, rng):
    return tuple(_SCOPE[{entry!r}](size, {level}, rng.randrange(1 << 30), rng.getrandbits(62)))
'''


def inputs_source(problem: Problem) -> str | None:
    """A ``generate(size, rng)`` module over the problem's generator (None when it has none).

    The generator runs in its own namespace, so its names cannot collide with the wrapper's.
    """
    if problem.generator is None or not problem.levels:
        return None
    level = len(problem.levels) - 1
    source = problem.generator.source.decode()
    return _INPUTS.format(
        level=level, source=source, filename=problem.generator.filename, entry=GENERATOR_ENTRY
    )


def strip_prefix(problem: Problem, module: str) -> str:
    """The program without the problem's prefix (what a model writes, and what a dataset teaches)."""
    prefix = problem.program_prefix
    if prefix and module.startswith(prefix + "\n"):
        return module[len(prefix) + 1 :]
    return module


def optimize_solution(
    problem: Problem,
    code: str,
    *,
    workdir: str | Path,
    config: OptimizeConfig,
    db: str | Path | None,
    log: Callable[[str], None] | None = None,
) -> OptimizeResult:
    """Run the optimize loop on ``code``, a correct solution of ``problem``, in ``workdir``.

    Raises :class:`InvalidArgument` when the optimizer cannot work on it (no top-level function named
    like the problem's entry, no inputs, the original failing on every input); the build records that
    and goes on. ``config.project`` and ``config.inputs`` are set here.
    """
    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    program = problem.program(code).source.decode()
    solution = folder / "solution.py"
    solution.write_text(program, encoding="utf-8")
    inputs = inputs_source(problem)
    generator: str | None = None
    if inputs is not None:
        generator = str(folder / "inputs.py")
        Path(generator).write_text(inputs, encoding="utf-8")
    config = dataclasses.replace(config, project=folder, inputs=generator, tests=None, run_tests=False)
    if not problem.entry.isidentifier():  # pragma: no cover - Problem checks it
        raise InvalidArgument(f"{problem.id}: entry {problem.entry!r} is not a function name")
    return optimize(f"{solution}::{problem.entry}", config, db=db, log=log)
