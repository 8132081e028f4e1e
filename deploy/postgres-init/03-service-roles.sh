#!/bin/sh
# Runs once, on a new cluster (docker-entrypoint-initdb.d), as the `hub` role (POSTGRES_USER), after
# 01-databases.sql: each service's own login role, none a superuser. Airflow's and Superset's own
# their metadata database and nothing else; the stewards' app's gets its grants on schema catalog
# from `hub init` (catalog/roles.py), which also refreshes every password from the same variables
# and hands an older install's metadata databases over. The passwords come from the environment
# (required in docker-compose.yml, no default) and reach the server as psql variables, quoted by it.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v airflow_password="$AIRFLOW_DB_PASSWORD" \
  -v superset_password="$SUPERSET_DB_PASSWORD" \
  -v steward_password="$STEWARD_APP_PASSWORD" <<'SQL'
create role hub_airflow with login nosuperuser nocreatedb nocreaterole noinherit password :'airflow_password';
create role hub_superset with login nosuperuser nocreatedb nocreaterole noinherit password :'superset_password';
create role hub_steward_app with login nosuperuser nocreatedb nocreaterole noinherit password :'steward_password';
alter database airflow owner to hub_airflow;
alter database superset owner to hub_superset;
-- only the roles granted it reach a database (hub init grants the warehouse's readers theirs)
revoke all on database airflow from public;
revoke all on database superset from public;
revoke all on database warehouse from public;
grant connect on database warehouse to hub_steward_app;
SQL
