"""Tempos de espera do PostgreSQL por tipo de processo, e como reconhecer quando um deles estourou.

Funções puras (sem ler o ``settings`` do Django): ``sigcon/settings.py`` as chama para montar as ``options`` da
libpq, e ``sigcon/celery.py`` as usa antes de o Django carregar.

Por que por conexão (``-c lock_timeout=... -c statement_timeout=...`` na abertura) e não um ``SET`` a cada
requisição: o valor vale para a conexão inteira sem nenhuma consulta a mais, também com ``CONN_MAX_AGE``.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError

PROCESSOS = ("web", "worker", "comando")

# Códigos SQLSTATE de tempo esgotado: esperou demais por uma trava (lock_timeout) ou a consulta passou do
# limite (statement_timeout; o mesmo código vem de um cancelamento pedido ao servidor).
TRAVA_NAO_DISPONIVEL = "55P03"  # lock_not_available
CONSULTA_CANCELADA = "57014"  # query_canceled
CODIGOS_TEMPO_ESGOTADO = {TRAVA_NAO_DISPONIVEL, CONSULTA_CANCELADA}


def e_o_celery(argv: Sequence[str]) -> bool:
    """O programa em execução é o próprio Celery (``celery -A sigcon worker``, ``python -m celery ...``)?"""
    if not argv:
        return False
    programa = Path(argv[0])
    return programa.name == "celery" or (programa.name == "__main__.py" and programa.parent.name == "celery")


def processo_atual(env: Mapping[str, str], argv: Sequence[str]) -> str:
    """``SIGCON_PROCESSO`` se definido; senão ``web`` para o ``runserver`` e ``comando`` para o resto.

    O gunicorn (``sigcon/gunicorn.conf.py``) define ``web``; o worker do Celery, ``worker`` (``sigcon/celery.py``).
    """
    processo = env.get("SIGCON_PROCESSO", "").strip()
    if not processo:
        return "web" if "runserver" in argv else "comando"
    if processo not in PROCESSOS:
        raise ImproperlyConfigured(
            f"SIGCON_PROCESSO={processo!r} não existe: use {', '.join(PROCESSOS)}."
        )
    return processo


def _milissegundos(env: Mapping[str, str], nome: str, padrao: int) -> int:
    valor = env.get(nome, "").strip()
    if not valor:
        return padrao
    if not (valor.isascii() and valor.isdigit()):
        raise ImproperlyConfigured(
            f"{nome} deve ser um número inteiro de milissegundos (0 = sem limite), não {valor!r}."
        )
    return int(valor)


def opcoes_postgres(processo: str, env: Mapping[str, str], tempos: Mapping[str, tuple[int, int]]) -> str:
    """As ``options`` da libpq para *processo*: ``-c lock_timeout=<ms> -c statement_timeout=<ms>``.

    *tempos* é a tabela do settings (processo → (lock_timeout, statement_timeout), em ms); cada valor pode ser
    trocado por ``SIGCON_DB_LOCK_TIMEOUT_<PROCESSO>`` e ``SIGCON_DB_STATEMENT_TIMEOUT_<PROCESSO>``.
    """
    if processo not in tempos:
        raise ImproperlyConfigured(f"Sem tempos de banco para o processo {processo!r}: use {', '.join(tempos)}.")
    trava, consulta = tempos[processo]
    sufixo = processo.upper()
    trava = _milissegundos(env, f"SIGCON_DB_LOCK_TIMEOUT_{sufixo}", trava)
    consulta = _milissegundos(env, f"SIGCON_DB_STATEMENT_TIMEOUT_{sufixo}", consulta)
    return f"-c lock_timeout={trava} -c statement_timeout={consulta}"


def codigo_sql(exc: BaseException) -> str | None:
    """O SQLSTATE do erro do driver por trás de um erro do Django (psycopg 3: ``sqlstate``; psycopg2: ``pgcode``)."""
    causa = exc.__cause__
    return getattr(causa, "sqlstate", None) or getattr(causa, "pgcode", None)


def tempo_esgotado(exc: BaseException) -> str | None:
    """O código se *exc* é uma espera por trava ou uma consulta que passou do limite; senão None."""
    if isinstance(exc, OperationalError):
        codigo = codigo_sql(exc)
        if codigo in CODIGOS_TEMPO_ESGOTADO:
            return codigo
    return None


# O que dizer à pessoa em cada caso: (título, o que aconteceu).
EXPLICACOES_TEMPO_ESGOTADO = {
    TRAVA_NAO_DISPONIVEL: ("Registro em uso", "Outra pessoa está alterando este mesmo registro agora."),
    CONSULTA_CANCELADA: ("Operação demorada demais", "A operação demorou mais que o limite e foi interrompida."),
}
TENTE_DE_NOVO = "Tente de novo em alguns segundos."
