"""Patch parsing, the anti-hack gates, the task loader and the report's metrics, without sandboxes."""

from __future__ import annotations

from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.repotask import PatchScore, PatchVerdict, Speedup, TaskRunReport, load_task
from effilab.repotask.gates import check_files, scan_sources, workload_constants
from effilab.repotask.patching import FileChange, PatchError, parse_patch

DIFF = """\
diff --git a/pkg/mod.py b/pkg/mod.py
index 1..2 100644
--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -1,3 +1,4 @@
 def f(xs):
-    return sorted(xs)
+    ys = list(xs)
+    return sorted(ys)

"""


def test_parse_patch_finds_files_and_added_lines() -> None:
    assert parse_patch(DIFF) == [FileChange("pkg/mod.py", "pkg/mod.py", (2, 3))]


@pytest.mark.parametrize("text", ["", "hello\n", "--- a/../x.py\n+++ b/../x.py\n@@ -1 +1 @@\n-a\n+b\n"])
def test_parse_patch_refuses_non_diffs_and_escaping_paths(text: str) -> None:
    with pytest.raises(PatchError):
        parse_patch(text)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (FileChange("setup.cfg", "setup.cfg", (1,)), "data or config"),
        (FileChange("data/table.json", "data/table.json", (1,)), "data or config"),
        (FileChange("setup.py", "setup.py", (1,)), "configuration"),
        (FileChange("pkg/conftest.py", "pkg/conftest.py", (1,)), "configuration"),
        (FileChange("tests/test_x.py", "tests/test_x.py", (1,)), "tests may not change"),
        (FileChange("pkg/test_mod.py", "pkg/test_mod.py", (1,)), "tests may not change"),
        (FileChange("pkg/mod.py", None, ()), "delete"),
        (FileChange("pkg/mod.py", "pkg/mod.py", (), binary=True), "binary"),
        (FileChange("other/mod.py", "other/mod.py", (1,)), "outside the task's allowed files"),
    ],
)
def test_files_gate_refuses_everything_but_allowed_source(change: FileChange, reason: str) -> None:
    gate = check_files([change], tests=("checks",), allow=("pkg/*.py",))
    assert not gate.passed
    assert reason in gate.detail


def test_files_gate_passes_source() -> None:
    assert check_files([FileChange("pkg/mod.py", "pkg/mod.py", (1,))], tests=(), allow=()).passed


def _scan(
    tmp_path: Path, base: str, patched: str, added: tuple[int, ...], workload: str = ""
) -> dict[str, str]:
    (tmp_path / "base").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "base" / "m.py").write_text(base)
    (tmp_path / "new" / "m.py").write_text(patched)
    change = FileChange("m.py", "m.py", added)
    constants = workload_constants(workload)
    results = scan_sources([change], base=tmp_path / "base", patched=tmp_path / "new", workload=constants)
    return {g.gate: g.detail for g in results if not g.passed}


@pytest.mark.parametrize(
    ("line", "gate"),
    [
        ("x = __import__('sys')._getframe(1)", "introspection"),
        ("import inspect", "introspection"),
        ("import gc; gc.get_objects()", "introspection"),
        ("f.__code__ = g.__code__", "introspection"),
        ("x = getattr(sys, 'settrace')", "introspection"),
        ("open('/tmp/c', 'wb').write(b'')", "cross_run_cache"),
        ("import shelve", "cross_run_cache"),
        ("os.environ['K'] = '1'", "cross_run_cache"),
        ("p.write_text('x')", "cross_run_cache"),
        ("n = os.environ.get('EFFILAB_WORKLOAD_SEED')", "special_cased"),
        ("if len(xs) == 12345: pass", "special_cased"),
    ],
)
def test_source_gates_flag_added_lines(tmp_path: Path, line: str, gate: str) -> None:
    found = _scan(tmp_path, "x = 1\n", f"x = 1\n{line}\n", (2,), workload="N = 12345\n")
    assert gate in found, found


def test_source_gates_ignore_old_lines_and_constants_the_base_had(tmp_path: Path) -> None:
    base = "import inspect\nLIMIT = 12345\n"
    patched = "import inspect\nLIMIT = 12345\nCAP = min(LIMIT, 12345)\nwith open(p) as f:\n    pass\n"
    assert _scan(tmp_path, base, patched, (3, 4, 5), workload="N = 12345\n") == {}


def test_load_task_reads_toml_and_refuses_bad_fields(tmp_path: Path) -> None:
    (tmp_path / "w.py").write_text("print(1)\n")
    (tmp_path / "repo").mkdir()
    good = 'id = "t"\n[repo]\npath = "repo"\n[workload]\nscript = "w.py"\n[tests]\npaths = ["tests"]\n'
    (tmp_path / "t.toml").write_text(good)
    task = load_task(tmp_path / "t.toml")
    assert task.id == "t"
    assert task.seeds == (1, 2)
    assert task.repo.kind == "path"
    assert task.expert is None
    for bad, message in [
        (good.replace('path = "repo"', 'package = "toposort"'), "pin it as name==version"),
        (good.replace('path = "repo"', 'url = "https://x/y.git"'), "needs the base commit"),
        (good + "[measure]\nrounds = 1\n", "measure.rounds"),
        (good.replace('paths = ["tests"]', "paths = []"), "tests.paths"),
        (good.replace("[tests]", '[tests]\nrunner = "nose"'), "tests.runner"),
        ("extra = 1\n" + good, "unknown key"),
    ]:
        (tmp_path / "bad.toml").write_text(bad)
        with pytest.raises(InvalidArgument, match=message):
            load_task(tmp_path / "bad.toml")


def _score(
    task: str, verdict: PatchVerdict, speedup: float, expert: float | None, solved: bool
) -> PatchScore:
    s = Speedup(1, speedup, speedup * 0.9, speedup * 1.1, (1.0,), (1.0,))
    return PatchScore(task, "p", verdict, "", True, (), True, (), True, (s,), expert, solved)


def test_report_metrics() -> None:
    scores = (
        _score("a", PatchVerdict.FASTER, 4.0, 4.0, True),
        _score("a", PatchVerdict.TESTS_FAILED, 9.0, 4.0, False),
        _score("b", PatchVerdict.NOT_EQUIVALENT, 9.0, 2.0, False),
    )
    report = TaskRunReport(scores, {}, (1, 2), (), "key")
    assert report.opt_at_k(1) == pytest.approx((1 / 2 + 0) / 2)
    assert report.opt_at_k(2) == pytest.approx(1.0)  # only task a has 2 patches; one is solved
    # a: best ratio 4/4 = 1; b: a failing patch keeps the base, 1/2. Harmonic mean of 1 and 0.5.
    assert report.harmonic_mean_ratio() == pytest.approx(2 / (1 + 2))
    assert report.geomean_speedup() == pytest.approx((4.0 * 1.0) ** 0.5)
