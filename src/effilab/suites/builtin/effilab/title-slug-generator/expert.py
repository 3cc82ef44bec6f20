from itertools import repeat

# Byte table for the cleaning pass: ASCII letters -> lowercase, digits kept, every other byte -> space,
# except "\n" -> "A": the titles are joined with " \n ", so each boundary becomes a lone "A" token (no
# other uppercase letter survives the table).
_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789"
_TABLE = bytes(65 if c == 10 else c + 32 if 65 <= c <= 90 else c if c in _KEEP else 32 for c in range(256))
_PLAIN = _TABLE.replace(b"A", b" ")  # the same without the boundary marker, for titles cleaned one by one


def _bases_one_by_one(titles: list[str]) -> list[str]:
    table = _PLAIN
    return ["-".join(t.encode("ascii", "replace").translate(table).decode("ascii").split()) for t in titles]


def make_slugs(titles: list[str]) -> list[str]:
    if not titles:
        return []
    joined = " \n ".join(titles)
    if joined.count("\n") == len(titles) - 1:
        # No title contains "\n": clean all titles at once. Non-ASCII characters are separators anyway, so
        # encoding them as "?" keeps the meaning and lets bytes.translate do the work in C; split() drops
        # the separator runs, and the "A" tokens cut the words back into titles.
        cleaned = joined.encode("ascii", "replace").translate(_TABLE).decode("ascii")
        bases = list(map(str.strip, "-".join(cleaned.split()).split("A"), repeat("-")))
    else:
        bases = _bases_one_by_one(titles)
    seen: dict[str, int] = {}
    get = seen.get
    out = []
    append = out.append
    for base in bases:
        if not base:
            base = "untitled"
        count = get(base, 0) + 1
        seen[base] = count
        append(base if count == 1 else "%s-%d" % (base, count))
    return out
