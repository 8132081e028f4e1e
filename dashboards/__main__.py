"""`python -m dashboards`: write every bundle folder from the specs; `--check`: fail if a committed one differs."""

from __future__ import annotations

import argparse
import sys

from dashboards.bundles import BUNDLES_DIR, differences, write_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when a bundle is out of date")
    args = parser.parse_args(argv)
    if args.check:
        stale = differences()
        for path in stale:
            print(f"out of date: {path}")
        if stale:
            print("run `python -m dashboards` and commit the result")
        return 1 if stale else 0
    for folder in write_all():
        print(f"wrote {folder.relative_to(BUNDLES_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
