"""Civil-status registrations (hộ tịch): births, deaths and marriages from the justice
department's page-numbered JSON API, pulled incrementally by `updated_since`."""
