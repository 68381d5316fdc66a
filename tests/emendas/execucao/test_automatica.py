"""A execução automática do convênio: o uso da proposta e as liberações autorizadas, recalculados pelos passos de
``convenios`` (assinatura do concedente e autorização de cada parcela)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from convenios import services as conv
from emendas.models import ExecucaoIndicacao, RegistroExecucao
from emendas.services import registrar_execucao_automatica
from tests.fabricas import cenario_convenio, convenio_vigente, proposta_aprovada

from .conftest import LIVRE, em

pytestmark = pytest.mark.django_db
M = Decimal


def test_convenio_vigente_e_liberacoes_viram_execucao(inciso, parlamentar, analista_orgao, segov):
    convenente, cadastrador, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar,
                                                    analista_orgao=analista_orgao, segov=segov)
    with em(LIVRE):
        p = proposta_aprovada(cadastrador=cadastrador, convenente=convenente, indicacao=ind,
                              analista_orgao=analista_orgao, valor=M("250000.00"))
        assert not ExecucaoIndicacao.objects.exists()  # antes da assinatura, nada executado
        convenio_vigente(cadastrador=cadastrador, analista_orgao=analista_orgao, proposta=p)
        ex = ExecucaoIndicacao.objects.get(indicacao=ind)
        assert ex.automatica and (ex.utilizado, ex.pago) == (M("250000.00"), M("0.00"))
        lib = conv.solicitar_liberacao(usuario=analista_orgao, proposta=p, valor=M("100000.00"))
        ex.refresh_from_db()
        assert ex.pago == 0  # só a liberação autorizada conta
        conv.autorizar_liberacao(usuario=segov, liberacao=lib)
    ex.refresh_from_db()
    assert (ex.utilizado, ex.empenhado, ex.liquidado, ex.pago) == (M("250000.00"),) + (M("100000.00"),) * 3
    assert ex.valor_impedido == 0 and ex.registros.filter(fonte=RegistroExecucao.Fonte.AUTOMATICA).count() == 2
    # Recalcular de novo não muda nada nem repete histórico; valores de fora são recusados.
    registrar_execucao_automatica(indicacao=ind)
    assert ex.registros.count() == 2
    with pytest.raises(ValidationError, match="não informe valores"):
        registrar_execucao_automatica(indicacao=ind, utilizado=M("1"), empenhado=M("0"), liquidado=M("0"),
                                      pago=M("0"))
