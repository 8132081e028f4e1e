"""Every dashboard, in the order the import and the tests take them."""

from __future__ import annotations

from dashboards.specs import chat_luong, mot_cua, nganh, tong_quan, van_ban

DASHBOARDS = (
    tong_quan.DASHBOARD,
    mot_cua.DASHBOARD,
    van_ban.DASHBOARD,
    nganh.DASHBOARD,
    chat_luong.DASHBOARD,
)
LEADER_SLUGS = tuple(d.slug for d in DASHBOARDS if d.slug != chat_luong.DASHBOARD.slug)
STEWARD_SLUGS = tuple(d.slug for d in DASHBOARDS)
