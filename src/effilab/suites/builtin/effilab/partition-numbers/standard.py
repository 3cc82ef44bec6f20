MOD = 1_000_000_007


def partition_numbers(n: int) -> list[int]:
    # Euler: p(m) = sum over k >= 1 of (-1)^(k+1) * (p(m - k(3k-1)/2) + p(m - k(3k+1)/2)).
    p = [1] + [0] * n
    for m in range(1, n + 1):
        total = 0
        k = 1
        while True:
            g1 = k * (3 * k - 1) // 2
            if g1 > m:
                break
            g2 = g1 + k  # k(3k+1)/2
            term = p[m - g1]
            if g2 <= m:
                term += p[m - g2]
            total += term if k % 2 else -term
            k += 1
        p[m] = total % MOD
    return p
