"""Shared fixtures: which isolation tiers can run here."""

from __future__ import annotations

import pytest

from effilab.sandbox import ISOLATION_TIERS


def available_tiers() -> list[str]:
    return [name for name, tier in ISOLATION_TIERS.items() if tier.unavailable_reason() is None]


@pytest.fixture(params=list(ISOLATION_TIERS))
def any_tier(request: pytest.FixtureRequest) -> str:
    """Each isolation tier in turn; skipped where it cannot run."""
    name: str = request.param
    reason = ISOLATION_TIERS[name].unavailable_reason()
    if reason is not None:
        pytest.skip(f"tier {name} unavailable: {reason}")
    return name
