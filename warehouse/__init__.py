"""The warehouse's own helpers: dbt (manifest, runs), Great Expectations suites, the
read-only reporting role and the SQL lint. A domain package: it imports only the
foundation."""
