"""“Vai passar?” (emendas.preflight): cada regra sozinha, o conjunto das linhas e as consultas constantes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import preflight
from emendas.models import Acao, CategoriaImpedimento, Indicacao, UnidadeOrcamentaria
from emendas.preflight import Resultado
from emendas.prazos import OrigemSaldo
from emendas.services import enviar_indicacao, reprovar_indicacao
from tests.conftest import meio_dia

pytestmark = pytest.mark.django_db
M = Decimal
Forma = Indicacao.FormaExecucao
LIVRE, RESTRITA, ENCERRADA, FECHADO = date(2019, 2, 1), date(2019, 3, 1), date(2019, 3, 20), date(2019, 1, 20)


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


def benef(n, tipo="OSC", **extra):
    return Convenente.objects.create(cnpj=gerar_cnpj(n), razao_social=f"Entidade {n}", municipio="Betim", tipo=tipo,
                                     **extra)


def avaliar(parlamentar, inciso, linhas, forma=Forma.CONVENIO, origem=None, dia=LIVRE):
    return preflight.avaliar(usuario=parlamentar.usuario, inciso=inciso, forma_execucao=forma, linhas=linhas,
                             origem_saldo=origem, dia=dia)


def da_regra(checagens, regra, linha="qualquer"):
    return [c for c in checagens if c.regra == regra and (linha == "qualquer" or c.linha == linha)]


def unica(checagens, regra, linha="qualquer"):
    achadas = da_regra(checagens, regra, linha)
    assert len(achadas) == 1, achadas
    return achadas[0]


def test_tudo_certo_passa_sem_alerta_de_cagec_para_quem_foi_consultado_hoje(parlamentar, inciso):
    osc = benef(1, situacao_cagec="REGULAR", siafi_bloqueado=False, situacao_consultada_em=timezone.now())
    with em(LIVRE):
        checagens = avaliar(parlamentar, inciso, [(osc, M("1000.00"))])
    assert preflight.resumo(checagens)["passa"]
    for regra in ("permissao", "forma", "janela", "balde", "saldo", "beneficiario", "cagec", "siafi", "historico_iot"):
        assert unica(checagens, regra).resultado is Resultado.OK, regra
    assert _congelada(checagens[0])


def _congelada(c):
    with pytest.raises(Exception):
        c.resultado = Resultado.BLOQUEIO
    return True


def test_quem_nao_e_titular_e_bloqueado(outro_parlamentar, inciso):
    osc = benef(1)
    c = unica(avaliar(outro_parlamentar, inciso, [(osc, M("10.00"))]), "permissao")
    assert c.resultado is Resultado.BLOQUEIO and c.correcao


def test_forma_nao_permitida_para_a_uo(parlamentar, inciso):
    # A UO 4291 não é da Secretaria de Educação: Caixa Escolar não é permitida.
    c = unica(avaliar(parlamentar, inciso, [(None, M("10.00"))], forma=Forma.CAIXA_ESCOLAR), "forma")
    assert c.resultado is Resultado.BLOQUEIO
    assert "Celebração de convênio" in c.correcao and "Caixa" not in c.correcao


@pytest.mark.parametrize("dia, esperado", [(FECHADO, "em atualização"), (ENCERRADA, "terminou")])
def test_fora_da_janela_bloqueia_com_a_explicacao(parlamentar, inciso, dia, esperado):
    c = unica(avaliar(parlamentar, inciso, [(benef(1), M("10.00"))], dia=dia), "janela")
    assert c.resultado is Resultado.BLOQUEIO and esperado in c.mensagem
    assert not da_regra(avaliar(parlamentar, inciso, [(benef(2), M("10.00"))], dia=dia), "saldo")


def test_ultimo_dia_da_janela_livre_ainda_passa(parlamentar, inciso, exercicio):
    c = unica(avaliar(parlamentar, inciso, [(benef(1), M("10.00"))], dia=exercicio.fim_janela_livre), "janela")
    assert c.resultado is Resultado.OK and f"{exercicio.fim_janela_livre:%d/%m/%Y}" in c.mensagem


def test_na_janela_restrita_e_preciso_escolher_o_balde(parlamentar, inciso):
    osc = benef(1)
    sem = unica(avaliar(parlamentar, inciso, [(osc, M("10.00"))], dia=RESTRITA), "balde")
    assert sem.resultado is Resultado.BLOQUEIO and "Escolha o saldo" in sem.mensagem
    com = unica(avaliar(parlamentar, inciso, [(osc, M("10.00"))], origem=OrigemSaldo.SEM_REMANEJAMENTO, dia=RESTRITA),
                "balde")
    assert com.resultado is Resultado.OK


def test_balde_que_nao_vale_hoje_e_bloqueado(parlamentar, inciso):
    c = unica(avaliar(parlamentar, inciso, [(benef(1), M("10.00"))], origem=OrigemSaldo.NAO_IMPOSITIVO), "balde")
    assert c.resultado is Resultado.BLOQUEIO and "livre" in c.correcao


@pytest.mark.parametrize("valor", [M("0"), M("-5.00"), M("1.001"), 10.5, None])
def test_valor_invalido_bloqueia_a_linha(parlamentar, inciso, valor):
    checagens = avaliar(parlamentar, inciso, [(benef(1), M("10.00")), (benef(2), valor)])
    c = unica(checagens, "valor")
    assert c.resultado is Resultado.BLOQUEIO and c.linha == 1 and c.numero_da_linha == 2


def test_saldo_de_todas_as_linhas_juntas_bloqueia_na_linha_que_passa(parlamentar, inciso):
    linhas = [(benef(1), M("600000.00")), (benef(2), M("300000.00")), (benef(3), M("200000.00"))]
    c = unica(avaliar(parlamentar, inciso, linhas), "saldo")
    assert c.resultado is Resultado.BLOQUEIO and c.linha == 2
    assert "R$ 1.100.000,00" in c.mensagem and "R$ 100.000,00" in c.mensagem


def test_saldo_exato_passa_e_diz_quanto_sobra(parlamentar, inciso):
    c = unica(avaliar(parlamentar, inciso, [(benef(1), M("400000.00")), (benef(2), M("600000.00"))]), "saldo")
    assert c.resultado is Resultado.OK and "sobram R$ 0,00" in c.mensagem


def test_o_saldo_ja_usado_por_outra_indicacao_conta(parlamentar, inciso):
    osc = benef(1)
    with em(LIVRE):
        enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao=Forma.CONVENIO,
                         valor=M("999000.00"), beneficiario=osc, objeto="Obra")
        c = unica(avaliar(parlamentar, inciso, [(osc, M("1000.01"))]), "saldo")
    assert c.resultado is Resultado.BLOQUEIO and "R$ 1.000,00" in c.mensagem


def test_tipo_de_beneficiario_que_a_forma_nao_aceita(parlamentar, inciso):
    fundo = benef(1, tipo="FUNDO_MUNICIPAL_SAUDE")
    c = unica(avaliar(parlamentar, inciso, [(fundo, M("10.00"))]), "beneficiario")
    assert c.resultado is Resultado.BLOQUEIO and c.linha == 0
    assert "Fundo municipal de saúde" in c.mensagem


def test_execucao_direta_sem_beneficiario_passa_e_com_beneficiario_nao(parlamentar, inciso):
    assert not da_regra(avaliar(parlamentar, inciso, [(None, M("10.00"))], forma=Forma.EXECUCAO_DIRETA), "beneficiario")
    c = unica(avaliar(parlamentar, inciso, [(benef(1), M("10.00"))], forma=Forma.EXECUCAO_DIRETA), "beneficiario")
    assert c.resultado is Resultado.BLOQUEIO


def test_convenio_sem_beneficiario_bloqueia(parlamentar, inciso):
    c = unica(avaliar(parlamentar, inciso, [(None, M("10.00"))]), "beneficiario")
    assert c.resultado is Resultado.BLOQUEIO and "Informe o beneficiário" in c.mensagem


def test_beneficiario_repetido_e_alerta(parlamentar, inciso):
    osc = benef(1)
    alertas = [c for c in da_regra(avaliar(parlamentar, inciso, [(osc, M("1.00")), (osc, M("2.00"))]), "beneficiario")
               if c.resultado is Resultado.ALERTA]
    assert [c.linha for c in alertas] == [0, 1]


def test_cagec_irregular_e_siafi_bloqueado_so_alertam(parlamentar, inciso):
    osc = benef(1, situacao_cagec="IRREGULAR", siafi_bloqueado=True, siafi_motivo="Inadimplência",
                situacao_consultada_em=timezone.now() - timedelta(hours=3))
    checagens = avaliar(parlamentar, inciso, [(osc, M("10.00"))])
    cagec, siafi = unica(checagens, "cagec"), unica(checagens, "siafi")
    assert cagec.resultado is Resultado.ALERTA and "irregular" in cagec.mensagem and "consultado em" in cagec.mensagem
    assert siafi.resultado is Resultado.ALERTA and "Inadimplência" in siafi.mensagem
    assert preflight.resumo(checagens)["passa"]


def test_situacao_velha_ou_nunca_consultada_alerta(parlamentar, inciso):
    velha = benef(1, situacao_cagec="REGULAR", siafi_bloqueado=False,
                  situacao_consultada_em=timezone.now() - timedelta(days=31))
    nunca = benef(2)
    checagens = avaliar(parlamentar, inciso, [(velha, M("1.00")), (nunca, M("1.00"))])
    assert unica(checagens, "cagec", 0).resultado is Resultado.ALERTA
    assert "nunca consultado" in unica(checagens, "cagec", 1).mensagem
    assert unica(checagens, "siafi", 1).resultado is Resultado.ALERTA


def test_cagec_nao_vale_para_formas_sem_convenio(parlamentar, inciso):
    prefeitura = benef(1, tipo="ADM_MUNICIPAL", situacao_cagec="IRREGULAR")
    inciso.acao = Acao.objects.create(uo=UnidadeOrcamentaria.objects.create(codigo="1491", nome="SEGOV"),
                                      codigo="2090", nome="Transferência especial", destino_livre=True)
    checagens = avaliar(parlamentar, inciso, [(prefeitura, M("1.00"))], forma=Forma.TRANSFERENCIA_ESPECIAL)
    assert not da_regra(checagens, "cagec") and not da_regra(checagens, "isencao")


def test_municipio_com_emenda_impositiva_e_isento_da_regularidade(parlamentar, inciso):
    prefeitura = benef(1, tipo="ADM_MUNICIPAL", situacao_cagec="IRREGULAR")
    checagens = avaliar(parlamentar, inciso, [(prefeitura, M("1.00"))])
    c = unica(checagens, "isencao")
    assert c.resultado is Resultado.OK and "impositiva" in c.mensagem
    assert not da_regra(checagens, "cagec")


def test_historico_de_impedimentos_do_beneficiario(parlamentar, inciso, analista_orgao):
    osc, limpa = benef(1), benef(2)
    categoria = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    with em(LIVRE):
        for _ in range(2):
            ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao=Forma.CONVENIO,
                                   valor=M("10.00"), beneficiario=osc, objeto="Obra")
            reprovar_indicacao(usuario=analista_orgao, indicacao=ind, categoria=categoria, justificativa="Sem projeto")
        checagens = avaliar(parlamentar, inciso, [(osc, M("1.00")), (limpa, M("1.00"))])
    alerta = unica(checagens, "historico_iot", 0)
    assert alerta.resultado is Resultado.ALERTA and "2 indicações reprovadas" in alerta.mensagem
    assert categoria.nome in alerta.mensagem and f"{LIVRE:%d/%m/%Y}" in alerta.mensagem
    assert unica(checagens, "historico_iot", 1).resultado is Resultado.OK


def test_minimo_de_saude(parlamentar, fabrica, exercicio, uo_saude, grupo_inv):
    exercicio.minimo_saude_percentual = M("50")
    exercicio.save()
    outra = Acao.objects.create(uo=uo_saude, codigo="9999", nome="Estradas", area="")
    saude = fabrica.inciso(parlamentar, "400000.00")
    fabrica.inciso(parlamentar, "600000.00", acao=outra)
    c = unica(avaliar(parlamentar, saude, [(benef(1), M("1.00"))]), "minimo_saude")
    assert c.resultado is Resultado.ALERTA and "R$ 400.000,00" in c.mensagem and "R$ 500.000,00" in c.mensagem
    fabrica.inciso(parlamentar, "300000.00")
    c = unica(avaliar(parlamentar, saude, [(benef(2), M("1.00"))]), "minimo_saude")
    assert c.resultado is Resultado.OK


def test_sem_minimo_no_exercicio_nao_ha_checagem(parlamentar, inciso):
    assert not da_regra(avaliar(parlamentar, inciso, [(benef(1), M("1.00"))]), "minimo_saude")


def test_sem_linhas_bloqueia(parlamentar, inciso):
    assert unica(avaliar(parlamentar, inciso, []), "valor").resultado is Resultado.BLOQUEIO


def test_consultas_nao_crescem_com_as_linhas(parlamentar, inciso):
    poucos = [(benef(n), M("1.00")) for n in range(1, 3)]
    muitos = [(benef(n), M("1.00")) for n in range(3, 33)]
    avaliar(parlamentar, inciso, poucos)  # aquece caches de ContentType e afins
    with CaptureQueriesContext(connection) as duas:
        avaliar(parlamentar, inciso, poucos)
    with CaptureQueriesContext(connection) as trinta:
        avaliar(parlamentar, inciso, muitos)
    assert len(trinta) == len(duas)


def test_avaliar_indicacao_para_o_analista(parlamentar, inciso):
    osc = benef(1, situacao_cagec="IRREGULAR", situacao_consultada_em=timezone.now())
    with em(LIVRE):
        ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao=Forma.CONVENIO,
                               valor=M("999999.00"), beneficiario=osc, objeto="Obra")
        checagens = preflight.avaliar_indicacao(ind)
    regras = {c.regra for c in checagens}
    assert {"forma", "beneficiario", "cagec", "siafi", "historico_iot"} <= regras
    assert "saldo" not in regras and "permissao" not in regras  # o valor já saiu do saldo no envio
    assert unica(checagens, "cagec").resultado is Resultado.ALERTA
