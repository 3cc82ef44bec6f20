from itertools import chain
from operator import itemgetter


def merge_streams(streams: list[list[tuple[int, str]]]) -> list[tuple[int, str]]:
    # Concatenating in stream order and sorting *stably* by timestamp gives exactly the required tie-breaks;
    # timsort finds the pre-sorted runs, so this is an O(n log k) merge done in C.
    return sorted(chain.from_iterable(streams), key=itemgetter(0))
