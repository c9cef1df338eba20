"""Hypothesis for the whole suite: no per-example deadline, because CI shares a small,
noisy machine and timing is what the bench/ scripts measure, not the tests."""

from hypothesis import HealthCheck, settings

settings.register_profile("amanat", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("amanat")
