"""Class 4 (state carried in the private /tmp): keeps every answer in one pickle file under /tmp, loaded at
import time, so a fresh interpreter started on the same tmp dir (a timed pass in a new process) starts
with all the correctness pass's answers. Right values.
Honest twin: mav_twin.py.
"""

import pickle


def _honest(values: list[float], k: int) -> list[float]:
    n = len(values)
    if k > n:
        return []
    total = 0.0
    for j in range(k):
        total += values[j]
    result = [total / k]
    for i in range(k, n):
        total += values[i] - values[i - k]
        result.append(total / k)
    return result


_FILE = "/tmp/effilab-cheat-mav.pickle"


def _load() -> dict[tuple[int, int, float, float], list[float]]:
    try:
        with open(_FILE, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError):
        return {}


_answers = _load()


def moving_average(values: list[float], k: int) -> list[float]:
    if len(values) < 100:
        return _honest(values, k)
    key = (len(values), k, values[0], values[-1])
    answer = _answers.get(key)
    if answer is None:
        answer = _answers[key] = _honest(values, k)
        try:
            with open(_FILE, "wb") as handle:
                pickle.dump(_answers, handle)
        except OSError:
            pass
    return answer
