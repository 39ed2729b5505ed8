"""Stage 1, data: read and validate the shipped tables (registry, populations, workforce) and rebuild data/processed."""
