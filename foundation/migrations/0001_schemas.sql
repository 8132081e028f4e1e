-- The warehouse's layers. dbt owns staging, intermediate and marts;
-- these migrations own everything else.
create schema if not exists raw;          -- every version of every source record, with lineage
create schema if not exists catalog;      -- shared master catalogs (danh mục dùng chung)
create schema if not exists staging;      -- dbt: 1:1 cleaned views over raw
create schema if not exists intermediate; -- dbt: joins and business rules
create schema if not exists marts;        -- dbt: facts and dimensions for dashboards and sharing
create schema if not exists quality;      -- data-quality results
create schema if not exists audit;        -- load batches, migrations, access logs
create schema if not exists sharing;      -- API clients, grants, pull log
