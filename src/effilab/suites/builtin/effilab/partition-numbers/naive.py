MOD = 1_000_000_007


def partition_numbers(n: int) -> list[int]:
    p = [0] * (n + 1)
    p[0] = 1
    for part in range(1, n + 1):  # allow parts of size `part`, one size at a time
        for total in range(part, n + 1):
            p[total] = (p[total] + p[total - part]) % MOD
    return p
