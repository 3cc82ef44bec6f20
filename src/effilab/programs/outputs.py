"""Judging a program's stdout against the expected output, in the parent.

Rules (one per problem):

``exact``
    byte-for-byte equal.
``tokens`` (the default, as online judges and CodeNet's acceptance do)
    equal after splitting on whitespace: trailing newlines, spaces and line breaks do not matter.
``float``
    ``tokens``, but tokens that both parse as numbers may differ by a relative or absolute tolerance
    (``rel``/``abs``, default 1e-6, AtCoder's usual) — for problems whose answers are real numbers.
``checker``
    a suite-provided Python program decides. It runs in a box like any program (it is code, and it reads
    the candidate's output), gets ``{"input", "expected", "output"}`` as one JSON object on stdin, and
    exits 0 to accept, 1 to reject; anything else is the suite's bug and raises.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable

from effilab.errors import EffilabError, InvalidArgument

__all__ = ["OutputRule", "make_rule"]

RULES = ("exact", "tokens", "float", "checker")


@dataclasses.dataclass(frozen=True, slots=True)
class OutputRule:
    """How outputs are compared; ``judge`` is called with (input, expected, actual) bytes."""

    name: str
    rel: float = 1e-6
    abs: float = 1e-6
    checker: bytes | None = None
    """Source of the checker program (rule ``checker``)."""

    def __post_init__(self) -> None:
        if self.name not in RULES:
            raise InvalidArgument(f"rule={self.name!r}: choose one of {', '.join(RULES)}")
        if self.name == "checker" and not self.checker:
            raise InvalidArgument("rule='checker' needs the checker's source")
        for name in ("rel", "abs"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise InvalidArgument(f"{name}={value!r}: must be a finite number >= 0")

    def judge(
        self,
        stdin: bytes,
        expected: bytes,
        actual: bytes,
        *,
        run_checker: Callable[[bytes, bytes], int] | None,
    ) -> bool:
        if self.name == "exact":
            return expected == actual
        if self.name == "tokens":
            return expected.split() == actual.split()
        if self.name == "float":
            return _floats_match(expected.split(), actual.split(), self.rel, self.abs)
        if run_checker is None:
            raise EffilabError("rule 'checker' needs a sandbox to run the checker in")
        assert self.checker is not None
        payload = json.dumps({
            "input": stdin.decode(errors="replace"),
            "expected": expected.decode(errors="replace"),
            "output": actual.decode(errors="replace"),
        }).encode()  # fmt: skip
        status = run_checker(self.checker, payload)
        if status not in (0, 1):
            raise EffilabError(f"the checker failed (exit status {status}): a bug of the suite")
        return status == 0


def _floats_match(expected: list[bytes], actual: list[bytes], rel: float, abs_: float) -> bool:
    if len(expected) != len(actual):
        return False
    for want, got in zip(expected, actual, strict=True):
        if want == got:
            continue
        try:
            a, b = float(want), float(got)
        except ValueError:
            return False
        if math.isnan(a) or math.isnan(b) or not math.isclose(a, b, rel_tol=rel, abs_tol=abs_):
            return False
    return True


def make_rule(spec: dict[str, object] | None, *, checker: bytes | None = None) -> OutputRule:
    """A rule from a suite's ``rule.json`` (``{"rule": "float", "rel": 1e-4}``) and/or a checker source."""
    if checker is not None:
        return OutputRule("checker", checker=checker)
    if not spec:
        return OutputRule("tokens")
    name = spec.get("rule", "tokens")
    if not isinstance(name, str):
        raise InvalidArgument(f"rule={name!r}: must be a string")
    rel = spec.get("rel", 1e-6)
    abs_ = spec.get("abs", 1e-6)
    if not isinstance(rel, int | float) or not isinstance(abs_, int | float):
        raise InvalidArgument(f"rel={rel!r}, abs={abs_!r}: must be numbers")
    return OutputRule(name, rel=float(rel), abs=float(abs_))
