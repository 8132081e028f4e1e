"""Shared pieces: dirt specifications, the manifest, legacy text encodings, calendars and catalogs."""
