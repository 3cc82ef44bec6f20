"""EvalPlus's HumanEval+ and MBPP+ files (``evalplus:PATH``) as correctness-only effilab suites.

Each JSONL record (optionally gzip-compressed) becomes one :class:`~effilab.suites.model.Problem`:

* every ``base_input`` then every ``plus_input`` entry is a fixed test of level 0 (a list of positional
  arguments, passed as given: JSON lists stay lists, except for the MBPP+ tasks whose inputs EvalPlus
  converts to tuples, sets or complex numbers before calling, see :func:`task_inputs`);
* the only reference, ``canonical``, is ``prompt + canonical_solution``, exactly the program EvalPlus runs to
  compute expected outputs (for MBPP+ the prompt is a docstring and the solution a whole program, so the
  concatenation is still that program);
* the rule is :class:`EvalPlusRule`, a re-implementation of EvalPlus's output comparison, or, for the tasks
  whose special oracle needs helper code, a :class:`~effilab.suites.rules.CheckerRule` (see
  :func:`task_oracle`).

Samples are whole programs (EvalPlus's ``solution`` records); a ``completion`` record is turned into one
with :func:`completion_program`, as EvalPlus does.

EvalPlus's comparison (``evalplus/eval/__init__.py``, ``unsafe_execute``), per test::

    exact_match = out == exp                     # Python ==: 1 == 1.0, True == 1, but [1] != (1,)
    <special oracles may replace exact_match>
    if atol == 0 and is_floats(exp): atol = 1e-6  # float, or non-empty list/tuple of only floats
    if not exact_match and atol != 0:
        type(out) == type(exp); same len for list/tuple; numpy.allclose(out, exp, rtol=1e-07, atol=atol)
    else:
        exact_match

Special oracles (``evalplus/eval/_special_oracle.py``) are in :func:`task_oracle`. Four MBPP+ canonicals
return values that cannot leave the sandbox (``re.Match`` for Mbpp/737, 787, 794; ``collections.Counter``
for Mbpp/88): those problems call a wrapper, :data:`WRAPPER_ENTRY`, put before every program
(``program_prefix``), that maps the output the way EvalPlus's comparison sees it (``is not None``; a plain
``dict``). A candidate for one of these four tasks that starts with ``from __future__`` no longer compiles.

Any exception on the way is a failure; NaN never matches (``nan == nan`` is false and ``allclose`` has
``equal_nan=False``). One deliberate difference: EvalPlus assigns the enforced ``atol = 1e-6`` to the loop
variable, so it leaks into later tests of the same base/plus group; effilab judges every test on its own
(the leak only changes a verdict when an output is not ``==`` but allclose-equal and of the same type).

Time limits are not fixed numbers in EvalPlus: each test's limit is ``max(min_time_limit,
gt_time_limit_factor × t_canonical)`` with ``t_canonical`` the canonical solution's measured time on that
input (defaults :data:`MIN_TIME_LIMIT_S` and :data:`GT_TIME_LIMIT_FACTOR`, ``evalplus/config.py``), so
problems leave ``time_limit_s`` unset and the evaluator derives limits from the reference at run time.
"""

from __future__ import annotations

import dataclasses
import gzip
import inspect
import itertools
import math
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from effilab.check.rules import CheckerRule, Rule
from effilab.errors import InvalidArgument
from effilab.measure.program import Program
from effilab.sandbox import OutputDigest
from effilab.suites.model import (
    CHECKER_ENTRY,
    Level,
    Problem,
    Reference,
    Suite,
    SuiteSettings,
    TestCase,
    fingerprint,
)
from effilab.util import safejson

__all__ = [
    "EVALPLUS_SETTINGS",
    "GT_TIME_LIMIT_FACTOR",
    "MIN_TIME_LIMIT_S",
    "WRAPPER_ENTRY",
    "EvalPlusRule",
    "JsonlRecord",
    "TaskOracle",
    "atol_field",
    "completion_program",
    "dataset_of",
    "load_evalplus",
    "outputs_match",
    "read_jsonl",
    "string_field",
    "task_id_field",
    "task_inputs",
    "task_oracle",
]

GT_TIME_LIMIT_FACTOR = 4.0
"""EvalPlus's default ``--gt-time-limit-factor``: a test may take this many times the canonical's time."""
MIN_TIME_LIMIT_S = 1.0
"""EvalPlus's default ``--min-time-limit``: the floor of every per-test limit, in seconds."""
WRAPPER_ENTRY = "__effilab_entry__"
"""Entry of the wrapper that maps outputs which cannot leave the sandbox (see :func:`task_oracle`); the
task's own entry point is then in ``Problem.metadata["entry_point"]``."""

EVALPLUS_SETTINGS = SuiteSettings(memory_mb=4096, oracle_memory_mb=None, oracle_timeout_s=600.0)
"""The limits EvalPlus's own evaluator applies: samples get 4 GiB of address space
(``EVALPLUS_MAX_MEMORY_BYTES``), while expected outputs come from running the canonical solution in
EvalPlus's own process, bounded by nothing but the machine (effilab still stops one call after 10 minutes)."""
_FORMAT = "evalplus-v1"
"""Bumped whenever the interpretation of the files changes, so run identities change with it."""
_GZIP_MAGIC = b"\x1f\x8b"
_RTOL = 1e-07
"""EvalPlus passes numpy's default rtol of ``assert_allclose`` explicitly."""
_FLOAT_ATOL = 1e-6
"""The atol EvalPlus enforces when a task has none but the expected output is float(s)."""
_MAX_DIMS = 64
"""numpy refuses arrays with more dimensions (NPY_MAXDIMS in numpy 2)."""
_MAX_BROADCAST = 10_000_000
"""Guard for the trusted parent: broadcasting a hostile output's shape must not mean hours of looping."""

# MBPP+ tasks judged by special oracles (evalplus/eval/_special_oracle.py), keyed by entry point as there.
_MBPP_SET_EQ = frozenset(
    {
        "similar_elements",  # Mbpp/2
        "find_char_long",  # Mbpp/7
        "common_in_nested_lists",  # Mbpp/111
        "extract_singly",  # Mbpp/140
        "larg_nnum",  # Mbpp/232
        "intersection_array",  # Mbpp/249
        "find_dissimilar",  # Mbpp/579
        "Diff",  # Mbpp/769
    }
)
_MBPP_NOT_NONE = frozenset({"check_str", "text_match_three", "text_starta_endb"})
_MBPP_COUNTER = "freq_count"  # Mbpp/88: the canonical returns a collections.Counter
_MBPP_ALWAYS = "are_equivalent"  # Mbpp/164: every output passes
_MBPP_OR_ZERO = "sum_div"  # Mbpp/295: 0 passes too
_MBPP_SURFACE_AREA = "surface_Area"  # Mbpp/581
_MBPP_DIGIT_DISTANCE = "digit_distance_nums"  # Mbpp/558
_HUMANEVAL_FIND_ZERO = "find_zero"  # HumanEval/32

_DATASETS = {"HumanEval": ("humaneval", "humaneval+"), "Mbpp": ("mbpp", "mbpp+")}

# ---------------------------------------------------------------------------------------------- comparison
# These functions are pure and use nothing but ``math`` and ``itertools``: their source is also copied into
# the checker modules of the special oracles (see _comparison_source), so one definition serves both sides.


def _is_floats(value: object) -> bool:
    """EvalPlus's ``is_floats``: a float, or a non-empty list/tuple holding only floats."""
    if isinstance(value, float):
        return True
    if isinstance(value, list | tuple) and value:
        return all(isinstance(item, float) for item in value)
    return False


def _as_array(value: object) -> tuple[tuple[int, ...], list[object], str] | None:
    """``numpy.asarray(value)`` as (shape, flat elements, kind), or None where numpy raises (ragged nesting).

    The kind is what decides numpy's fate later: ``number`` (a bool/int/float/complex array, or a Python
    number, which ``isclose`` keeps as a scalar), ``text`` (str/bytes arrays, which no arithmetic accepts) or
    ``object`` (anything else inside, or an int beyond int64/uint64: numpy then works element by element).
    """
    if isinstance(value, bool | int | float | complex):
        return (), [value], "number"
    if not isinstance(value, list | tuple):
        return (), [value], "text" if isinstance(value, str | bytes) else "object"
    shape: list[int] = []
    level: list[Any] = [value]
    while True:
        lengths = {len(seq) for seq in level}
        if len(lengths) != 1:
            return None
        shape.append(lengths.pop())
        if len(shape) > _MAX_DIMS:
            return None
        children = [item for seq in level for item in seq]
        if not children:
            return tuple(shape), [], "number"  # numpy makes empty lists float64 arrays
        nested = [isinstance(child, list | tuple) for child in children]
        if all(nested):
            level = children
            continue
        if any(nested):
            return None
        return tuple(shape), children, _kind(children)


def _kind(leaves: list[object]) -> str:
    """numpy's dtype family for an array of these leaves (see _as_array)."""
    kinds = set()
    for leaf in leaves:
        if isinstance(leaf, bool | float | complex):
            kinds.add("number")
        elif isinstance(leaf, int):
            kinds.add("number" if -(2**63) <= leaf < 2**64 else "object")
        else:
            kinds.add("text" if isinstance(leaf, str | bytes) else "object")
    if "object" in kinds:
        return "object"
    return "text" if "text" in kinds else "number"


def _broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """numpy's broadcast of two shapes (aligned on the right, a dimension of 1 stretches), or None."""
    result: list[int] = []
    for back in range(1, max(len(a), len(b)) + 1):
        x = a[-back] if back <= len(a) else 1
        y = b[-back] if back <= len(b) else 1
        if 1 not in (x, y) and x != y:
            return None
        result.append(x if y == 1 else y)
    return tuple(reversed(result))


def _strides(shape: tuple[int, ...], target: tuple[int, ...]) -> list[int]:
    """Flat-index strides of ``shape`` read as ``target`` (0 along broadcast dimensions)."""
    strides = [0] * len(target)
    step = 1
    for back in range(1, len(shape) + 1):
        if shape[-back] != 1:
            strides[-back] = step
        step *= shape[-back]
    return strides


def _close(x: object, y: object, rtol: float, atol: float) -> bool:
    """numpy's ``isclose`` on one pair (y is the expected value), computed in float64/complex128 as numpy."""
    if not isinstance(x, bool | int | float | complex):
        return False  # an element of an object array that arithmetic rejects: numpy raises
    try:
        xv: float | complex = complex(x) if isinstance(x, complex) else float(x)
        yv: float | complex = complex(y) if isinstance(y, complex) else float(y)  # type: ignore[arg-type]
    except OverflowError:  # an int beyond float64: numpy fails on it as well
        return False
    finite = all(math.isfinite(part) for v in (xv, yv) for part in (v.real, v.imag))
    if finite:
        return abs(xv - yv) <= atol + rtol * abs(yv)
    return xv == yv  # infinities match only themselves; nan matches nothing (equal_nan=False)


def _allclose(output: object, expected: object, rtol: float, atol: float) -> bool:
    """``numpy.allclose(output, expected, rtol, atol)`` for builtin values, broadcasting included."""
    a = _as_array(output)
    b = _as_array(expected)
    # numpy converts the expected side to a float dtype first and rejects text arithmetic outright, even on
    # empty arrays; object arrays fail only element by element, so an empty broadcast passes them.
    if a is None or b is None or b[2] != "number" or a[2] == "text":
        return False
    shape = _broadcast_shape(a[0], b[0])
    if shape is None or math.prod(shape) > _MAX_BROADCAST:
        return False
    if a[0] == b[0]:
        return all(_close(x, y, rtol, atol) for x, y in zip(a[1], b[1], strict=True))
    a_strides, b_strides = _strides(a[0], shape), _strides(b[0], shape)
    for index in itertools.product(*(range(n) for n in shape)):
        i = sum(k * s for k, s in zip(index, a_strides, strict=True))
        j = sum(k * s for k, s in zip(index, b_strides, strict=True))
        if not _close(a[1][i], b[1][j], rtol, atol):
            return False
    return True


def _evalplus_match(expected: object, output: object, atol: float, exact_match: bool) -> bool:
    """The end of EvalPlus's per-test check, once ``exact_match`` (maybe from a special oracle) is known."""
    if atol == 0 and _is_floats(expected):
        atol = _FLOAT_ATOL
    if exact_match or atol == 0:
        return exact_match
    if type(output) is not type(expected):
        return False
    if isinstance(expected, list | tuple) and len(output) != len(expected):  # type: ignore[arg-type]
        return False
    return _allclose(output, expected, _RTOL, atol)


def outputs_match(expected: object, output: object, atol: float) -> bool:
    """EvalPlus's default comparison of one output (no special oracle); any error means no match."""
    try:
        return _evalplus_match(expected, output, atol, bool(output == expected))
    except Exception:  # EvalPlus counts any exception while checking as a failed test
        return False


# ---------------------------------------------------------------------------------------------- the rule

_ORACLES = ("default", "set", "or-zero", "always")


@dataclasses.dataclass(frozen=True, slots=True)
class EvalPlusRule(Rule):
    """EvalPlus's output comparison (see the module docstring), on decoded data in the parent.

    ``oracle`` selects the MBPP+ special oracles that need no helper code: ``set`` compares ``set(out)`` with
    ``set(exp)`` instead of ``==``, ``or-zero`` also accepts ``0`` and ``always`` accepts every output.
    """

    name: ClassVar[str] = "evalplus"
    atol: float = 0.0
    oracle: str = "default"

    def __post_init__(self) -> None:
        if not _valid_atol(self.atol):
            raise InvalidArgument(f"atol={self.atol!r}: must be a finite non-negative number")
        if self.oracle not in _ORACLES:
            raise InvalidArgument(f"oracle={self.oracle!r}: choose one of {', '.join(_ORACLES)}")

    def check(self, args: tuple[object, ...], expected: object, output: object) -> bool:
        try:
            if self.oracle == "set":
                exact = set(output) == set(expected)  # type: ignore[call-overload]
            elif self.oracle == "always":
                exact = True
            else:
                exact = bool(output == expected)
                if self.oracle == "or-zero":
                    exact = exact or bool(output == 0)
            return _evalplus_match(expected, output, float(self.atol), exact)
        except Exception:  # EvalPlus counts any exception while checking as a failed test
            return False

    def check_digests(self, expected: object, output: object) -> bool | None:
        """A streamed side is judged by digest where EvalPlus's comparison is ``==`` without tolerance:
        equal digests are equal values; unequal ones count as a mismatch (see docs/evaluation.md). With a
        tolerance (``atol`` > 0) or the set oracle, the decoded value is needed: None."""
        if self.atol != 0 or self.oracle == "set":
            return None
        if self.oracle == "always":
            return True
        if self.oracle == "or-zero" and not isinstance(output, OutputDigest):
            return self.check((), 0, output)  # a small output can still be the accepted 0
        return isinstance(expected, OutputDigest) and expected == output

    def describe(self) -> str:
        oracle = "" if self.oracle == "default" else f", oracle={self.oracle}"
        return f"evalplus (atol={self.atol:g}{oracle})"


# ---------------------------------------------------------------------------------------------- oracles


@dataclasses.dataclass(frozen=True, slots=True)
class TaskOracle:
    """How one task is judged: the rule, and the entry/prefix when outputs must be mapped before leaving."""

    rule: Rule
    entry: str
    program_prefix: str = ""


def dataset_of(task_id: str) -> tuple[str, str] | None:
    """(EvalPlus dataset, effilab suite name) from a task id such as ``HumanEval/3`` or ``Mbpp/2``."""
    prefix, sep, _ = task_id.partition("/")
    return _DATASETS.get(prefix) if sep else None


def task_oracle(task_id: str, entry_point: str, atol: float) -> TaskOracle:
    """The rule EvalPlus applies to ``task_id`` (its special oracles key on the dataset and entry point)."""
    dataset = (dataset_of(task_id) or ("", ""))[0]
    where = f"evalplus_oracle_{task_id.replace('/', '_')}.py"
    if dataset == "humaneval" and entry_point == _HUMANEVAL_FIND_ZERO:
        checker = Program(_find_zero_checker(atol).encode(), CHECKER_ENTRY, where)
        return TaskOracle(CheckerRule(checker), entry_point)
    if dataset == "mbpp":
        if entry_point == _MBPP_SURFACE_AREA:
            condition = "abs(output - _pyramid_surface_area(*args)) <= atol"
            return TaskOracle(_special_checker(where, atol, condition), entry_point)
        if entry_point == _MBPP_DIGIT_DISTANCE:
            condition = "output == _digit_distance(*args)"
            return TaskOracle(_special_checker(where, atol, condition), entry_point)
        if entry_point in _MBPP_NOT_NONE:
            # The canonical returns re.Match objects, which cannot leave the sandbox; EvalPlus itself keeps
            # only "is not None" of them, and of a candidate's output unless it is a bool.
            mapping = "out if isinstance(out, bool) else out is not None"
            return TaskOracle(EvalPlusRule(atol), WRAPPER_ENTRY, _wrapper(entry_point, mapping))
        if entry_point == _MBPP_COUNTER:
            # A Counter cannot leave the sandbox either; EvalPlus compares with ==, for which a Counter (or
            # any dict subclass) equals the plain dict of its items.
            mapping = "dict(out) if isinstance(out, dict) else out"
            return TaskOracle(EvalPlusRule(atol), WRAPPER_ENTRY, _wrapper(entry_point, mapping))
        if entry_point in _MBPP_SET_EQ:
            return TaskOracle(EvalPlusRule(atol, "set"), entry_point)
        if entry_point == _MBPP_ALWAYS:
            return TaskOracle(EvalPlusRule(atol, "always"), entry_point)
        if entry_point == _MBPP_OR_ZERO:
            return TaskOracle(EvalPlusRule(atol, "or-zero"), entry_point)
    return TaskOracle(EvalPlusRule(atol), entry_point)


def _wrapper(entry_point: str, mapping: str) -> str:
    # The wrapper goes before the program (Problem.program_prefix) and finds the task's function by its
    # global name at call time, so it works whatever the program defines after it.
    return f"def {WRAPPER_ENTRY}(*args):\n    out = {entry_point}(*args)\n    return {mapping}\n"


def _find_zero_checker(atol: float) -> str:
    # HumanEval/32: any x with |poly(xs, x)| <= atol is a zero; the expected output plays no part.
    return f"""import math


def poly(xs, x):
    return sum([coeff * math.pow(x, i) for i, coeff in enumerate(xs)])


def {CHECKER_ENTRY}(args, expected, output):
    try:
        return bool(abs(poly(*args, output)) <= {atol!r})
    except Exception:
        return False
"""


def _pyramid_surface_area(base_edge: float, height: float) -> int:
    """Mbpp/581's alternative reading: ``height`` is the pyramid's height, not its slant height."""
    slant = math.sqrt((base_edge / 2) ** 2 + height**2)
    return round(base_edge**2 + 2 * (base_edge * slant))


def _digit_distance(num1: int, num2: int) -> int:
    """Mbpp/558's alternative reading: the shorter number is left-padded with zeros."""
    left, right = str(num1), str(num2)
    width = max(len(left), len(right))
    return sum(abs(int(a) - int(b)) for a, b in zip(left.zfill(width), right.zfill(width), strict=True))


_SHARED: tuple[Callable[..., Any], ...] = (
    _is_floats,
    _as_array,
    _kind,
    _broadcast_shape,
    _strides,
    _close,
    _allclose,
    _evalplus_match,
    _pyramid_surface_area,
    _digit_distance,
)


def _comparison_source() -> str:
    """Source of the comparison functions above, for a checker module (stdlib only, no effilab import)."""
    constants = {
        "_RTOL": _RTOL,
        "_FLOAT_ATOL": _FLOAT_ATOL,
        "_MAX_DIMS": _MAX_DIMS,
        "_MAX_BROADCAST": _MAX_BROADCAST,
    }
    try:
        functions = [inspect.getsource(function) for function in _SHARED]
    except (OSError, TypeError) as exc:  # pragma: no cover - only without effilab's .py files
        raise InvalidArgument(f"cannot build EvalPlus checkers: no source for effilab ({exc})") from None
    header = "from __future__ import annotations\n\nimport itertools\nimport math\nfrom typing import Any\n"
    values = "".join(f"{name} = {value!r}\n" for name, value in constants.items())
    return header + "\n" + values + "\n\n" + "\n\n".join(functions)


def _special_checker(filename: str, atol: float, condition: str) -> CheckerRule:
    # As in EvalPlus, the alternative is consulted only when ``==`` fails; the float tolerance applies after.
    source = (
        _comparison_source()
        + f"""

def {CHECKER_ENTRY}(args, expected, output):
    atol = {atol!r}
    try:
        exact = bool(output == expected) or bool({condition})
        return bool(_evalplus_match(expected, output, atol, exact))
    except Exception:
        return False
"""
    )
    return CheckerRule(Program(source.encode(), CHECKER_ENTRY, filename))


# ---------------------------------------------------------------------------------------------- inputs


def _tuple_all(value: Any) -> Any:
    """Every list, at any depth, as a tuple."""
    if isinstance(value, list):
        return tuple(_tuple_all(item) for item in value)
    return value


def _inner_tuples(arg: Any) -> list[tuple[Any, ...]]:
    return [tuple(item) for item in arg]


# Which MBPP+ tasks EvalPlus converts, and how (evalplus/data/mbpp.py, mbpp_deserialize_inputs): JSON has no
# tuples, sets or complex numbers, so the files store lists/strings and the loader restores the types.
# fmt: off
_EVERY_ARG_TUPLE = frozenset({
    2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630, 726, 740, 744,
    809,
})
# fmt: on
_EVERY_ARG_TUPLES = frozenset({63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780})
_FIRST_TUPLES_THEN_ONE = frozenset({75, 413, 444, 753})
_SECOND_TUPLE = frozenset({106, 750})
_FIRST_TUPLE_THEN_ONE = frozenset({250, 405, 446, 617, 720, 763, 808})
_EVERY_ARG_TUPLE_OF_TUPLES = frozenset({259, 401, 445})
_ALL_TUPLES = frozenset({580, 615, 791})


def _mbpp_args(number: int, inp: list[Any]) -> Sequence[Any]:
    """One MBPP+ input with EvalPlus's type restoration applied (its exact shapes, quirks included)."""
    if number in _EVERY_ARG_TUPLE:
        return [tuple(arg) for arg in inp]
    if number in _EVERY_ARG_TUPLES:
        return [_inner_tuples(arg) for arg in inp]
    if number in _FIRST_TUPLES_THEN_ONE:
        return [_inner_tuples(inp[0]), inp[1]]
    if number in _SECOND_TUPLE:
        return [inp[0], tuple(inp[1])]
    if number == 115:
        # EvalPlus turns an empty inner list into {} (a dict, not a set): kept, the canonical sees the same.
        return [[set(item) if isinstance(item, list) and item else {} for item in inp[0]]]
    if number == 124:
        return (float(inp[0]), complex(inp[1]))
    if number in _FIRST_TUPLE_THEN_ONE:
        return [tuple(inp[0]), inp[1]]
    if number in _EVERY_ARG_TUPLE_OF_TUPLES:
        return [tuple(tuple(item) for item in arg) for arg in inp]
    if number == 278:
        return [tuple(tuple(item) if isinstance(item, list) else item for item in inp[0])]
    if number == 307:
        return [tuple(inp[0]), inp[1], inp[2]]
    if number == 722:
        return [{key: tuple(value) for key, value in inp[0].items()}, *inp[1:]]
    if number == 252:
        return [complex(inp[0])]
    if number in _ALL_TUPLES:
        return _tuple_all(inp)  # type: ignore[no-any-return]
    return inp


def task_inputs(task_id: str, inputs: object, where: str, field: str) -> tuple[tuple[object, ...], ...]:
    """The argument tuples of one input list, with EvalPlus's MBPP+ type restoration applied."""
    if inputs == {}:
        inputs = []  # MbppPlus v0.2.0 has Mbpp/793's plus_input as {}: EvalPlus iterates it as empty
    if not isinstance(inputs, list):
        raise InvalidArgument(f"{where}: field '{field}' must be a list of inputs (lists of arguments)")
    number: int | None = None
    if (dataset_of(task_id) or ("", ""))[0] == "mbpp":
        suffix = task_id.partition("/")[2]
        number = int(suffix) if suffix.isdigit() else None
    result: list[tuple[object, ...]] = []
    for index, inp in enumerate(inputs):
        if not isinstance(inp, list):
            raise InvalidArgument(f"{where}: field '{field}'[{index}] must be a list of positional arguments")
        try:
            args = inp if number is None else _mbpp_args(number, inp)
        except (TypeError, ValueError, IndexError, AttributeError) as exc:
            shape = f"not the shape EvalPlus expects for {task_id}"
            raise InvalidArgument(f"{where}: field '{field}'[{index}]: {shape}: {exc}") from None
        result.append(tuple(args))
    return tuple(result)


# ---------------------------------------------------------------------------------------------- files


@dataclasses.dataclass(frozen=True, slots=True)
class JsonlRecord:
    line: int
    where: str
    """``file:line``, for messages."""
    data: dict[str, Any]


def read_jsonl(path: str | Path) -> tuple[bytes, list[JsonlRecord]]:
    """The file's bytes and its JSON object records; gzip is recognised by its magic bytes, not the name."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise InvalidArgument(f"{path}: missing") from None
    except OSError as exc:
        raise InvalidArgument(f"{path}: cannot read: {exc.strerror}") from None
    data = raw
    if raw.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise InvalidArgument(f"{path}: starts like gzip but does not decompress: {exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        after = " after decompression" if data is not raw else ""
        raise InvalidArgument(f"{path}: not UTF-8 text (byte {exc.start}{after})") from None
    records: list[JsonlRecord] = []
    # Split on "\n" only: str.splitlines() would also split at U+2028 and friends inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue  # EvalPlus skips blank lines too
        where = f"{path}:{number}"
        try:
            record = safejson.loads(line)
        except safejson.JSONInputError as exc:
            column = f" (column {exc.column})" if exc.column is not None else ""
            raise InvalidArgument(f"{where}: not valid JSON: {exc.reason}{column}") from None
        if not isinstance(record, dict):
            raise InvalidArgument(f"{where}: each line must be a JSON object, got {type(record).__name__}")
        records.append(JsonlRecord(number, where, record))
    if not records:
        raise InvalidArgument(f"{path}: no records")
    return raw, records


def string_field(record: JsonlRecord, key: str, *, identifier: bool = False, empty: bool = False) -> str:
    value = record.data.get(key)
    if value is None:
        raise InvalidArgument(f"{record.where}: field '{key}' is missing")
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise InvalidArgument(f"{record.where}: field '{key}' must be a non-empty string")
    if identifier and not value.isidentifier():
        raise InvalidArgument(f"{record.where}: field '{key}'={value!r} is not a Python identifier")
    return value


def atol_field(record: JsonlRecord, *, default: float | None = None) -> float:
    value = record.data.get("atol", default)
    if value is None:
        raise InvalidArgument(f"{record.where}: field 'atol' is missing")
    if not _valid_atol(value):
        raise InvalidArgument(f"{record.where}: field 'atol' must be a finite number >= 0, got {value!r}")
    return float(value)


def _valid_atol(value: object) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and math.isfinite(value) and value >= 0  # type: ignore[arg-type,operator]


def _suite_name(records: Sequence[JsonlRecord], ids: Sequence[str]) -> str:
    """The suite name shared by every task id: one file holds HumanEval+ or MBPP+, as EvalPlus's do."""
    names: set[str] = set()
    for record, task_id in zip(records, ids, strict=True):
        names.add((dataset_of(task_id) or ("", ""))[1])
        if len(names) > 1:
            raise InvalidArgument(f"{record.where}: field 'task_id'={task_id!r}: HumanEval and MBPP mixed")
    return names.pop()


def task_id_field(record: JsonlRecord, seen: dict[str, int]) -> str:
    """A record's task id: ``HumanEval/<n>`` or ``Mbpp/<n>`` (special oracles depend on it), not repeated."""
    task_id = string_field(record, "task_id")
    if dataset_of(task_id) is None:
        raise InvalidArgument(
            f"{record.where}: field 'task_id'={task_id!r}: expected 'HumanEval/<n>' or 'Mbpp/<n>'"
        )
    if task_id in seen:
        raise InvalidArgument(f"{record.where}: field 'task_id'={task_id!r} repeats line {seen[task_id]}")
    seen[task_id] = record.line
    return task_id


def load_evalplus(path: str) -> Suite:
    """Load a HumanEval+ or MBPP+ JSONL file (optionally gzip-compressed) as a correctness-only suite."""
    raw, records = read_jsonl(path)
    seen: dict[str, int] = {}
    ids = [task_id_field(record, seen) for record in records]
    suite_name = _suite_name(records, ids)
    problems = tuple(_problem(record, task_id) for record, task_id in zip(records, ids, strict=True))
    return Suite(
        name=suite_name,
        source=f"evalplus:{path}",
        problems=problems,
        fingerprint=fingerprint(_FORMAT, raw),
        task_order=tuple(ids),
        settings=EVALPLUS_SETTINGS,
    )


def _problem(record: JsonlRecord, task_id: str) -> Problem:
    entry_point = string_field(record, "entry_point", identifier=True)
    prompt = string_field(record, "prompt", empty=True)
    canonical = string_field(record, "canonical_solution")
    atol = atol_field(record)
    base = task_inputs(task_id, record.data.get("base_input"), record.where, "base_input")
    plus = task_inputs(task_id, record.data.get("plus_input"), record.where, "plus_input")
    fixed = tuple(TestCase(0, case, args) for case, args in enumerate((*base, *plus)))
    oracle = task_oracle(task_id, entry_point, atol)
    dataset = (dataset_of(task_id) or ("", ""))[0]
    filename = f"{task_id.replace('/', '_')}_canonical.py"
    reference = Reference("canonical", (prompt + canonical).encode(), filename)
    metadata: dict[str, object] = {
        "dataset": dataset,
        "entry_point": entry_point,
        "atol": atol,
        "base_tests": len(base),
        "plus_tests": len(plus),
        "line": record.line,
    }
    try:
        return Problem(
            id=task_id,
            entry=oracle.entry,
            prompt=prompt,
            levels=(Level(size=0, tests=0, weight=0.0),),
            references=(reference,),
            rule=oracle.rule,
            fixed=fixed,
            program_prefix=oracle.program_prefix,
            metadata=metadata,
            time_limit_s=None,  # EvalPlus derives limits from the canonical's measured times (see above)
        )
    except InvalidArgument as exc:
        raise InvalidArgument(f"{record.where}: {exc}") from None


def completion_program(problem: Problem, completion: str) -> str:
    """The program EvalPlus builds from a ``completion`` record: the task's prompt, then the completion."""
    return problem.prompt + completion
