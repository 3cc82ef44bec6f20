import re


def parse_config(text: str) -> dict[str, dict[str, str]]:
    config: dict[str, dict[str, str]] = {}
    section = ""
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith("#") or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section not in config:
                config[section] = {}
            continue
        key, value = line.split("=", 1)
        if section not in config:
            config[section] = {}
        config[section][key.strip()] = value.strip()

    def resolve(sec: str, value: str) -> str:
        def replace(match: re.Match) -> str:
            ref = match.group(1)
            if ":" in ref:
                ref_sec, ref_key = ref.split(":", 1)
            else:
                ref_sec, ref_key = sec, ref
            return resolve(ref_sec, config[ref_sec][ref_key])

        return re.sub(r"\$\{([^}]*)\}", replace, value)

    result = {}
    for sec, values in config.items():
        result[sec] = {}
        for key, value in values.items():
            result[sec][key] = resolve(sec, value)
    return result
