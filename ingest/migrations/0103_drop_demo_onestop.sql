-- The thin slice's demo source is replaced by the one-stop system's ingestion.
drop table if exists raw.demo_onestop__dossiers;
