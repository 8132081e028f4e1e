-- A dossier registered online but not yet received (status 1) has no reception
-- date yet: a real state, not dirt, so it must load.
alter table raw.onestop__dossiers alter column received_at drop not null;
alter table raw.onestop__dossiers__current alter column received_at drop not null;
