"""The sharing API in a process of its own (so that its peak RSS is its own): `URL PORT`."""

from __future__ import annotations

import sys

import uvicorn

from sharing.app import create_app


def main() -> None:
    api_url, port = sys.argv[1], int(sys.argv[2])
    app = create_app(api_url, secret="bench-cursor-secret", failed_auth_limit="10000/minute")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
