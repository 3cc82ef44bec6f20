def distinct_per_window(values: list[int], k: int) -> list[int]:
    result = []
    for i in range(len(values) - k + 1):
        result.append(len(set(values[i : i + k])))
    return result
