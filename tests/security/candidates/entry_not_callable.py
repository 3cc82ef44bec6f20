"""`f` exists but is not callable."""

f = 42
