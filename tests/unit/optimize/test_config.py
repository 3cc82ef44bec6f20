"""OptimizeConfig: validated options, and a plain-JSON record of them for the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.optimize.session import OptimizeConfig


def test_the_config_with_path_options_and_a_seed_is_plain_json() -> None:
    config = OptimizeConfig(site_packages=(Path("/env/site"),), tests=(Path("/p/tests"),), seed=9)
    data = json.loads(json.dumps(config.to_json()))
    assert data["site_packages"] == ["/env/site"]
    assert data["tests"] == ["/p/tests"]
    assert data["seed"] == 9


@pytest.mark.parametrize(("field", "value"), [("min_checked", 0), ("seed", -1), ("seed", 2**63)])
def test_bad_verification_options_are_refused_naming_the_option(field: str, value: int) -> None:
    with pytest.raises(InvalidArgument, match=field.replace("_", "-")):
        OptimizeConfig(**{field: value})  # type: ignore[arg-type]
