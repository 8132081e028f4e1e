-- Runs once, when the postgres data volume is still empty (docker-entrypoint-initdb.d),
-- as the `hub` role (POSTGRES_USER); 03-service-roles.sh then gives airflow and superset to their roles.
-- CREATE DATABASE has no IF NOT EXISTS: generate the statements and \gexec them,
-- so running this file again by hand is harmless.
select format('create database %I', name)
from unnest(array['warehouse', 'airflow', 'superset']) as name
where not exists (select 1 from pg_database where datname = name)
\gexec
