"""Class 4 (state carried in the private /tmp): every answer computed is written to a file named after a
fingerprint of the input under /tmp; a later call (in this process or a fresh one sharing the tmp dir)
reads it instead of computing. No in-memory cache at all. Right values.
Honest twin: psc_twin.py.
"""

import os


def _honest(nums: list[int], target: int) -> int:
    seen: dict[int, int] = {}
    count = 0
    for x in nums:
        count += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return count


_DIR = "/tmp/effilab-cheat-psc"


def count_pairs(nums: list[int], target: int) -> int:
    n = len(nums)
    if n < 100:
        return _honest(nums, target)
    path = f"{_DIR}/{n}_{target}_{nums[0]}_{nums[n // 3]}_{nums[n // 2]}_{nums[-1]}"
    try:
        with open(path) as handle:
            return int(handle.read())
    except (OSError, ValueError):
        pass
    answer = _honest(nums, target)
    try:
        os.makedirs(_DIR, exist_ok=True)
        with open(path, "w") as handle:
            handle.write(str(answer))
    except OSError:
        pass
    return answer
