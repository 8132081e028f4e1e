"""End to end: a province-year through the DAGs, then one day\x27s increment (see __main__)."""
