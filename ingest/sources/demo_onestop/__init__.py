"""A tiny demo one-stop source (a few hundred dossiers) that proves the platform's wiring.

The faithful one-stop simulator and its ingestion replace it; until then it
feeds the thin slice raw → dbt → Great Expectations → Superset.
"""
