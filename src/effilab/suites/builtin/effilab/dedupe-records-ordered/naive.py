def dedupe(records: list[dict[str, object]], key_fields: list[str]) -> list[dict[str, object]]:
    seen_keys = []
    result = []
    for record in records:
        key = [record[field] for field in key_fields]
        if key not in seen_keys:
            seen_keys.append(key)
            result.append(record)
    return result
