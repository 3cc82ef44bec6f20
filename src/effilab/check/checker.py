"""Judging one output against the expected one with a problem's rule.

Built-in rules compare decoded data in the parent; a streamed result (an
:class:`~effilab.sandbox.OutputDigest`) is judged by the rule's ``check_digests``. A suite-provided checker
is code, so it runs in its own sandboxed worker, started on first use and kept for the problem's lifetime;
it receives the arguments, the expected and the actual output as data and must answer exactly ``True`` or
``False``.
"""

from __future__ import annotations

import hashlib

from effilab.check.rules import CHECKER_ENTRY, CheckerRule, Rule
from effilab.errors import InvalidArgument
from effilab.sandbox import Limits, OutputDigest, Verdict, Worker, codec
from effilab.sandbox.lifecycle import LoadFailed, open_loaded

__all__ = ["CHECKER_LIMITS", "OutputChecker"]

CHECKER_LIMITS = Limits(timeout_s=30.0, memory_mb=2048)


class OutputChecker:
    """``check(args, expected, output) -> bool``; a broken checker raises :class:`InvalidArgument`."""

    def __init__(self, rule: Rule, *, isolation: str = "auto", limits: Limits = CHECKER_LIMITS) -> None:
        self.rule = rule
        self.isolation = isolation
        self.limits = limits
        self._worker: Worker | None = None
        self._verdicts: dict[tuple[int, int, bytes], bool] = {}
        """A custom checker's verdicts by (arguments, expected output, digest of the output's canonical
        encoding): the timed pass checks every repetition's value, and repetitions repeat themselves."""

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        if isinstance(expected, OutputDigest) or isinstance(output, OutputDigest):
            # A streamed result exists only as a digest: the rule judges by digest if it can, and a rule
            # that needs the decoded value rejects it (the evaluator drops cases whose *expected* output
            # is streamed under such a rule, so only a candidate's oversized output gets here).
            return bool(self.rule.check_digests(expected, output))
        if not isinstance(self.rule, CheckerRule):
            return self.rule.check(args, expected, output)
        try:
            # The same argument and expected objects (a case's) with an output of the same canonical bytes
            # get the same verdict; ids are safe as keys because the caller keeps the case alive.
            key = (id(args), id(expected), hashlib.sha256(codec.dumps(output).encode()).digest())
        except codec.CodecError:
            return self._run_checker(args, expected, output)
        if key not in self._verdicts:
            self._verdicts[key] = self._run_checker(args, expected, output)
        return self._verdicts[key]

    def _run_checker(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        assert isinstance(self.rule, CheckerRule)
        worker = self._checker_worker(self.rule)
        result = worker.call([args, expected, output])
        where = f"{self.rule.program.filename}: the checker"
        if result.verdict is not Verdict.OK:
            detail = result.detail
            self.close()  # a checker that failed once may be in any state: start afresh next time
            raise InvalidArgument(f"{where} failed: {detail}")
        if type(result.value) is not bool:
            raise InvalidArgument(f"{where} returned {type(result.value).__name__}, not True/False")
        return result.value

    def _checker_worker(self, rule: CheckerRule) -> Worker:
        if self._worker is not None and self._worker.alive:
            return self._worker
        filename = rule.program.filename
        try:
            worker, _ = open_loaded(rule.program.source, CHECKER_ENTRY, filename, limits=self.limits,
                                    isolation=self.isolation, what="the checker")  # fmt: skip
        except LoadFailed as exc:
            raise InvalidArgument(f"{filename}: the checker does not load ({exc.load.detail})") from None
        self._worker = worker
        return worker

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def __enter__(self) -> OutputChecker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
