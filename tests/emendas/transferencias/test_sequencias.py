"""Sequências aleatórias de passos reais sobre duas transferências especiais (cadastrar uma ou as duas, enviar com o
SIAFI no ar, fora do ar ou recusando, encerrar, reprovar a indicação): depois de cada passo, o histórico de cada
uma é uma cadeia de transições da tabela que termina na situação atual, nenhum envio fica pendurado, cada envio
aceito chamou o SIAFI uma vez e o nº do registro no SIAFI nunca muda depois de dado."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emendas import services as em
from emendas.models import CategoriaImpedimento, TransferenciaEspecial
from integracoes.models import ConsultaIntegracao, ServicoSimulado, SituacaoSimulada

pytestmark = pytest.mark.django_db
Status = TransferenciaEspecial.Status
OPERACOES = ["cadastrar", "cadastrar_as_duas", "enviar", "enviar", "siafi_fora", "siafi_no_ar", "bloquear",
             "desbloquear", "encerrar", "reprovar"]
passos = st.lists(st.tuples(st.sampled_from(OPERACOES), st.integers(min_value=0, max_value=1)), min_size=1,
                  max_size=25)


class Desfazer(Exception):
    pass


def _executar(op, alvo, inds, analista):
    ind = inds[alvo]
    te = TransferenciaEspecial.objects.filter(indicacao=ind).first()
    if op in ("cadastrar", "cadastrar_as_duas"):
        em.cadastrar_transferencia_especial(usuario=analista, indicacoes=inds if op == "cadastrar_as_duas" else [ind],
                                            numero_resolucao=f"RES {alvo}", data_publicacao=date(2019, 1, 20),
                                            dotacao="")
    elif op in ("siafi_fora", "siafi_no_ar"):
        ServicoSimulado.objects.update_or_create(sistema="SIAFI", defaults={"fora_do_ar": op == "siafi_fora"})
    elif op in ("bloquear", "desbloquear"):
        SituacaoSimulada.objects.update_or_create(cnpj=ind.beneficiario.cnpj, defaults={
            "siafi_bloqueado": op == "bloquear", "siafi_motivo": "Inadimplência"})
    elif op == "reprovar":
        em.reprovar_indicacao(usuario=analista, indicacao=ind, categoria=CategoriaImpedimento.objects.first(),
                              justificativa="Impedimento")
    elif te is None:
        raise ValidationError("sem transferência")
    elif op == "enviar":
        em.enviar_transferencia_ao_siafi(usuario=analista, transferencia=te)
    else:
        em.encerrar_transferencia_especial(usuario=analista, transferencia=te)


def _conferir(numeros_siafi):
    for te in TransferenciaEspecial.objects.all():
        registros = list(te.registros.order_by("momento", "pk"))
        anterior = Status.NAO_CADASTRADO
        for r in registros:
            assert r.status_anterior == anterior and em.MAQUINA_TRANSFERENCIA.permite(anterior, r.status_novo)
            anterior = r.status_novo
        assert anterior == te.status and te.envio_iniciado_em is None
        if te.numero_siafi:
            assert numeros_siafi.setdefault(te.pk, te.numero_siafi) == te.numero_siafi
    tentativas = sum(TransferenciaEspecial.objects.values_list("tentativas", flat=True))
    assert ConsultaIntegracao.objects.count() == tentativas


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=passos)
def test_sequencias_de_passos_mantem_historico_e_envios_coerentes(ops, tes, analista_segov_uo):
    CategoriaImpedimento.objects.get_or_create(nome="Projeto inadequado")
    try:
        with transaction.atomic():
            numeros = {}
            for op, alvo in ops:
                try:
                    with transaction.atomic():
                        _executar(op, alvo, tes[:2], analista_segov_uo)
                except (ValidationError, PermissionDenied):
                    pass  # recusa legítima: nada mudou
                _conferir(numeros)
            raise Desfazer
    except Desfazer:
        pass
