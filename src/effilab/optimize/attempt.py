"""One candidate's record: where it came from, every check's verdict, and its measurement. Plain data."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

__all__ = ["Attempt", "Outcome"]


class Outcome(enum.StrEnum):
    """Why a candidate was accepted or rejected, in the order the pipeline checks (cheapest first)."""

    ACCEPTED = "accepted"  # verified and significantly faster
    MODEL_ERROR = "model_error"  # the endpoint failed after retries: no candidate at all
    NO_CODE = "no_code"  # the reply held no code defining the target
    SYNTAX_ERROR = "syntax_error"
    SIGNATURE_CHANGED = "signature_changed"
    FORBIDDEN = "forbidden"  # imports outside the allow-list, exec/eval, open
    UNSUPPORTED = "unsupported"  # a compiler strategy cannot handle this target
    LOAD_ERROR = "load_error"  # the module no longer imports
    WRONG_ANSWER = "wrong_answer"  # differs from the original on a differential input
    SPECIAL_CASED = "special_cased"  # right on inputs it was shown, wrong on fresh ones
    RUNTIME_ERROR = "runtime_error"
    TIMEOUT = "timeout"
    STATEFUL = "stateful"  # results depend on earlier calls in the same process
    TESTS_FAILED = "tests_failed"  # a user test that passed with the original fails
    UNDERVERIFIED = "underverified"  # passed, but on fewer inputs than the required minimum
    NOT_FASTER = "not_faster"  # correct, but no statistically significant speedup
    DUPLICATE = "duplicate"  # the same code as an earlier candidate (its verdict is reused)

    @property
    def verified(self) -> bool:
        """Passed every correctness check (it may still not be faster)."""
        return self in (Outcome.ACCEPTED, Outcome.NOT_FASTER)


@dataclasses.dataclass(slots=True)
class Attempt:
    index: int
    strategy: str
    round: int
    parent: int | None
    """The attempt this one refines (beam search / refinement), if any."""
    outcome: Outcome | None = None
    detail: str = ""
    function_source: str = ""
    module_source: str = ""
    failing_input: str | None = None
    expected: str | None = None
    actual: str | None = None
    speedup: float | None = None
    ci: tuple[float, float] | None = None
    measurements: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    """One :meth:`Comparison.to_json` per size measured."""
    hot_lines: str = ""
    """The candidate's own profile (for refinement feedback), when it was correct but not faster."""
    messages: list[dict[str, str]] = dataclasses.field(default_factory=list)
    reply: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    elapsed_s: float = 0.0
    checked: int = 0
    """Distinct inputs on which the candidate matched the original (result and arguments after)."""

    def reject(self, outcome: Outcome, detail: str, **fields: Any) -> Attempt:
        self.outcome = outcome
        self.detail = detail
        for name, value in fields.items():
            setattr(self, name, value)
        return self

    def summary_line(self) -> str:
        """One line for prompts and the terminal."""
        outcome = self.outcome.value if self.outcome else "pending"
        speed = (
            f", {self.speedup:.2f}× [{self.ci[0]:.2f}, {self.ci[1]:.2f}]" if self.speedup and self.ci else ""
        )
        return f"#{self.index} ({self.strategy}) {outcome}{speed}: {self.detail}"

    def to_json(self, *, full: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "index": self.index,
            "strategy": self.strategy,
            "round": self.round,
            "parent": self.parent,
            "verdict": self.outcome.value if self.outcome else None,
            "detail": self.detail,
            "failing_input": self.failing_input,
            "expected": self.expected,
            "actual": self.actual,
            "speedup": self.speedup,
            "ci": list(self.ci) if self.ci else None,
            "measurements": self.measurements,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "elapsed_s": round(self.elapsed_s, 3),
            "checked": self.checked,
            "function": self.function_source,
        }
        if full:
            data.update(
                messages=self.messages, reply=self.reply, module=self.module_source, hot_lines=self.hot_lines
            )
        return data
