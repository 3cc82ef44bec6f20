"""Class 3 (forged bytes on the result pipe): replaces the bootstrap's bound ``_write`` global (os.write)
with one that rewrites ``"wall_ns": N`` to N/50 in every outgoing message. Right values.
Honest twin: psc_twin.py.
"""

import os
import re
import sys


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


_WALL = re.compile(rb'"wall_ns": (\d+)')


def _install() -> None:
    main = sys.modules.get("__main__")
    original = getattr(main, "_write", None)
    if original is None:
        return

    def forged(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        raw = bytes(data)
        new = _WALL.sub(lambda m: b'"wall_ns": ' + str(int(m.group(1)) // 50).encode(), raw)
        view = memoryview(new)
        while view:
            view = view[os.write(fd, view) :]
        return len(raw)

    main._write = forged  # type: ignore[union-attr]


_install()


def count_pairs(nums: list[int], target: int) -> int:
    return _honest(nums, target)
