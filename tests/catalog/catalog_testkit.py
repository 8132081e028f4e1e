"""Helpers shared by the catalog tests (imported by name: tests/catalog is on sys.path)."""

from __future__ import annotations

import random
from dataclasses import dataclass

ROOT_AGENCY = "000.00.00.H17"


@dataclass(frozen=True)
class Steward:
    username: str
    password: str


def new_agency_code() -> str:
    """A random agency code under level-1 Z99, which no real agency uses."""
    return f"{random.randrange(1, 1000):03d}.{random.randrange(100):02d}.{random.randrange(100):02d}.Z99"
