"""Tests of touna_policy.calibration."""
