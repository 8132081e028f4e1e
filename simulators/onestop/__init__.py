"""Simulated one-stop system (hệ thống một cửa điện tử): dossiers and status events over HTTP.

from simulators.onestop import OnestopConfig, start_in_thread, generate_dossiers, write_csv
"""

from __future__ import annotations

from simulators.onestop.config import DIRT_KINDS, OnestopConfig
from simulators.onestop.generate import build_manifest, generate_dossiers, generate_events, write_csv
from simulators.onestop.records import EVENT_FIELDS, FIELDS
from simulators.onestop.server import create_app, start_in_thread

__all__ = [
    "DIRT_KINDS", "EVENT_FIELDS", "FIELDS", "OnestopConfig", "build_manifest", "create_app",
    "generate_dossiers", "generate_events", "start_in_thread", "write_csv",
]  # fmt: skip
