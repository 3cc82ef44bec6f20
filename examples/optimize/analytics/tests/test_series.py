import math

from analytics.series import (
    closest_pair_distance,
    count_primes,
    longest_collatz,
    max_drawdown,
    rolling_variance_sum,
    window_variance,
)


def test_count_primes_small_limits():
    assert count_primes(2) == 0
    assert count_primes(3) == 1
    assert count_primes(10) == 4
    assert count_primes(100) == 25


def test_count_primes_thousand():
    assert count_primes(1000) == 168
    assert count_primes(7920) == 1000  # 7919 is the 1000th prime


def test_max_drawdown_never_falls():
    assert max_drawdown([100.0]) == 0.0
    assert max_drawdown([1.0, 2.0, 3.0, 4.0]) == 0.0


def test_max_drawdown_peak_to_trough():
    assert max_drawdown([100.0, 120.0, 90.0, 130.0, 104.0]) == 0.25
    assert max_drawdown([10.0, 8.0, 9.0, 4.0, 12.0]) == 0.6


def test_max_drawdown_uses_earlier_peak_only():
    assert math.isclose(max_drawdown([50.0, 40.0, 200.0, 150.0]), 0.25)


def test_closest_pair_distance_basic():
    assert closest_pair_distance([0.0, 3.0], [0.0, 4.0]) == 5.0
    assert closest_pair_distance([0.0, 10.0, 10.5, -3.0], [0.0, 10.0, 10.0, 7.0]) == 0.5


def test_closest_pair_distance_duplicate_points():
    assert closest_pair_distance([1.0, 2.0, 1.0], [1.0, 5.0, 1.0]) == 0.0


def test_closest_pair_distance_single_point():
    assert closest_pair_distance([1.0], [2.0]) == math.inf


def test_longest_collatz():
    assert longest_collatz(2) == 1
    assert longest_collatz(10) == 9  # 9 takes 19 steps
    assert longest_collatz(100) == 97  # 97 takes 118 steps
    assert longest_collatz(1000) == 871  # 871 takes 178 steps


def test_window_variance():
    assert window_variance([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], 0, 8) == 4.0
    assert window_variance([1.0, 1.0, 3.0], 1, 2) == 1.0


def test_rolling_variance_sum_simple():
    assert rolling_variance_sum([1.0, 3.0, 5.0], 2) == 2.0
    assert rolling_variance_sum([2.0, 2.0, 2.0, 2.0], 3) == 0.0


def test_rolling_variance_sum_window_out_of_range():
    assert rolling_variance_sum([1.0, 2.0], 5) == 0.0
    assert rolling_variance_sum([1.0, 2.0], 0) == 0.0


def test_rolling_variance_sum_matches_single_window():
    values = [3.5, 1.25, 8.0, 4.75, 2.5]
    assert math.isclose(rolling_variance_sum(values, 5), window_variance(values, 0, 5))
