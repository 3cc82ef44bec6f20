from bisect import bisect_right, insort


def count_inversions(nums: list[int]) -> int:
    # Scan left to right keeping the seen prefix sorted: the elements greater than x that came
    # before it are those to the right of bisect_right(seen, x). Insertion is a C memmove.
    seen: list[int] = []
    total = 0
    size = 0
    br = bisect_right
    ins = insort
    for x in nums:
        total += size - br(seen, x)
        ins(seen, x)
        size += 1
    return total
