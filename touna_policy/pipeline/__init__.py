"""Stage 7, pipeline: notebooks run by papermill into atomic run folders; batch, compare, manifest, verify, validate."""
