"""The business register (đăng ký doanh nghiệp): a PostgreSQL database of the sector,
pulled incrementally by `updated_at`, with an overlap for rows that arrive late."""
