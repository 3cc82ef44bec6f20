MOD = 1_000_000_007


def count_coin_combinations(coins: list[int], amount: int) -> int:
    ways = [0] * (amount + 1)  # ways[a]: multisets of the coins seen so far with sum a
    ways[0] = 1
    for c in coins:
        new = [0] * (amount + 1)
        for a in range(amount + 1):
            total = 0
            used = 0
            while used <= a:  # use the new coin 0, 1, 2, ... times
                total += ways[a - used]
                used += c
            new[a] = total % MOD
        ways = new
    return ways[amount]
