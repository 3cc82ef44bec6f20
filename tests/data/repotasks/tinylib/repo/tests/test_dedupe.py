from tinylib.dedupe import dedupe


def test_keeps_first_appearance_order() -> None:
    assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]


def test_empty() -> None:
    assert dedupe([]) == []


def test_all_equal() -> None:
    assert dedupe([7, 7, 7]) == [7]
