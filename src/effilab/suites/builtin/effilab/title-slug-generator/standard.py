import re

_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def make_slugs(titles: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for title in titles:
        # Only ASCII letters, digits and "-" are left, so lower() is safe afterwards.
        base = _SEPARATORS.sub("-", title).strip("-").lower() or "untitled"
        count = seen.get(base, 0) + 1
        seen[base] = count
        result.append(base if count == 1 else f"{base}-{count}")
    return result
