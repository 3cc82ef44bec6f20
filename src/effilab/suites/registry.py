"""Finding a suite from what the user typed: a built-in name, a folder, or ``format:path`` for public files.

=====================  ==========================================================================
``effilab``            a suite shipped inside the package (``effilab suite list`` shows them)
``path/to/folder``     a suite folder (docs/suite.md)
``enamel:PATH``        ENAMEL's ``enamel.csv``
``evalplus:PATH``      EvalPlus HumanEval+ / MBPP+ JSONL (optionally .gz)
``evalperf:PATH``      EvalPerf JSONL
=====================  ==========================================================================
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

from effilab.errors import InvalidArgument
from effilab.suites.folder import PROBLEM_FILE, load_folder
from effilab.suites.model import Suite

__all__ = ["BUILTIN_ROOT", "FORMATS", "builtin_suites", "load_suite"]

BUILTIN_ROOT = Path(__file__).parent / "builtin"
"""Suites shipped with effilab, one folder each."""
SUITES_PATH_ENV = "EFFILAB_SUITES_PATH"
"""Extra folders (os.pathsep-separated) whose subfolders are suites loadable by name."""


def _adapter(name: str, path: str) -> Suite:
    # Imported on use: each adapter is only needed when its format is asked for.
    module = importlib.import_module(f"effilab.suites.{name}")
    loader: Callable[[str], Suite] = getattr(module, f"load_{name}")
    return loader(path)


FORMATS: dict[str, Callable[[str], Suite]] = {
    "enamel": lambda path: _adapter("enamel", path),
    "evalplus": lambda path: _adapter("evalplus", path),
    "evalperf": lambda path: _adapter("evalperf", path),
}


def _search_roots() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(SUITES_PATH_ENV, "").split(os.pathsep) if p]
    return [*extra, BUILTIN_ROOT]


def builtin_suites() -> dict[str, Path]:
    """Suites loadable by name: folder name → folder (earlier search roots win)."""
    found: dict[str, Path] = {}
    for root in _search_roots():
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and folder.name not in found and any(folder.glob(f"*/{PROBLEM_FILE}")):
                found[folder.name] = folder
    return found


def load_suite(spec: str) -> Suite:
    """Load the suite ``spec`` names; :class:`InvalidArgument` explains what was expected when it fails."""
    if not spec:
        raise InvalidArgument("--suite: must not be empty")
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in FORMATS:
        if not rest:
            raise InvalidArgument(f"--suite {spec!r}: give the file after '{prefix}:'")
        if not Path(rest).is_file():
            raise InvalidArgument(f"--suite {spec!r}: {rest!r} is not a file")
        return FORMATS[prefix](rest)
    path = Path(spec)
    if path.is_dir():
        return load_folder(path)
    suites = builtin_suites()
    if spec in suites:
        return load_folder(suites[spec], name=spec)
    if path.is_file():
        hint = "; prefix public benchmark files with " + ", ".join(f"'{f}:'" for f in FORMATS)
        raise InvalidArgument(f"--suite {spec!r}: a file, not a suite folder{hint}")
    names = ", ".join(sorted(suites)) or "none installed"
    raise InvalidArgument(
        f"--suite {spec!r}: no such folder or suite name (names: {names}; formats: "
        + ", ".join(f"{f}:PATH" for f in FORMATS)
        + ")"
    )
