"""effilab: make code measurably and safely faster.

.. code-block:: python

    import effilab

    report = effilab.evaluate(suite="effilab", samples="s.jsonl", k=(1, 10))
    print(report.to_dict()["pass@1"])

The functions of :mod:`effilab.api` (``evaluate``, ``compare``, ``scale``, ``optimize``, ``run``,
``load_suite``, ``doctor``, ``export``, ``build_dataset``, ``report``) and their result types are
re-exported here.

They are imported eagerly, on purpose: ``effilab.evaluate``, ``effilab.optimize`` and ``effilab.report``
are also the names of sub-packages, and importing a sub-package binds its name on this package.
Importing the API here, after the sub-packages it loads, leaves the names bound to the functions for
good (a lazy re-export was overwritten by the first ``from effilab.evaluate.… import …``). Reach the
sub-packages with ``from`` imports, e.g. ``from effilab.evaluate.metrics import pass_at_k``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from effilab.errors import EffilabError, InvalidArgument, SandboxError, SandboxUnavailable

if TYPE_CHECKING:
    from effilab.reward import EfficiencyReward

__version__ = "0.1.0"

# After __version__: modules loaded by the API import it from this (partly initialised) package.
from effilab.api import (
    build_dataset,
    compare,
    doctor,
    evaluate,
    export,
    load_suite,
    optimize,
    report,
    run,
    scale,
)
from effilab.report.build import ReportFile
from effilab.reports import (
    CompareReport,
    DoctorReport,
    EvaluateReport,
    OptimizeReport,
    ProgressEvent,
    ProgressKind,
    RunReport,
    ScaleReport,
)
from effilab.training.build import DatasetReport
from effilab.training.export import ExportReport

__all__ = [
    "CompareReport",
    "DatasetReport",
    "DoctorReport",
    "EfficiencyReward",
    "EffilabError",
    "EvaluateReport",
    "ExportReport",
    "InvalidArgument",
    "OptimizeReport",
    "ProgressEvent",
    "ProgressKind",
    "ReportFile",
    "RunReport",
    "SandboxError",
    "SandboxUnavailable",
    "ScaleReport",
    "__version__",
    "build_dataset",
    "compare",
    "doctor",
    "evaluate",
    "export",
    "load_suite",
    "optimize",
    "report",
    "run",
    "scale",
]


def __getattr__(name: str) -> object:
    # The RL reward is loaded on first use (``effilab.EfficiencyReward``): most users of effilab never
    # train, and its name is not a sub-package's, so the lazy name cannot be overwritten (see above).
    if name == "EfficiencyReward":
        from effilab.reward import EfficiencyReward  # noqa: PLC0415 - lazy on purpose

        return EfficiencyReward
    raise AttributeError(f"module 'effilab' has no attribute {name!r}")
