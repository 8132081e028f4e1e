# syntax=docker/dockerfile:1
# Airflow 3 with the hub: every project package (foundation, ingest, catalog, simulators,
# warehouse, hub), dags/, dbt_project/ and expectations/, on the dependencies pinned in
# uv.lock. Every Airflow service of docker-compose.yml runs from this image, and so do
# airflow-init (`hub init`) and steward-app (catalog.app). tests/deploy/test_images.py
# assembles the image's files from the COPY lines below, runs the RUN lines into a
# throwaway venv and checks every compose command against the result.
# Build from the repository root: docker compose does (context: .).
FROM apache/airflow:3.3.2-python3.11

USER airflow
WORKDIR /opt/airflow

# The uv release that wrote uv.lock (the Makefile's).
ARG UV_VERSION=0.13.8

# Dependencies first, from the lock file alone, so that editing code reinstalls nothing;
# with the `deploy` group: the FAB auth manager compose configures for the UI login
# (SimpleAuthManager is for development only).
# apache-airflow is also pinned to the base image's own version (AIRFLOW_VERSION, set by
# the image): a lock that moved Airflow away from 3.3.2 fails here, not at run time. The
# packages go into the image's venv (VIRTUAL_ENV=/home/airflow/.local, `python` on PATH);
# the cache mount keeps uv's downloads out of the image.
COPY --chown=airflow:root pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/tmp/.cache/uv,uid=50000,gid=0 \
    pip install --no-cache-dir "uv==${UV_VERSION}" \
    && uv export --quiet --frozen --no-dev --group deploy --no-emit-project --no-header \
        --output-file /tmp/requirements.txt \
    && uv pip install --python "$(command -v python)" --requirement /tmp/requirements.txt \
        "apache-airflow==${AIRFLOW_VERSION}" \
    && rm /tmp/requirements.txt

# The project's packages, one COPY each: COPY of a folder copies its contents, so
# `COPY a/ b/ ./` would pour both into /opt/airflow.
COPY --chown=airflow:root foundation/ foundation/
COPY --chown=airflow:root ingest/ ingest/
COPY --chown=airflow:root catalog/ catalog/
COPY --chown=airflow:root simulators/ simulators/
COPY --chown=airflow:root warehouse/ warehouse/
COPY --chown=airflow:root sharing/ sharing/
COPY --chown=airflow:root hub/ hub/
# The project itself, for the `hub` command; its dependencies are all installed above.
# Editable, so the code runs from /opt/airflow, as from a checkout: paths computed from
# the code's location (foundation.settings.REPO_ROOT: dbt_project/, expectations/) resolve
# here rather than inside site-packages.
RUN --mount=type=cache,target=/tmp/.cache/uv,uid=50000,gid=0 \
    uv pip install --python "$(command -v python)" --no-deps --editable .

# The repository's root first on the path, as `hub` has it locally: DAG files import `dags.*`.
ENV PYTHONPATH=/opt/airflow

COPY --chown=airflow:root dags/ dags/
COPY --chown=airflow:root dbt_project/ dbt_project/
COPY --chown=airflow:root expectations/ expectations/

# The transform DAG renders from target/manifest.json; parsing needs no database.
RUN DBT_SEND_ANONYMOUS_USAGE_STATS=false python -c "from warehouse.dbt import ensure_manifest; ensure_manifest()"
# Created here so the named volumes mounted on them start out owned by airflow.
RUN mkdir -p /opt/airflow/logs /opt/airflow/.hub/inbox
