"""Input generators: ``generate(size: int, rng: random.Random) -> tuple`` in a user file, run sandboxed.

A generator is trusted more than a candidate but is still someone's code: it runs in the sandbox like
everything else, and what it returns crosses back as tagged JSON.
"""

from __future__ import annotations

from collections.abc import Sequence

from effilab.errors import InvalidArgument
from effilab.measure.program import read_source
from effilab.sandbox import Limits, Verdict, Worker

__all__ = ["generate_inputs"]

# Appended to the generator's source: builds the Random in the child (a Random cannot cross as JSON).
_WRAPPER = b"""

def __effilab_generate__(size, seed):
    import random as _random
    _generate = globals().get("generate")
    if not callable(_generate):
        raise LookupError("no function generate(size, rng) is defined")
    return _generate(size, _random.Random(seed))
"""


def generate_inputs(
    path: str,
    *,
    size: int,
    seeds: Sequence[int],
    limits: Limits | None = None,
    isolation: str = "auto",
) -> list[tuple[object, ...]]:
    """One argument tuple per seed, from ``generate(size, random.Random(seed))`` in the file at ``path``."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise InvalidArgument(f"size={size!r}: must be a non-negative integer")
    source = read_source(path, what="--inputs")
    limits = limits or Limits(timeout_s=60.0, memory_mb=4096)
    generated: list[tuple[object, ...]] = []
    with Worker(limits=limits, isolation=isolation) as worker:
        load = worker.load(source + _WRAPPER, entry="__effilab_generate__", filename=path)
        if not load.verdict.is_ok:
            detail = load.detail
            raise InvalidArgument(
                f"--inputs {path}: cannot load the generator ({load.verdict.value}: {detail})"
            )
        for seed in seeds:
            result = worker.call([size, seed])
            if result.verdict is not Verdict.OK:
                detail = result.detail
                raise InvalidArgument(f"--inputs {path}: generate(size={size}, seed={seed}) failed: {detail}")
            if type(result.value) is not tuple:
                raise InvalidArgument(
                    f"--inputs {path}: generate() must return a tuple of positional arguments, "
                    f"got {type(result.value).__name__}"
                )
            generated.append(result.value)
    return generated
