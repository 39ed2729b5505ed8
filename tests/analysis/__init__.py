"""Tests of touna_policy.analysis."""
