def merge_streams(streams: list[list[tuple[int, str]]]) -> list[tuple[int, str]]:
    positions = [0] * len(streams)
    merged = []
    while True:
        best = -1
        for i in range(len(streams)):
            if positions[i] < len(streams[i]):
                if best == -1 or streams[i][positions[i]][0] < streams[best][positions[best]][0]:
                    best = i
        if best == -1:
            break
        merged.append(streams[best][positions[best]])
        positions[best] += 1
    return merged
