"""Loopback ports for the throwaway servers tests, lint and benchmarks start."""

from __future__ import annotations

import socket


def free_loopback_port() -> int:
    """A TCP port nothing listens on right now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
