def moving_average(values: list[float], k: int) -> list[float]:
    result = []
    for i in range(len(values) - k + 1):
        total = 0.0
        for j in range(i, i + k):
            total += values[j]
        result.append(total / k)
    return result
