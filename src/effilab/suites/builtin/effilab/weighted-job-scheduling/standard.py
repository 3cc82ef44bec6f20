from bisect import bisect_right


def max_schedule_profit(jobs: list[list[int]]) -> int:
    order = sorted(jobs, key=lambda job: job[1])
    ends = [job[1] for job in order]
    best = [0] * (len(order) + 1)  # best[i]: best profit using only the first i jobs (by end time)
    for i, (start, end, profit) in enumerate(order):
        k = bisect_right(ends, start, 0, i)  # jobs 0..k-1 end no later than this start
        take = best[k] + profit
        best[i + 1] = take if take > best[i] else best[i]
    return best[-1]
