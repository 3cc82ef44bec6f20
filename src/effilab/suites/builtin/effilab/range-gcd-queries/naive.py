from math import gcd


def range_gcds(nums: list[int], queries: list[list[int]]) -> list[int]:
    answers = []
    for left, right in queries:
        g = 0
        for i in range(left, right + 1):
            g = gcd(g, nums[i])
        answers.append(g)
    return answers
