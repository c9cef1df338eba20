# Two commands for a newcomer: `make run` and `make test`. Each creates the
# virtual environment when it is missing and installs what the project lists.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `make run PORT=8001` when 8000 is taken. Checked by make itself (no shell quoting).
PORT ?= 8000
PORT_NON_DIGITS := $(subst 0,,$(subst 1,,$(subst 2,,$(subst 3,,$(subst 4,,$(subst 5,,$(subst 6,,$(subst 7,,$(subst 8,,$(subst 9,,$(PORT)))))))))))

.PHONY: run test lint check-python check-port catalogs browser pdf-libs deploy-tools screenshots clean
AXE := node_modules/axe-core/axe.min.js

check-port:
	@$(if $(filter-out 1,$(words $(PORT)))$(strip $(PORT_NON_DIGITS)),$(error PORT must be a number, e.g. make run PORT=8001))

check-python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Amanat needs Python 3.11"'

$(STAMP): pyproject.toml | check-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

catalogs: $(STAMP)
	$(PY) -m config.compile_catalogs

# End-to-end tests drive Debian's Chromium (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Exports are drawn by WeasyPrint, which needs Debian's Pango; HarfBuzz's subsetter makes
# embedding the fonts several times faster than the pure-Python fallback (bench/exports.py).
pdf-libs:
	@ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || { \
		echo "Installing Debian's Pango and HarfBuzz subsetter for the PDF exports"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; }

# The deploy checks and smoke tests run Debian's own nginx (with its JavaScript module, which
# keys the per-client token), tor and shellcheck against deploy/, as a real server would;
# systemd-analyze and logrotate check the units and the log rotation (deploy/check.sh).
deploy-tools:
	@command -v nginx >/dev/null 2>&1 && command -v tor >/dev/null 2>&1 && command -v shellcheck >/dev/null 2>&1 \
		&& command -v systemd-analyze >/dev/null 2>&1 && command -v logrotate >/dev/null 2>&1 \
		&& test -e /usr/lib/nginx/modules/ngx_http_js_module.so || { \
		echo "Installing Debian's nginx, tor, shellcheck, systemd and logrotate for the deploy checks"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			nginx libnginx-mod-http-js tor shellcheck systemd logrotate; }

# axe-core (npm, pinned in package-lock.json) checks every page's accessibility in the
# browser tests.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

# The embedded default: SQLite in data/, no broker (tasks run in-process), demo data.
run: check-port $(STAMP) catalogs pdf-libs
	mkdir -p data
	AMANAT_ENV=development $(PY) manage.py migrate --no-input
	AMANAT_ENV=development $(PY) manage.py demo
	AMANAT_ENV=development $(PY) manage.py demo_recipients
	AMANAT_ENV=development $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Types (pyproject.toml [tool.mypy]): strict on crypto/ and the sign-in path. The
# Django plugin loads the settings, in test mode so that no secrets are needed.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	AMANAT_ENV=test $(VENV)/bin/mypy .

# SQLite by default; PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set.
test: $(STAMP) lint catalogs browser pdf-libs deploy-tools $(AXE)
	$(PY) -m pytest

# Screenshots of the main pages (desktop and phone width) for the README, from a
# throw-away demo site: docs/screenshots/*.png.
screenshots: $(STAMP) catalogs browser
	@fc-list :lang=zh | grep -q . || { echo "Installing Debian's CJK fonts for the Chinese names"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; }
	$(PY) -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) data .pytest_cache node_modules
