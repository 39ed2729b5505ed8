"""Stage 3, calibration: turn the record (the seed's 22.27 %, the coverage series) into the engine's other-channel shares."""
