"""effilab's results file: the schema version shared by every table in it."""

from effilab.results.schema import SCHEMA_VERSION, migrate, refuse_newer

__all__ = ["SCHEMA_VERSION", "migrate", "refuse_newer"]
