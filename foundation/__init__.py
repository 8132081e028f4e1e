"""The foundation every other package stands on: settings, database URLs, the embedded
PostgreSQL server, the migrations runner and locally generated secrets.

It imports nothing of the project (checked by the import contract in `make lint`).
"""
