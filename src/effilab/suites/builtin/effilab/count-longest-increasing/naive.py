MOD = 1_000_000_007


def count_longest_increasing(values: list[int]) -> tuple[int, int]:
    n = len(values)
    length = [1] * n  # length[i]: longest increasing subsequence ending at i
    count = [1] * n  # count[i]: how many of them (mod MOD)
    for i in range(n):
        for j in range(i):
            if values[j] < values[i]:
                if length[j] + 1 > length[i]:
                    length[i] = length[j] + 1
                    count[i] = count[j]
                elif length[j] + 1 == length[i]:
                    count[i] = (count[i] + count[j]) % MOD
    if n == 0:
        return (0, 0)
    best = max(length)
    total = 0
    for i in range(n):
        if length[i] == best:
            total = (total + count[i]) % MOD
    return (best, total)
