# syntax=docker/dockerfile:1
# Superset with the hub's configuration, dashboards and set-up script.
# The image's Superset lives in /app/.venv (managed by uv; `python` on PATH is that venv's);
# superset_server/uv.lock, the lock `make install` builds the local Superset venv from,
# pins Superset 6.1.0 (the base image's) and what the hub adds to it: the PostgreSQL
# driver, gunicorn, PyYAML for the set-up script, the Flask-Caching the config needs.
# tests/deploy/test_images.py assembles this image's files from the COPY lines below and
# runs the RUN line into a throwaway venv.
# Build from the repository root: docker compose does (context: .).
FROM apache/superset:6.1.0

USER root
# The uv release that wrote the lock files (the Makefile's).
ARG UV_VERSION=0.13.8

# The lock file's whole set, into Superset's venv (apache-superset itself is already there
# at the locked version). The cache mount keeps uv's downloads out of the image.
COPY --chown=superset:superset superset_server/pyproject.toml superset_server/uv.lock /app/hub/superset_server/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --python /app/.venv/bin/python "uv==${UV_VERSION}" \
    && /app/.venv/bin/uv export --quiet --frozen --no-dev --no-header --project /app/hub/superset_server \
        --output-file /tmp/superset-requirements.txt \
    && /app/.venv/bin/uv pip install --python /app/.venv/bin/python --requirement /tmp/superset-requirements.txt \
    && rm /tmp/superset-requirements.txt

COPY --chown=superset:superset superset_server/superset_config.py /app/pythonpath/superset_config.py
ENV SUPERSET_CONFIG_PATH=/app/pythonpath/superset_config.py
# The set-up the superset-init service runs (the same script `hub up` runs locally) and the
# dashboard bundles it imports, in the repository's layout: the script finds ../dashboards.
COPY --chown=superset:superset superset_server/hub_superset_init.py superset_server/hub_superset_roles.py /app/hub/superset_server/
COPY --chown=superset:superset dashboards/ /app/hub/dashboards/

USER superset
