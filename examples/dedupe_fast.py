"""The same result in linear time: dict keys keep insertion order."""


def dedupe(items: list[int]) -> list[int]:
    return list(dict.fromkeys(items))
