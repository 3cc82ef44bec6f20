from operator import mul


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    # Transpose once so that every entry is a dot product of two sequences, computed in C.
    columns = list(zip(*b))
    return [[sum(map(mul, row, col)) for col in columns] for row in a]
