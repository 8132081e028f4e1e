"""Run an ASGI app with uvicorn in a background thread, bound to 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


class ServerHandle:
    """A running simulator: `base_url`, `stop()`, and the simulator's own `state`."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, port: int, state: Any) -> None:
        self.server, self.thread, self.port, self.state = server, thread, port, state
        self.base_url = f"http://127.0.0.1:{port}"

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(app: Any, state: Any, port: int = 0, host: str = "127.0.0.1") -> ServerHandle:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False,
                            timeout_graceful_shutdown=1)  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="simulator")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the simulator's HTTP server did not start")
        time.sleep(0.01)
    return ServerHandle(server, thread, sock.getsockname()[1], state)


def serve_forever(app: Any, port: int, host: str = "127.0.0.1") -> None:
    """For the CLI: run in the foreground until Ctrl-C."""
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="off", timeout_graceful_shutdown=1)
