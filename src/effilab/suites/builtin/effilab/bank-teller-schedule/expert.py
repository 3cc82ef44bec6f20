from heapq import heappop, heappush, heapreplace


def teller_schedule(k: int, customers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # Busy tellers are single ints finish*k + teller (same order as the tuple, cheaper to
    # compare); a waiting customer swaps itself in with one heapreplace.
    idle = list(range(k))
    busy: list[int] = []
    result = []
    append = result.append
    for arrival, service in customers:
        if busy:
            limit = arrival * k + k  # finish <= arrival  <=>  key < limit
            while busy and busy[0] < limit:
                heappush(idle, heappop(busy) % k)
        if idle:
            teller = heappop(idle)
            heappush(busy, (arrival + service) * k + teller)
            append((teller, arrival))
        else:
            start, teller = divmod(busy[0], k)
            heapreplace(busy, (start + service) * k + teller)
            append((teller, start))
    return result
