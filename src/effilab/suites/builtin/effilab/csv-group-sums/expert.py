from itertools import repeat


def sum_by_group(csv_text: str, group_by: str, columns: list[str]) -> dict[str, list[int]]:
    lines = csv_text.split("\n")
    header = lines[0].split(",")
    group_index = header.index(group_by)
    indexes = [header.index(column) for column in columns]
    cut = max(indexes) + 1  # fields after the last wanted column are never split
    if lines[-1] == "":
        lines.pop()
    del lines[0]
    # Bucket the raw lines (plain strings) by their group field, splitting only up to that field ...
    groups: dict[str, list[str]] = {}
    get = groups.get
    key_cut = group_index + 1
    for line in lines:
        k = line.split(",", key_cut)[group_index]
        bucket = get(k)
        if bucket is None:
            groups[k] = [line]
        else:
            bucket.append(line)
    # ... then split each bucket with maxsplit, transpose with zip and sum the wanted columns in C.
    out = {}
    for k, bucket in groups.items():
        table = list(zip(*map(str.split, bucket, repeat(","), repeat(cut, len(bucket)))))
        out[k] = [sum(map(int, table[i])) for i in indexes]
    return out
