# Superset with the hub's configuration and dashboards.
# Build from the repository root: docker compose does (context: .).
FROM apache/superset:6.1.0

USER root
# The image keeps Superset in /app/.venv, managed by uv, and ships no PostgreSQL driver.
RUN . /app/.venv/bin/activate && uv pip install --no-cache psycopg2-binary

COPY --chown=superset:superset superset_server/superset_config.py /app/pythonpath/superset_config.py
ENV SUPERSET_CONFIG_PATH=/app/pythonpath/superset_config.py
# Dashboards as code: bundle folders, imported by the superset-init service.
COPY --chown=superset:superset dashboards/ /app/dashboards/
COPY --chown=superset:superset deploy/superset_init.py /app/hub/superset_init.py

USER superset
