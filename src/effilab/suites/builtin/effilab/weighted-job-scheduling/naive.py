def max_schedule_profit(jobs: list[list[int]]) -> int:
    order = sorted(jobs, key=lambda job: job[1])
    best = []  # best[i]: best profit of a schedule whose last job is order[i]
    for i, (start, end, profit) in enumerate(order):
        before = 0
        for j in range(i):
            if order[j][1] <= start and best[j] > before:
                before = best[j]
        best.append(before + profit)
    return max(best, default=0)
