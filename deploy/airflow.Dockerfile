# Airflow with the hub's code: the `hub`/`ingest` packages and their dependencies
# (dbt, Cosmos, Great Expectations), plus dags/, dbt_project/ and expectations/.
# Build from the repository root: docker compose does (context: .).
FROM apache/airflow:3.3.2-python3.11

USER airflow
WORKDIR /opt/airflow

# Dependencies first, so editing DAGs or dbt models does not reinstall everything.
COPY --chown=airflow:root pyproject.toml README.md ./
COPY --chown=airflow:root hub/ hub/
COPY --chown=airflow:root ingest/ ingest/
# Pin apache-airflow so the project's own range cannot move the image's version;
# the FAB provider backs the UI login (SimpleAuthManager is for development only).
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" apache-airflow-providers-fab .

# Keep the repository's layout under /opt/airflow and put it first on the path, as
# `hub` does locally, so paths computed from the code's location (hub.settings.REPO_ROOT,
# dbt_project/, expectations/) resolve here rather than inside site-packages.
ENV PYTHONPATH=/opt/airflow

COPY --chown=airflow:root dags/ dags/
COPY --chown=airflow:root dbt_project/ dbt_project/
COPY --chown=airflow:root expectations/ expectations/

# The transform DAG renders from target/manifest.json; parsing needs no database.
RUN DBT_SEND_ANONYMOUS_USAGE_STATS=false python -c "from hub.dbt import ensure_manifest; ensure_manifest()"
# Created here so the named volumes mounted on them start out owned by airflow.
RUN mkdir -p /opt/airflow/logs /opt/airflow/.hub/inbox
