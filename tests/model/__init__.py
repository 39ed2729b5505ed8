"""Tests of touna_policy.model."""
