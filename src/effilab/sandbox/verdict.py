"""What happened to one call (or one load) of a candidate, decided by the trusted parent."""

from __future__ import annotations

import enum

__all__ = ["Verdict"]


class Verdict(enum.StrEnum):
    """Outcome of running candidate code. ``str`` valued so it serialises as its name."""

    OK = "ok"
    WRONG_ANSWER = "wrong_answer"  # set by checkers: ran fine, output differs from the oracle
    RUNTIME_ERROR = "runtime_error"  # raised an exception (including SystemExit)
    TIMEOUT = "timeout"  # wall or CPU limit exceeded; the true cost is right-censored at the limit
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"  # stdout/stderr or the result message grew past its cap
    SYNTAX_ERROR = "syntax_error"  # includes source that is not valid UTF-8
    IMPORT_ERROR = "import_error"  # module-level code raised while loading
    MISSING_ENTRY = "missing_entry"  # entry point absent or not callable
    UNSERIALIZABLE_OUTPUT = "unserializable_output"  # returned a value outside the tagged-JSON types
    CRASHED = "crashed"  # the interpreter died: signal, os._exit, protocol violation
    COMPILE_ERROR = "compile_error"  # a whole program (effilab.programs) did not compile

    @property
    def is_ok(self) -> bool:
        return self is Verdict.OK
