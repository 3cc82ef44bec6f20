"""Deterministic cost counters usable inside the sandboxed interpreter.

Two ways to count retired instructions around one measured call, and nothing else:

``perf``
    ``perf_event_open`` on the hardware instruction counter (user space only). Needs a PMU: absent on many
    virtual machines. The descriptor must be opened *before* seccomp is installed (which denies the call).
``callgrind``
    The interpreter runs under ``valgrind --tool=callgrind --instr-atstart=no``; the bootstrap switches
    instrumentation on and off around the call with valgrind *client requests*, and dumps the counts of
    that window to a file the parent reads. A client request is a magic instruction sequence that does
    nothing on a real CPU; we emit it from a tiny machine-code trampoline in an executable page, so no C
    extension and no valgrind headers are needed. Counts are exactly repeatable for the same interpreter,
    inputs, environment and hash seed.

Standard library only: the child imports this module by path.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the child ~5 ms per start
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CallgrindCounter", "Counter", "PerfCounter", "make_counter", "perf_unavailable_reason"]

_PERF_EVENT_OPEN_X86_64 = 298
_PERF_EVENT_IOC_ENABLE = 0x2400
_PERF_EVENT_IOC_DISABLE = 0x2401
_PERF_EVENT_IOC_RESET = 0x2403
_PERF_FLAG_FD_CLOEXEC = 8


class Counter:
    """Counts something between :meth:`start` and :meth:`stop`."""

    name = "none"

    def start(self) -> None:
        """Begin counting (called immediately before the measured calls)."""

    def stop(self) -> None:
        """End counting (immediately after the calls): cheap, so timing around it stays honest."""

    def report(self) -> dict[str, Any]:
        """Fields to add to the reply, fetched after the timed window has closed."""
        return {}


def _perf_attr() -> ctypes.Array[ctypes.c_char]:
    # struct perf_event_attr, 128 bytes: type=PERF_TYPE_HARDWARE(0), size, config=INSTRUCTIONS(1);
    # flags at offset 40: disabled(bit 0) | inherit(bit 1, threads started later) | exclude_kernel(5) |
    # exclude_hv(6).
    attr = bytearray(128)
    struct.pack_into("IIQ", attr, 0, 0, 128, 1)
    struct.pack_into("Q", attr, 40, (1 << 0) | (1 << 1) | (1 << 5) | (1 << 6))
    return ctypes.create_string_buffer(bytes(attr), 128)


def _open_perf_fd() -> int:
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        raise OSError(95, "perf_event_open is only wired up for x86_64 Linux")
    libc = ctypes.CDLL(None, use_errno=True)
    fd: int = libc.syscall(_PERF_EVENT_OPEN_X86_64, _perf_attr(), 0, -1, -1, _PERF_FLAG_FD_CLOEXEC)
    if fd < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"perf_event_open(instructions): {os.strerror(err)}")
    return fd


def perf_unavailable_reason() -> str | None:
    """``None`` if the hardware instruction counter can be read by this process, else why not."""
    try:
        os.close(_open_perf_fd())
    except OSError as exc:
        return str(exc)
    return None


class PerfCounter(Counter):
    """Hardware instruction counter of this process (user space), via perf_event_open."""

    name = "perf"

    def __init__(self) -> None:
        self._fd = _open_perf_fd()
        libc = ctypes.CDLL(None, use_errno=True)
        self._ioctl = libc.ioctl
        self._read = os.read

    def start(self) -> None:
        self._ioctl(self._fd, _PERF_EVENT_IOC_RESET, 0)
        self._ioctl(self._fd, _PERF_EVENT_IOC_ENABLE, 0)

    def stop(self) -> None:
        self._ioctl(self._fd, _PERF_EVENT_IOC_DISABLE, 0)

    def report(self) -> dict[str, Any]:
        (count,) = struct.unpack("Q", self._read(self._fd, 8))
        return {"instructions": count}


# amd64 valgrind client request: rax = &args[6]; the rotations of rdi add up to 128 bits (a no-op on a real
# CPU) and together with `xchg rbx, rbx` form the pattern valgrind recognises; the reply comes in rdx.
_TRAMPOLINE_X86_64 = bytes(
    [
        0x48, 0x89, 0xF8,  # mov rax, rdi
        0x31, 0xD2,  # xor edx, edx   (default reply 0 when not under valgrind)
        0x48, 0xC1, 0xC7, 0x03,  # rol rdi, 3
        0x48, 0xC1, 0xC7, 0x0D,  # rol rdi, 13
        0x48, 0xC1, 0xC7, 0x3D,  # rol rdi, 61
        0x48, 0xC1, 0xC7, 0x33,  # rol rdi, 51
        0x48, 0x87, 0xDB,  # xchg rbx, rbx
        0x48, 0x89, 0xD0,  # mov rax, rdx
        0xC3,  # ret
    ]
)  # fmt: skip
_RUNNING_ON_VALGRIND = 0x1001
_CALLGRIND_BASE = (ord("C") << 24) | (ord("T") << 16)
_DUMP_STATS = _CALLGRIND_BASE + 0
_ZERO_STATS = _CALLGRIND_BASE + 1
_START_INSTRUMENTATION = _CALLGRIND_BASE + 4
_STOP_INSTRUMENTATION = _CALLGRIND_BASE + 5


class CallgrindCounter(Counter):
    """Instruction counts of the measured window when running under ``valgrind --tool=callgrind``."""

    name = "callgrind"

    def __init__(self) -> None:
        if os.uname().machine != "x86_64":
            raise OSError(95, "valgrind client requests are only wired up for x86_64")
        self._page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        self._page.write(_TRAMPOLINE_X86_64)
        address = ctypes.addressof(ctypes.c_char.from_buffer(self._page))
        self._request = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint64))(address)
        self._args = (ctypes.c_uint64 * 6)()
        self._dumps = 0
        if self._client_request(_RUNNING_ON_VALGRIND) == 0:
            raise OSError(95, "not running under valgrind")

    def _client_request(self, code: int) -> int:
        self._args[0] = code
        result: int = self._request(self._args)
        return result

    def start(self) -> None:
        self._client_request(_ZERO_STATS)
        self._client_request(_START_INSTRUMENTATION)

    def stop(self) -> None:
        self._client_request(_STOP_INSTRUMENTATION)

    def report(self) -> dict[str, Any]:
        self._client_request(_DUMP_STATS)
        self._dumps += 1
        # The parent reads the count from dump file number `callgrind_dump` (written by valgrind itself).
        return {"callgrind_dump": self._dumps}


def make_counter(name: str | None) -> Counter:
    """The counter called ``name`` (``None``: count nothing)."""
    if name is None:
        return Counter()
    if name == "perf":
        return PerfCounter()
    if name == "callgrind":
        return CallgrindCounter()
    raise ValueError(f"unknown counter {name!r}")
