"""Executors run sandboxed work items concurrently behind one futures-returning interface."""

from __future__ import annotations

from effilab.executors.base import EXECUTORS, Executor, make_executor, stream
from effilab.executors.local import LocalExecutor

__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "make_executor", "stream"]
