def teller_schedule(k: int, customers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    free_at = [0] * k
    result = []
    for arrival, service in customers:
        chosen = -1
        for t in range(k):
            if free_at[t] <= arrival:
                chosen = t
                break
        if chosen == -1:
            chosen = 0
            for t in range(1, k):
                if free_at[t] < free_at[chosen]:
                    chosen = t
            start = free_at[chosen]
        else:
            start = arrival
        free_at[chosen] = start + service
        result.append((chosen, start))
    return result
