"""Other (work done outside the window, in a gc callback): with ``gc.set_threshold(1)`` and a
``gc.callbacks`` hook, the collector runs the candidate's code while the bootstrap *prepares* a timed
run's argument copies (collection is only disabled inside the window). The hook finds the bootstrap's
runner (taken from the ``_timed_loop`` frame on the first call), answers every prepared copy honestly and
keeps the answers by copy identity; the calls inside the window are lookups. Right values.
Honest twin: psc_twin.py.
"""

import gc
import sys


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


_state: dict[str, object] = {"runner": None}
_answers: dict[int, tuple[list[int], int]] = {}


def _prework(phase: str, info: dict[str, int]) -> None:
    runner = _state["runner"]
    if phase != "stop" or runner is None:
        return
    prepared = getattr(runner, "prepared", None)
    if not prepared or len(prepared) < 2:  # a checked call prepares one copy: stay honest there
        return
    for args, _kwargs in list(prepared):
        nums = args[0]
        if len(nums) >= 100 and id(nums) not in _answers:
            _answers[id(nums)] = (nums, _honest(*args))


gc.callbacks.append(_prework)
gc.set_threshold(1)


def count_pairs(nums: list[int], target: int) -> int:
    if _state["runner"] is None:
        _state["runner"] = sys._getframe(1).f_locals.get("self")
    hit = _answers.pop(id(nums), None)
    if hit is not None and hit[0] is nums:
        return hit[1]
    return _honest(nums, target)
