"""Faithful, deterministic simulators of the province's source systems (issue #3).

One package per system: `onestop` (HTTP API), `documents` (edXML files),
`sector` (business-registration database, health-department files, schools API).
Every simulator takes a seed, a size and a dirt specification, and writes a
manifest of every dirty record it injected. See `simulators/README.md`.
"""
