"""Sobe o servidor de produção de verdade (``make serve`` ou o gunicorn com ``sigcon/gunicorn.conf.py``) num
subprocesso, numa porta livre, com variáveis de produção, e o para no fim (grupo de processos inteiro)."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parent.parent


def porta_livre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_do_banco_de_testes(connection, tmp_path: Path) -> tuple[str, bool]:
    """A URL do banco que o servidor usa e se ele precisa de migrate (SQLite de testes fica na memória)."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", False
    return f"sqlite:///{tmp_path / 'producao.sqlite3'}", True


def ambiente_de_producao(**extra) -> dict:
    # O ambiente de produção, não o dos testes: sem DEBUG, sem o atalho do Playwright, sem o Redis dos testes
    # a não ser que o teste o peça.
    fora = {"DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "PORT",
            "SIGCON_LOG_FORMATO", "DJANGO_HTTPS"}
    ambiente = {k: v for k, v in os.environ.items() if k not in fora}
    ambiente.update({"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                     "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"})
    ambiente.update({k: str(v) for k, v in extra.items()})
    return ambiente


class Servidor:
    def __init__(self, comando: list[str], ambiente: dict, saida: Path):
        self.porta = int(ambiente["PORT"])
        self.base = f"http://127.0.0.1:{self.porta}"
        self.saida = saida
        self._arquivo = open(saida, "wb")
        self.processo = subprocess.Popen(comando, cwd=RAIZ, env=ambiente, stdout=self._arquivo,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def esperar(self, prazo: float = 120) -> "Servidor":
        limite = time.monotonic() + prazo
        while time.monotonic() < limite:
            if self.processo.poll() is not None:
                raise AssertionError(f"o servidor saiu com {self.processo.returncode}:\n{self.log()[-3000:]}")
            try:
                httpx.get(self.base + "/saude/", timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.3)
        self.parar()
        raise AssertionError(f"o servidor não respondeu em {prazo} s:\n{self.log()[-3000:]}")

    def get(self, caminho: str, **kwargs) -> httpx.Response:
        kwargs.setdefault("timeout", 10)
        return httpx.get(self.base + caminho, **kwargs)

    def log(self) -> str:
        self._arquivo.flush()
        return self.saida.read_text(errors="replace")

    def parar(self) -> None:
        if self.processo.poll() is None:
            os.killpg(self.processo.pid, signal.SIGTERM)
            try:
                self.processo.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.processo.pid, signal.SIGKILL)
                self.processo.wait()
        self._arquivo.close()


def make_serve(ambiente: dict, saida: Path) -> Servidor:
    """``make serve`` exatamente como o README manda (collectstatic + migrate + gunicorn)."""
    return Servidor(["make", "--no-print-directory", "serve"], ambiente, saida)


def gunicorn(ambiente: dict, saida: Path) -> Servidor:
    """Só o gunicorn, com a configuração do repositório (para bancos e brokers fora do ar, sem migrate)."""
    return Servidor([sys.executable, "-m", "gunicorn", "-c", "sigcon/gunicorn.conf.py"], ambiente, saida)
