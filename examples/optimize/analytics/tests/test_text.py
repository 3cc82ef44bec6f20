from analytics.text import dedupe_preserving_order, word_frequencies_top


def test_dedupe_keeps_first_occurrences_in_order():
    assert dedupe_preserving_order(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]
    assert dedupe_preserving_order(["x", "x", "x"]) == ["x"]


def test_dedupe_is_case_sensitive_and_handles_empty():
    assert dedupe_preserving_order([]) == []
    assert dedupe_preserving_order(["Apple", "apple", "APPLE", "apple"]) == ["Apple", "apple", "APPLE"]


def test_dedupe_merges_canonically_equivalent_strings():
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert dedupe_preserving_order([decomposed, "tea", composed]) == [composed, "tea"]


def test_word_frequencies_top_orders_by_count_then_word():
    words = "the cat and the dog and the bird".split()
    assert word_frequencies_top(words, 2) == [("the", 3), ("and", 2)]
    assert word_frequencies_top(words, 4) == [("the", 3), ("and", 2), ("bird", 1), ("cat", 1)]


def test_word_frequencies_top_case_folds_and_strips_punctuation():
    words = ["Spam,", "spam", "EGGS!", "ham", "SPAM.", "--"]
    assert word_frequencies_top(words, 2) == [("spam", 3), ("eggs", 1)]


def test_word_frequencies_top_k_larger_than_vocabulary():
    assert word_frequencies_top(["a", "b", "a"], 10) == [("a", 2), ("b", 1)]
    assert word_frequencies_top([], 3) == []
