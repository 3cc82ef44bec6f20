"""Ids of the report's sections: what a figure's points and the tables under it link to.

One place, because the figures (``customdata`` of each point) and the HTML (the ``id`` attributes) must
agree. Task ids may hold any character (``HumanEval/13``, spaces in user suites): they are turned into a
slug, and :class:`Slugs` keeps two different ids from ever sharing one.
"""

from __future__ import annotations

import re

__all__ = [
    "Slugs",
    "attempt_anchor",
    "compare_anchor",
    "optimize_anchor",
    "problem_anchor",
    "sample_anchor",
    "samples_anchor",
    "scale_anchor",
]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class Slugs:
    """Task id → a slug unique within the report (``HumanEval/13`` → ``HumanEval-13``)."""

    def __init__(self) -> None:
        self._by_id: dict[str, str] = {}
        self._taken: set[str] = set()

    def __call__(self, task_id: str) -> str:
        found = self._by_id.get(task_id)
        if found is not None:
            return found
        base = _UNSAFE.sub("-", task_id).strip("-") or "task"
        slug, n = base, 1
        while slug in self._taken:
            n += 1
            slug = f"{base}~{n}"
        self._by_id[task_id] = slug
        self._taken.add(slug)
        return slug


def sample_anchor(tag: str, task_slug: str, sample: int) -> str:
    """``sample-<task>-<index>`` for the report's main run (tag ``""``), ``sample-<tag>-<task>-<index>``
    for the run shown beside it."""
    return f"sample-{tag + '-' if tag else ''}{task_slug}-{sample}"


def problem_anchor(tag: str, task_slug: str) -> str:
    return f"problem-{tag + '-' if tag else ''}{task_slug}"


def samples_anchor(tag: str) -> str:
    """The per-sample section of one run."""
    return f"samples{'-' + tag if tag else ''}"


def optimize_anchor(run: int) -> str:
    return f"optimize-{run}"


def attempt_anchor(run: int, attempt: int) -> str:
    return f"attempt-{run}-{attempt}"


def scale_anchor(index: int, size: int | None = None) -> str:
    return f"scale-{index}" + ("" if size is None else f"-{size}")


def compare_anchor(index: int, side: str | None = None) -> str:
    return f"compare-{index}" + ("" if side is None else f"-{side}")
