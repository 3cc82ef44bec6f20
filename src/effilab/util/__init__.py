"""Small helpers with no effilab dependencies, usable from every layer."""
