"""The typed parts of an optimize result; each ``to_json()`` gives the object ``--json`` has always
printed under that key (same keys, same order), so scripts reading the JSON are unaffected."""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["InputsSummary", "ProjectTestsSummary", "Usage", "VersionFacts"]


@dataclasses.dataclass(frozen=True, slots=True)
class VersionFacts:
    """What is known of one version of the function: the original, or the accepted candidate."""

    workload: str | None = None
    """The measured workload, described (the original's facts only)."""
    hot_lines: str | None = None
    """The original's hottest lines under the workload (the original's facts only)."""
    measured: bool = False
    """Peak memory was measured (only when a candidate was accepted)."""
    peak_bytes: int | None = None
    """Peak Python-heap bytes of one workload call (tracemalloc); None when it could not be measured."""
    complexity_measured: bool = False
    """The empirical complexity was estimated (only for workloads with a size)."""
    complexity: dict[str, Any] | None = None
    """``{"class": "O(n^2)", "sizes": [...], ...}`` from the empirical fit; None when it failed."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.workload is not None:
            data["workload"] = self.workload
            data["hot_lines"] = self.hot_lines
        if self.measured:
            data["peak_bytes"] = self.peak_bytes
        if self.complexity_measured:
            data["complexity"] = self.complexity
        return data


@dataclasses.dataclass(frozen=True, slots=True)
class ProjectTestsSummary:
    """The project's own tests, run against the original (and re-run against every candidate)."""

    status: str
    """``ran``, ``none found``, ``disabled (--no-tests)`` …"""
    ran: int = 0
    passed_with_original: int = 0
    failed_with_original: int = 0

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, slots=True)
class InputsSummary:
    """Where the verification inputs came from and how many there were."""

    seed: int | None
    sources: tuple[str, ...]
    examples: int
    structured: int
    differential: int
    fresh_per_candidate: int
    dropped: dict[str, int]
    """Inputs the original itself could not answer, by reason."""
    min_checked: int
    tests: ProjectTestsSummary

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "sources": list(self.sources),
            "examples": self.examples,
            "structured": self.structured,
            "differential": self.differential,
            "fresh_per_candidate": self.fresh_per_candidate,
            "dropped": dict(self.dropped),
            "min_checked": self.min_checked,
            "tests": self.tests.to_json(),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Usage:
    """What the model calls cost."""

    model: str | None
    model_calls: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    """None unless prices were given."""
    prompts: str | None
    """The prompt template version; None for model-free strategies."""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
