import os
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from contas import perfis
from emendas.models import (
    Acao, Bloco, Emenda, Exercicio, GrupoDespesa, Inciso, Parlamentar, ProgramacaoElegivel, UnidadeOrcamentaria,
)
from envios.unico import CAMPO, novo_token

SENHA = "senha-de-teste-123"

# Perfil "ci" (HYPOTHESIS_PROFILE=ci, usado por .ci/run): exemplos derivados do teste, não do relógio, e sem
# prazo por exemplo (as sequências de serviços reais no PostgreSQL variam de tempo com a máquina).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60, print_blob=True)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_report_header(config):
    from django.conf import settings

    motor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"SIGCON: banco de testes = {motor}"


@pytest.fixture(scope="session", autouse=True)
def _exige_postgres_no_ci(django_db_setup, django_db_blocker):
    # No CI os testes de concorrência precisam do PostgreSQL de verdade: falhar cedo se não for ele.
    if os.environ.get("SIGCON_EXIGIR_POSTGRES"):
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", "CI deve rodar com DATABASE_URL apontando para o PostgreSQL"


@pytest.fixture(scope="session", autouse=True)
def fila_celery_da_sessao():
    """Com broker (CELERY_BROKER_URL) as tarefas publicadas pelos testes vão de verdade para o Redis.

    Vão para uma fila só desta execução, apagada no fim: nada se acumula no Redis e nenhum worker de
    outra execução (ou de desenvolvimento, na fila padrão "celery") consome o que os testes publicam.
    Sem broker as tarefas rodam na hora e não há fila.
    """
    import uuid

    from sigcon.celery import app

    if app.conf.task_always_eager:
        yield None
        return
    antiga = app.conf.task_default_queue
    fila = f"sigcon-testes-{uuid.uuid4().hex[:12]}"
    app.conf.task_default_queue = fila
    yield fila
    app.conf.task_default_queue = antiga
    apagar_fila_celery(fila)


def apagar_fila_celery(nome: str) -> None:
    """Apaga do broker uma fila dos testes, com as mensagens e as ligações (nada fica no Redis)."""
    from sigcon.celery import app

    with app.connection_for_write() as conexao:
        # Declarar antes: o canal só apaga a lista e as ligações da fila que ele conhece.
        fila = app.amqp.queues[nome].bind(conexao.default_channel)
        fila.declare()
        fila.delete()


@pytest.fixture
def celery_na_hora():
    """Roda as tarefas no processo do teste, na hora, mesmo com broker configurado (e com o erro subindo).

    Por quê: num teste comum (django_db sem transaction=True) tudo acontece numa transação que nunca é
    confirmada, invisível a um worker, que noutro processo e noutra conexão não acharia a linha. O teste
    que confere o efeito de uma tarefa (e-mail enviado, PDF gerado) pede este fixture e declara assim que
    não passa pelo broker. O caminho pelo broker é conferido em tests/notificacoes/test_fila_redis.py
    (publicação) e tests/notificacoes/test_worker_real.py (worker de verdade).
    """
    from sigcon.celery import app

    antigo = {k: app.conf[k] for k in ("task_always_eager", "task_eager_propagates")}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    app.conf.update(antigo)


@pytest.fixture
def broker_fora_do_ar():
    """Broker que recusa a conexão (porta 1), sem novas tentativas: a publicação falha de verdade, na hora.

    A publicação usa ``broker_write_url``; com a variável CELERY_BROKER_URL definida, o Celery a prefere a
    ``broker_url`` da configuração, então só trocar ``broker_url`` publicaria no Redis de verdade.
    """
    from sigcon.celery import app

    chaves = ("task_always_eager", "broker_url", "broker_write_url", "task_publish_retry", "broker_connection_timeout")
    antigo = {k: app.conf.get(k) for k in chaves}
    fora = "redis://127.0.0.1:1/0"
    app.conf.update(task_always_eager=False, broker_url=fora, broker_write_url=fora, task_publish_retry=False,
                    broker_connection_timeout=1)
    reiniciar_pools_celery()
    try:
        assert app.connection_for_write().port == 1
        yield
    finally:
        app.conf.update(antigo)
        reiniciar_pools_celery()


@pytest.fixture(autouse=True)
def _hash_de_senha_rapido(settings):
    # PBKDF2 custa ~0,3 s por usuário; nos testes a força do hash não importa.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cache_so_deste_teste(settings):
    # Com REDIS_URL o cache é um Redis que sobrevive ao teste (e que outras execuções usam): um prefixo
    # por teste isola os contadores (ex.: pedidos de senha) sem apagar nada de ninguém. O cache no
    # banco já é desfeito junto com a transação do teste.
    import copy
    import uuid

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"teste-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(scope="session")
def _pasta_do_armazenamento(tmp_path_factory):
    return tmp_path_factory.mktemp("armazenamento")


@pytest.fixture(autouse=True)
def _armazenamento_numa_pasta_temporaria(settings, _pasta_do_armazenamento):
    # Sem MEDIA_ROOT o armazenamento padrão grava no diretório corrente (o checkout): as prévias de importação
    # que os testes enviam vão para uma pasta temporária. Quem confere arquivos usa a própria (fixture
    # ``armazenamento`` em tests/emendas/test_arquivos_importacao.py).
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(_pasta_do_armazenamento)},
    }}


def criar_usuario(email, perfil=None, nome=""):
    from django.contrib.auth import get_user_model

    usuario = get_user_model().objects.create_user(email=email, password=SENHA, nome=nome or email.split("@")[0])
    if perfil:
        usuario.groups.add(Group.objects.get_or_create(name=perfil)[0])
    return usuario


@pytest.fixture
def usuario_parlamentar(db):
    return criar_usuario("ana@almg.test", perfis.PARLAMENTAR, "Ana Lacerda")


@pytest.fixture
def parlamentar(usuario_parlamentar):
    return Parlamentar.objects.create(usuario=usuario_parlamentar, nome="Ana Lacerda")


@pytest.fixture
def outro_parlamentar(db):
    usuario = criar_usuario("bruno@almg.test", perfis.PARLAMENTAR, "Bruno Tavares")
    return Parlamentar.objects.create(usuario=usuario, nome="Bruno Tavares")


@pytest.fixture
def segov(db):
    return criar_usuario("segov@segov.test", perfis.SEGOV, "Sílvia SEGOV")


@pytest.fixture
def analista_orgao(db, uo_saude):
    usuario = criar_usuario("analista@saude.test", perfis.ORGAO, "Otávio Órgão")
    uo_saude.analistas.add(usuario)
    return usuario


@pytest.fixture
def convenente(db):
    return criar_usuario("prefeitura@conv.test", perfis.CONVENENTE, "Prefeitura Teste")


# Calendário do DOMAIN.md §5.3: LOA publicada em 10/01/2019.
D0 = date(2019, 1, 10)


@pytest.fixture
def exercicio(db):
    return Exercicio.objects.create(ano=2019, data_publicacao_loa=D0)


@pytest.fixture
def grupo_inv(db):
    return GrupoDespesa.objects.create(codigo="4", nome="Investimentos")


@pytest.fixture
def grupo_odc(db):
    return GrupoDespesa.objects.create(codigo="3", nome="Outras Despesas Correntes")


@pytest.fixture
def uo_saude(db):
    return UnidadeOrcamentaria.objects.create(codigo="4291", nome="Fundo Estadual de Saúde")


@pytest.fixture
def acao_saude(uo_saude):
    return Acao.objects.create(uo=uo_saude, codigo="4470", nome="Atenção primária", area=Acao.Area.SAUDE)


@pytest.fixture
def acao_saude_2(uo_saude):
    return Acao.objects.create(uo=uo_saude, codigo="4471", nome="Atenção hospitalar", area=Acao.Area.SAUDE)


@pytest.fixture
def programacoes(exercicio, acao_saude, acao_saude_2, grupo_inv, grupo_odc):
    return [
        ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=a, grupo_despesa=g)
        for a in (acao_saude, acao_saude_2)
        for g in (grupo_inv, grupo_odc)
    ]


class Fabrica:
    """Cria emendas e incisos com números sequenciais."""

    def __init__(self, exercicio, acao, grupo):
        self.exercicio, self.acao, self.grupo = exercicio, acao, grupo
        self.n = 0

    def inciso(self, titular, valor="1000000.00", *, tipo="S", acao=None, grupo=None, **extra) -> Inciso:
        self.n += 1
        chave = {"bloco": titular} if isinstance(titular, Bloco) else {"parlamentar": titular}
        # As emendas de bloco depois das dos parlamentares (a ordem "por emenda" dos relatórios): no PostgreSQL as
        # sequências dos ids não voltam ao início depois dos testes que esvaziam o banco (transaction=True), e com
        # 9000 + pk do bloco um parlamentar de id acima de 890 passava à frente.
        numero = 100 + titular.pk * 10 if not isinstance(titular, Bloco) else 10_000_000 + titular.pk
        emenda, _ = Emenda.objects.get_or_create(exercicio=self.exercicio, numero=numero, defaults=chave)
        return Inciso.objects.create(
            emenda=emenda,
            numero=f"{tipo}{self.n + 500}",
            acao=acao or self.acao,
            grupo_despesa=grupo or self.grupo,
            valor_inicial=Decimal(valor),
            **extra,
        )


@pytest.fixture
def fabrica(exercicio, acao_saude, grupo_inv):
    return Fabrica(exercicio, acao_saude, grupo_inv)


@pytest.fixture
def inciso(fabrica, parlamentar):
    return fabrica.inciso(parlamentar, "1000000.00")


def meio_dia(d: date):
    """Meio-dia em Brasília do dia *d* (para time_machine: meia-noite UTC ainda é o dia anterior aqui)."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    return datetime.combine(d, time(12), tzinfo=ZoneInfo("America/Sao_Paulo"))


@pytest.fixture
def na_janela_livre():
    """Meio-dia de 01/02/2019: a janela livre do exercício de 2019 das fixtures (LOA em 10/01/2019)."""
    import time_machine

    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        yield


def reiniciar_pools_celery():
    """Descarta conexões do broker abertas por um teste que trocou o broker_url (os próximos abrem novas)."""
    from kombu import pools

    from sigcon.celery import app

    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def logado(usuario):
    """Cliente de teste já autenticado como *usuario* (``enviar`` posta com o token do envio único)."""
    return ClienteLogado(usuario)


def com_token(usuario, dados=None) -> dict:
    """*dados* de um formulário que cria ou decide algo, com o token de envio único que ``{% envio_unico %}`` daria a
    *usuario* ao mostrar o formulário (a mesma função pública, ``envios.unico.novo_token``): um token novo por envio,
    como quem abre a página e envia. Reenviar o mesmo token é outro teste (tests/envios/test_unico.py)."""
    return {**(dados or {}), CAMPO: novo_token(usuario)}


def token_da_pagina(resposta) -> str:
    """O token do envio único do último formulário da página (o que o navegador enviaria)."""
    achados = re.findall(r'name="envio_unico" value="([^"]+)"', resposta.content.decode())
    assert achados, "a página não tem o campo do envio único"
    return achados[-1]


class ClienteLogado(Client):
    """``Client`` com login forçado. ``post`` é o POST cru (sem token: o que um formulário incompleto mandaria);
    ``enviar`` é o envio de um formulário aberto agora, com o token de uso único."""

    def __init__(self, usuario, **kwargs):
        super().__init__(**kwargs)
        self.usuario = usuario
        self.force_login(usuario)

    def enviar(self, caminho, dados=None, **kwargs):
        return self.post(caminho, com_token(self.usuario, dados), **kwargs)
