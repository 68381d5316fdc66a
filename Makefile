# SIGCON Saída — comandos do dia a dia. Funcionam num clone novo.
#
# Sem variável nenhuma o sistema é seguro: DEBUG desligado, e então o servidor e o worker exigem DJANGO_SECRET_KEY e
# DJANGO_ALLOWED_HOSTS. Os alvos de desenvolvimento (run, demo, migrate, test, worker, beat) ligam
# DJANGO_DEBUG=1 por conta própria (o bench não: mede o servidor de produção); `make serve` (produção) usa o ambiente como ele vier.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp
PORT ?= 8000
# Os links dos e-mails da demonstração apontam para a porta servida (make run PORT=8010 → :8010).
SIGCON_URL_BASE ?= http://127.0.0.1:$(PORT)
DEV := DJANGO_DEBUG=1

.PHONY: install run serve test test-rapido bench worker beat migrate demo

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) SIGCON_URL_BASE=$(SIGCON_URL_BASE) $(PY) manage.py carregar_demo

# make run PORT=8010 para outra porta.
run: demo
	@echo "Servindo em http://127.0.0.1:$(PORT) (Ctrl+C para sair)"
	$(DEV) SIGCON_URL_BASE=$(SIGCON_URL_BASE) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Produção (ou uma execução local parecida com ela): estáticos, migrações e gunicorn na porta $(PORT).
serve: install
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	PORT=$(PORT) $(VENV)/bin/gunicorn -c sigcon/gunicorn.conf.py

test: install
	$(DEV) $(PY) -m pytest $(PYTEST_ARGS)

# Sem os testes de navegador e de PDF (os mais lentos), para o dia a dia; o CI roda tudo (make test).
test-rapido: install
	$(DEV) $(PY) -m pytest -m "not browser and not pdf" $(PYTEST_ARGS)

# Por HTTP contra o servidor de produção (gunicorn + worker Celery, sem DEBUG), cada página ao lado do seu piso.
# Precisa de PostgreSQL e Redis locais; variáveis em bench/http/principal.py. Nunca roda no make test.
bench: install
	$(PY) -m bench.http

worker: install
	$(DEV) $(VENV)/bin/celery -A sigcon worker -l info

beat: install
	$(DEV) $(VENV)/bin/celery -A sigcon beat -l info
