import re

_PLACEHOLDER = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}")


def render_rows(template: str, rows: list[dict[str, str]]) -> list[str]:
    # Parse once: split() alternates literal text and placeholder names.
    parts = _PLACEHOLDER.split(template)
    literals = parts[0::2]
    names = parts[1::2]
    results = []
    for row in rows:
        pieces = [literals[0]]
        for name, literal in zip(names, literals[1:]):
            pieces.append(row.get(name, ""))
            pieces.append(literal)
        results.append("".join(pieces))
    return results
