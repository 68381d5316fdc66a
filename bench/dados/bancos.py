"""Os bancos do bench: o de trabalho (recriado a cada rodada) e o modelo (gerado uma vez, reaproveitado).

Comandos de administração (CREATE/DROP DATABASE, COMMENT) vão por uma conexão própria ao banco ``postgres``
do mesmo servidor, em autocommit; o Django só conversa com o banco para onde ``apontar`` o mandou.
"""

import os
import time
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from django.db import connection

# Suba quando o gerador mudar: o modelo com outra versão é gerado de novo (vai na impressão digital).
VERSAO_DADOS = 4

URL_PADRAO = "postgres://postgres@127.0.0.1:5432/sigcon_bench"
NOME_PADRAO = "sigcon_bench"


def url_do_banco() -> str:
    """URL do banco de trabalho: ``BENCH_DATABASE_URL``, ou o banco ``sigcon_bench`` no servidor de
    ``DATABASE_URL``, ou o PostgreSQL local."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return com_nome(os.environ["DATABASE_URL"], NOME_PADRAO)
    return URL_PADRAO


def com_nome(url: str, nome: str) -> str:
    """A mesma URL (servidor, usuário, opções) com outro nome de banco."""
    partes = urlsplit(url)
    return urlunsplit((partes.scheme, partes.netloc, f"/{nome}", partes.query, partes.fragment))


def nome_do_banco(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin(url: str):
    partes = urlsplit(url)
    return psycopg.connect(
        host=partes.hostname or "127.0.0.1", port=partes.port or 5432, user=partes.username or "postgres",
        password=partes.password or None, dbname="postgres", autocommit=True,
    )


def _ident(nome: str) -> sql.Identifier:
    return sql.Identifier(nome)


@contextmanager
def travado(url: str, nome: str):
    """Um preparo por vez para o mesmo banco (trava consultiva no servidor, solta quando a conexão fecha):
    dois processos do bench chamando ``preparar`` juntos não apagam o banco um do outro no meio da cópia."""
    with _admin(url) as c:
        c.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"sigcon-bench:{nome}"])
        yield


def impressao_digital(url: str, nome: str) -> str | None:
    """O comentário do banco (onde o modelo guarda a sua impressão digital), ou None."""
    with _admin(url) as c:
        linha = c.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [nome]
        ).fetchone()
    return linha[0] if linha else None


def gravar_impressao_digital(url: str, nome: str, texto: str) -> None:
    with _admin(url) as c:
        c.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(_ident(nome), sql.Literal(texto)))


def _encerrar_conexoes(c, nome: str) -> None:
    c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
              [nome])


def apagar(url: str, nome: str) -> None:
    with _admin(url) as c:
        _encerrar_conexoes(c, nome)
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(_ident(nome)))


def criar(url: str, nome: str, *, modelo: str | None = None) -> None:
    """Cria o banco (vazio, ou cópia de *modelo*). O modelo não pode ter conexões abertas durante a cópia:
    as de outros processos (um EXPLAIN esquecido) são encerradas, e a cópia é tentada de novo."""
    with _admin(url) as c:
        if modelo is None:
            c.execute(sql.SQL("CREATE DATABASE {}").format(_ident(nome)))
            return
        for tentativa in range(5):
            _encerrar_conexoes(c, modelo)
            try:
                c.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(_ident(nome), _ident(modelo)))
                return
            except psycopg.errors.ObjectInUse:
                if tentativa == 4:
                    raise
                time.sleep(0.5)


def tamanho(url: str, nome: str) -> int:
    with _admin(url) as c:
        return c.execute("SELECT pg_database_size(%s)", [nome]).fetchone()[0]


def apontar(nome: str, url: str | None = None) -> None:
    """Passa a conexão padrão do Django para o banco *nome* (no servidor de *url*, se dada), como o test runner
    faz com o banco de testes."""
    connection.close()
    connection.settings_dict["NAME"] = nome
    if url:
        partes = urlsplit(url)
        connection.settings_dict.update(HOST=partes.hostname or "", PORT=str(partes.port or ""),
                                        USER=partes.username or "", PASSWORD=partes.password or "")
