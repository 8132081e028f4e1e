"""Who sees which dashboard: the leaders' and data stewards' roles, their users, row-level security.

Declared once here; `hub_superset_init.py access` applies it (after the dashboard import), with
Superset's Python, so it imports only the standard library at module level and Superset inside
`apply`. Access is by DASHBOARD_RBAC (superset_config.py): a published dashboard that lists a
role is open to that role's users, and its charts' data are served to them through the
dashboard (`dashboardId` and `slice_id` in the chart-data request's form_data; see
`SupersetSecurityManager.raise_for_access`), so these roles hold no dataset, database or
schema permission at all. Everything is upserted by name: roles (their permissions set to
exactly the list below), users (roles, active, password reset when it changed), one
row-level-security rule per entry of RLS_RULES (its datasets recomputed on every run), and
each role's dashboards (added by slug; a managed role is taken off a dashboard no longer
listed; roles set by hand in the UI on other dashboards stay).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

LEADER = "Lãnh đạo"
STEWARD = "Quản lý dữ liệu"
JUSTICE_LEADER = "Lãnh đạo Sở Tư pháp"

# Edit these lists when a dashboard is added or renamed; a slug not imported yet is skipped.
LEADER_DASHBOARDS = ("tong-quan", "mot-cua", "van-ban", "nganh")
STEWARD_DASHBOARDS = (*LEADER_DASHBOARDS, "chat-luong-du-lieu")

# Sở Tư pháp in catalog/seeds/agencies.csv
JUSTICE_AGENCY_CODE = "000.00.08.H17"

# What a read-only viewer needs to open a dashboard whose roles include theirs (checked in
# Chromium: no request of the dashboard or home page refused): the dashboard page, the
# dashboard and chart APIs (chart data included: /api/v1/chart/data is `can_read` on Chart;
# the chart list shows only charts of datasets one has access to, so none), the key-value
# store of the dashboard's filter state, the Dashboards menu, and the page's own event log
# (POST /superset/log/, and one's own recent activity on the home page). Nothing else: no SQL
# Lab, Explore, dataset, database, CSV or image export, drill, sharing links or saved queries.
VIEWER_PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("can_dashboard", "Superset"),
    ("can_read", "Dashboard"),
    ("can_read", "Chart"),
    ("can_read", "DashboardFilterStateRestApi"),
    ("can_write", "DashboardFilterStateRestApi"),
    ("menu_access", "Dashboards"),
    ("can_log", "Superset"),
    ("can_recent_activity", "Log"),
)


@dataclass(frozen=True)
class RoleSpec:
    name: str
    permissions: tuple[tuple[str, str], ...]
    dashboards: tuple[str, ...]


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    password_variable: str  # the environment variable that holds the password


@dataclass(frozen=True)
class RlsRule:
    """A Regular (filter) rule for `role` on every dataset that has all of `columns`."""

    name: str
    role: str
    clause: str
    columns: tuple[str, ...]


ROLES = (
    RoleSpec(LEADER, VIEWER_PERMISSIONS, LEADER_DASHBOARDS),
    RoleSpec(STEWARD, VIEWER_PERMISSIONS, STEWARD_DASHBOARDS),
    RoleSpec(JUSTICE_LEADER, (), ()),  # only carries the row filter; paired with LEADER
)
USERS = (
    UserSpec("lanhdao", "Lãnh đạo", "UBND tỉnh", (LEADER,), "SUPERSET_LEADER_PASSWORD"),
    UserSpec("quanlydulieu", "Quản lý", "dữ liệu", (STEWARD,), "SUPERSET_STEWARD_PASSWORD"),
    UserSpec("lanhdao_tuphap", "Lãnh đạo", "Sở Tư pháp", (LEADER, JUSTICE_LEADER), "SUPERSET_JUSTICE_LEADER_PASSWORD"),
)
RLS_RULES = (
    RlsRule(
        "Sở Tư pháp: cơ quan và đơn vị trực thuộc",
        JUSTICE_LEADER,
        f"'{JUSTICE_AGENCY_CODE}' in (agency_code, parent_agency_code)",
        ("agency_code", "parent_agency_code"),
    ),
)
PASSWORD_VARIABLES = tuple(user.password_variable for user in USERS)


def apply(sm: Any, session: Any, passwords: Mapping[str, str], say: Callable[[str], None]) -> str:
    """Upsert ROLES, USERS, RLS_RULES and the dashboards' roles, saying one line each (in an
    app context); returns a one-line summary."""
    roles = {spec.name: _upsert_role(sm, session, spec, say) for spec in ROLES}
    users = [
        user.username
        for user in USERS
        if _upsert_user(sm, user, [roles[name] for name in user.roles], passwords.get(user.password_variable), say)
    ]
    datasets = sum(_upsert_rls(session, rule, roles[rule.role], say) for rule in RLS_RULES)
    missing = _assign_dashboards(session, roles, say)
    session.commit()
    return (
        f"{len(roles)} roles, users {', '.join(users) or 'none'}, {len(RLS_RULES)} row-level rule(s) "
        f"on {datasets} dataset(s)" + (f"; dashboards not imported yet: {', '.join(missing)}" if missing else "")
    )


def _upsert_role(sm: Any, session: Any, spec: RoleSpec, say: Callable[[str], None]) -> Any:
    role = sm.find_role(spec.name)
    if role is None:
        role = sm.add_role(spec.name)
        say(f"role {spec.name} created")
    wanted = []
    for permission, view in spec.permissions:
        pv = sm.find_permission_view_menu(permission, view)
        if pv is None:
            raise RuntimeError(f"Superset has no permission {permission} on {view} (did `superset init` run?)")
        wanted.append(pv)
    if {pv.id for pv in role.permissions} != {pv.id for pv in wanted}:
        role.permissions = wanted
        session.commit()
        say(f"role {spec.name}: permissions set ({len(wanted)})")
    else:
        say(f"role {spec.name} up to date ({len(wanted)} permissions)")
    return role


def _upsert_user(sm: Any, spec: UserSpec, roles: list[Any], password: str | None, say: Callable[[str], None]) -> bool:
    from werkzeug.security import check_password_hash

    if not password:
        say(f"user {spec.username}: {spec.password_variable} not set, skipped")
        return False
    user = sm.find_user(username=spec.username)
    if user is None:
        email = f"{spec.username}@localhost"
        if not sm.add_user(spec.username, spec.first_name, spec.last_name, email, roles, password):
            raise RuntimeError(f"could not create the Superset user {spec.username}")
        say(f"user {spec.username} created ({', '.join(spec.roles)})")
        return True
    changes = []
    if sorted(r.name for r in user.roles) != sorted(spec.roles):
        user.roles = roles
        changes.append("roles set")
    if not user.active:
        user.active = True
        changes.append("activated")
    if changes:
        sm.update_user(user)
    if not check_password_hash(user.password, password):
        sm.reset_password(user.id, password)
        changes.append("password reset")
    say(f"user {spec.username}: {', '.join(changes)}" if changes else f"user {spec.username} up to date")
    return True


def _upsert_rls(session: Any, rule: RlsRule, role: Any, say: Callable[[str], None]) -> int:
    from superset.connectors.sqla.models import RowLevelSecurityFilter, SqlaTable
    from superset.utils.core import RowLevelSecurityFilterType

    tables = [
        table
        for table in session.query(SqlaTable).order_by(SqlaTable.id)
        if set(rule.columns) <= {column.column_name for column in table.columns}
    ]
    found = session.query(RowLevelSecurityFilter).filter_by(name=rule.name).one_or_none()
    current = found and (
        found.clause,
        found.filter_type,
        {r.id for r in found.roles},
        {t.id for t in found.tables},
        found.group_key,
    )
    wanted = (rule.clause, RowLevelSecurityFilterType.REGULAR.value, {role.id}, {t.id for t in tables}, None)
    names = ", ".join(f"{t.schema}.{t.table_name}" for t in tables) or "no dataset has both columns yet"
    if current == wanted:
        say(f"row-level security '{rule.name}' up to date ({names})")
        return len(tables)
    rls = found or RowLevelSecurityFilter(name=rule.name)
    rls.description = f"{rule.role}: rows where {' or '.join(rule.columns)} is the agency"
    rls.filter_type = RowLevelSecurityFilterType.REGULAR.value
    rls.clause = rule.clause
    rls.group_key = None
    rls.roles = [role]
    rls.tables = tables
    session.add(rls)
    session.commit()
    say(f"row-level security '{rule.name}' {'updated' if found else 'created'} ({names})")
    return len(tables)


def _assign_dashboards(session: Any, roles: dict[str, Any], say: Callable[[str], None]) -> list[str]:
    """Returns the listed slugs that are not imported yet."""
    from superset.models.dashboard import Dashboard

    dashboards = {d.slug: d for d in session.query(Dashboard).filter(Dashboard.slug.isnot(None))}
    for spec in ROLES:
        role = roles[spec.name]
        added, removed = [], []
        for slug, dashboard in sorted(dashboards.items()):
            has = role in dashboard.roles
            if slug in spec.dashboards and not has:
                dashboard.roles.append(role)
                added.append(slug)
            elif slug not in spec.dashboards and has:
                dashboard.roles.remove(role)
                removed.append(slug)
        missing = [slug for slug in spec.dashboards if slug not in dashboards]
        if not spec.dashboards:
            continue
        parts = [f"+{', +'.join(added)}" if added else "", f"-{', -'.join(removed)}" if removed else ""]
        done = "; ".join(p for p in parts if p) or "unchanged"
        present = [slug for slug in spec.dashboards if slug in dashboards]
        line = f"dashboards of {spec.name}: {', '.join(present) or 'none yet'} ({done})"
        say(line + (f"; not imported yet, skipped: {', '.join(missing)}" if missing else ""))
    session.commit()
    wanted = {slug for spec in ROLES for slug in spec.dashboards}
    return sorted(wanted - dashboards.keys())


# What `apply` looks at and writes, read back as one digest: when it and the inputs are unchanged
# since the last run, the run is skipped without starting Superset. Role and user names are
# passed as parameters; the statement itself is constant.
STATE_SQL = """
select md5(coalesce(string_agg(line, E'\\n' order by line), '')) from (
    select 'user ' || u.username || ' ' || u.active || ' ' || coalesce(u.password, '') || ' '
           || coalesce(string_agg(r.name, ',' order by r.name), '') as line
    from ab_user u left join ab_user_role ur on ur.user_id = u.id left join ab_role r on r.id = ur.role_id
    where u.username = any(%(users)s) group by u.id
    union all
    select 'role ' || r.name || ' ' || coalesce(string_agg(pvr.permission_view_id::text, ',' order by
           pvr.permission_view_id), '')
    from ab_role r left join ab_permission_view_role pvr on pvr.role_id = r.id
    where r.name = any(%(roles)s) group by r.name
    union all
    select 'dashboard ' || d.id || ' ' || coalesce(d.slug, '') || ' '
           || coalesce(string_agg(r.name, ',' order by r.name), '')
    from dashboards d left join dashboard_roles dr on dr.dashboard_id = d.id left join ab_role r on r.id = dr.role_id
    group by d.id
    union all
    select 'column ' || table_id || ' ' || column_name from table_columns where column_name = any(%(columns)s)
    union all
    select 'rls ' || f.name || ' ' || coalesce(f.filter_type, '') || ' ' || f.clause || ' '
           || coalesce((select string_agg(t.table_id::text, ',' order by t.table_id)
                        from rls_filter_tables t where t.rls_filter_id = f.id), '')
           || ' ' || coalesce((select string_agg(r.role_id::text, ',' order by r.role_id)
                               from rls_filter_roles r where r.rls_filter_id = f.id), '')
    from row_level_security_filters f where f.name = any(%(rules)s)
) lines
"""


def state_parameters() -> dict[str, list[str]]:
    return {
        "users": [user.username for user in USERS],
        "roles": [role.name for role in ROLES],
        "columns": sorted({column for rule in RLS_RULES for column in rule.columns}),
        "rules": [rule.name for rule in RLS_RULES],
    }
