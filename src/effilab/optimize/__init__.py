"""effilab optimize: make a user's function faster, verified."""
