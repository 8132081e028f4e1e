"""Scale profiles: sizes as stated, scaling, the environment hook of demo mode, reproducible by seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from simulators import profiles
from simulators.demo import DEMO_DAYS, DEMO_DOCUMENTS, DEMO_DOSSIERS, DemoContext
from simulators.sector.civil_status import CivilStatusConfig, registrations


def test_demo_profile_is_todays_demo() -> None:
    demo = profiles.get("demo")
    assert (demo.dossiers, demo.days, demo.documents) == (DEMO_DOSSIERS, DEMO_DAYS, DEMO_DOCUMENTS) == (3_000, 120, 400)


def test_province_year_is_a_merged_province() -> None:
    year = profiles.get("province-year")
    assert year.days == 365
    assert year.dossiers == 1_500_000
    assert 100_000 <= year.documents <= 500_000
    assert 10_000 <= year.enterprises <= 100_000
    assert 1_000 <= year.facilities <= 10_000 and 1_000 <= year.schools <= 10_000
    assert 10_000 <= year.registrations <= 100_000


def test_scale_multiplies_every_size_and_keeps_the_period() -> None:
    year, tenth = profiles.get("province-year"), profiles.get("province-year", 0.1)
    assert tenth.dossiers == 150_000 and tenth.days == 365 and tenth.seed == year.seed
    assert all(tenth.sizes()[k] == round(v * 0.1) for k, v in year.sizes().items())
    assert profiles.get("demo", 1e-9).sizes() == dict.fromkeys(year.sizes(), 1)  # never empty
    with pytest.raises(ValueError):
        year.scaled(0)
    with pytest.raises(KeyError):
        profiles.get("planet")


def test_demo_mode_reads_the_profile_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    def context() -> DemoContext:
        return DemoContext(Path("/nonexistent"), Path("/nonexistent"), "postgresql://x", date(2026, 12, 1))

    monkeypatch.delenv(profiles.PROFILE_VARIABLE, raising=False)
    monkeypatch.delenv(profiles.SCALE_VARIABLE, raising=False)
    assert context().profile == profiles.get("demo")
    assert context().start == date(2026, 8, 3)
    monkeypatch.setenv(profiles.PROFILE_VARIABLE, "province-year")
    monkeypatch.setenv(profiles.SCALE_VARIABLE, "0.02")
    assert context().profile.dossiers == 30_000
    assert context().start == date(2025, 12, 1)


def test_same_profile_same_rows() -> None:
    """A profile names sizes and seeds only: the same profile builds the same rows (a small sector source)."""
    small = profiles.get("province-year", 0.002)

    def build(profile: profiles.Profile) -> list[object]:
        config = CivilStatusConfig(seed=CivilStatusConfig.seed + profile.seed, size=profile.registrations,
                                   start=date(2025, 1, 1), days=profile.days, dirt="all")  # fmt: skip
        return registrations(config)

    first = build(small)
    assert len(first) >= small.registrations  # dirt may add duplicates
    assert build(small) == first
    assert build(profiles.Profile(**{**small.__dict__, "seed": 1})) != first
