def decode_component(text: str) -> str:
    text = text.replace("+", " ")
    data = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            data.append(int(text[i + 1 : i + 3], 16))
            i += 3
        else:
            data.extend(ch.encode("utf-8"))
            i += 1
    return data.decode("utf-8")


def parse_query(query: str) -> dict[str, list[str]]:
    result = {}
    for pair in query.split("&"):
        if not pair:
            continue
        if "=" in pair:
            name, value = pair.split("=", 1)
        else:
            name, value = pair, ""
        name = decode_component(name)
        value = decode_component(value)
        if name not in result:
            result[name] = []
        result[name].append(value)
    return result
