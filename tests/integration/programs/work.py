"""Programs with known costs for the measurement tests."""


def linear(n):
    total = 0
    for i in range(n):
        total += i
    return total


def linear_twice(n):
    """Exactly the work of linear(n), done twice."""
    first, second = linear(n), linear(n)
    return first if first == second else -1


def quadratic(n):
    count = 0
    for i in range(n):
        for _ in range(i):
            count += 1
    return count
