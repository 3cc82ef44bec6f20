"""Training data from measured code: SFT/DPO/RRHF export and Effi-Code-style dataset building.

* :func:`effilab.api.export` (``effilab export``) turns a results file into training records;
* :func:`effilab.api.build_dataset` (``effilab dataset build``) runs generate → evaluate → optimize →
  verify → export for every problem of a suite, resumably.

The record builders and the significance rule are in :mod:`effilab.training.records`.
"""
