MOD = 1_000_000_007


def partition_numbers(n: int) -> list[int]:
    # Euler's pentagonal recurrence. The generalised pentagonal numbers come in sign groups of
    # two (+ + - - + + ...), so p(m) = sum(p[m-g] for g in plus) - sum(p[m-g] for g in minus).
    plus: list[int] = []
    minus: list[int] = []
    k = 1
    while k * (3 * k - 1) // 2 <= n:
        group = plus if k % 2 else minus
        group.append(k * (3 * k - 1) // 2)
        group.append(k * (3 * k + 1) // 2)
        k += 1
    p = [1] + [0] * n
    np_ = 0  # how many of plus / minus are <= m
    nm = 0
    lp, lm = len(plus), len(minus)
    for m in range(1, n + 1):
        while np_ < lp and plus[np_] <= m:
            np_ += 1
        while nm < lm and minus[nm] <= m:
            nm += 1
        p[m] = (sum([p[m - g] for g in plus[:np_]]) - sum([p[m - g] for g in minus[:nm]])) % MOD
    return p
