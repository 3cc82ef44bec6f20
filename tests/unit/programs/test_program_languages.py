"""Language plugins: lookup by name, alias and suffix; compile command lines."""

from __future__ import annotations

import pytest

from effilab.errors import InvalidArgument
from effilab.programs.languages import all_languages, get_language, language_for_path


def test_every_plugin_in_the_package_is_registered() -> None:
    names = {lang.name for lang in all_languages()}
    assert {"cpp", "c", "python"} <= names


def test_lookup_by_alias_and_suffix() -> None:
    assert get_language("C++").name == "cpp"
    assert get_language("Python").name == "python"
    assert language_for_path("prog.cc").name == "cpp"
    assert language_for_path("x.py").name == "python"
    with pytest.raises(InvalidArgument):
        get_language("cobol")
    with pytest.raises(InvalidArgument):
        language_for_path("notes.txt")


def test_cpp_flags_are_stated_and_the_source_comes_before_libraries() -> None:
    cpp = get_language("cpp")
    assert cpp.flags[:2] == ("-std=gnu++17", "-O2")
    assert "-static" in cpp.flags
    c = get_language("c")
    argv = c.compile_argv(source="/box/main.c", output="/tmp/prog")
    assert argv.index("/box/main.c") < argv.index("-lm")
    assert not get_language("python").compiled
