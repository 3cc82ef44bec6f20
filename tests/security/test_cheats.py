"""Issue 11, "Unforgeable evaluation": cheating samples must gain nothing over their honest twins.

Every program in ``cheats/`` is a complete solution of one of three cheap built-in problems
(pair-sum-count ``psc_*``, count-inversions ``inv_*``, moving-average-window ``mav_*``). Each cheat does the
problem's standard work honestly whenever it believes it is being checked, and cheats when it believes it
is being timed: it answers wrong or lazily, caches, forges the reported time, keeps state in /tmp,
precomputes the public inputs, slows the anchor down, works outside the timed window, tampers with the
staged input, or hides behind a censored level. Its honest twin (``<problem>_twin.py``, the suite's
standard reference) does the same work without tricks. The module docstring of every cheat names its class
and trick.

All of it is evaluated once, in one ``effilab evaluate`` run (module-scoped fixture), on the built-in suite
restricted to the three problems by the samples file (problems without samples are never built). Per-sample
results are read from the SQLite store (the JSON only has per-problem rows).

A cheat that returns wrong values in some call must not be counted correct. A cheat whose values are right
must score no better than its twin beyond noise (see SCORE_SLACK and COST_FACTOR). Cheats that still
succeed are marked ``xfail(strict=True)`` with the missing defence (``Cheat.defence``); since the issue-11
timed pass (fresh processes per round, kernel CPU read by the parent, every timed value checked, a secret
seed per run, later levels checked after a censored one) none is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import math
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest

from effilab.cli.main import main

pytestmark = pytest.mark.slow  # one evaluation of 45 samples: 80-110 s on 2 cores

CHEATS_DIR = Path(__file__).parent / "cheats"
BUILTIN = Path(__file__).parents[2] / "src" / "effilab" / "suites" / "builtin" / "effilab"
PROBLEMS = {"psc": "pair-sum-count", "inv": "count-inversions", "mav": "moving-average-window"}

SCORE_SLACK = 0.35
"""A right-but-tricky cheat may score at most the *better* of its two honest twins' eff scores plus this.

Timed rounds run one call per fresh process and charge the kernel's CPU figure for the whole sandbox, so
scores are noisy: identical twins measured in one run have scored 0.28 and 0.62 (moving-average-window),
0.64 and 0.94 (pair-sum-count). Comparing with the better of two twins absorbs most of that; the slack
covers the rest (the third copy, ``*_twin_check``, has stayed within +0.17 of the better twin). A cheat that
works cuts its top-level cost by 2x or more, which raises its score by 0.6 or more (~1.2 for O(1) answers)."""
COST_FACTOR = 1.5
"""…and be at most this many times cheaper than the better twin (total cost over the timed cases, i.e. the
speedup against the naive reference). The third identical copy has come out up to 1.22x cheaper than the
better twin, so 1.5 admits honest noise, while every cheat here is at least ~2x cheaper when it works (most
answer in O(1) instead of 0.3-5 ms). The suite's expert
reference for count-inversions, 3.1-3.4x cheaper than the standard one, must be rejected. The other two
problems' experts are not usable controls under the current timed pass: pair-sum-count's measured
0.9-1.4x and moving-average-window's 1.2-1.9x cheaper than their standard references, run to run."""


@dataclasses.dataclass(frozen=True, slots=True)
class Cheat:
    name: str
    wrong: bool
    """It returns wrong values (or values of the wrong type) whenever its trigger fires: it must not be
    counted correct, unless the trigger never fired (then it was honest, and must gain nothing)."""
    hidden_wrong: bool = False
    """It is wrong on inputs of the suite whatever happens: it must never be counted correct."""
    defence: str | None = None
    """The missing defence it exploits today (xfail until that defence lands); None: defeated already."""

    @property
    def task(self) -> str:
        return PROBLEMS[self.name.split("_")[0]]


CHEATS = [
    # class 1: notice the timing, answer cheaply and wrongly / lazily / elsewhere
    Cheat("psc_wrong_after_count", wrong=True),
    Cheat("psc_wrong_on_repeat", wrong=True),
    Cheat("inv_wrong_stack_run", wrong=True),
    Cheat("mav_wrong_input_identity", wrong=True),
    Cheat("psc_wrong_except_first", wrong=True),
    Cheat("psc_lazy_proxy", wrong=True),
    Cheat("mav_generator", wrong=True),
    Cheat("mav_lazy_list", wrong=False),
    Cheat("mav_thread_fill", wrong=False),
    Cheat("inv_fork_child", wrong=True),
    # class 2: value-keyed caches (right values)
    Cheat("psc_cache_tuple", wrong=False),
    Cheat("psc_lru_cache", wrong=False),
    Cheat("inv_cache_fingerprint", wrong=False),
    Cheat("inv_cache_crc", wrong=False),
    Cheat("mav_cache_identity", wrong=False),
    # class 3: forged times
    Cheat("psc_forge_main_wall", wrong=False),
    Cheat("inv_forge_gc_runner", wrong=False),
    Cheat("mav_forge_dumps", wrong=False),
    Cheat("psc_forge_write", wrong=False),
    Cheat("inv_forge_channel_send", wrong=False),
    Cheat("mav_forge_frame_local", wrong=False),
    Cheat("psc_forge_time_module", wrong=False),
    # class 4: state left in the private /tmp
    Cheat("psc_tmp_file_cache", wrong=False),
    Cheat("mav_tmp_pickle_import", wrong=False),
    # class 5: public inputs
    Cheat("psc_precompute_seed", wrong=False),
    Cheat("inv_precompute_seed", wrong=False),
    Cheat("mav_precompute_seed", wrong=False),
    # class 6: slowing the anchor down
    Cheat("psc_burn_threads", wrong=False),
    Cheat("inv_burn_forked", wrong=False),
    # found in the code: work outside the window, staged-input tampering, censoring
    Cheat("psc_gc_callback_prework", wrong=False),
    Cheat("inv_profile_hook_prework", wrong=False),
    Cheat("mav_shrink_staged", wrong=True),
    Cheat("inv_censor_hides_wrong", wrong=True, hidden_wrong=True),
]

CONTROLS = ("twin_copy", "twin_check", "expert")
"""Per problem: a second copy of the twin (the honest envelope is the better of the two), a third copy (the
bounds must admit it) and the suite's expert reference, an honest but genuinely faster program (the bounds
must reject it, or they would let real cheats through)."""
EXPERT_CONTROLS = ("inv",)


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    verdict: str
    passed: bool
    score: float
    speedup: float | None
    detail: str

    def show(self) -> str:
        speed = "-" if self.speedup is None else f"{self.speedup:.2f}"
        return f"{self.verdict} score {self.score:.3f} speedup {speed} {self.detail[:120]!r}"


def _source(name: str) -> str:
    prefix, _, control = name.partition("_")
    if control == "expert":
        return (BUILTIN / PROBLEMS[prefix] / "expert.py").read_text()
    if control in ("twin_copy", "twin_check"):
        return (CHEATS_DIR / f"{prefix}_twin.py").read_text()
    return (CHEATS_DIR / f"{name}.py").read_text()


def _programs() -> list[str]:
    names = [f"{prefix}_twin" for prefix in PROBLEMS]
    names += [f"{prefix}_{control}" for prefix in PROBLEMS for control in CONTROLS]
    return names + [cheat.name for cheat in CHEATS]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, host: Any) -> dict[str, Outcome]:
    """Evaluate every program once; map program name → its stored result."""
    work = tmp_path_factory.mktemp("cheats")
    samples = work / "samples.jsonl"
    index: dict[str, tuple[str, int]] = {}
    per_task: dict[str, int] = {}
    with samples.open("w") as handle:
        for name in _programs():
            task = PROBLEMS[name.split("_")[0]]
            index[name] = (task, per_task.get(task, 0))
            per_task[task] = per_task.get(task, 0) + 1
            handle.write(json.dumps({"task_id": task, "solution": _source(name)}) + "\n")
    db = work / "results.sqlite"
    out = io.StringIO()
    previous = tempfile.tempdir
    tempfile.tempdir = str(host.session_tmp)  # sandboxes' tmp dirs where test_zz_no_leftovers looks
    try:
        with contextlib.redirect_stdout(out):
            status = main(["evaluate", "--suite", "effilab", "--samples", str(samples), "--db", str(db),
                           "--json"])  # fmt: skip
    finally:
        tempfile.tempdir = previous
    assert status == 0
    summary = json.loads(out.getvalue())
    assert summary["evaluated_now"] == len(index)
    assert {row["task_id"] for row in summary["per_problem"]} == set(PROBLEMS.values())
    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = {
            (task, sample): Outcome(verdict, bool(passed), score, speedup, detail)
            for task, sample, verdict, passed, score, speedup, detail in connection.execute(
                "SELECT task_id, sample, verdict, passed, score, speedup, detail FROM samples "
                "WHERE run_id = ?",
                (summary["run_id"],),
            )
        }
    found = {name: rows[key] for name, key in index.items()}
    if table := os.environ.get("EFFILAB_CHEAT_TABLE"):
        Path(table).write_text(_table(found))
    return found


def _table(found: dict[str, Outcome]) -> str:
    """The outcome of every program as a Markdown table (``EFFILAB_CHEAT_TABLE=FILE``: for closing notes)."""
    lines = ["| program | verdict | score | speedup | better twin's score / speedup |", "|---" * 5 + "|"]
    for name, result in found.items():
        twins = _twins(found, name.split("_")[0])
        best = max(twins, key=lambda twin: twin.score)
        fastest = max(twin.speedup or 0.0 for twin in twins)
        speed = "-" if result.speedup is None else f"{result.speedup:.2f}"
        lines.append(f"| {name} | {result.verdict} | {result.score:.3f} | {speed} | "
                     f"{best.score:.3f} / {fastest:.2f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def _within_bounds(program: Outcome, twins: tuple[Outcome, Outcome]) -> bool:
    """No better than the better twin beyond noise: not correct, or score and cost within the bounds."""
    if not program.passed:
        return True
    if program.score > max(twin.score for twin in twins) + SCORE_SLACK:
        return False
    if program.speedup is None:
        return True  # a level censored on the way: no total cost, and never cheaper than a finite one
    return program.speedup <= max(twin.speedup or 0.0 for twin in twins) * COST_FACTOR


def _twins(outcomes: dict[str, Outcome], prefix: str) -> tuple[Outcome, Outcome]:
    return outcomes[f"{prefix}_twin"], outcomes[f"{prefix}_twin_copy"]


def test_every_cheat_has_a_documented_program() -> None:
    names = {cheat.name for cheat in CHEATS}
    assert len(names) == len(CHEATS) >= 30
    on_disk = {path.stem for path in CHEATS_DIR.glob("*.py")} - {f"{p}_twin" for p in PROBLEMS}
    assert on_disk == names
    for name in names:
        text = _source(name)
        assert text.startswith('"""'), name
        assert "twin" in text.split('"""')[1], name


@pytest.mark.parametrize("prefix", list(PROBLEMS))
def test_twins_are_correct(outcomes: dict[str, Outcome], prefix: str) -> None:
    for control in ("twin", *CONTROLS):
        result = outcomes[f"{prefix}_{control}"]
        assert result.passed, f"{prefix}_{control}: {result.show()}"
        assert result.speedup is not None, f"{prefix}_{control}: {result.show()}"
        assert math.isfinite(result.speedup), f"{prefix}_{control}: {result.show()}"


@pytest.mark.parametrize("prefix", list(PROBLEMS))
def test_bounds_admit_an_identical_program(outcomes: dict[str, Outcome], prefix: str) -> None:
    check, twins = outcomes[f"{prefix}_twin_check"], _twins(outcomes, prefix)
    assert _within_bounds(check, twins), f"copy {check.show()} vs twins {[t.show() for t in twins]}"


@pytest.mark.parametrize("prefix", EXPERT_CONTROLS)
def test_bounds_reject_a_real_speedup(outcomes: dict[str, Outcome], prefix: str) -> None:
    expert, twins = outcomes[f"{prefix}_expert"], _twins(outcomes, prefix)
    assert not _within_bounds(expert, twins), f"expert {expert.show()} vs twins {[t.show() for t in twins]}"


def _cheat_params() -> list[Any]:
    params = []
    for cheat in CHEATS:
        marks = [pytest.mark.xfail(strict=True, reason=cheat.defence)] if cheat.defence else []
        params.append(pytest.param(cheat, id=cheat.name, marks=marks))
    return params


@pytest.mark.parametrize("cheat", _cheat_params())
def test_cheat_gains_nothing(outcomes: dict[str, Outcome], cheat: Cheat) -> None:
    result, twins = outcomes[cheat.name], _twins(outcomes, cheat.name.split("_")[0])
    assert all(twin.passed for twin in twins), [twin.show() for twin in twins]
    if cheat.hidden_wrong:
        assert not result.passed, f"wrong values counted correct: {result.show()}"
    # A wrong cheat counted correct never got to cheat (or nothing looked): then it must gain nothing.
    assert _within_bounds(result, twins), f"{result.show()} beats twins {[t.show() for t in twins]}"
