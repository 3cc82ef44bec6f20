"""Benchmark suites: the problem model, the folder format, and adapters for public benchmarks' files."""

from __future__ import annotations

from effilab.check.rules import CheckerRule, ExactRule, FloatRule, PythonEqRule, Rule, UnorderedRule
from effilab.suites.model import Level, Problem, Reference, Suite, SuiteSettings, TestCase
from effilab.suites.registry import builtin_suites, load_suite

__all__ = [
    "CheckerRule",
    "ExactRule",
    "FloatRule",
    "Level",
    "Problem",
    "PythonEqRule",
    "Reference",
    "Rule",
    "Suite",
    "SuiteSettings",
    "TestCase",
    "UnorderedRule",
    "builtin_suites",
    "load_suite",
]
