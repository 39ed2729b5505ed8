"""Stage 7, pipeline: run notebooks with papermill into atomic run folders, batch, compare, manifest, verify and validate."""
