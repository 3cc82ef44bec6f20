from urllib.parse import unquote_plus


def parse_query(query: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        result.setdefault(unquote_plus(name), []).append(unquote_plus(value))
    return result
