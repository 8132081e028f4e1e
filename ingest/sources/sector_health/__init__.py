"""Health facilities (cơ sở y tế): Excel and CSV files the health department drops
into `<inbox>/sector_health/`, one batch per file."""
