def flatten(config: dict[str, object], parent_key: str = "", sep: str = ".") -> dict[str, object]:
    items = []
    for key, value in config.items():
        new_key = parent_key + sep + key if parent_key else key
        if isinstance(value, dict):
            items.extend(flatten(value, new_key, sep=sep).items())
        else:
            items.append((new_key, value))
    return dict(items)
