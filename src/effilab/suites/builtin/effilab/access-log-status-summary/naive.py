import re

LOG_PATTERN = (
    r"(?P<ip>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] "
    r'"(?P<method>\S+) (?P<path>\S+) (?P<protocol>[^"]*)" '
    r'(?P<status>\d{3}) (?P<size>\S+) "(?P<referer>[^"]*)" "(?P<agent>[^"]*)"'
)


def status_summary(lines: list[str]) -> list[tuple[int, int, int]]:
    stats = {}
    for line in lines:
        match = re.match(LOG_PATTERN, line)
        if not match:
            continue
        entry = match.groupdict()
        status = int(entry["status"])
        size = 0 if entry["size"] == "-" else int(entry["size"])
        if status not in stats:
            stats[status] = {"count": 0, "bytes": 0}
        stats[status]["count"] += 1
        stats[status]["bytes"] += size
    return [(status, stats[status]["count"], stats[status]["bytes"]) for status in sorted(stats)]
