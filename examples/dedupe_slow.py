"""Keeps the first occurrence of each item, in order: a quadratic scan of a list."""


def dedupe(items: list[int]) -> list[int]:
    seen: list[int] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
