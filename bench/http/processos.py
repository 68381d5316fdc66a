"""O servidor de produção (gunicorn com ``sigcon/gunicorn.conf.py``) e um worker Celery de verdade, para o bench.

O ambiente é o de produção (``tests/servidor.py``: sem DEBUG, chave e hosts de verdade) com as rotas do bench
(``DJANGO_SETTINGS_MODULE=bench.settings``); os workers e threads são os padrões da configuração. O pico de
memória (VmHWM) é lido de ``/proc`` dos processos do gunicorn e do Celery, numa thread que os acompanha
durante toda a medição (um worker reciclado por ``max_requests`` leva o seu pico junto: guardamos o maior visto).
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests import servidor

RAIZ = servidor.RAIZ
RESULTADOS = RAIZ / "bench" / "resultados"


def ambiente(banco: str, broker: str, porta: int) -> dict:
    amb = servidor.ambiente_de_producao(
        DATABASE_URL=banco, CELERY_BROKER_URL=broker, PORT=porta, DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_STATIC_ROOT=RESULTADOS / "estaticos", SIGCON_CACHE_PREFIXO=f"bench-{porta}",
    )
    # Os workers e threads da configuração de produção, não os do teste de fumaça; cada processo diz o seu tipo
    # (o gunicorn.conf.py, "web"; o sigcon/celery.py, "worker"), não o "comando" do driver.
    for nome in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "SIGCON_PROCESSO"):
        amb.pop(nome, None)
    for nome, valor in os.environ.items():
        if nome.startswith("GUNICORN_"):
            amb[nome] = valor
    return amb


def coletar_estaticos(amb: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=RAIZ,
                   env=amb, check=True)


class Celery(servidor.Servidor):
    """O worker (``celery -A sigcon worker``), com o mesmo ambiente do servidor."""

    def __init__(self, amb: dict, saida: Path):
        comando = [sys.executable, "-m", "celery", "-A", "sigcon", "worker", "-l", "warning",
                   "--without-gossip", "--without-mingle"]
        self.porta, self.base, self.saida = 0, "", saida
        self._arquivo = open(saida, "wb")
        self.processo = subprocess.Popen(comando, cwd=RAIZ, env=amb, stdout=self._arquivo,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def esperar(self, prazo: float = 60) -> "Celery":
        limite = time.monotonic() + prazo
        while time.monotonic() < limite:
            if self.processo.poll() is not None:
                raise RuntimeError(f"o worker Celery saiu:\n{self.log()[-3000:]}")
            if len(descendentes(self.processo.pid)) >= 2:  # o principal e ao menos um filho do prefork
                return self
            time.sleep(0.3)
        return self


def descendentes(pid: int) -> list[int]:
    """O processo e todos os seus descendentes (lidos de /proc/<pid>/task/*/children)."""
    vistos, fila = [], [pid]
    while fila:
        atual = fila.pop()
        vistos.append(atual)
        try:
            for tarefa in os.listdir(f"/proc/{atual}/task"):
                filhos = Path(f"/proc/{atual}/task/{tarefa}/children").read_text().split()
                fila.extend(int(f) for f in filhos)
        except OSError:
            continue
    return vistos


def vm_hwm_mb(pid: int) -> float | None:
    try:
        for linha in Path(f"/proc/{pid}/status").read_text().splitlines():
            if linha.startswith("VmHWM:"):
                return int(linha.split()[1]) / 1024
    except OSError:
        return None
    return None


class Memoria(threading.Thread):
    """Pico de RSS (VmHWM) por processo, amostrado a cada meio segundo enquanto o bench roda."""

    def __init__(self, raizes: dict[str, int]):
        super().__init__(daemon=True)
        self.raizes, self.picos, self._parar = raizes, {}, threading.Event()

    def run(self):
        while not self._parar.wait(0.5):
            self.amostrar()

    def amostrar(self):
        for nome, raiz in self.raizes.items():
            for pid in descendentes(raiz):
                mb = vm_hwm_mb(pid)
                if mb is not None:
                    chave = (nome, "mestre" if pid == raiz else "filho", pid)
                    self.picos[chave] = max(mb, self.picos.get(chave, 0))

    def parar(self) -> dict[str, float]:
        self._parar.set()
        self.amostrar()
        resumo = {}
        for (nome, papel, _pid), mb in self.picos.items():
            chave = f"{nome}_{papel}"
            resumo[chave] = max(mb, resumo.get(chave, 0))
        return resumo


def acessos(log: str) -> list[dict]:
    """As linhas do log de acesso do gunicorn (JSON), cada uma com ``segundos`` (de ``duracao_ms`` ou ``_us``)."""
    linhas = []
    for texto in log.splitlines():
        if '"duracao_' not in texto:
            continue
        try:
            acesso = json.loads(texto[texto.index("{"):])
        except ValueError:
            continue
        if "duracao_ms" in acesso:
            acesso["segundos"] = float(acesso["duracao_ms"]) / 1e3
        elif "duracao_us" in acesso:
            acesso["segundos"] = float(acesso["duracao_us"]) / 1e6
        else:
            continue
        linhas.append(acesso)
    return linhas


def trecho_de_erros(log: str, contexto: int = 40) -> str:
    """As linhas do log do servidor em volta de cada 500 (ou traceback), para imprimir."""
    linhas = log.splitlines()
    marcas = [k for k, t in enumerate(linhas) if '"status": 5' in t or "Traceback" in t or '"nivel": "ERROR"' in t]
    if not marcas:
        return ""
    pedacos, ultimo = [], -1
    for k in marcas[:10]:
        inicio = max(k - contexto, ultimo + 1)
        pedacos.append("\n".join(linhas[inicio:k + 5]))
        ultimo = k + 4
    return "\n...\n".join(pedacos)
