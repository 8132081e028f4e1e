"""Superset configuration for the provincial data hub.

Everything deployment-specific comes from the environment, which
`hub.superset.superset_env()` builds locally and docker-compose.yml sets in
production (the image keeps this file at /app/pythonpath/superset_config.py);
nothing secret lives in this file. Superset loads it through `SUPERSET_CONFIG_PATH`.
"""

import os
import time
from typing import Any, ClassVar

from superset.exceptions import SupersetSecurityException
from superset.security import SupersetSecurityManager
from superset.security.manager import query_context_modified

# --- secrets and metadata database -------------------------------------------

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# Superset's own metadata (users, dashboards, charts): PostgreSQL only. SQLite
# keeps an outdated unique constraint on dataset names and is being dropped.
SQLALCHEMY_DATABASE_URI = os.environ["SUPERSET_DB_URL"]
if not SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg2://"):
    raise RuntimeError("SUPERSET_DB_URL must be a postgresql+psycopg2:// URL")
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# --- caches: in-process, no Redis (Redis with the scale-out profile: below) ---

CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_KEY_PREFIX": "superset_",
    "CACHE_DEFAULT_TIMEOUT": 24 * 3600,
}
# Chart data: short-lived, so that a pipeline run shows up within minutes.
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_KEY_PREFIX": "superset_data_",
    "CACHE_DEFAULT_TIMEOUT": 300,
}

# --- nothing runs in the background, nothing is fetched from outside ----------

MAPBOX_API_KEY = ""
CELERY_CONFIG = None
FEATURE_FLAGS = {
    "THUMBNAILS": False,
    "ALERT_REPORTS": False,
    "ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS": False,
    "ENABLE_DASHBOARD_DOWNLOAD_WEBDRIVER_SCREENSHOT": False,
    # A dashboard that lists roles is open to those roles, and its charts' data are served
    # to them through it, without any dataset permission (hub_superset_roles.py).
    "DASHBOARD_RBAC": True,
    # Jinja in a chart's saved conditions: with no period chosen, the charts read the latest month
    # (dashboards/filters.py, LATEST_PERIOD_BY_DEFAULT). Only admins write SQL (no SQL Lab for others).
    "ENABLE_TEMPLATE_PROCESSING": True,
}
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []


# --- behind the province's HTTPS proxy -----------------------------------------
# SUPERSET_BASE_URL is the address people use. When it is https://, the session and remember-me
# cookies travel over HTTPS only, and the client's address and scheme come from the proxy's
# X-Forwarded-* headers (one proxy: the port is published on loopback for it).
_BASE_URL = os.environ.get("SUPERSET_BASE_URL", "").strip()
_HTTPS = _BASE_URL.lower().startswith("https://")
SESSION_COOKIE_SECURE = _HTTPS
REMEMBER_COOKIE_SECURE = _HTTPS
ENABLE_PROXY_FIX = _HTTPS
PROXY_FIX_CONFIG = {"x_for": 1, "x_proto": 1, "x_host": 1, "x_port": 0, "x_prefix": 0}

# --- password guessing: login attempts limited per account and per client address -----------
# Every POST to the login form or the API login counts, failed or not: the 11th in a minute for one
# account from one address, or the 31st from one address whatever the accounts, is answered 429 with
# Retry-After. In memory locally (one gunicorn worker), in Redis when the scale-out profile runs several.
RATELIMIT_ENABLED = True
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = os.environ.get("SUPERSET_LOGIN_RATE_LIMIT", "10 per minute")  # per account and address
LOGIN_RATE_LIMIT_PER_ADDRESS = os.environ.get("SUPERSET_LOGIN_RATE_LIMIT_PER_ADDRESS", "30 per minute")
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True


def _login_account_and_address() -> str:
    from flask import request
    from flask_limiter.util import get_remote_address

    sent = request.form.get("username") or (request.get_json(silent=True) or {}).get("username") or ""
    return f"{get_remote_address()}|{str(sent).strip().lower()[:150]}"


# --- scale-out: Redis caches and async queries, only when SUPERSET_REDIS_HOST is set ---------
# docker-compose.yml's scale-out profile sets it (with superset-worker running the queries);
# `make run` and the single-machine deployment leave it empty and keep everything above.
_REDIS_HOST = os.environ.get("SUPERSET_REDIS_HOST", "").strip()
if _REDIS_HOST:
    from datetime import timedelta

    import redis
    from flask_caching.backends.rediscache import RedisCache

    _REDIS_PASSWORD = os.environ.get("SUPERSET_REDIS_PASSWORD") or None
    _REDIS_PORT = int(os.environ.get("SUPERSET_REDIS_PORT", "6379"))
    _JWT_SECRET = os.environ.get("SUPERSET_ASYNC_QUERIES_JWT_SECRET", "")
    if len(_JWT_SECRET) < 32:
        raise RuntimeError("SUPERSET_ASYNC_QUERIES_JWT_SECRET must be set, at least 32 characters")

    def _redis_url(db: int) -> str:
        auth = f":{_REDIS_PASSWORD}@" if _REDIS_PASSWORD else ""
        return f"redis://{auth}{_REDIS_HOST}:{_REDIS_PORT}/{db}"

    def _redis_cache(db: int, prefix: str, timeout: int) -> dict[str, Any]:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": _redis_url(db),
            "CACHE_KEY_PREFIX": prefix,
            "CACHE_DEFAULT_TIMEOUT": timeout,
        }

    # Fail at start, with the reason, when Redis is configured but absent (the scale-out
    # settings in .env without the profile): a minute of retries covers Redis starting up.
    for _attempt in range(30):
        try:
            redis.Redis(host=_REDIS_HOST, port=_REDIS_PORT, password=_REDIS_PASSWORD, socket_connect_timeout=2).ping()
            break
        except redis.exceptions.ConnectionError as _error:
            _last_error = _error
            time.sleep(2)
    else:
        raise RuntimeError(
            f"SUPERSET_REDIS_HOST={_REDIS_HOST} is set but Redis does not answer ({_last_error}): "
            "start the scale-out profile (docker compose --profile scale-out up -d) or empty SUPERSET_REDIS_HOST"
        )

    # db 0 is Airflow's broker; Superset takes 1 (its broker) to 4.
    RATELIMIT_STORAGE_URI = _redis_url(5)
    CACHE_CONFIG = _redis_cache(2, "superset_", 24 * 3600)
    DATA_CACHE_CONFIG = _redis_cache(3, "superset_data_", 300)
    # Async query results, fetched once by the browser that asked, then expiring.
    RESULTS_BACKEND = RedisCache(
        host=_REDIS_HOST, port=_REDIS_PORT, password=_REDIS_PASSWORD, db=4, key_prefix="superset_results_"
    )

    class CeleryConfig:
        broker_url = _redis_url(1)
        # Task results are small and short-lived: Redis, with a time-to-live (volatile-lru may evict them).
        result_backend = _redis_url(1)
        result_expires = int(timedelta(hours=6).total_seconds())
        imports = ("superset.sql_lab", "superset.tasks.async_queries", "superset.tasks.cache")
        worker_prefetch_multiplier = 1
        task_acks_late = False
        # Nothing periodic: reports and thumbnails stay off (FEATURE_FLAGS above), so no beat.
        beat_schedule: ClassVar[dict[str, Any]] = {}

    CELERY_CONFIG = CeleryConfig
    FEATURE_FLAGS["GLOBAL_ASYNC_QUERIES"] = True
    GLOBAL_ASYNC_QUERIES_JWT_SECRET = _JWT_SECRET
    GLOBAL_ASYNC_QUERIES_TRANSPORT = "polling"
    GLOBAL_ASYNC_QUERIES_CACHE_BACKEND = {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_HOST": _REDIS_HOST,
        "CACHE_REDIS_PORT": _REDIS_PORT,
        "CACHE_REDIS_PASSWORD": _REDIS_PASSWORD or "",
        "CACHE_REDIS_DB": 4,
        "CACHE_DEFAULT_TIMEOUT": 300,
    }
    # SQL Lab (admins only) runs its queries on the workers too.
    SQLLAB_ASYNC_TIME_LIMIT_SEC = int(timedelta(minutes=10).total_seconds())


class HubSecurityManager(SupersetSecurityManager):
    """Dashboard viewers get their dashboards' charts as saved, not any query on the datasets.

    DASHBOARD_RBAC serves chart data to a dashboard's roles without dataset permissions, but
    Superset 6.1 checks only that the chart is on the dashboard: the request could ask for any
    column, raw rows, samples or drill-to-detail of its dataset. For a user who reaches the
    dataset only through a dashboard, this allows the saved chart's own query (the check
    Superset applies to embedded guests), native-filter value lists, and nothing else.
    """

    def register_views(self) -> None:
        super().register_views()
        # Superset 6.1 limits its own /login/ view, which only shows the page (GET); the password goes
        # to Flask-AppBuilder's form view (POST /login/) and to the API login, both unlimited: limit them
        if self.is_auth_limited:
            api = next((v for v in self.appbuilder.baseviews if v.__class__.__name__ == "SecurityApi"), None)
            for view in (self.auth_view, api):
                if getattr(view, "blueprint", None) is not None:
                    self.limiter.limit(self.auth_rate_limit, methods=["POST"],
                                       key_func=_login_account_and_address)(view.blueprint)  # fmt: skip
                    self.limiter.limit(LOGIN_RATE_LIMIT_PER_ADDRESS, methods=["POST"])(view.blueprint)

    def raise_for_access(self, **kwargs: Any) -> None:
        super().raise_for_access(**kwargs)
        query_context = kwargs.get("query_context")
        if query_context is None or self.is_admin():
            return
        datasource = query_context.datasource
        if (
            self.can_access_schema(datasource)
            or self.can_access("datasource_access", datasource.perm or "")
            or self.is_owner(datasource)
        ):
            return
        from superset.models.slice import Slice

        form_data = query_context.form_data or {}
        native_filter = form_data.get("type") == "NATIVE_FILTER"
        # the query context found no chart: its lookup filters by dataset permissions
        slice_id = form_data.get("slice_id")
        chart = self.session.query(Slice).filter(Slice.id == slice_id).one_or_none() if slice_id else None
        if chart is not None and query_context.slice_ is None:
            query_context.slice_ = chart
        as_saved = chart is not None and chart.datasource == datasource and not query_context_modified(query_context)
        if query_context.result_type not in _VIEWER_RESULT_TYPES or not (native_filter or as_saved):
            raise SupersetSecurityException(self.get_datasource_access_error_object(datasource))


_VIEWER_RESULT_TYPES = {"full", "post_processed"}
CUSTOM_SECURITY_MANAGER = HubSecurityManager

# The page may load only from Superset itself, plus data: and blob: URLs.
# Superset's styles are CSS-in-JS, hence 'unsafe-inline' for styles; scripts
# need a per-request nonce ('strict-dynamic' lets those load their chunks).
_CSP = {
    "base-uri": ["'self'"],
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": "'none'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "script-src": ["'self'", "'strict-dynamic'"],
}
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": _CSP,
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": _HTTPS,  # Talisman writes SESSION_COOKIE_SECURE when this is set
}
TALISMAN_DEV_CONFIG = TALISMAN_CONFIG
CONTENT_SECURITY_POLICY_WARNING = False

# --- language and number formats ---------------------------------------------

# Superset 6.1 ships no Vietnamese translation (superset/translations has no
# "vi"), so the interface stays in English; dashboard content (titles, axis
# labels, metric names) is Vietnamese. Numbers use Vietnamese separators.
BABEL_DEFAULT_LOCALE = "en"
LANGUAGES: dict[str, dict[str, str]] = {}
D3_FORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}

# --- no example data ---------------------------------------------------------

# Examples are loaded only by `superset load-examples`, which the hub never runs.
# (Bundle datasets name their schema, so the import never asks for the examples
# database either.)

# --- web server ----------------------------------------------------------------

WTF_CSRF_ENABLED = True
SESSION_COOKIE_SAMESITE = "Lax"
SHOW_STACKTRACE = False
SUPERSET_WEBSERVER_TIMEOUT = 120
