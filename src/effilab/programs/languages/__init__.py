"""Languages of whole programs: one plugin module per language in this package, found automatically."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from effilab.errors import InvalidArgument
from effilab.programs.languages.base import Language, registered

__all__ = ["Language", "all_languages", "get_language", "language_for_path"]


def _load_plugins() -> None:
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")


def all_languages() -> list[Language]:
    _load_plugins()
    return sorted({lang.name: lang for lang in registered().values()}.values(), key=lambda lang: lang.name)


def get_language(name: str) -> Language:
    """The language called ``name`` (any alias, case-insensitive)."""
    _load_plugins()
    language = registered().get(name.strip().lower())
    if language is None:
        names = ", ".join(lang.name for lang in all_languages())
        raise InvalidArgument(f"language={name!r}: unknown; choose one of {names}")
    return language


def language_for_path(path: str | Path) -> Language:
    """The language of a source file, from its suffix."""
    suffix = Path(path).suffix.lower()
    for language in all_languages():
        if suffix in language.suffixes:
            return language
    raise InvalidArgument(f"{path}: no language uses the suffix {suffix!r}")
