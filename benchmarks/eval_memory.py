"""Resident memory of the evaluator's own bookkeeping for a large sample file.

    .venv/bin/python benchmarks/eval_memory.py [--samples 100000]

Evaluating 100k samples for real takes hours, and the sandboxed children are separate processes, so this
measures what grows with the number of samples *inside the evaluator*: indexing the JSONL file, the
store's set of finished samples, and the summary over every stored row. It writes a synthetic file of
``--samples`` records (about 1 KB of code each) for the built-in suite, indexes it, stores one row per
sample in a temporary SQLite file, reads back the finished set and computes the summary, and prints the peak
resident set size (ru_maxrss) after each step.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
from pathlib import Path

from effilab.evaluate.samples import open_samples
from effilab.evaluate.store import ResultStore, SampleRow
from effilab.evaluate.summary import summarize
from effilab.suites import load_suite


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=100_000)
    args = parser.parse_args()
    suite = load_suite("effilab")
    ids = [p.id for p in suite]
    body = "def f(xs):\n" + "".join(f"    # line {i} of a typical generated solution\n" for i in range(20))
    print(f"start: peak RSS {_peak_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "samples.jsonl"
        with path.open("w") as out:
            for i in range(args.samples):
                out.write(
                    json.dumps({"task_id": ids[i % len(ids)], "solution": body + f"    return {i}\n"}) + "\n"
                )
        print(
            f"wrote {args.samples} samples ({path.stat().st_size / 1e6:.0f} MB): peak RSS {_peak_mb():.0f} MB"
        )
        samples = open_samples(path, suite)
        print(f"indexed {samples.count} samples: peak RSS {_peak_mb():.0f} MB")
        with ResultStore(Path(tmp) / "r.sqlite") as store:
            store.open_run("bench", {}, {})
            for task_id, refs in samples.by_task.items():
                for ref in refs:
                    row = SampleRow(task_id, ref.index, ref.line, "ok", True, 0.9, 1.0, False, 50.0, "", 0.1)
                    store.add_sample("bench", row)
            print(f"stored {samples.count} rows: peak RSS {_peak_mb():.0f} MB")
            done = store.done("bench")
            print(f"read back {len(done)} finished samples: peak RSS {_peak_mb():.0f} MB")
            summary = summarize(store.samples("bench"), ks=(1, 10), timed={i: True for i in ids},
                                metric="time", baseline="naive")  # fmt: skip
            print(f"summary over {sum(p.n for p in summary.problems)} samples: peak RSS {_peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
