"""The trusted first code inside a sandboxed interpreter.

Started as ``python -s -P -B _bootstrap.py CMD_FD RESULT_FD`` by :mod:`effilab.sandbox.worker`. It

1. reads a ``setup`` message and confines the process *before any candidate code exists in it*: resource
   limits, dropped capabilities, Landlock, seccomp; then reports which layers are in force;
2. on ``load``: compiles and executes the candidate module and resolves the entry point;
3. on each ``call``: decodes fresh arguments, calls the entry, and reports the tagged-JSON result with the
   time it took; arguments arrive only after the module has loaded, so import-time code cannot see them;
4. on ``exit`` or end of input: exits.

A result too large to travel as one JSON line (when the request sets ``stream_above``) is *streamed*: the
reply line says ``"stream": true`` and is followed by length-prefixed frames of a canonical serialisation
(pickle without memo, by slices of the top-level list or tuple), which the parent hashes as it reads and
never keeps (see :mod:`effilab.sandbox.stream`).

Messages are one JSON object per line on dedicated pipes (never stdout, never pickle). The parent treats
everything this process says after ``load`` as untrusted, so this file aims for robustness, not secrecy:
a hostile candidate shares this interpreter and could in principle tamper with it; the parent cross-checks.

Only the standard library and the sibling modules ``codec`` and ``confine`` may be imported here.
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
# Imported by path, not as effilab.sandbox.*: the effilab package itself is not visible inside the sandbox.
import codec  # type: ignore[import-not-found]  # noqa: E402
import confine  # type: ignore[import-not-found]  # noqa: E402
import counters  # type: ignore[import-not-found]  # noqa: E402

sys.path.remove(_HERE)

import collections  # noqa: E402
import contextlib  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import linecache  # noqa: E402
import marshal  # noqa: E402
import resource  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402
from time import perf_counter_ns as _wall_ns  # noqa: E402  -- bound before the candidate can patch `time`
from time import process_time_ns as _cpu_ns  # noqa: E402

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the child ~5 ms per start
if TYPE_CHECKING:
    from typing import Any

# Bound now so that a candidate replacing os.read/os.write or json.dumps cannot redirect the protocol.
_read = os.read
_write = os.write
_dumps = json.dumps
_loads = json.loads
_getrusage = resource.getrusage
_RUSAGE_SELF = resource.RUSAGE_SELF

_MODULE_NAME = "__effilab_candidate__"
_MAX_MESSAGE = 64 << 20


class _Channel:
    """Line-delimited JSON over two raw file descriptors."""

    def __init__(self, cmd_fd: int, result_fd: int) -> None:
        self._cmd_fd = cmd_fd
        self._result_fd = result_fd
        self._buffer = bytearray()
        self.seq: object = None  # the request being answered; every reply echoes it

    def receive(self) -> dict[str, Any] | None:
        while True:
            newline = self._buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self._buffer[:newline])
                del self._buffer[: newline + 1]
                message: dict[str, Any] = _loads(line)
                self.seq = message.get("seq")
                return message
            chunk = _read(self._cmd_fd, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk
            if len(self._buffer) > _MAX_MESSAGE:
                raise RuntimeError("command message too large")

    def send(self, message: dict[str, Any]) -> None:
        message["seq"] = self.seq
        self.send_bytes((_dumps(message, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))

    def send_bytes(self, payload: bytes | memoryview) -> None:
        data = memoryview(payload)
        while data:
            written = _write(self._result_fd, data)
            data = data[written:]

    def send_stream(self, chunks: Any) -> None:
        """Frames of at most STREAM_FRAME bytes (4-byte big-endian length, then the bytes), then an end mark:
        0 when every chunk was sent, STREAM_ABORT when producing them failed."""
        end = 0
        try:
            for chunk in chunks:
                view = memoryview(chunk)
                for start in range(0, len(view), STREAM_FRAME):
                    part = view[start : start + STREAM_FRAME]
                    self.send_bytes(len(part).to_bytes(4, "big"))
                    self.send_bytes(part)
        except Exception:
            end = STREAM_ABORT
        self.send_bytes(end.to_bytes(4, "big"))


def _apply_rlimits(rlimits: dict[str, int | None]) -> list[str]:
    """Set soft = hard = value for each limit; return notes on limits that could only be set softly."""
    notes = []
    for name, value in rlimits.items():
        if value is None:
            continue
        which = getattr(resource, "RLIMIT_" + name)
        # CPU: the soft limit sends SIGXCPU (reported as a timeout) a little before the hard SIGKILL.
        hard = value + 5 if name == "CPU" else value
        try:
            resource.setrlimit(which, (value, hard))
        except ValueError:
            # valgrind refuses any change of the hard RLIMIT_NOFILE (it keeps descriptors above it for
            # itself); the soft limit still applies.
            if name != "NOFILE":
                raise
            resource.setrlimit(which, (value, resource.getrlimit(which)[1]))
            notes.append("nofile-soft-only")
    return notes


def _confine(setup: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Apply every requested layer; return the layers in force and the errors of those that failed."""
    layers: list[str] = []
    errors: dict[str, str] = {}
    try:
        notes = _apply_rlimits(setup["rlimits"])
        layers.append("rlimits")
        layers.extend(notes)
    except (OSError, ValueError) as exc:
        errors["rlimits"] = f"{type(exc).__name__}: {exc}"
    if setup.get("drop_caps"):
        try:
            confine.drop_capabilities()
            layers.append("caps-dropped")
        except OSError as exc:
            errors["caps-dropped"] = str(exc)
    landlock = setup.get("landlock")
    if landlock:
        try:
            abi = confine.install_landlock(read_paths=landlock["read"], write_paths=landlock["write"])
            layers.append(f"landlock-v{abi}")
        except OSError as exc:
            errors["landlock"] = str(exc)
    if setup.get("seccomp"):
        try:
            confine.install_seccomp(own_pid=os.getpid())
            layers.append("seccomp")
        except OSError as exc:
            errors["seccomp"] = str(exc)
    return layers, errors


def _safe_text(obj: object, limit: int) -> str:
    """str() of a candidate object, which may raise or be enormous."""
    try:
        text = str(obj)
    except BaseException:
        text = "<unprintable>"
    if not isinstance(text, str):
        return "<unprintable>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _traceback_tail(exc: BaseException, frames: int = 10) -> str:
    """The innermost ``frames`` of the traceback, formatted like Python does.

    Walked by hand: traceback.format_exception(limit=-N) still computes source positions for every frame,
    which takes seconds for the 10**6 frames of a deep RecursionError.
    """
    innermost: collections.deque[types.TracebackType] = collections.deque(maxlen=frames)
    tb = exc.__traceback__
    while tb is not None:
        innermost.append(tb)
        tb = tb.tb_next
    lines = ["Traceback (most recent call last):\n"]
    for entry in innermost:
        code = entry.tb_frame.f_code
        lines.append(f'  File "{code.co_filename}", line {entry.tb_lineno}, in {code.co_name}\n')
        source = linecache.getline(code.co_filename, entry.tb_lineno).strip()
        if source:
            lines.append(f"    {source}\n")
    lines.extend(traceback.format_exception_only(exc))
    return "".join(lines)


def _error_info(exc: BaseException) -> dict[str, str]:
    cls = type(exc)
    module = getattr(cls, "__module__", "") or ""
    name = getattr(cls, "__qualname__", "?")
    type_name = name if module in ("builtins", "") else f"{module}.{name}"
    try:
        tail = _traceback_tail(exc)
    except BaseException:
        tail = ""
    return {"type": _safe_text(type_name, 200), "message": _safe_text(exc, 2000), "traceback": tail[-4000:]}


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except BaseException:
            pass


def _resolve(namespace: dict[str, Any], entry: str) -> object:
    """Resolve ``name`` or ``Class.method`` in the module namespace."""
    head, *rest = entry.split(".")
    target: object = namespace[head]
    for part in rest:
        target = getattr(target, part)
    return target


STAGE_SLOTS = 64
"""Staged argument sets a worker keeps (oldest dropped first); the parent's Worker uses the same number."""

STREAM_FRAME = 1 << 20
"""Largest frame of a streamed result (the parent refuses larger ones); must equal ``stream.MAX_FRAME``."""
STREAM_ABORT = 0xFFFFFFFF
"""End mark of a stream whose serialisation failed part-way."""
_STREAM_SLICE = 1024
"""Top-level list/tuple items per pickled slice of a streamed result."""
_STREAM_MAGIC = b"effilab-stream-1 "


def _slices(value: Any) -> Any:
    """The parts a streamed value is serialised in: slices of a top-level list/tuple, else the value."""
    if type(value) is list or type(value) is tuple:
        for start in range(0, len(value), _STREAM_SLICE):
            yield value[start : start + _STREAM_SLICE]
    else:
        yield value


def _larger_than(value: Any, limit: int) -> bool:
    """Is the value's marshal form (a cheap C-speed proxy for its size) over ``limit`` bytes?

    Stops as soon as it is, so a huge value costs only ``limit`` bytes of work; a value marshal refuses
    (a subclass of a builtin, a cycle, deep nesting) is not streamed: the JSON path reports it.
    """
    total = 0
    try:
        for part in _slices(value):
            total += len(marshal.dumps(part, 2))  # version 2: no references, a pure function of the value
            if total > limit:
                return True
    except Exception:
        return False
    return False


def _stream_chunks(value: Any) -> Any:
    """The canonical serialisation of a streamed value: a header naming the top-level kind, then pickles
    (protocol 5, no memo) of its slices. Without a memo, pickle writes every object in full wherever it
    occurs, so the bytes depend only on the value (and on the iteration order of sets and dicts), not on
    which objects happen to be shared."""
    # Imported only for a result this large: the imports cost a few ms per interpreter.
    import io  # noqa: PLC0415
    import pickle  # noqa: PLC0415

    kind = b"L" if type(value) is list else b"T" if type(value) is tuple else b"V"
    yield _STREAM_MAGIC + kind + b"\n"
    for part in _slices(value):
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.fast = True  # no memo: canonical bytes (and refuses cycles)
        pickler.dump(part)
        yield buffer.getbuffer()


_IMMUTABLE_ATOMS = (int, float, complex, str, bytes, bool, type(None))


def _copier(value: Any) -> Any:
    """A function returning a fresh deep copy of decoded ``value``, planned once for speed.

    Decoded values hold only builtin types. Immutable parts are shared between copies (no candidate can
    change them); every list, dict and set is new in each copy, built by C-level slicing wherever a
    container holds only immutable atoms, so copying a 10⁶-element list costs a memcpy, not 10⁶ steps.
    """
    kind = type(value)
    if kind in _IMMUTABLE_ATOMS:
        return lambda: value
    if kind is list or kind is set or kind is dict:
        items = value.values() if kind is dict else value
        if all(type(x) in _IMMUTABLE_ATOMS for x in items) and (
            kind is not dict or all(type(k) in _IMMUTABLE_ATOMS for k in value)
        ):
            return value.copy
        if kind is list:
            parts = [_copier(x) for x in value]
            return lambda: [part() for part in parts]
        if kind is set:  # a set's elements are hashable: atoms, tuples or frozensets
            parts = [_copier(x) for x in value]
            return lambda: {part() for part in parts}
        pairs = [(_copier(k), _copier(v)) for k, v in value.items()]
        return lambda: {k(): v() for k, v in pairs}
    if kind is tuple or kind is frozenset:
        parts = [_copier(x) for x in value]
        if all(type(x) in _IMMUTABLE_ATOMS for x in value):
            return lambda: value
        return lambda: kind(part() for part in parts)
    raise TypeError(f"cannot copy {kind.__name__}")


class _Runner:
    def __init__(self, channel: _Channel, clear_refs_fd: int | None, counter: Any) -> None:
        self.channel = channel
        self.clear_refs_fd = clear_refs_fd
        self.counter = counter
        self.function: Any = None
        self.prepared: list[tuple[list[Any], dict[str, Any]]] = []
        self.first_value: Any = None
        self.last_results: list[Any] = []
        """Every value of the last ``run`` (the ``values`` op sends them all, so each can be checked)."""
        self.distinct = False
        """Whether the prepared calls are on distinct inputs (then their results need not agree)."""
        # Staged arguments: decoded once, copied for every repetition (see _copier). The parent mirrors
        # this FIFO of STAGE_SLOTS entries, so it knows which ids are still here without asking.
        self.staged: dict[int, Any] = {}
        self.stream: Any = None
        """A result to stream after the reply just built (see _stream_chunks)."""

    def load(self, message: dict[str, Any]) -> dict[str, Any]:
        filename = message["filename"]
        source = codec.decode(message["source"])
        entry = message["entry"]
        if not isinstance(source, bytes):
            raise TypeError("source must be bytes")
        try:
            code = compile(source, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:  # ValueError: null bytes
            return {"op": "loaded", "status": "syntax_error", "error": _error_info(exc)}
        try:
            text = source.decode("utf-8")
            linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
        except UnicodeDecodeError:
            pass  # a PEP 263 cookie declared another encoding; tracebacks just lack source lines
        module = types.ModuleType(_MODULE_NAME)
        module.__file__ = filename
        sys.modules[_MODULE_NAME] = module
        try:
            exec(code, module.__dict__)
        except BaseException as exc:
            _flush_std_streams()
            return {"op": "loaded", "status": "import_error", "error": _error_info(exc)}
        _flush_std_streams()
        try:
            function = _resolve(module.__dict__, entry)
        except (KeyError, AttributeError):
            error = {"type": "LookupError", "message": f"entry point {entry!r} not found", "traceback": ""}
            return {"op": "loaded", "status": "missing_entry", "error": error}
        if not callable(function):
            kind = _safe_text(type(function).__name__, 100)
            message_text = f"entry point {entry!r} is a {kind}, not callable"
            return {
                "op": "loaded",
                "status": "missing_entry",
                "error": {"type": "TypeError", "message": message_text, "traceback": ""},
            }
        self.function = function
        return {"op": "loaded", "status": "ok"}

    def prepare(self, message: dict[str, Any]) -> dict[str, Any]:
        """Make ``repeat`` independent copies of the arguments, outside any timed window.

        With ``stage`` the decoded arguments are kept under that id, and a later ``prepare`` naming the
        same id without ``args`` reuses them: big inputs cross the pipe and get decoded once per worker.
        """
        self.prepared = []
        self.first_value = None
        self.last_results = []
        self.distinct = False
        if "distinct" in message:
            # One call per input, each input different: the results legitimately differ from call to call.
            inputs = message["distinct"]
            if type(inputs) is not list or not inputs:
                raise TypeError("distinct must be a non-empty list of argument lists")
            for encoded in inputs:
                args = codec.decode(encoded)  # a fresh object tree per input: nothing to copy
                if type(args) is not list:
                    raise TypeError("each distinct input must be a list of arguments")
                self.prepared.append((args, {}))
            self.distinct = True
            return {"op": "prepared", "repeat": len(self.prepared)}
        repeat = message.get("repeat", 1)
        if type(repeat) is not int or repeat < 1:
            raise TypeError("repeat must be a positive int")
        stage = message.get("stage")
        if "args" in message:
            template = (codec.decode(message["args"]), codec.decode(message.get("kwargs", {})))
            if not isinstance(template[0], list) or not isinstance(template[1], dict):
                raise TypeError("args must be a list and kwargs a dict")
            copy = _copier(template)
            if type(stage) is int:
                self.staged[stage] = copy
                while len(self.staged) > STAGE_SLOTS:
                    del self.staged[next(iter(self.staged))]
        elif type(stage) is int and stage in self.staged:
            copy = self.staged[stage]
        else:
            raise KeyError(f"unknown stage {stage!r}")
        for _ in range(repeat):
            self.prepared.append(copy())
        return {"op": "prepared", "repeat": repeat}

    def run(self) -> dict[str, Any]:
        """The ``run`` op: reply with the timings at once, then with the consistency of the repetitions."""
        reply, results = self._timed_loop()
        self.channel.send(reply)
        consistent = (
            reply["status"] != "ok" or len(results) == 1 or self.distinct or self._consistent(results)
        )
        if reply["status"] == "ok":
            self.last_results = results
        return {"op": "checked", "consistent": consistent}

    def values(self) -> dict[str, Any]:
        """Encode the value of every call of the last run (the parent checks each one)."""
        results, self.last_results = self.last_results, []
        try:
            return {"op": "values", "status": "ok", "values": codec.encode(results)}
        except BaseException as exc:
            return {"op": "values", "status": "unserializable", "error": _error_info(exc)}

    def _timed_loop(self) -> tuple[dict[str, Any], list[Any]]:
        """Call the entry once per prepared copy, back to back, timing the whole loop."""
        if not self.prepared:
            raise RuntimeError("run without prepare")
        if self.clear_refs_fd is not None:
            with contextlib.suppress(OSError):
                _write(self.clear_refs_fd, b"5")  # reset the peak-RSS watermark so the peak is per call
        function = self.function
        prepared, self.prepared = self.prepared, []
        results: list[Any] = []
        append = results.append
        counter = self.counter
        status = "ok"
        error: BaseException | None = None
        # Clock reads stay outside the counted window: the vDSO clock retries its read a variable number
        # of times, which would make instruction counts differ from run to run.
        # The cyclic collector is off inside the window, as timeit and ENAMEL do: a collection triggered
        # by the harness's own copies and kept results would be charged to whichever call it lands in.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        cpu0 = _cpu_ns()
        wall0 = _wall_ns()
        counter.start()
        try:
            for args, kwargs in prepared:
                append(function(*args, **kwargs))
        except MemoryError as exc:
            status, error = "memory_error", exc
        except BaseException as exc:
            status, error = "raised", exc
        counter.stop()
        wall = _wall_ns() - wall0
        cpu = _cpu_ns() - cpu0
        if gc_was_enabled:
            gc.enable()
        reply: dict[str, Any] = {"op": "ran", "wall_ns": wall, "cpu_ns": cpu, "repeat": len(prepared)}
        reply.update(counter.report())
        reply["peak_rss_kib"] = _getrusage(_RUSAGE_SELF).ru_maxrss
        if status == "ok":
            self.first_value = results[0]
        elif error is not None:
            reply["error"] = _error_info(error)
        reply["status"] = status
        _flush_std_streams()
        # The caller replies at once, so the parent's round trip brackets the calls tightly; the slower
        # consistency check (encoding every repetition's value) follows in a second message.
        return reply, results

    @staticmethod
    def _consistent(results: list[Any]) -> bool:
        """Did the repetitions return the same value? (A candidate must not answer only the first call.)

        The second, the middle and the last repetitions are compared with the first: a program that
        answers only some calls is caught without encoding hundreds of values after every run. ``marshal``
        serialises builtin values in C and refuses every other type, subclasses included, so equal bytes
        mean equal plain values and no candidate ``__eq__`` runs; when the bytes differ (equal sets can
        iterate in different orders), the canonical codec text decides.
        """
        try:
            picks = sorted({1, len(results) // 2, len(results) - 1} - {0})
            first_bytes = marshal.dumps(results[0])
            if all(marshal.dumps(results[i]) == first_bytes for i in picks):
                return True
            first = codec.dumps(results[0])
            return all(codec.dumps(results[i]) == first for i in picks)
        except BaseException:
            return False

    def value(self) -> dict[str, Any]:
        """Encode the value returned by the first call of the last run."""
        value, self.first_value = self.first_value, None
        try:
            return {"op": "value", "status": "ok", "value": codec.encode(value)}
        except codec.Unserializable as exc:
            error = {"type": "Unserializable", "message": _safe_text(exc, 2000), "traceback": ""}
            return {"op": "value", "status": "unserializable", "error": error}
        except BaseException as exc:
            return {"op": "value", "status": "unserializable", "error": _error_info(exc)}

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        """prepare + run + value in one exchange: the common single-call case."""
        self.prepare({**message, "repeat": 1})
        reply, _ = self._timed_loop()
        limit = message.get("stream_above")
        if reply["status"] == "ok" and type(limit) is int and _larger_than(self.first_value, limit):
            self.stream, self.first_value = self.first_value, None
            reply["stream"] = True
        elif reply["status"] == "ok":
            fetched = self.value()
            reply["status"] = fetched["status"]
            if "value" in fetched:
                reply["value"] = fetched["value"]
            else:
                reply["error"] = fetched["error"]
        reply["op"] = "result"
        return reply

    def batch(self, message: dict[str, Any]) -> dict[str, Any]:
        """One ``call`` per case, in order, answered together; stops after the first failing case."""
        cases = message["cases"]
        if not isinstance(cases, list):
            raise TypeError("cases must be a list")
        results: list[dict[str, Any]] = []
        reply: dict[str, Any] = {"op": "batch_result", "results": results}
        for args in cases:
            result = self.call({"args": args, "stream_above": message.get("stream_above")})
            del result["op"]
            results.append(result)
            if result["status"] != "ok":
                break
            if result.get("stream"):  # the stream follows this reply: the parent asks for the rest later
                reply["stream"] = True
                break
        return reply


def main(argv: list[str]) -> int:
    cmd_fd, result_fd = int(argv[1]), int(argv[2])
    channel = _Channel(cmd_fd, result_fd)
    setup = channel.receive()
    if setup is None or setup.get("op") != "setup":
        return 2
    clear_refs_fd: int | None
    try:
        clear_refs_fd = os.open("/proc/self/clear_refs", os.O_WRONLY | os.O_CLOEXEC)
    except OSError:
        clear_refs_fd = None
    counter = counters.Counter()
    counter_error = None
    try:
        # Before confinement: seccomp denies perf_event_open, and the trampoline page needs mmap(PROT_EXEC).
        counter = counters.make_counter(setup.get("counter"))
    except (OSError, ValueError) as exc:
        counter_error = str(exc)
    layers, errors = _confine(setup)
    if counter_error is not None:
        errors["counter"] = counter_error
    channel.send(
        {
            "op": "ready",
            "layers": layers,
            "errors": errors,
            "pid": os.getpid(),
            "python": sys.version.split()[0],
        }
    )
    runner = _Runner(channel, clear_refs_fd, counter)
    while True:
        message = channel.receive()
        if message is None or message.get("op") == "exit":
            _flush_std_streams()
            return 0
        op = message.get("op")
        if op == "load":
            channel.send(runner.load(message))
        elif op in ("call", "batch"):
            channel.send(runner.call(message) if op == "call" else runner.batch(message))
            if runner.stream is not None:
                value, runner.stream = runner.stream, None
                channel.send_stream(_stream_chunks(value))
                del value
        elif op == "prepare":
            channel.send(runner.prepare(message))
        elif op == "run":
            channel.send(runner.run())  # the "checked" message, after the "ran" reply run() sent
        elif op == "value":
            channel.send(runner.value())
        elif op == "values":
            channel.send(runner.values())
        else:
            channel.send({"op": "error", "message": f"unknown op {op!r}"})


if __name__ == "__main__":
    try:
        _status = main(sys.argv)
    except BaseException as _exc:
        traceback.print_exc()
        _status = 3
    _flush_std_streams()
    # os._exit: skip interpreter teardown, where candidate finalizers (__del__, atexit) would run unbounded.
    os._exit(_status)
