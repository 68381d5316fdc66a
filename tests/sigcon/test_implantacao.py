"""Imagem e compose de produção, lidos como dados (não há Docker nestas máquinas para subi-los).

Confere o que importa: quem roda o quê (gunicorn, nunca runserver), DEBUG nunca ligado, health checks em
``/saude/``, volumes nomeados, segredos de um arquivo de ambiente, sem apt a cada partida, a imagem com
usuário sem privilégios e a mesma lista de pacotes do CI.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

RAIZ = Path(__file__).resolve().parents[2]


def _compose(nome="docker-compose.yml"):
    return yaml.safe_load((RAIZ / nome).read_text())


def _comando(servico) -> str:
    comando = servico.get("command", "")
    return " ".join(comando) if isinstance(comando, list) else comando


def _ambiente(servico) -> dict:
    ambiente = servico.get("environment") or {}
    if isinstance(ambiente, list):
        ambiente = dict(item.split("=", 1) for item in ambiente)
    return ambiente


@pytest.fixture(scope="module")
def producao():
    return _compose()


def test_servicos_de_producao(producao):
    servicos = producao["services"]
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(servicos)
    assert re.fullmatch(r"gunicorn -c sigcon/gunicorn\.conf\.py", _comando(servicos["web"]))
    assert _comando(servicos["worker"]).startswith("celery -A sigcon worker")
    assert _comando(servicos["beat"]).startswith("celery -A sigcon beat")
    assert _comando(servicos["migrate"]) == "python manage.py migrate --noinput"
    assert "demo" not in servicos and not any("carregar_demo" in _comando(s) for s in servicos.values())
    # Web, worker e beat só sobem depois das migrações terminarem bem; a imagem é a deste repositório.
    for nome in ("web", "worker", "beat"):
        assert servicos[nome]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert servicos[nome]["build"] == "." and servicos[nome]["restart"] == "unless-stopped"


@pytest.mark.parametrize("arquivo", ["docker-compose.yml", "docker-compose.demo.yml"])
def test_nenhum_servico_usa_runserver_nem_liga_debug_nem_instala_pacotes(arquivo):
    for nome, servico in _compose(arquivo)["services"].items():
        comando = _comando(servico)
        assert "runserver" not in comando and "apt-get" not in comando and "pip install" not in comando, nome
        ambiente = _ambiente(servico)
        assert "DJANGO_DEBUG" not in ambiente, nome
        assert "*" not in str(ambiente.get("DJANGO_ALLOWED_HOSTS", "")), nome


def test_health_checks_usam_a_saude(producao):
    servicos = producao["services"]
    web = servicos["web"]["healthcheck"]
    assert web["test"] == ["CMD", "python", "-m", "sigcon.verificar_saude"]
    assert "/saude/" in (RAIZ / "sigcon" / "verificar_saude.py").read_text()
    for nome in ("db", "redis", "worker"):
        assert servicos[nome]["healthcheck"]["test"], nome
    assert servicos["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_segredos_vem_do_arquivo_de_ambiente_e_os_dados_de_volumes_nomeados(producao):
    servicos = producao["services"]
    for nome, servico in servicos.items():
        ambiente = _ambiente(servico)
        assert "DJANGO_SECRET_KEY" not in ambiente, nome
        # Senhas só por interpolação do arquivo de ambiente (${POSTGRES_PASSWORD...}), nunca escritas aqui.
        for chave, valor in ambiente.items():
            if "PASSWORD" in chave or "postgres://" in str(valor):
                assert "${POSTGRES_PASSWORD" in str(valor), (nome, chave)
    for nome in ("web", "worker", "beat", "migrate"):
        assert servicos[nome]["env_file"] == ["sigcon.env"], nome
    assert set(producao["volumes"]) == {"pgdata", "redisdata", "media"}
    assert "pgdata:/var/lib/postgresql/data" in servicos["db"]["volumes"]
    assert "media:/app/media" in servicos["web"]["volumes"]
    exemplo = (RAIZ / "deploy" / "producao.env.exemplo").read_text()
    for variavel in ("DJANGO_SECRET_KEY=", "DJANGO_ALLOWED_HOSTS=", "POSTGRES_PASSWORD="):
        assert re.search(rf"^{variavel}", exemplo, re.M), variavel
    assert re.search(r"^DJANGO_SECRET_KEY=$", exemplo, re.M)  # o exemplo não traz chave nenhuma


def test_demonstracao_carrega_os_dados_por_cima_da_producao():
    demo = _compose("docker-compose.demo.yml")["services"]
    assert _comando(demo["demo"]) == "python manage.py carregar_demo"
    assert demo["demo"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert _ambiente(demo["web"])["DJANGO_HTTPS"] == "0"


def test_dockerfile_slim_sem_root_com_estaticos_e_a_lista_de_pacotes_do_ci():
    texto = (RAIZ / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", texto, re.M)
    assert re.search(r"^USER (?!root)\w+", texto, re.M)
    assert "manage.py collectstatic" in texto
    assert "deploy/pacotes-apt.sh" in texto and "pacotes-apt.sh execucao" in texto
    assert "pip install -r requirements.txt" in texto and "requirements-dev" not in texto
    assert re.search(r'^CMD \["gunicorn", "-c", "sigcon/gunicorn\.conf\.py"\]', texto, re.M)
    assert "HEALTHCHECK" in texto and "sigcon.verificar_saude" in texto
    assert "bash deploy/pacotes-apt.sh ci" in (RAIZ / ".ci" / "run").read_text()


def test_lista_de_pacotes_da_execucao_esta_dentro_da_do_ci():
    def pacotes(modo):
        saida = subprocess.run(["bash", "-c", f"source <(sed -n '/^PACOTES_/p' deploy/pacotes-apt.sh); "
                                f"echo ${{PACOTES_{modo}[@]}}"], cwd=RAIZ, capture_output=True, text=True)
        return set(saida.stdout.split())
    execucao = pacotes("EXECUCAO")
    assert {"libpango-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"} <= execucao
    assert {"postgresql", "redis-server", "chromium"} <= pacotes("CI")


def test_verificar_saude_sai_com_erro_sem_servidor():
    from tests.servidor import porta_livre

    ambiente = {**os.environ, "PORT": str(porta_livre()), "DJANGO_ALLOWED_HOSTS": "sigcon.mg.gov.br"}
    resultado = subprocess.run([sys.executable, "-m", "sigcon.verificar_saude"], cwd=RAIZ, env=ambiente,
                               capture_output=True, text=True, timeout=30)
    assert resultado.returncode == 1 and "sem resposta de /saude/" in resultado.stderr


def test_gunicorn_gthread_com_tempos_e_log_mascarado():
    from gunicorn.config import Config

    config = Config()
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    codigo = (RAIZ / "sigcon" / "gunicorn.conf.py").read_text()
    valores: dict = {}
    antigo = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update({**ambiente, "PORT": "8123"})
        exec(compile(codigo, "gunicorn.conf.py", "exec"), valores)
    finally:
        os.environ.clear()
        os.environ.update(antigo)
    for nome in ("worker_class", "workers", "threads", "timeout", "graceful_timeout", "keepalive", "bind"):
        config.set(nome, valores[nome])
    assert config.worker_class_str == "gthread" and config.threads >= 2
    assert config.workers == (os.cpu_count() or 1) + 1
    assert config.timeout == 60 and config.graceful_timeout == 30
    assert config.bind == ["0.0.0.0:8123"]
    assert valores["logconfig_dict"]["handlers"]["stdout"]["filters"] == ["mascarar_tokens"]
    assert valores["accesslog"] == "-"
