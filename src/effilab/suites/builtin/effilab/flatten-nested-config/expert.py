def flatten(config: dict[str, object]) -> dict[str, object]:
    flat: dict[str, object] = {}
    dict_type = dict

    def walk(node: dict[str, object], prefix: str) -> None:
        # One shared output dict: every leaf is written exactly once, never copied level by level.
        for key, value in node.items():
            if type(value) is dict_type:
                walk(value, prefix + key + ".")
            else:
                flat[prefix + key] = value

    for key, value in config.items():
        if type(value) is dict_type:
            walk(value, key + ".")
        else:
            flat[key] = value
    return flat
