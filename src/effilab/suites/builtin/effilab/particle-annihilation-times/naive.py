from fractions import Fraction


def annihilation_times(positions: list[int], velocities: list[int]) -> list[float]:
    n = len(positions)
    result = [-1.0] * n
    alive = sorted(range(n), key=lambda i: positions[i])
    while True:
        # the next collision time among neighbouring survivors
        best = None
        for k in range(len(alive) - 1):
            a, b = alive[k], alive[k + 1]
            if velocities[a] > velocities[b]:
                t = Fraction(positions[b] - positions[a], velocities[a] - velocities[b])
                if best is None or t < best:
                    best = t
        if best is None:
            break
        doomed = set()
        for k in range(len(alive) - 1):
            a, b = alive[k], alive[k + 1]
            if velocities[a] > velocities[b]:
                t = Fraction(positions[b] - positions[a], velocities[a] - velocities[b])
                if t == best:
                    doomed.add(a)
                    doomed.add(b)
        for i in doomed:
            result[i] = float(best)
        alive = [i for i in alive if i not in doomed]
    return result
