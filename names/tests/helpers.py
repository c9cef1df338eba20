"""Shared test helpers: skip Chinese-character cases while names.chinese is absent."""

from __future__ import annotations

import importlib.util

import pytest

HAS_CHINESE = importlib.util.find_spec("names.chinese") is not None
needs_chinese = pytest.mark.skipif(not HAS_CHINESE, reason="names.chinese is not there yet")
