import re

_REF = re.compile(r"\$\{(?:([^}:]*):)?([^}]*)\}")


def parse_config(text: str) -> dict[str, dict[str, str]]:
    raw: dict[str, dict[str, str]] = {}
    current = None
    section = ""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        first = line[0]
        if first == "#" or first == ";":
            continue
        if first == "[" and line[-1] == "]":
            section = line[1:-1].strip()
            current = raw.get(section)
            if current is None:
                current = raw[section] = {}
            continue
        if current is None:
            current = raw[section] = {}
        key, _, value = line.partition("=")
        current[key.strip()] = value.strip()

    # Expanded values, per section; a value without "$" is already final.
    done = {sec: {k: v for k, v in keys.items() if "$" not in v} for sec, keys in raw.items()}
    sub = _REF.sub

    def expand(sec: str, key: str) -> str:
        # One recursion level per link of a reference chain; each value is expanded only once.
        cache = done[sec]

        def replace(m: re.Match) -> str:
            ref_sec, ref_key = m.groups()
            if ref_sec is None:
                got = cache.get(ref_key)
                return got if got is not None else expand(sec, ref_key)
            got = done[ref_sec].get(ref_key)
            return got if got is not None else expand(ref_sec, ref_key)

        value = cache[key] = sub(replace, raw[sec][key])
        return value

    out = {}
    for sec, keys in raw.items():
        cache = done[sec]
        out[sec] = {key: (cache[key] if key in cache else expand(sec, key)) for key in keys}
    return out
