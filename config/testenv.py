"""Loaded by pytest (-p config.testenv) before Django settings: selects test mode."""

import os

os.environ["AMANAT_ENV"] = "test"
