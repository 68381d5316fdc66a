from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from emendas import selectors
from emendas.models import Bloco, Inciso, Remanejamento
from emendas.prazos import OrigemSaldo

SP = ZoneInfo("America/Sao_Paulo")
M = Decimal


def momento(d: date, h=12, m=0):
    return datetime.combine(d, time(h, m), tzinfo=SP)


def remanejamento(inciso, valor, solicitado, *, status="SOLICITADO", decidido=None, origem=OrigemSaldo.LIVRE,
                  devolucao="", usuario=None, gerado=None):
    """Pedido gravado direto no banco, coerente com a situação (as restrições do banco conferem)."""
    usuario = usuario or inciso.emenda.parlamentar.usuario
    if status == "APROVADO" and gerado is None:
        # Toda aprovação gera o inciso R, criado no momento da decisão.
        gerado = Inciso.objects.create(
            emenda=inciso.emenda, numero=f"R{Inciso.objects.filter(tipo='R').count() + 900}", acao=inciso.acao,
            grupo_despesa=inciso.grupo_despesa, valor_inicial=M(valor), inciso_origem=inciso, criado_em=decidido,
        )
    return Remanejamento.objects.create(
        inciso_origem=inciso, acao=inciso.acao, grupo_despesa=inciso.grupo_despesa, valor=M(valor),
        status=status, saldo_origem=origem, saldo_devolucao=devolucao, solicitado_em=solicitado,
        decidido_em=decidido, solicitado_por=usuario, inciso_gerado=gerado,
        decidido_por=usuario if status in ("REPROVADO", "CANCELADO") else None,
        justificativa="Reprovado no teste." if status == "REPROVADO" else "",
    )


@pytest.mark.django_db
def test_saldos_do_inciso_seguem_os_remanejamentos_dia_a_dia(inciso):
    remanejamento(inciso, "200000", momento(date(2019, 1, 28)), status="APROVADO", decidido=momento(date(2019, 1, 30)))
    remanejamento(inciso, "100000", momento(date(2019, 2, 4)), status="REPROVADO", decidido=momento(date(2019, 2, 6)),
                  devolucao=OrigemSaldo.LIVRE)
    s = selectors.saldos_inciso(inciso, date(2019, 1, 29))
    assert (s.valor_inciso, s.remanejamento_solicitado, s.livre) == (M("1000000"), M("200000"), M("800000"))
    s = selectors.saldos_inciso(inciso, date(2019, 2, 5))
    assert (s.valor_inciso, s.remanejamento_solicitado, s.livre) == (M("800000"), M("100000"), M("700000"))
    s = selectors.saldos_inciso(inciso, date(2019, 2, 6))
    assert (s.remanejamento_solicitado, s.livre, s.disponivel_remanejamento) == (M("0"), M("800000"), M("800000"))
    s = selectors.saldos_inciso(inciso, date(2019, 2, 26))
    assert (s.sem_remanejamento, s.disponivel_remanejamento, s.disponivel_indicacao) == (M("800000"), M("0"), M("800000"))


@pytest.mark.django_db
def test_o_dia_e_o_de_brasilia_e_nao_o_utc(inciso):
    # 22h30 de 25/02 em Brasília já é 26/02 em UTC: ainda conta como o dia 25.
    remanejamento(inciso, "1000", momento(date(2019, 2, 25), 22, 30))
    assert selectors.saldos_inciso(inciso, date(2019, 2, 25)).remanejamento_solicitado == M("1000")
    assert selectors.saldos_inciso(inciso, date(2019, 2, 24)).remanejamento_solicitado == M("0")


@pytest.mark.django_db
def test_inciso_r_so_existe_a_partir_da_aprovacao(inciso, fabrica, parlamentar):
    r = fabrica.inciso(parlamentar, "5000", tipo="R", inciso_origem=inciso,
                       saldo_inicial=OrigemSaldo.COM_REMANEJAMENTO, criado_em=momento(date(2019, 3, 5)))
    assert selectors.saldos_inciso(r, date(2019, 3, 4)).valor_inciso == M("0")
    s = selectors.saldos_inciso(r, date(2019, 3, 5))
    assert (s.valor_inciso, s.com_remanejamento, s.disponivel_remanejamento) == (M("5000"), M("5000"), M("5000"))


@pytest.mark.django_db
def test_lista_de_saldos_igual_ao_calculo_individual(fabrica, parlamentar, outro_parlamentar, django_assert_num_queries):
    incisos = [fabrica.inciso(parlamentar, f"{1000 * (k + 1)}.25") for k in range(4)]
    incisos.append(fabrica.inciso(outro_parlamentar, "77.70"))
    remanejamento(incisos[0], "100", momento(date(2019, 2, 1)))
    remanejamento(incisos[1], "200", momento(date(2019, 2, 1)), status="APROVADO", decidido=momento(date(2019, 2, 2)))
    carregados = list(Inciso.objects.select_related("exercicio").order_by("pk"))
    with django_assert_num_queries(1):  # remanejamentos e indicações num UNION ALL
        lista = selectors.saldos_incisos(carregados, date(2019, 2, 10))
    for i in carregados:
        assert lista[i.pk] == selectors.saldos_inciso(i, date(2019, 2, 10))


@pytest.mark.django_db
def test_parlamentar_ve_os_seus_e_os_do_bloco_mas_nao_os_de_outro(fabrica, parlamentar, outro_parlamentar):
    meu = fabrica.inciso(parlamentar)
    dele = fabrica.inciso(outro_parlamentar)
    bloco = Bloco.objects.create(nome="Bloco X", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    do_bloco = fabrica.inciso(bloco)
    visiveis = set(Inciso.objects.filter(selectors.filtro_incisos_visiveis(parlamentar.usuario)))
    assert visiveis == {meu, do_bloco}
    assert selectors.pode_escrever_no_inciso(parlamentar.usuario, meu)
    assert not selectors.pode_escrever_no_inciso(parlamentar.usuario, do_bloco)  # membro só lê
    assert selectors.pode_escrever_no_inciso(outro_parlamentar.usuario, do_bloco)  # responsável escreve
    assert dele not in visiveis


@pytest.mark.django_db
def test_totais_por_titular_fecham_com_o_montante(fabrica, parlamentar, outro_parlamentar, exercicio):
    fabrica.inciso(parlamentar, "100.10")
    fabrica.inciso(parlamentar, "200.20")
    fabrica.inciso(outro_parlamentar, "0.70")
    linhas, total = selectors.totais_por_titular(exercicio, date(2019, 2, 1))
    assert [(l.titular, l.incisos, l.saldos.valor_inciso) for l in linhas] == [
        ("Ana Lacerda", 2, M("300.30")), ("Bruno Tavares", 1, M("0.70")),
    ]
    assert total.valor_inciso == selectors.montante_total(exercicio) == M("301.00")


@pytest.mark.django_db
@pytest.mark.parametrize("dia", [date(2019, 1, 20), date(2019, 2, 10), date(2019, 3, 1), date(2019, 3, 4), date(2019, 4, 1)])
def test_totais_agregados_no_banco_igualam_a_soma_inciso_a_inciso(dia, fabrica, parlamentar, outro_parlamentar, exercicio):
    a = fabrica.inciso(parlamentar, "1000.00")
    b = fabrica.inciso(parlamentar, "333.33")
    p = fabrica.inciso(parlamentar, "50.00", tipo="P")
    c = fabrica.inciso(outro_parlamentar, "10.10")
    r1 = fabrica.inciso(parlamentar, "100", tipo="R", inciso_origem=a, criado_em=momento(date(2019, 2, 3)))
    remanejamento(a, "100", momento(date(2019, 2, 1)), status="APROVADO", decidido=momento(date(2019, 2, 3)), gerado=r1)
    remanejamento(a, "200", momento(date(2019, 2, 5)))
    remanejamento(b, "33.33", momento(date(2019, 2, 5)), status="REPROVADO", decidido=momento(date(2019, 2, 27)),
                  devolucao=OrigemSaldo.SEM_REMANEJAMENTO)
    r2 = fabrica.inciso(outro_parlamentar, "5", tipo="R", inciso_origem=c, criado_em=momento(date(2019, 3, 3)),
                        saldo_inicial=OrigemSaldo.COM_REMANEJAMENTO)
    remanejamento(r2, "1", momento(date(2019, 3, 3)), origem=OrigemSaldo.COM_REMANEJAMENTO,
                  usuario=outro_parlamentar.usuario)
    todos = list(Inciso.objects.select_related("exercicio", "emenda__parlamentar"))
    individuais = selectors.saldos_incisos(todos, dia)
    linhas, total = selectors.totais_por_titular(exercicio, dia)
    for linha in linhas:
        esperado = None
        for i in todos:
            if i.emenda.parlamentar.nome == linha.titular:
                esperado = individuais[i.pk] if esperado is None else esperado + individuais[i.pk]
        assert linha.saldos == esperado
    assert p.pk in individuais
