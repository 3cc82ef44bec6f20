"""Class 6 (slowing the anchor): six threads burn CPU with ``hashlib`` (which releases the GIL) whenever no
call is running. A call stops them at entry; only the last repetition of a run (read from the bootstrap's
``_timed_loop`` frame) starts them again, so they burn exactly while the parent times the anchor, which
then gets a third of the two cores. Right values.
Honest twin: psc_twin.py.
"""

import hashlib
import sys
import threading


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


_idle = threading.Event()
_BUFFER = bytes(1 << 17)


def _burn() -> None:
    while True:
        _idle.wait()
        hashlib.sha256(_BUFFER).digest()


for _ in range(6):
    threading.Thread(target=_burn, daemon=True).start()


def count_pairs(nums: list[int], target: int) -> int:
    _idle.clear()
    answer = _honest(nums, target)
    scope = sys._getframe(1).f_locals
    prepared, results = scope.get("prepared"), scope.get("results")
    if prepared is None or results is None or len(results) + 1 >= len(prepared):
        _idle.set()
    return answer
