#!/bin/sh
# Runs once, on a new cluster (docker-entrypoint-initdb.d), as postgres: lets the `hub` role
# (POSTGRES_USER, a superuser) take base backups over the network with pg_basebackup.
# An existing cluster gets the same line from deploy/postgres/hub-postgres-entrypoint.sh.
set -eu
line="host replication ${POSTGRES_USER} all scram-sha-256"
grep -qxF "$line" "$PGDATA/pg_hba.conf" || printf '%s\n' "$line" >>"$PGDATA/pg_hba.conf"
