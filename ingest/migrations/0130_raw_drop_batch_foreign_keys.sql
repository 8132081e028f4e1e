-- Raw tables: drop the per-row foreign keys from _batch_id to audit.load_batches.
-- Each was checked by a trigger on every row (about a fifth of the load time);
-- the batch row is written in the same transaction as its rows, by the framework.
do $$
declare
    fk record;
begin
    for fk in
        select c.conrelid::regclass as tbl, c.conname
        from pg_constraint c
        join pg_class t on t.oid = c.conrelid
        where c.contype = 'f'
          and t.relnamespace = 'raw'::regnamespace
          and c.confrelid = 'audit.load_batches'::regclass
    loop
        execute format('alter table %s drop constraint %I', fk.tbl, fk.conname);
    end loop;
end
$$;
