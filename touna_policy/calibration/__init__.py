"""Stage 3, calibration: the record (the seed's 22.27 %, the coverage series) into other-channel shares."""
