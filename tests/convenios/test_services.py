from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from convenios import services
from convenios.models import Liberacao, PropostaPlanoTrabalho as Proposta
from emendas.models import Indicacao
from integracoes.models import ConsultaIntegracao, ServicoSimulado, SituacaoSimulada
from tests.fabricas import TESTEMUNHA, cenario_convenio, definir_regime_cagec, formalizar

pytestmark = pytest.mark.django_db
M = Decimal




def irregular(cv, *pendencias):
    SituacaoSimulada.objects.update_or_create(cnpj=cv["conv"].cnpj, defaults={
        "cagec_regular": False, "pendencias": "\n".join(pendencias)})


def regular(cv):
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(cagec_regular=True, pendencias="")


def fora_do_ar(sistema, ligado=True):
    ServicoSimulado.objects.update_or_create(sistema=sistema, defaults={"fora_do_ar": ligado})


def gerar(cv, valor="100000.00", **extra):
    return services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M(valor)},
                                   objeto="Reforma da sede", **extra)


def ate_vigente(cv, p):
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    services.aprovar_proposta(usuario=cv["orgao"], proposta=p)
    return formalizar(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p, segov=cv["segov"])


def resultados(p):
    return list(p.verificacoes.order_by("pk").values_list("sistema", "momento", "resultado"))


# --- Regime legado: CAGEC ao gerar e ao enviar --------------------------------------------------

def test_legado_regular_em_todos_os_passos(cv):
    p = gerar(cv)
    p = ate_vigente(cv, p)
    assert p.status == "VIGENTE" and p.concedente == cv["ind"].inciso.acao.uo
    assert resultados(p) == [("CAGEC", "GERAR", "REGULAR"), ("CAGEC", "ENVIAR", "REGULAR")]
    assert ConsultaIntegracao.objects.filter(sistema="CAGEC", cnpj=cv["conv"].cnpj).count() == 2
    cv["conv"].refresh_from_db()
    assert cv["conv"].situacao_cagec == "REGULAR"


def test_legado_irregular_ao_gerar_nao_cria_e_lista_pendencias(cv):
    irregular(cv, "Certidão negativa de débitos federais vencida | 10/01/2019", "Prestação de contas pendente")
    with pytest.raises(services.ErroRegularidade) as erro:
        gerar(cv)
    assert erro.value.sistema == "CAGEC"
    assert erro.value.pendencias == ["Certidão negativa de débitos federais vencida (validade 10/01/2019)",
                                     "Prestação de contas pendente"]
    assert "IRREGULAR no CAGEC" in erro.value.messages[0]
    assert not Proposta.objects.exists()
    assert ConsultaIntegracao.objects.filter(sistema="CAGEC").count() == 1  # a tentativa ficou no registro
    regular(cv)
    assert gerar(cv).status == "CADASTRAMENTO"


def test_legado_irregular_ao_enviar_bloqueia_e_registra(cv):
    p = gerar(cv)
    irregular(cv, "CRC vencido")
    with pytest.raises(services.ErroRegularidade):
        services.enviar_proposta(usuario=cv["u"], proposta=p)
    p.refresh_from_db()
    assert p.status == "CADASTRAMENTO"
    assert resultados(p)[-1] == ("CAGEC", "ENVIAR", "IRREGULAR")
    regular(cv)
    assert services.enviar_proposta(usuario=cv["u"], proposta=p).status == "ENVIADA"


@pytest.mark.parametrize("momento", ["GERAR", "ENVIAR"])
def test_legado_cagec_sem_resposta(cv, momento):
    p = gerar(cv) if momento == "ENVIAR" else None
    fora_do_ar("CAGEC")
    with pytest.raises(ValidationError, match="O CAGEC não respondeu; seus dados estão salvos, tente novamente em instantes"):
        gerar(cv) if momento == "GERAR" else services.enviar_proposta(usuario=cv["u"], proposta=p)
    falha = ConsultaIntegracao.objects.filter(sistema="CAGEC").order_by("-pk").first()
    assert falha.sucesso is False
    if p:
        p.refresh_from_db()
        assert p.status == "CADASTRAMENTO" and resultados(p)[-1] == ("CAGEC", "ENVIAR", "INDISPONIVEL")


def test_excecao_da_segov_quando_o_cagec_nao_responde(cv):
    p = gerar(cv)
    fora_do_ar("CAGEC")
    with pytest.raises(ValidationError):
        services.enviar_proposta(usuario=cv["u"], proposta=p)
    with pytest.raises(PermissionDenied):
        services.registrar_excecao(usuario=cv["u"], proposta=p, sistema="CAGEC", momento="ENVIAR", justificativa="x")
    with pytest.raises(ValidationError, match="justificativa"):
        services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ENVIAR", justificativa="")
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ENVIAR",
                               justificativa="CAGEC fora do ar no último dia do prazo")
    p = services.enviar_proposta(usuario=cv["u"], proposta=p)
    assert p.status == "ENVIADA"
    assert resultados(p)[-1] == ("CAGEC", "ENVIAR", "EXCECAO")
    assert p.verificacoes.filter(resultado="EXCECAO").count() == 2  # a registrada e o registro do uso
    assert not p.verificacoes.filter(resultado="EXCECAO", usada=False).exists()  # nenhuma sobra para outro passo


def test_excecao_so_depois_de_consulta_sem_resposta(cv):
    p = gerar(cv)
    with pytest.raises(ValidationError, match="ficou sem resposta"):
        services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ENVIAR", justificativa="x")


# --- Regime do Decreto 48.745/2023: CAGEC só nas assinaturas ----------------------------------

def test_dec_48745_cria_com_irregular_e_bloqueia_na_assinatura(cv):
    definir_regime_cagec(cv["ind"], "DEC_48745")
    irregular(cv, "Regularidade fiscal estadual")
    p = gerar(cv)
    assert p.regime == "DEC_48745"
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    services.aprovar_proposta(usuario=cv["orgao"], proposta=p)
    services.autorizar_plano(usuario=cv["segov"], proposta=p)
    assert not ConsultaIntegracao.objects.exists()  # nenhuma consulta antes das assinaturas
    with pytest.raises(services.ErroRegularidade):
        services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    regular(cv)
    services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    irregular(cv, "CRC vencido")
    with pytest.raises(services.ErroRegularidade):
        services.assinar_concedente(usuario=cv["orgao"], proposta=p)
    fora_do_ar("CAGEC")
    with pytest.raises(ValidationError, match="não respondeu"):
        services.assinar_concedente(usuario=cv["orgao"], proposta=p)
    fora_do_ar("CAGEC", False)
    regular(cv)
    p = services.assinar_concedente(usuario=cv["orgao"], proposta=p)
    assert p.status == "EM_PUBLICACAO"
    assert [r[1:] for r in resultados(p)] == [
        ("ASSINATURA_CONVENENTE", "IRREGULAR"), ("ASSINATURA_CONVENENTE", "REGULAR"),
        ("ASSINATURA_CONCEDENTE", "IRREGULAR"), ("ASSINATURA_CONCEDENTE", "INDISPONIVEL"),
        ("ASSINATURA_CONCEDENTE", "REGULAR")]


# --- Isenção (§8.3) -------------------------------------------------------------------------------

@pytest.mark.parametrize("tipo, natureza, isento", [
    ("ADM_MUNICIPAL", "", True),  # município com emenda impositiva
    ("CONSORCIO_PUBLICO", "", True),
    ("ENTIDADE_PUBLICA", "", False),  # ente público sem natureza especial
    ("ENTIDADE_PUBLICA", "SAUDE", True),
    ("OSC", "SAUDE", False),
    ("OSC", "", False),
])
def test_predicado_de_isencao(tipo, natureza, isento):
    motivo = services.motivo_isencao_cagec(tipo_convenente=tipo, natureza_especial=natureza, usa_emenda_impositiva=True)
    assert bool(motivo) is isento


def test_municipio_com_emenda_impositiva_e_isento_e_registra_o_motivo(inciso, parlamentar, analista_orgao, segov):
    conv, u, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao, segov=segov,
                                    tipo="ADM_MUNICIPAL")
    SituacaoSimulada.objects.create(cnpj=conv.cnpj, cagec_regular=False, pendencias="Tudo vencido")
    p = services.gerar_proposta(usuario=u, convenente=conv, indicacoes={ind: M("10.00")}, objeto="Obra")
    v = p.verificacoes.get()
    assert v.resultado == "ISENTO" and "emenda parlamentar impositiva" in v.detalhe
    assert not ConsultaIntegracao.objects.exists()


# --- Regras da proposta ------------------------------------------------------------------------

def test_soma_usada_nao_passa_do_valor_indicado(cv):
    gerar(cv, valor="200000.00")
    with pytest.raises(ValidationError, match="acima do disponível R\\$ 100.000,00"):
        gerar(cv, valor="100000.01")
    gerar(cv, valor="100000.00")
    assert services.valor_utilizado(cv["ind"]) == M("300000.00")
    assert services.indicacoes_disponiveis(cv["conv"]) == []


def test_so_indicacoes_aprovadas_do_proprio_convenente(cv, inciso, parlamentar, analista_orgao, segov):
    outro, outro_u, outra_ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                 segov=segov, n=2, valor="10.00")
    with pytest.raises(PermissionDenied):
        services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={outra_ind: M("1.00")}, objeto="x")
    with pytest.raises(PermissionDenied):
        gerar({**cv, "u": outro_u})  # usuário de outro convenente
    Indicacao.objects.filter(pk=cv["ind"].pk).update(status="EM_ANALISE_SEGOV")
    with pytest.raises(ValidationError, match="não está aprovada"):
        gerar(cv)


def test_fluxo_de_analise_e_permissoes(cv):
    p = gerar(cv)
    with pytest.raises(PermissionDenied):
        services.enviar_proposta(usuario=cv["orgao"], proposta=p)
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    with pytest.raises(PermissionDenied):
        services.receber_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    with pytest.raises(ValidationError, match="justificativa"):
        services.devolver_proposta(usuario=cv["orgao"], proposta=p, justificativa="")
    p = services.devolver_proposta(usuario=cv["orgao"], proposta=p, justificativa="Falta o cronograma.")
    assert p.status == "DEVOLVIDA" and p.justificativa == "Falta o cronograma."
    with pytest.raises(ValidationError, match="não pode passar a"):
        services.aprovar_proposta(usuario=cv["orgao"], proposta=p)
    assert services.enviar_proposta(usuario=cv["u"], proposta=p).status == "ENVIADA"


# --- Liberação de recursos: SIAFI nos dois passos --------------------------------------------------

def test_liberacao_com_siafi_bloqueado_desbloqueado_e_fora_do_ar(cv):
    p = ate_vigente(cv, gerar(cv))
    SituacaoSimulada.objects.update_or_create(cnpj=cv["conv"].cnpj, defaults={
        "siafi_bloqueado": True, "siafi_motivo": "Omissão no dever de prestar contas"})
    with pytest.raises(services.ErroRegularidade) as erro:
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("40000"))
    assert "bloqueio no SIAFI-MG: Omissão no dever de prestar contas" in erro.value.messages[0]
    assert not Liberacao.objects.exists()
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(siafi_bloqueado=False)
    lib = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("40000"))
    assert lib.parcela == 1 and lib.status == "SOLICITADA"
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(siafi_bloqueado=True)
    with pytest.raises(services.ErroRegularidade):
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(siafi_bloqueado=False)
    fora_do_ar("SIAFI")
    with pytest.raises(ValidationError, match="O SIAFI-MG não respondeu; seus dados estão salvos"):
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    fora_do_ar("SIAFI", False)
    with pytest.raises(PermissionDenied):
        services.autorizar_liberacao(usuario=cv["orgao"], liberacao=lib)
    lib = services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    assert lib.status == "AUTORIZADA" and lib.autorizada_por == cv["segov"]
    with pytest.raises(ValidationError, match="já foi autorizada"):
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    assert [r[1:] for r in resultados(p) if r[0] == "SIAFI"] == [
        ("SOLICITAR_LIBERACAO", "IRREGULAR"), ("SOLICITAR_LIBERACAO", "REGULAR"), ("AUTORIZAR_LIBERACAO", "IRREGULAR"),
        ("AUTORIZAR_LIBERACAO", "INDISPONIVEL"), ("AUTORIZAR_LIBERACAO", "REGULAR")]


def test_siafi_fora_do_ar_na_solicitacao(cv):
    p = ate_vigente(cv, gerar(cv))
    fora_do_ar("SIAFI")
    with pytest.raises(ValidationError, match="O SIAFI-MG não respondeu"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("1"))
    assert not Liberacao.objects.exists()
    assert resultados(p)[-1] == ("SIAFI", "SOLICITAR_LIBERACAO", "INDISPONIVEL")


def test_liberacao_nao_passa_do_valor_e_exige_vigencia(cv):
    p = gerar(cv, valor="1000.00")
    with pytest.raises(ValidationError, match="proposta vigente"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("1"))
    p = ate_vigente(cv, p)
    services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("600"))
    with pytest.raises(ValidationError, match="resta R\\$ 400,00"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("400.01"))
    assert services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("400")).parcela == 2
    with pytest.raises(ValidationError, match="maior que zero"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("0"))


# --- Matriz: cada momento de checagem de cada regime × regular / irregular / isento / sem resposta ------

PASSOS = {
    "GERAR": None,
    "ENVIAR": lambda cv, p: services.enviar_proposta(usuario=cv["u"], proposta=p),
    "ASSINATURA_CONVENENTE": lambda cv, p: services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA),
    "ASSINATURA_CONCEDENTE": lambda cv, p: services.assinar_concedente(usuario=cv["orgao"], proposta=p),
}
ANTES = {  # passos (sem checagem no regime) para chegar ao momento
    "ENVIAR": [],
    "ASSINATURA_CONVENENTE": ["ENVIAR", "receber", "aprovar", "autorizar"],
    "ASSINATURA_CONCEDENTE": ["ENVIAR", "receber", "aprovar", "autorizar", "ASSINATURA_CONVENENTE"],
}


def _preparar(cv, momento, natureza):
    p = services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M("10.00")},
                                objeto="Obra", natureza_especial=natureza)
    for passo in ANTES[momento]:
        if passo == "receber":
            services.receber_proposta(usuario=cv["orgao"], proposta=p)
        elif passo == "aprovar":
            services.aprovar_proposta(usuario=cv["orgao"], proposta=p)
        elif passo == "autorizar":
            services.autorizar_plano(usuario=cv["segov"], proposta=p)
        else:
            PASSOS[passo](cv, p)
    p.refresh_from_db()
    return p


@pytest.mark.parametrize("regime, momento", [
    ("LEGADO", "GERAR"), ("LEGADO", "ENVIAR"),
    ("DEC_48745", "ASSINATURA_CONVENENTE"), ("DEC_48745", "ASSINATURA_CONCEDENTE"),
])
@pytest.mark.parametrize("situacao", ["regular", "irregular", "isento", "sem_resposta"])
def test_matriz_de_checagem_do_cagec(regime, momento, situacao, inciso, parlamentar, analista_orgao, segov):
    tipo = "ENTIDADE_PUBLICA" if situacao == "isento" else "OSC"
    natureza = "SAUDE" if situacao == "isento" else ""
    conv, u, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                    segov=segov, tipo=tipo)
    cv = {"conv": conv, "u": u, "ind": ind, "orgao": analista_orgao, "segov": segov}
    definir_regime_cagec(ind, regime)
    p = None if momento == "GERAR" else _preparar(cv, momento, natureza)
    status_antes = p.status if p else None
    consultas_antes = ConsultaIntegracao.objects.count()
    if situacao in ("irregular", "isento"):
        SituacaoSimulada.objects.create(cnpj=conv.cnpj, cagec_regular=False, pendencias="CRC vencido")
    if situacao == "sem_resposta":
        fora_do_ar("CAGEC")

    def passo():
        if momento == "GERAR":
            return services.gerar_proposta(usuario=u, convenente=conv, indicacoes={ind: M("10.00")}, objeto="Obra",
                                           regime=regime, natureza_especial=natureza)
        return PASSOS[momento](cv, p)

    if situacao in ("regular", "isento"):
        feito = passo()
        esperado = "REGULAR" if situacao == "regular" else "ISENTO"
        assert feito.verificacoes.filter(sistema="CAGEC", momento=momento).first().resultado == esperado
        assert ConsultaIntegracao.objects.count() == consultas_antes + (1 if situacao == "regular" else 0)
        return
    erro = services.ErroRegularidade if situacao == "irregular" else ValidationError
    with pytest.raises(erro):
        passo()
    assert ConsultaIntegracao.objects.count() == consultas_antes + 1  # a tentativa ficou registrada
    if p is not None:
        p.refresh_from_db()
        assert p.status == status_antes  # a proposta ficou como estava
        ultima = p.verificacoes.filter(sistema="CAGEC", momento=momento).first()
        assert ultima.resultado == ("IRREGULAR" if situacao == "irregular" else "INDISPONIVEL")
    else:
        assert Proposta.objects.count() == 0


def test_legado_nao_consulta_o_cagec_nas_assinaturas(cv):
    p = gerar(cv)
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    services.aprovar_proposta(usuario=cv["orgao"], proposta=p)
    irregular(cv, "CRC vencido")
    antes = ConsultaIntegracao.objects.count()
    services.autorizar_plano(usuario=cv["segov"], proposta=p)
    services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    assert services.assinar_concedente(usuario=cv["orgao"], proposta=p).status == "EM_PUBLICACAO"
    assert ConsultaIntegracao.objects.count() == antes
