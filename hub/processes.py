"""Supervising the services `hub up` starts: health polling and clean stops."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable

import httpx

log = logging.getLogger(__name__)


class NotHealthy(RuntimeError):
    pass


def wait_until_healthy(
    check: Callable[[], bool], what: str, timeout_s: float, process: subprocess.Popen[bytes] | None = None
) -> float:
    """Poll `check` until it returns True; returns the seconds waited.

    Fails at once if `process` exits, and after `timeout_s` otherwise.
    """
    started = time.monotonic()
    last_error = "no answer yet"
    while time.monotonic() - started < timeout_s:
        if process is not None and process.poll() is not None:
            raise NotHealthy(f"{what} exited with code {process.returncode} before it was healthy")
        try:
            if check():
                return time.monotonic() - started
            last_error = "answered, but not healthy"
        except httpx.HTTPError as error:
            last_error = repr(error)
        time.sleep(0.5)
    raise NotHealthy(f"{what} not healthy after {timeout_s:.0f} s: {last_error}")


def stop_group(process: subprocess.Popen[bytes], timeout_s: float = 20) -> None:
    """SIGTERM the process's group (its forked workers too), SIGKILL if it lingers."""
    stop_groups([process], timeout_s)


def stop_groups(started: list[subprocess.Popen[bytes]], timeout_s: float = 20) -> None:
    """SIGTERM every group at once, then wait for them all within one deadline; SIGKILL what lingers."""
    running = [p for p in started if p.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %s s; killing it", " ".join(map(str, process.args)), timeout_s)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
