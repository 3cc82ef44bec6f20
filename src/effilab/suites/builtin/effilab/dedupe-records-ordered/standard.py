def dedupe(records: list[dict[str, object]], key_fields: list[str]) -> list[dict[str, object]]:
    seen: set[tuple[object, ...]] = set()
    result = []
    for record in records:
        key = tuple(record[field] for field in key_fields)
        if key not in seen:
            seen.add(key)
            result.append(record)
    return result
