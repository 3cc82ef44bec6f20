import re
from itertools import repeat

_PLACEHOLDER = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}")


def render_rows(template: str, rows: list[dict[str, str]]) -> list[str]:
    # Parse once: split() alternates literal text and placeholder names.
    pieces = _PLACEHOLDER.split(template)
    names = pieces[1::2]
    if not names:
        return [template] * len(rows)
    blanks = repeat("")
    join = "".join
    out = []
    append = out.append
    for row in rows:
        # Overwrite the name slots with this row's values (dict.get via map, slice assignment: all in C).
        pieces[1::2] = map(row.get, names, blanks)
        append(join(pieces))
    return out
