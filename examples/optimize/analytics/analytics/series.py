"""Numeric helpers over plain Python lists, written as straightforward (and slow) loops."""

import math


def count_primes(limit: int) -> int:
    """Return how many primes are strictly below `limit`, by trial division up to the square root."""
    count = 0
    for n in range(2, limit):
        is_prime = True
        d = 2
        while d * d <= n:
            if n % d == 0:
                is_prime = False
                break
            d += 1
        if is_prime:
            count += 1
    return count


def max_drawdown(prices: list[float]) -> float:
    """Return the largest peak-to-trough loss, as a fraction of the peak (0.0 if prices never fall).

    Every earlier price is tried as the peak for every later price. Prices are assumed positive.
    """
    n = len(prices)
    worst = 0.0
    for i in range(n):
        peak = prices[i]
        if peak <= 0.0:
            continue
        for j in range(i + 1, n):
            loss = (peak - prices[j]) / peak
            worst = max(worst, loss)
    return worst


def closest_pair_distance(xs: list[float], ys: list[float]) -> float:
    """Return the smallest Euclidean distance between two of the points (xs[i], ys[i]).

    Returns infinity when there are fewer than two points.
    """
    n = min(len(xs), len(ys))
    best = math.inf
    for i in range(n):
        for j in range(i + 1, n):
            dx = xs[i] - xs[j]
            dy = ys[i] - ys[j]
            best = min(best, math.sqrt(dx * dx + dy * dy))
    return best


def longest_collatz(limit: int) -> int:
    """Return the start value below `limit` whose Collatz chain is longest (the smallest one on ties).

    Returns 0 when `limit` is 1 or less.
    """
    best_start = 0
    best_steps = -1
    for start in range(1, limit):
        n = start
        steps = 0
        while n != 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        if steps > best_steps:
            best_steps = steps
            best_start = start
    return best_start


def window_variance(values: list[float], start: int, window: int) -> float:
    """Return the population variance of values[start:start + window]."""
    total = 0.0
    for i in range(start, start + window):
        total += values[i]
    mean = total / window
    squares = 0.0
    for i in range(start, start + window):
        deviation = values[i] - mean
        squares += deviation * deviation
    return squares / window


def rolling_variance_sum(values: list[float], window: int) -> float:
    """Return the sum of the variances of every full window of `window` consecutive values.

    Each window is recomputed from scratch. Returns 0.0 if `window` is not positive or exceeds len(values).
    """
    n = len(values)
    if window <= 0 or window > n:
        return 0.0
    total = 0.0
    for start in range(n - window + 1):
        total += window_variance(values, start, window)
    return total
