"""The Superset dashboards, declared in Python and written out as the YAML bundles beside this package.

`python -m dashboards` regenerates every bundle folder from `dashboards.specs`; `--check` fails when a
committed folder differs from what the specs produce. The bundles are what `superset import-directory`
reads (superset_server/hub_superset_init.py); this package only writes them.
"""
