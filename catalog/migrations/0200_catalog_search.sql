-- Shared master catalogs (danh mục dùng chung), part 1: the extensions they use.
--   btree_gist: exclusion constraints, so one code never has two overlapping validity periods
--   pg_trgm + unaccent: search names with or without Vietnamese diacritics ("da nang" finds "Đà Nẵng")
create extension if not exists btree_gist;
create extension if not exists pg_trgm;
create extension if not exists unaccent;

-- Lower-case, diacritics-free form of a name, for search and trigram indexes.
-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary
-- makes this wrapper safe to declare IMMUTABLE, so that it can be indexed.
create function catalog.fold(value text) returns text
language sql immutable strict parallel safe
return lower(public.unaccent('public.unaccent'::regdictionary, value));
