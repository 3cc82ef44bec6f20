"""The ``effilab`` command line: parse, build configuration, call the library, render."""
