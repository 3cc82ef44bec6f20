n = int(input())
count = 0
for x in range(2, n + 1):
    d = 2
    while d * d <= x:
        if x % d == 0:
            break
        d += 1
    else:
        count += 1
print(count)
