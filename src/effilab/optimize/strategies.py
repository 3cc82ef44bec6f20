"""How the optimize loop searches: each strategy is a small object behind one protocol, found by name in
:data:`REGISTRY` (``--strategy``), instead of strategy names compared where the loop branches.

* ``numba`` (offline): the compiler variants of :mod:`effilab.optimize.compilers`; no model.
* ``best-of-n``: one round of ``n`` independent proposals from one prompt.
* ``refine``: ``rounds`` rounds of ``n`` proposals; each prompt carries every earlier attempt and asks to
  improve on the best verified version so far.
* ``beam``: ``rounds`` rounds; each asks for ``n`` children of each of the ``beam_width`` best verified
  candidates (the first round starts from the original).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol

from effilab.errors import InvalidArgument
from effilab.optimize.attempt import Attempt

__all__ = ["LLM_STRATEGIES", "REGISTRY", "STRATEGIES", "Strategy", "resolve_strategy"]


class Strategy(Protocol):
    """One way of proposing candidates. Model-free strategies are run by the loop's compiler path."""

    @property
    def name(self) -> str: ...

    @property
    def uses_model(self) -> bool: ...

    def rounds(self, configured: int) -> int:
        """How many rounds of proposals to ask for, given ``--rounds``."""
        ...

    def parents(self, verified: Sequence[Attempt], beam_width: int) -> list[Attempt | None]:
        """What each proposal of a round starts from (None: the original); ``verified`` best first."""
        ...

    def history(self, attempts: Sequence[Attempt], parent: Attempt | None) -> list[Attempt]:
        """The earlier attempts a prompt shows."""
        ...


@dataclasses.dataclass(frozen=True, slots=True)
class Compiler:
    name: str = "numba"
    uses_model: bool = False

    def rounds(self, configured: int) -> int:
        return 1

    def parents(self, verified: Sequence[Attempt], beam_width: int) -> list[Attempt | None]:
        return [None]

    def history(self, attempts: Sequence[Attempt], parent: Attempt | None) -> list[Attempt]:
        return []


@dataclasses.dataclass(frozen=True, slots=True)
class BestOfN:
    name: str = "best-of-n"
    uses_model: bool = True

    def rounds(self, configured: int) -> int:
        return 1

    def parents(self, verified: Sequence[Attempt], beam_width: int) -> list[Attempt | None]:
        return [None]

    def history(self, attempts: Sequence[Attempt], parent: Attempt | None) -> list[Attempt]:
        return [parent] if parent else []


@dataclasses.dataclass(frozen=True, slots=True)
class Refine:
    name: str = "refine"
    uses_model: bool = True

    def rounds(self, configured: int) -> int:
        return configured

    def parents(self, verified: Sequence[Attempt], beam_width: int) -> list[Attempt | None]:
        return [verified[0] if verified else None]

    def history(self, attempts: Sequence[Attempt], parent: Attempt | None) -> list[Attempt]:
        return list(attempts)


@dataclasses.dataclass(frozen=True, slots=True)
class Beam:
    name: str = "beam"
    uses_model: bool = True

    def rounds(self, configured: int) -> int:
        return configured

    def parents(self, verified: Sequence[Attempt], beam_width: int) -> list[Attempt | None]:
        return list(verified[:beam_width]) or [None]

    def history(self, attempts: Sequence[Attempt], parent: Attempt | None) -> list[Attempt]:
        return [parent] if parent else []


REGISTRY: dict[str, Strategy] = {s.name: s for s in (Compiler(), BestOfN(), Refine(), Beam())}
"""Strategies by ``--strategy`` name."""
LLM_STRATEGIES = tuple(name for name, strategy in REGISTRY.items() if strategy.uses_model)
STRATEGIES = ("auto", *REGISTRY)
"""What ``--strategy`` accepts: ``auto`` is ``refine`` with a model, ``numba`` without."""


def resolve_strategy(name: str, *, model: str | None) -> Strategy:
    """The strategy ``name`` (``auto`` resolved by whether a model is given)."""
    if name == "auto":
        name = "refine" if model else "numba"
    strategy = REGISTRY.get(name)
    if strategy is None:
        raise InvalidArgument(f"--strategy {name!r}: choose one of {', '.join(STRATEGIES)}")
    return strategy
