n = int(input())
sieve = bytearray([1]) * (n + 1)
sieve[0:2] = b"\x00\x00"
for x in range(2, int(n**0.5) + 1):
    if sieve[x]:
        sieve[x * x :: x] = bytes(len(range(x * x, n + 1, x)))
print(sum(sieve))
