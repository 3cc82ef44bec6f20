"""A tiny library with a deliberately slow helper, for effilab's repository-task tests."""
