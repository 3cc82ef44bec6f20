from itertools import accumulate, repeat
from operator import add, mod

MOD = 1_000_000_007


def count_coin_combinations(coins: list[int], amount: int) -> int:
    size = amount + 1
    ways = [0] * size
    ways[0] = 1
    bound = 2  # every entry of ways is < bound
    for c in coins:
        if c > amount:
            continue
        # Adding coin c: new[a] = old[a] + new[a - c], a running sum along each residue class
        # mod c. Each pass is done with C-level slices; values stay exact and are reduced
        # modulo MOD only when they could have grown large.
        if c * c <= size:
            for r in range(c):  # few, long residue classes: prefix sums with accumulate
                ways[r::c] = accumulate(ways[r::c])
        else:
            for start in range(c, size, c):  # few, wide blocks: each adds the finished block before it
                end = start + c if start + c < size else size
                ways[start:end] = map(add, ways[start:end], ways[start - c : end - c])
        bound *= amount // c + 1
        if bound > 1 << 120:  # reduce only once the exact values get large
            ways = list(map(mod, ways, repeat(MOD, size)))
            bound = MOD
    return ways[amount] % MOD
