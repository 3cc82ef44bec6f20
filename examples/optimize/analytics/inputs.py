"""Input generator for `max_drawdown`, a demo of `effilab optimize --inputs`.

`generate(size, rng)` returns the positional arguments of one call: a random walk of `size` positive prices
(at least one, since numba cannot type an empty list), starting at 100.0 with ~1% daily moves and rare shocks.
Example: effilab optimize analytics/series.py::max_drawdown --inputs inputs.py
"""

import random


def generate(size: int, rng: random.Random) -> tuple[list[float]]:
    price = 100.0
    prices = [price]
    for _ in range(max(size, 1) - 1):
        move = rng.gauss(0.0002, 0.01)
        if rng.random() < 0.01:
            move += rng.choice((-1.0, 1.0)) * rng.uniform(0.05, 0.15)
        price = max(0.01, price * (1.0 + move))
        prices.append(price)
    return (prices,)
