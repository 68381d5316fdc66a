# SIGCON Saída — comandos do dia a dia. Funcionam num clone novo.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp

.PHONY: install run test bench worker beat migrate demo

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py carregar_demo

run: demo
	@echo "Servindo em http://127.0.0.1:8000 (Ctrl+C para sair)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/home.py && $(PY) bench/relatorios.py

worker: install
	$(VENV)/bin/celery -A sigcon worker -l info

beat: install
	$(VENV)/bin/celery -A sigcon beat -l info
