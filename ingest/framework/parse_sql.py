"""Generate the set-based SQL that types, validates and fingerprints landed records.

Reads temp table `landing` (lineage plus one text column per source field, see
`landing`) and creates temp table `parsed` with the stream's typed columns plus
`_reason`/`_field`/`_value` (why a row is quarantined; null if it is fine),
`_fixes` (what was repaired on the way) and `_record_hash`.
"""

from __future__ import annotations

from ingest.framework.stream import Field, Stream

# The source's yyyyMMddHHmmss gets a 'T' so PostgreSQL reads it; with DateStyle
# 'ISO, DMY' (set by the batch) it also reads dd/mm/yyyy. No regex: too slow per row.
_TO_ISO = "case when length({v}) = 14 then overlay({v} placing 'T' from 9 for 0) else {v} end"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _raw(f: Field) -> str:
    return f'"v_{f.name}"'


def _cleaned_columns(f: Field) -> list[str]:
    """Stage 1: the field's trimmed text and, for dates, its ISO form."""
    text = f"nullif(btrim({_ident(f.source)}), '')"
    columns = [f"{text} as {_raw(f)}"]
    if f.kind in ("timestamp", "date"):
        columns.append(f'{_TO_ISO.format(v=text)} as "iso_{f.name}"')
    return columns


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _typed(f: Field) -> str:
    """Stage 2: the typed value, or null when the text is not a valid value of the kind."""
    v = _raw(f)
    if f.kind == "int":
        return f"case when pg_input_is_valid({v}, 'integer') then {v}::integer end"
    if f.kind in ("timestamp", "date"):
        iso = f'"iso_{f.name}"'
        return f"case when pg_input_is_valid({iso}, 'timestamp') then {iso}::timestamp::{f.kind} end"
    if f.zero_pad:
        return f"case when {_all_digits(v)} then lpad({v}, {f.zero_pad}, '0') else {v} end"
    return v


def _all_digits(v: str) -> str:
    return f"translate({v}, '0123456789', '') = ''"


def _checks(stream: Stream) -> list[tuple[str, str, str | None]]:
    """(condition, reason, field source) in the order they are judged; the first that holds wins."""
    checks: list[tuple[str, str, str | None]] = [("problem is not null", "problem", None)]
    for f in stream.fields:
        checks.append((f"{_lit(f.source)} = any(wrong_types)", "wrong_type", f.source))
    for f in stream.fields:
        if f.required:
            checks.append((f"{_raw(f)} is null", "missing_field", f.source))
        if f.kind in ("int", "timestamp", "date"):
            reason = "invalid_integer" if f.kind == "int" else f"invalid_{f.kind}"
            checks.append((f'{_raw(f)} is not null and "{f.name}" is null', reason, f.source))
        if f.pattern:
            checks.append((f'"{f.name}" !~ {_lit(f.pattern)}', "invalid_code", f.source))
    return checks


def _case(checks: list[tuple[str, str, str | None]], pick: int, stream: Stream) -> str:
    def value(check: tuple[str, str, str | None]) -> str:
        if check[1] == "problem":  # found while landing: malformed_record, malformed_page
            return "problem" if pick == 1 else "null"
        if pick == 1:
            return _lit(check[1])
        if check[2] is None:
            return "null"
        if pick == 2:
            return _lit(check[2])
        return _raw(next(f for f in stream.fields if f.source == check[2]))

    whens = "\n        ".join(f"when {c[0]} then {value(c)}" for c in checks)
    return f"case\n        {whens}\n    end"


def _fixes(stream: Stream) -> str:
    """What was repaired, per field: `day_first_date:NgayTiepNhan`, `zero_padded:MaXa`, plus landing's."""
    parts = []
    for f in stream.fields:
        v = _raw(f)
        if f.kind in ("timestamp", "date"):
            parts.append(f"case when strpos({v}, '/') > 0 then {_lit('day_first_date:' + f.source)} end")
        if f.zero_pad:
            parts.append(
                f"case when length({v}) < {f.zero_pad} and {_all_digits(v)} then {_lit('zero_padded:' + f.source)} end"
            )
    return f"array_remove(array[{', '.join(parts) or 'null'}]::text[], null) || coalesce(text_fixes, '{{}}')"


def parse_sql(stream: Stream) -> str:
    cleaned = ",\n        ".join(c for f in stream.fields for c in _cleaned_columns(f))
    typed = ",\n        ".join(f'{_typed(f)} as "{f.name}"' for f in stream.fields)
    names = ", ".join(f'"{f.name}"' for f in stream.fields)
    hashed = names  # concat_ws of the typed values: far cheaper than md5(row(...)::text)
    checks = _checks(stream)
    key = ", ".join(f'"{k}"' for k in stream.primary_key)
    key_sources = ",".join(stream.field(k).source for k in stream.primary_key)
    key_values = " || '|' || ".join(f"coalesce(\"{k}\"::text, '')" for k in stream.primary_key)
    return f"""
create temp table parsed on commit drop as
with cleaned as (
    select
        source_ref, row_number, payload, problem, wrong_types, text_fixes,
        {cleaned}
    from landing
),
typed as materialized (
    select cleaned.*,
        {typed}
    from cleaned
),
judged as (
    select
        source_ref, row_number, payload, {names},
        {_case(checks, 1, stream)} as _reason,
        {_case(checks, 2, stream)} as _field,
        {_case(checks, 3, stream)} as _value,
        {_fixes(stream)} as _fixes,
        md5(concat_ws('|', {hashed})) as _record_hash
    from typed
)
-- the same record twice in one batch: keep the first, quarantine the others
select
    source_ref, row_number, payload, {names}, _fixes, _record_hash,
    case when is_repeat then 'duplicate_record' else _reason end as _reason,
    case when is_repeat then {_lit(key_sources)} else _field end as _field,
    case when is_repeat then {key_values} else _value end as _value
from (
    select judged.*,
        _reason is null and row_number() over (
            partition by _reason is null, {key}, _record_hash order by source_ref, row_number
        ) > 1 as is_repeat
    from judged
) as ranked
"""
