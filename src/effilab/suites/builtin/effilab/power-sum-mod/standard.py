def power_sum_mod(n: int, k: int, m: int) -> int:
    # i**k mod m only depends on i mod m: residue r occurs `full` times in 1..full*m, and the
    # residues 1..rest once more in the final partial period.
    full, rest = divmod(n, m)
    period = 0
    partial = 0
    for r in range(m if full else rest + 1):
        value = pow(r, k, m)
        period += value
        if 1 <= r <= rest:
            partial += value
    return (full * period + partial) % m
