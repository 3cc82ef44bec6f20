def flatten(config: dict[str, object]) -> dict[str, object]:
    flat: dict[str, object] = {}

    def walk(node: dict[str, object], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, prefix + key + ".")
            else:
                flat[prefix + key] = value

    walk(config, "")
    return flat
