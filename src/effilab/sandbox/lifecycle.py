"""Start a worker, load a program, close it on failure: the one place that sequence is written.

Two kinds of failure come out of it, typed so callers never confuse them:

* :class:`~effilab.errors.SandboxStartError`: the sandbox could not start (effilab's or the machine's
  failure; no program code had run yet).
* :class:`LoadFailed`: the sandbox started but the program did not load (its syntax, imports, missing
  entry …); ``.load`` keeps the verdict and error. For a *candidate* that is a verdict (callers that
  evaluate candidates call :meth:`Worker.load` themselves); for a program effilab relies on — a reference,
  a checker, an input generator, the function being optimized — the caller turns it into its own error.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence

from effilab.errors import EffilabError, SandboxError, SandboxStartError
from effilab.sandbox.isolation import Isolation
from effilab.sandbox.limits import Limits
from effilab.sandbox.worker import LoadResult, Worker

__all__ = ["LoadFailed", "loaded_worker", "open_loaded", "start_worker"]


class LoadFailed(EffilabError):
    """A program effilab relies on did not load in a started sandbox; the message says what and why."""

    def __init__(self, what: str, load: LoadResult) -> None:
        self.what = what
        self.load = load
        super().__init__(f"{what} does not load ({load.detail})")


def start_worker(worker: Worker) -> Worker:
    """``worker.start()``, every failure raised as :class:`SandboxStartError`; returns the worker."""
    try:
        worker.start()
    except SandboxStartError:
        raise
    except SandboxError as exc:
        raise SandboxStartError(str(exc)) from exc
    return worker


def open_loaded(
    source: bytes | str,
    entry: str,
    filename: str,
    *,
    limits: Limits | None = None,
    isolation: Isolation | str = "auto",
    read_paths: Sequence[str | os.PathLike[str]] = (),
    hash_seed: int = 0,
    counter: str | None = None,
    what: str | None = None,
) -> tuple[Worker, LoadResult]:
    """A started worker with the program loaded, and the load's result (check it: it may have failed).

    With ``what`` (e.g. ``"the checker checker.py"``), a failed load closes the worker and raises
    :class:`LoadFailed` instead. Whatever goes wrong, no started worker is left behind.
    """
    worker = Worker(limits=limits, isolation=isolation, read_paths=read_paths, hash_seed=hash_seed,
                    counter=counter)  # fmt: skip
    try:
        start_worker(worker)
        load = worker.load(source, entry=entry, filename=filename)
    except BaseException:
        worker.close()
        raise
    if what is not None and not load.verdict.is_ok:
        worker.close()
        raise LoadFailed(what, load)
    return worker, load


@contextlib.contextmanager
def loaded_worker(
    source: bytes | str,
    entry: str,
    filename: str,
    *,
    limits: Limits | None = None,
    isolation: Isolation | str = "auto",
    read_paths: Sequence[str | os.PathLike[str]] = (),
    what: str | None = None,
) -> Iterator[tuple[Worker, LoadResult]]:
    """:func:`open_loaded` as a context manager: the worker is closed on leaving, whatever happened."""
    worker, load = open_loaded(source, entry, filename, limits=limits, isolation=isolation,
                               read_paths=read_paths, what=what)  # fmt: skip
    try:
        yield worker, load
    finally:
        worker.close()
