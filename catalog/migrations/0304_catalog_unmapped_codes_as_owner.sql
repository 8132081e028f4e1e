-- The stewards' app reaches the warehouse as hub_steward_app (catalog/roles.py), which may not read
-- the raw layer: it holds citizens' records. The unmapped-codes queue still shows, for a watched
-- raw column, its local codes with no mapping, their counts and the latest example row; the
-- function reads them as its owner (security definer, with a fixed search path: every name in it
-- is schema-qualified), and only the roles it is granted to may call it (catalog/roles.py grants
-- it to the app's role), no longer everyone.
alter function catalog.unmapped_codes(text, text, text, text)
    security definer
    set search_path = pg_catalog, pg_temp;
revoke execute on function catalog.unmapped_codes(text, text, text, text) from public;
