"""The one-stop system (hệ thống một cửa điện tử): dossiers and their status events,
pulled from its sync API window by window."""
