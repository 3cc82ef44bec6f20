"""Executors run sandboxed work items concurrently behind one futures-returning interface."""

from __future__ import annotations

from effilab.executors.base import EXECUTORS, Executor, make_executor, parse_executor, stream
from effilab.executors.local import LocalExecutor
from effilab.executors.ray_executor import RayExecutor

__all__ = [
    "EXECUTORS",
    "Executor",
    "LocalExecutor",
    "RayExecutor",
    "make_executor",
    "parse_executor",
    "stream",
]
