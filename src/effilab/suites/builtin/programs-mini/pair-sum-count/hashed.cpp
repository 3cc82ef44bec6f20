#include <cstdio>
#include <unordered_map>
int main() {
    int n; long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 0;
    std::unordered_map<long long, long long> seen;
    long long count = 0;
    for (int i = 0; i < n; i++) {
        long long x; scanf("%lld", &x);
        auto it = seen.find(k - x);
        if (it != seen.end()) count += it->second;
        seen[x]++;
    }
    printf("%lld\n", count);
}
