"""Measurements taken under different conditions are refused when combined."""

from __future__ import annotations

import dataclasses

import pytest

from effilab.errors import InvalidArgument
from effilab.measure import Measurement, collect_metadata


def _measurement(**changes: object) -> Measurement:
    metadata = collect_metadata(
        isolation="bwrap", layers=("bubblewrap",), backend="time", python_version="3.11.7", hash_seed=0
    )
    metadata = dataclasses.replace(metadata, **changes)  # type: ignore[arg-type]
    return Measurement("time", "ns", (1.0, 2.0), (1, 1), (10,), metadata)


def test_same_conditions_combine_and_keep_every_sample() -> None:
    combined = _measurement().combine(_measurement(load_average=(9.0, 9.0, 9.0)))  # load is informational
    assert combined.samples == (1.0, 2.0, 1.0, 2.0)
    assert combined.processes == (1, 1, 2, 2)


@pytest.mark.parametrize(
    ("field", "value"),
    [("isolation", "process"), ("backend", "instructions-callgrind"), ("python_version", "3.12.0"),
     ("hash_seed", 1), ("env_hash", "different"), ("cpu_model", "another CPU"), ("layers", ())],
)  # fmt: skip
def test_different_conditions_are_refused_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidArgument, match=field):
        _measurement().combine(_measurement(**{field: value}))


def test_metadata_describes_this_host() -> None:
    metadata = _measurement().metadata
    assert metadata is not None
    assert metadata.cores >= 1
    assert metadata.cpu_model
    assert len(metadata.env_hash) == 16
