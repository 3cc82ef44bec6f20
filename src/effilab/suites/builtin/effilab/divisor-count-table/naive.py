def divisor_counts(n: int) -> list[int]:
    result = []
    for m in range(1, n + 1):
        count = 0
        d = 1
        while d * d <= m:
            if m % d == 0:
                count += 1 if d * d == m else 2
            d += 1
        result.append(count)
    return result
