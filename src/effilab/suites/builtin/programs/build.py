"""Build the shipped program suite in PIE's layout: ``problems.jsonl`` and ``tests/<problem_id>/``.

Run from the project root with ``python src/effilab/suites/builtin/programs/build.py`` (then ``ruff format``
the folder). It is deterministic (fixed seeds) and checks that every slow and fast program agrees on every
test. Outputs are those of the fast program run bare (effilab's own trusted code, not a candidate).
``levels.json`` maps each test to its size level (0: two tiny tests; 1-3: growing sizes); ``generator.py``
and ``generate.json`` let an evaluation draw more inputs from a secret seed.
"""

from __future__ import annotations

import inspect
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import problems_cpp  # noqa: E402
import problems_py  # noqa: E402
from problems_cpp import CPP_PROBLEMS  # noqa: E402
from problems_py import PY_PROBLEMS  # noqa: E402

GENERATED = {"3": 1}  # one more top-level input per problem, drawn at evaluation time from a secret seed


def generator_source(module, gen, sizes) -> str:
    """A standalone generator.py: generate(level, rng) with the problem's sizes per level."""
    parts = ["import random", "", inspect.getsource(module._ints)]
    if "_WORDS" in inspect.getsource(gen):
        parts.append(f"_WORDS = {module._WORDS!r}\n")
    parts.append(inspect.getsource(gen))
    parts.append(f"SIZES = {tuple(sizes)!r}\n\n")
    parts.append(f"def generate(level, rng):\n    return {gen.__name__}(SIZES[level], rng)\n")
    return "\n".join(parts)


CXX_FLAGS = ["-std=gnu++17", "-O2", "-static", "-pipe"]  # the cpp plugin's flags


def _run(argv: list[str], stdin: str) -> tuple[str, float]:
    start = time.perf_counter()
    out = subprocess.run(argv, input=stdin.encode(), capture_output=True, check=True, timeout=120)
    return out.stdout.decode(), time.perf_counter() - start


def main() -> None:
    tests_root = HERE / "tests"
    shutil.rmtree(tests_root, ignore_errors=True)
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for language, problems, module in (
            ("cpp", CPP_PROBLEMS, problems_cpp),
            ("python", PY_PROBLEMS, problems_py),
        ):
            for number, (pid, gen, sizes, slow, fast) in enumerate(problems):
                rng = random.Random(f"effilab-programs/{pid}")
                inputs = [(0, gen(sizes[0], rng)), (0, gen(sizes[0], rng))]
                inputs += [(level, gen(sizes[level], rng)) for level in (1, 2, 3)]
                commands = []
                for name, source in (("slow", slow), ("fast", fast)):
                    if language == "cpp":
                        src = Path(tmp) / f"{pid}-{name}.cpp"
                        src.write_text(source)
                        exe = Path(tmp) / f"{pid}-{name}"
                        subprocess.run(["g++", *CXX_FLAGS, str(src), "-o", str(exe)], check=True)
                        commands.append([str(exe)])
                    else:
                        src = Path(tmp) / f"{pid}-{name}.py"
                        src.write_text(source)
                        commands.append([sys.executable, str(src)])
                folder = tests_root / pid
                folder.mkdir(parents=True)
                times = [0.0, 0.0]
                for index, (level, text) in enumerate(inputs):
                    expected, t_fast = _run(commands[1], text)
                    got, t_slow = _run(commands[0], text)
                    if got.split() != expected.split():
                        raise SystemExit(f"{pid} test {index}: slow and fast disagree")
                    times[0] += t_slow
                    times[1] += t_fast
                    (folder / f"input.{index}.txt").write_text(text)
                    (folder / f"output.{index}.txt").write_text(expected)
                (folder / "generator.py").write_text(generator_source(module, gen, sizes))
                (folder / "generate.json").write_text(json.dumps(GENERATED))
                (folder / "levels.json").write_text(
                    json.dumps({str(i): lv for i, (lv, _) in enumerate(inputs)})
                )
                records.append(
                    {
                        "problem_id": pid,
                        "language": language,
                        "input": slow.lstrip("\n"),
                        "target": fast.lstrip("\n"),
                        "submission_id_v0": f"s{2 * number:04d}{language[0]}",
                        "submission_id_v1": f"s{2 * number + 1:04d}{language[0]}",
                        # wall seconds summed over the tests, bare, on the machine that built the suite
                        "cpu_time_v0": round(times[0], 4),
                        "cpu_time_v1": round(times[1], 4),
                    }
                )
                print(f"{pid}: slow {times[0]:.3f}s fast {times[1]:.3f}s", flush=True)
    with open(HERE / "problems.jsonl", "w") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
