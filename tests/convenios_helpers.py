"""Cenário comum dos testes de convênios: indicação aprovada para um convenente com usuário."""

from datetime import date
from decimal import Decimal

import time_machine

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.services import aprovar_indicacao_orgao, aprovar_indicacao_segov, enviar_indicacao
from tests.conftest import criar_usuario, meio_dia


def cenario_convenio(*, inciso, parlamentar, analista_orgao, segov, tipo="OSC", valor="300000.00", n=1):
    convenente = Convenente.objects.create(cnpj=gerar_cnpj(4000 + n), razao_social=f"Instituto Esperança {n}",
                                           municipio="Ouro Preto", tipo=tipo)
    usuario = criar_usuario(f"cadastrador{n}@instituto.test", "Convenente", "Cadastrador do Instituto")
    convenente.usuarios.add(usuario)
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                               valor=Decimal(valor), beneficiario=convenente, objeto="Reforma da sede")
        aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=ind)
        aprovar_indicacao_segov(usuario=segov, indicacao=ind)
    ind.refresh_from_db()
    return convenente, usuario, ind


def definir_regime_cagec(indicacao, regime):
    """O regime do CAGEC é do exercício (SEGOV define), não da proposta."""
    from emendas.models import Exercicio

    Exercicio.objects.filter(pk=indicacao.exercicio_id).update(regime_cagec=regime)
