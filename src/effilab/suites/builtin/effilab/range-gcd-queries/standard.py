from math import gcd


def range_gcds(nums: list[int], queries: list[list[int]]) -> list[int]:
    # table[k][i] = gcd of nums[i : i + 2**k]
    table = [list(nums)]
    k = 1
    while (1 << k) <= len(nums):
        prev = table[-1]
        half = 1 << (k - 1)
        table.append([gcd(prev[i], prev[i + half]) for i in range(len(nums) - (1 << k) + 1)])
        k += 1
    answers = []
    for left, right in queries:
        level = (right - left + 1).bit_length() - 1
        row = table[level]
        answers.append(gcd(row[left], row[right - (1 << level) + 1]))
    return answers
