import heapq


def teller_schedule(k: int, customers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    idle = list(range(k))  # a valid min-heap of teller numbers
    busy: list[tuple[int, int]] = []  # (finish time, teller number)
    result = []
    for arrival, service in customers:
        while busy and busy[0][0] <= arrival:
            _, t = heapq.heappop(busy)
            heapq.heappush(idle, t)
        if idle:
            teller = heapq.heappop(idle)
            start = arrival
        else:
            start, teller = heapq.heappop(busy)
        heapq.heappush(busy, (start + service, teller))
        result.append((teller, start))
    return result
