# PAR Index — the two commands of the quick start:
#   make run    set up everything, load the demo data and serve http://127.0.0.1:8000
#   make test   run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv sysdeps sysdeps-test env migrate demo lint worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

venv: $(VENV)/.installed

sysdeps:
	@bash scripts/ensure-system-deps.sh run

sysdeps-test:
	@bash scripts/ensure-system-deps.sh test

# A local .env with a random secret key, so that DEBUG can stay off.
.env:
	@printf 'DJANGO_SECRET_KEY=%s\nDJANGO_ALLOWED_HOSTS=127.0.0.1,localhost\n' \
	  "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Created .env with a new DJANGO_SECRET_KEY"

env: .env

migrate: venv env
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: sysdeps demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Tests run in as many processes as the machine has cores (pytest-xdist; a file's tests stay in one
# process, so its module fixtures are made once). TEST_WORKERS=0 runs them in this process: the
# services run needs that, its Celery worker reads the one test database pytest creates.
TEST_WORKERS ?= auto
test: sysdeps-test venv
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .

worker: venv
	$(BIN)/celery -A parindex worker -Q celery,reports --loglevel=INFO

beat: venv
	$(BIN)/celery -A parindex beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
