def power_sum_mod(n: int, k: int, m: int) -> int:
    total = 0
    for i in range(1, n + 1):
        total = (total + pow(i, k, m)) % m
    return total
