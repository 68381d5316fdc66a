"""A rajada do dia do prazo no nível das telas: cenário e motorista, usados pelo teste de concorrência
(``tests/emendas/test_rajada_concorrencia.py``) e pela medição (``bench/rajada_escrita.py``).

Cada parlamentar tem a sua sessão (``Client`` logado) e posta o formulário de verdade de remanejamento ou de
indicação; dois clientes postam no mesmo titular (duas sessões do mesmo parlamentar) e o responsável de um bloco
posta no bloco e nos próprios incisos; ao mesmo tempo duas pessoas da SEGOV aprovam em lote, uma os
remanejamentos pendentes e a outra as indicações (as duas filas). Cada requisição roda na sua thread e na sua
conexão; uma barreira larga todas juntas.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse

from contas import perfis
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import (
    Acao, Bloco, Emenda, Exercicio, GrupoDespesa, Inciso, Parlamentar, ProgramacaoElegivel, UnidadeOrcamentaria,
)
from emendas.services import aprovar_indicacao_orgao, enviar_indicacao, solicitar_remanejamento
from envios.unico import CAMPO, novo_token

# LOA em 10/01/2019: a janela livre termina em 25/02/2019 (D0+46), o último dia para remanejar livre.
D0 = date(2019, 1, 10)
DIA_DO_PRAZO = date(2019, 2, 25)
SENHA = "senha-da-rajada-123"
VALOR_INCISO = Decimal("1000000.00")


@dataclass
class Rajada:
    exercicio: Exercicio
    acao_destino: Acao
    grupo: GrupoDespesa
    convenente: Convenente
    # (usuário, inciso) de cada parlamentar que posta; o bloco e a segunda sessão entram aqui também.
    titulares: list = field(default_factory=list)
    segov: list = field(default_factory=list)
    remanejamentos_pendentes: list = field(default_factory=list)
    indicacoes_pendentes: list = field(default_factory=list)


def _usuario(email, perfil, nome):
    from django.contrib.auth import get_user_model

    usuario = get_user_model().objects.create_user(email=email, password=SENHA, nome=nome)
    usuario.groups.add(Group.objects.get_or_create(name=perfil)[0])
    return usuario


def montar(*, parlamentares: int = 20, incisos_por_titular: int = 3, pendentes: int = 50) -> Rajada:
    """O banco do dia do prazo: *parlamentares* titulares (mais um bloco), *pendentes* itens em cada fila da SEGOV.

    Chame fora da viagem no tempo ou dentro dela, tanto faz: os pendentes são pedidos no dia do prazo.
    """
    import time_machine

    from tests.conftest import meio_dia

    exercicio = Exercicio.objects.create(ano=2019, data_publicacao_loa=D0)
    uo = UnidadeOrcamentaria.objects.create(codigo="4291", nome="Fundo Estadual de Saúde")
    origem = Acao.objects.create(uo=uo, codigo="4470", nome="Atenção primária", area=Acao.Area.SAUDE)
    destino = Acao.objects.create(uo=uo, codigo="4471", nome="Atenção hospitalar", area=Acao.Area.SAUDE)
    inv = GrupoDespesa.objects.create(codigo="4", nome="Investimentos")
    odc = GrupoDespesa.objects.create(codigo="3", nome="Outras Despesas Correntes")
    for a in (origem, destino):
        for g in (inv, odc):
            ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=a, grupo_despesa=g)
    convenente = Convenente.objects.create(cnpj=gerar_cnpj(77), razao_social="APAE de Contagem", municipio="Contagem",
                                           tipo="OSC")
    analista = _usuario("analista@rajada.test", perfis.ORGAO, "Analista da Saúde")
    uo.analistas.add(analista)
    r = Rajada(exercicio=exercicio, acao_destino=destino, grupo=inv, convenente=convenente)
    r.segov = [_usuario(f"segov{k}@rajada.test", perfis.SEGOV, f"SEGOV {k}") for k in (1, 2)]

    numero = iter(range(1, 10_000))
    titulares = []
    for k in range(parlamentares):
        usuario = _usuario(f"parl{k}@rajada.test", perfis.PARLAMENTAR, f"Parlamentar {k}")
        parl = Parlamentar.objects.create(usuario=usuario, nome=f"Parlamentar {k}")
        titulares.append((usuario, Emenda.objects.create(exercicio=exercicio, numero=next(numero), parlamentar=parl)))
    # O bloco: o responsável (parlamentar 0) escreve nos incisos do bloco e nos próprios.
    bloco = Bloco.objects.create(nome="Bancada da Saúde", responsavel=titulares[0][0].parlamentar)
    titulares.append((titulares[0][0], Emenda.objects.create(exercicio=exercicio, numero=next(numero), bloco=bloco)))
    incisos = {}
    n_inciso = iter(range(1, 100_000))
    for usuario, emenda in titulares:
        incisos[emenda.pk] = [
            Inciso.objects.create(emenda=emenda, numero=f"S{next(n_inciso)}", acao=origem,
                                  grupo_despesa=odc if j % 2 else inv, valor_inicial=VALOR_INCISO)
            for j in range(incisos_por_titular)
        ]
    with time_machine.travel(meio_dia(DIA_DO_PRAZO), tick=False):
        for k in range(pendentes):
            usuario, emenda = titulares[k % len(titulares)]
            inciso = incisos[emenda.pk][k % incisos_por_titular]
            r.remanejamentos_pendentes.append(solicitar_remanejamento(
                usuario=usuario, inciso=inciso, acao=destino, grupo_despesa=inv, valor=Decimal("500.00")).pk)
            ind = enviar_indicacao(usuario=usuario, inciso=inciso, forma_execucao="CONVENIO", valor=Decimal("700.00"),
                                   beneficiario=convenente, objeto="Reforma da UBS")
            aprovar_indicacao_orgao(usuario=analista, indicacao=ind)
            r.indicacoes_pendentes.append(ind.pk)
    # Cada sessão que posta: um por titular, mais uma segunda sessão do parlamentar 1 no mesmo titular.
    r.titulares = [(u, incisos[e.pk]) for u, e in titulares]
    r.titulares.append(r.titulares[1])
    return r


@dataclass
class Resposta:
    tipo: str
    status: int | None
    segundos: float
    erro: Exception | None = None


def _cliente(usuario) -> Client:
    # raise_request_exception=False: um 500 volta como resposta (com o status), como para o navegador.
    cliente = Client(raise_request_exception=False)
    cliente.force_login(usuario)
    return cliente


def entrar(r: Rajada) -> dict:
    """Uma sessão (``Client`` logado) por pessoa que posta: a sessão de cada titular e as duas da SEGOV.

    A segunda sessão do parlamentar 1 é outro login do mesmo usuário (outra aba, outro computador do gabinete).
    """
    clientes = {k: _cliente(usuario) for k, (usuario, _) in enumerate(r.titulares)}
    clientes["segov_remanejamentos"], clientes["segov_indicacoes"] = (_cliente(u) for u in r.segov)
    return clientes


def pedidos(r: Rajada, clientes: dict, *, repeticao: int = 0) -> list:
    """Os POSTs da rajada: (tipo, cliente, url, dados). *repeticao* muda o inciso e o tipo de cada rodada.

    Cada POST leva um token de envio único novo, o que o formulário aberto na tela daria (``{% envio_unico %}``):
    chame ``pedidos`` de novo para postar de novo (os mesmos dados com o mesmo token só mostrariam o primeiro
    resultado)."""
    lista = []
    for k, (usuario, incisos) in enumerate(r.titulares):
        inciso = incisos[(k + repeticao) % len(incisos)]
        if (k + repeticao) % 2 == 0:
            lista.append(("remanejamento", clientes[k], reverse("emendas:novo_remanejamento", args=[inciso.pk]), {
                "acao": r.acao_destino.pk, "grupo_despesa": r.grupo.pk, "valor": "1.000,00",
                "detalhamento": "Reforço do hospital regional", "confirmar": "1", CAMPO: novo_token(usuario),
            }))
        else:
            lista.append(("indicacao", clientes[k], reverse("emendas:nova_indicacao", args=[inciso.pk]), {
                "forma_execucao": "CONVENIO", "objeto": "Reforma da UBS",
                "cnpj_1": r.convenente.cnpj_formatado, "valor_1": "1.000,00",
                "cnpj_2": r.convenente.cnpj_formatado, "valor_2": "250,00", "acao": "confirmar",
                CAMPO: novo_token(usuario),
            }))
    if r.remanejamentos_pendentes:
        lista.append(("lote_remanejamentos", clientes["segov_remanejamentos"], reverse("emendas:analise_remanejamentos"),
                      {"selecionados": r.remanejamentos_pendentes, "acao_lote": "aprovar", "confirmado": "1",
                       CAMPO: novo_token(r.segov[0])}))
    if r.indicacoes_pendentes:
        lista.append(("lote_indicacoes", clientes["segov_indicacoes"], reverse("emendas:analise_segov"),
                      {"selecionados": r.indicacoes_pendentes, "acao_lote": "aprovar_segov", "confirmado": "1",
                       CAMPO: novo_token(r.segov[1])}))
    return lista


def disparar(lista, *, espera: int = 300) -> list[Resposta]:
    """Todos os POSTs de *lista* ao mesmo tempo, cada um na sua thread e conexão."""
    barreira = threading.Barrier(len(lista))
    respostas: list = [None] * len(lista)

    def rodar(k, tipo, cliente, url, dados):
        inicio = None
        try:
            barreira.wait()
            inicio = time.perf_counter()
            resposta = cliente.post(url, dados)
            info = getattr(resposta, "exc_info", None)
            respostas[k] = Resposta(tipo, resposta.status_code, time.perf_counter() - inicio, info[1] if info else None)
        except Exception as exc:  # conferido por quem chamou
            respostas[k] = Resposta(tipo, None, time.perf_counter() - (inicio or time.perf_counter()), exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rodar, args=(k, *p)) for k, p in enumerate(lista)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=espera)
    return respostas
