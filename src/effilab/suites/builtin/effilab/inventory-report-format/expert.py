from operator import itemgetter


def inventory_report(items: list[tuple[str, str, int, int]]) -> str:
    # Bucket once by category (instead of re-filtering all items per category); sort each small bucket.
    groups: dict[str, list[tuple[str, str, int, int]]] = {}
    get = groups.get
    for item in items:
        bucket = get(item[1])
        if bucket is None:
            groups[item[1]] = [item]
        else:
            bucket.append(item)
    by_sku = itemgetter(0)
    lines = []
    append = lines.append
    total_quantity = total_value = 0
    for category in sorted(groups):
        bucket = groups[category]
        bucket.sort(key=by_sku)
        append(f"== {category} ==")
        sub_quantity = sub_value = 0
        for sku, _, quantity, price in bucket:
            value = quantity * price
            append(f"{sku:<12}{quantity:>8}{f'{value // 100:,}.{value % 100:02d}':>14}")
            sub_quantity += quantity
            sub_value += value
        append(f"{'subtotal':<12}{sub_quantity:>8}{f'{sub_value // 100:,}.{sub_value % 100:02d}':>14}")
        total_quantity += sub_quantity
        total_value += sub_value
    append(f"{'TOTAL':<12}{total_quantity:>8}{f'{total_value // 100:,}.{total_value % 100:02d}':>14}")
    return "\n".join(lines)
