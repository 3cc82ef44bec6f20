"""Order-preserving de-duplication."""


def dedupe(items: list[int]) -> list[int]:
    """The distinct items, in order of first appearance."""
    out: list[int] = []
    for item in items:
        if item not in out:  # a scan of everything kept so far: quadratic overall
            out.append(item)
    return out
