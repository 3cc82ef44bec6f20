"""Small analytics helpers (an example project for `effilab optimize`)."""
