"""Registros de execução simultâneos no PostgreSQL (threads e conexões reais): dois impedimentos parciais da mesma
indicação nunca devolvem o valor duas vezes, e um impedimento parcial ao mesmo tempo que um envio de indicação do
mesmo titular não deixa nenhum balde negativo (a trava dos incisos do titular e a da indicação põem tudo em fila)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from emendas import selectors
from emendas.models import CategoriaImpedimento, ExecucaoIndicacao, Inciso, RegistroExecucao
from emendas.services import enviar_indicacao, registrar_execucao
from sigcon import transacoes
from tests.concorrencia import em_paralelo, so_no_postgres

from .conftest import LIVRE, aprovada, em

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]
M = Decimal


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


@pytest.fixture
def cenario(inciso, parlamentar, analista_orgao, segov):
    # As categorias padrão vêm de uma migração de dados, que um teste anterior com transaction=True apaga.
    categoria = (CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
                 or CategoriaImpedimento.objects.create(nome="Falta de projeto de engenharia"))
    return {"inciso": inciso, "parl": parlamentar.usuario, "orgao": analista_orgao, "segov": segov, "cat": categoria}


def _registrar(c, ind, utilizado, usuario=None):
    return lambda: registrar_execucao(usuario=usuario or c["orgao"], indicacao=ind, utilizado=M(utilizado),
                                      empenhado=M("0"), liquidado=M("0"), pago=M("0"), categoria=c["cat"],
                                      justificativa="Sobrou")


def test_dois_impedimentos_parciais_simultaneos_devolvem_uma_vez(cenario):
    c = cenario
    transacoes.zerar_retentativas()
    for rodada in range(5):
        ind = aprovada(c, "1000.00")
        with em(LIVRE):
            antes = selectors.saldos_inciso(Inciso.objects.get(pk=c["inciso"].pk), LIVRE)
            # O mesmo utilizado duas vezes (o órgão e a SEGOV), e um terceiro com outro valor.
            resultados = em_paralelo([_registrar(c, ind, "600.00"), _registrar(c, ind, "600.00", c["segov"]),
                                      _registrar(c, ind, "700.00")])
            depois = selectors.saldos_inciso(Inciso.objects.get(pk=c["inciso"].pk), LIVRE)
        erros = [r for r in resultados if isinstance(r, Exception)]
        assert all(isinstance(r, ValidationError) for r in erros), erros
        ex = ExecucaoIndicacao.objects.get(indicacao=ind)
        # Quem chegou primeiro fixou o impedimento; os outros ou repetiram o mesmo utilizado ou foram recusados.
        assert ex.valor_impedido in (M("400.00"), M("300.00"))
        assert RegistroExecucao.objects.filter(execucao=ex).count() == len(resultados) - len(erros)
        assert depois.livre - antes.livre == ex.valor_impedido, rodada
        assert depois.indicado == antes.indicado - ex.valor_impedido
    assert transacoes.retentativas() == 0


def test_impedimento_parcial_e_envios_simultaneos_do_titular(cenario):
    c = cenario
    inciso = Inciso.objects.get(pk=c["inciso"].pk)
    transacoes.zerar_retentativas()
    inds = [aprovada(c, "100000.00") for _ in range(4)]
    with em(LIVRE):
        livre = selectors.saldos_inciso(inciso, LIVRE).livre

        def indicar():
            return enviar_indicacao(usuario=c["parl"], inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                                    valor=livre, objeto="Tudo o que resta")

        resultados = em_paralelo([_registrar(c, ind, "50000.00") for ind in inds] + [indicar, indicar])
        s = selectors.saldos_inciso(inciso, LIVRE)
    erros = [r for r in resultados if isinstance(r, Exception)]
    assert all(isinstance(r, ValidationError) for r in erros), erros
    assert all(not isinstance(r, Exception) for r in resultados[:4])
    assert all(v >= 0 for v in s.baldes().values()) and sum(s.baldes().values()) == s.valor_inciso
    assert transacoes.retentativas() == 0
