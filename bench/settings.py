"""Production settings plus the benchmark's reference view (bench/baseline)."""

from config import settings as _amanat

globals().update({name: value for name, value in vars(_amanat).items() if name.isupper()})
INSTALLED_APPS = [*_amanat.INSTALLED_APPS, "bench.baseline"]
ROOT_URLCONF = "bench.baseline.urls"
