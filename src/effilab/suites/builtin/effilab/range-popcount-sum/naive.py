def range_popcount_sums(queries: list[list[int]]) -> list[int]:
    answers = []
    for lo, hi in queries:
        total = 0
        for x in range(lo, hi + 1):
            total += bin(x).count("1")
        answers.append(total)
    return answers
