"""Schools (trường học): the education department's cursor-paginated JSON API,
pulled incrementally by `updated_since`."""
