"""Simulated sector systems, each delivering data a different way.

- `business`: a PostgreSQL database (business register), pulled incrementally by `updated_at`;
- `health`: Excel and CSV files from the health department in `<inbox>/sector_health/`;
- `schools`: a cursor-paginated JSON API of the education department.
"""
