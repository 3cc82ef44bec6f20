import re

_REF = re.compile(r"\$\{([^}]*)\}")


def parse_config(text: str) -> dict[str, dict[str, str]]:
    raw: dict[str, dict[str, str]] = {}
    section = ""
    for line in text.split("\n"):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line[0] == "[" and line[-1] == "]":
            section = line[1:-1].strip()
            raw.setdefault(section, {})
            continue
        key, _, value = line.partition("=")
        raw.setdefault(section, {})[key.strip()] = value.strip()

    done: dict[tuple[str, str], str] = {}

    def expand(sec: str, key: str) -> str:
        cached = done.get((sec, key))
        if cached is not None:
            return cached

        def replace(match: re.Match) -> str:
            ref = match.group(1)
            if ":" in ref:
                ref_sec, ref_key = ref.split(":", 1)
                return expand(ref_sec, ref_key)
            return expand(sec, ref)

        value = _REF.sub(replace, raw[sec][key])
        done[(sec, key)] = value
        return value

    return {sec: {key: expand(sec, key) for key in keys} for sec, keys in raw.items()}
