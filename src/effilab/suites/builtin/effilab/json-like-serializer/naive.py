def escape_string(s: str) -> str:
    result = '"'
    for ch in s:
        if ch == '"':
            result += '\\"'
        elif ch == "\\":
            result += "\\\\"
        elif ch == "\n":
            result += "\\n"
        elif ch == "\r":
            result += "\\r"
        elif ch == "\t":
            result += "\\t"
        elif ch == "\b":
            result += "\\b"
        elif ch == "\f":
            result += "\\f"
        elif ord(ch) < 0x20:
            result += "\\u%04x" % ord(ch)
        else:
            result += ch
    result += '"'
    return result


def to_json(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return escape_string(value)
    if isinstance(value, list):
        result = "["
        for i, item in enumerate(value):
            if i > 0:
                result += ","
            result += to_json(item)
        return result + "]"
    if isinstance(value, dict):
        result = "{"
        for i, key in enumerate(sorted(value.keys())):
            if i > 0:
                result += ","
            result += escape_string(key) + ":" + to_json(value[key])
        return result + "}"
    raise TypeError(f"cannot serialize {type(value).__name__}")
