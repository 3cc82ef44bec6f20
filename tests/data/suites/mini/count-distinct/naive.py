def count_distinct(nums: list[int]) -> int:
    count = 0
    for i in range(len(nums)):
        seen_before = False
        for j in range(i):
            if nums[j] == nums[i]:
                seen_before = True
                break
        if not seen_before:
            count += 1
    return count
