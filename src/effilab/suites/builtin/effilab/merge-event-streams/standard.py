import heapq


def merge_streams(streams: list[list[tuple[int, str]]]) -> list[tuple[int, str]]:
    heap = [(stream[0][0], i, 0) for i, stream in enumerate(streams) if stream]
    heapq.heapify(heap)
    merged = []
    while heap:
        _, i, j = heap[0]
        stream = streams[i]
        merged.append(stream[j])
        if j + 1 < len(stream):
            heapq.heapreplace(heap, (stream[j + 1][0], i, j + 1))
        else:
            heapq.heappop(heap)
    return merged
