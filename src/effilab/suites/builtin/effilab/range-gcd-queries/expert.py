from math import gcd


def range_gcds(nums: list[int], queries: list[list[int]]) -> list[int]:
    # Sparse table built row by row with C-level map(gcd, row, shifted row). A query covers its
    # stretch with two (possibly overlapping) power-of-two blocks: gcd is idempotent.
    table = [nums]
    row = nums
    half = 1
    while 2 * half <= len(nums):
        row = list(map(gcd, row, row[half:]))
        table.append(row)
        half *= 2
    answers = []
    append = answers.append
    for left, right in queries:
        level = (right - left + 1).bit_length() - 1
        row = table[level]
        append(gcd(row[left], row[right + 1 - (1 << level)]))
    return answers
