"""Lint the dbt models with sqlfluff's dbt templater.

The templater compiles the project, and compiling connects to the warehouse,
so lint runs against a throwaway embedded server: it never needs (or touches)
a real one. Usage: `python -m warehouse.sql_lint [sqlfluff args...]`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from foundation.embedded import EmbeddedServer
from foundation.net import free_loopback_port
from warehouse.dbt import DBT_PROJECT_DIR, warehouse_parts


def main(args: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="hub-sqllint-") as scratch:
        server = EmbeddedServer(Path(scratch) / "pgdata", free_loopback_port(), secrets.token_urlsafe(16))
        server.start()
        try:
            env = {**os.environ, **warehouse_parts(server.url("postgres"))}
            sqlfluff = Path(sys.executable).with_name("sqlfluff")
            command = [str(sqlfluff), *(args or ["lint", "models"])]
            return subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env).returncode
        finally:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
