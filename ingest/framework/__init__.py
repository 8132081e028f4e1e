"""The ingestion framework every source uses.

A batch lands the source's records as JSON in a temporary table with `COPY`,
then PostgreSQL does the rest in set-based SQL, inside one transaction:
parse and validate each field, quarantine what fails (with a reason, the field
and the value), keep every new version of every record in `raw.<stream>`,
upsert the latest into `raw.<stream>__current`, reconcile the counts and move
the watermark. Killed midway, a batch leaves nothing; re-run, it adds nothing.
"""
