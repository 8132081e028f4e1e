#!/bin/sh
# Entrypoint of the postgres service (docker-compose.yml): runs as root at every start, prepares
# what WAL archiving and `hub backup` need, then hands over to the image's own entrypoint.
#
# - /var/lib/hub-backups (the warehouse-backups volume, also mounted in the Airflow scheduler and
#   workers, which run as uid 50000, gid 0): writable by group root, so `hub backup` can write
#   its base backups there, and not listable by others (backups hold personal data; postgres
#   only passes through to wal/). The archive's wal/ belongs to postgres, group root (setgid:
#   archived segments keep group root), so that backups can read and prune it.
# - pg_hba.conf: pg_basebackup connects over the network with the replication protocol, which
#   the image's `host all all all` line does not cover (`all` does not match `replication`).
#   A new cluster gets the line from postgres-init/02-replication.sh; an existing one here.
set -eu

backups=/var/lib/hub-backups
mkdir -p "$backups/wal"
chown root:root "$backups"
chmod 0771 "$backups"
chown postgres:root "$backups/wal"
chmod 2770 "$backups/wal"

hba="${PGDATA:-/var/lib/postgresql/data}/pg_hba.conf"
line="host replication ${POSTGRES_USER:-postgres} all scram-sha-256"
if [ -f "$hba" ] && ! grep -qxF "$line" "$hba"; then
    printf '%s\n' "$line" >>"$hba"
fi

exec docker-entrypoint.sh "$@"
