"""`hub catalog ...`: the shared catalogs from the command line (same rules as the web pages).

Commands that change something act as a steward: `--steward NAME` (or HUB_STEWARD) and
the steward's password, prompted for (or HUB_STEWARD_PASSWORD, for scripts). The commands
live in cli_browse.py (reading), cli_changes.py (changing) and cli_stewards.py (accounts);
importing them registers them on `catalog_app`, which hub/cli.py mounts as `hub catalog`.
"""

from __future__ import annotations

from catalog import cli_browse, cli_changes, cli_stewards
from catalog.cli_common import catalog_app

__all__ = ["catalog_app", "cli_browse", "cli_changes", "cli_stewards"]
