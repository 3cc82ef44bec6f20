def linear(n):
    total = 0
    for _ in range(40):
        for i in range(n):
            total += i
    return total // 40
