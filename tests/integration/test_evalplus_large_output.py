"""MBPP+'s Mbpp/255 end to end: its expected output on one plus input is 1,663,740 tuples of 77 strings
(over a gigabyte as Python objects), which used to abort the whole run with a MemoryError in the oracle.
Now it is streamed from the sandbox and compared by digest, and the evaluator's own memory stays small.
(The full HumanEval+/MBPP+ comparison with EvalPlus is benchmarks/evalplus_agreement.py.)"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from effilab.cli.main import main

pytestmark = pytest.mark.slow  # about 20 s on 2 cores: the big output is computed and streamed three times

MBPP_PLUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "evalplus" / "MbppPlus.jsonl.gz"
TASK = "Mbpp/255"
BIG_CASE = "level 0 case 88"  # the plus input (['Dog', 'Cat', 'CatBird', 'Bird', 'Fish'], 77)


def _peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not MBPP_PLUS.is_file(), reason=f"no MBPP+ data at {MBPP_PLUS}")
def test_mbpp_255_is_judged_with_its_huge_expected_output_in_small_memory(tmp_path: Path) -> None:
    with gzip.open(MBPP_PLUS, "rt", encoding="utf-8") as handle:
        record = next(r for r in map(json.loads, handle) if r["task_id"] == TASK)
    canonical = record["prompt"] + record["canonical_solution"]
    entry = record["entry_point"]
    short_on_big = canonical + (
        f"\n\n_original = {entry}\n\n"
        f"def {entry}(l, n):\n"
        "    out = _original(l, n)\n"
        "    return out[:-1] if n == 77 else out\n"
    )
    # Equal value, but every tuple a new object: the digest depends on the value, not on object sharing.
    rebuilt = (
        "import itertools\n\n"
        f"def {entry}(l, n):\n"
        "    return [tuple(list(t)) for t in itertools.combinations_with_replacement(l, n)]\n"
    )
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        "".join(
            json.dumps({"task_id": TASK, "solution": solution}) + "\n"
            for solution in (canonical, short_on_big, rebuilt)
        )
    )
    db = tmp_path / "results.sqlite"
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # this process is the evaluator: reset its peak RSS
    before = _peak_rss_kib()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        argv = ["--samples", str(samples), "--db", str(db), "--workers", "2", "--json"]
        status = main(["evaluate", "--suite", f"evalplus:{MBPP_PLUS}", *argv])
    grew_mib = (_peak_rss_kib() - before) / 1024
    assert status == 0, err.getvalue()
    report = json.loads(out.getvalue())
    assert report["problems_broken"] == []
    assert report["cases_dropped"] == 0
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        rows = dict(((s, (v, d)) for s, v, d in conn.execute("SELECT sample, verdict, detail FROM samples")))
    assert rows[0] == ("ok", "")
    assert rows[1][0] == "wrong_answer"
    assert rows[1][1].startswith(f"{BIG_CASE}: got <streamed output")
    assert rows[2] == ("ok", "")
    # The expected output alone is over a gigabyte; the evaluator held only digests of it.
    assert grew_mib < 400, f"the evaluator's peak RSS grew by {grew_mib:.0f} MiB"
