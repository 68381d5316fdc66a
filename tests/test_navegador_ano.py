"""Um ano inteiro simulado no navegador de verdade (issue 16, "Done means"): a LOA com os incisos S → as janelas →
uma indicação reprovada por impedimento de ordem técnica (IOT) depois do D+60 → o saneamento → o remanejamento
constitucional → a lei da SEGOV que cria o inciso P → o inciso P indicado (convênio) → aprovação do órgão e da
SEGOV → a proposta do convenente → a formalização (autorizar o plano, as assinaturas, a publicação) → VIGENTE → a
liberação. O invariante do dinheiro (Σ valor_inciso = Σ valor_inicial dos incisos base) é conferido no banco nos
pontos do meio e no fim, pela mesma conferência do teste hypothesis da cadeia (``tests.test_invariante_cadeia``).

O tempo não anda com ``time_machine`` (o live_server roda noutra thread): entre os passos, a data da LOA do
exercício muda (as janelas no padrão seguem o calendário, ``Exercicio.save``) e as janelas do segundo ciclo são
abertas "hoje" nas ``JanelaOperacao``. Os passos que não são o foco (a indicação S, as aprovações, a proposta) vão
pelo serviço: as suas telas têm testes próprios. Capturas em 1366 e 390 px em ``/tmp/sigcon-telas/ano/``."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente, PropostaPlanoTrabalho as Proposta
from emendas.models import (
    CategoriaImpedimento, Exercicio, Inciso, Indicacao, JanelaOperacao, MovimentoSaneamento, ProgramacaoElegivel,
)
from emendas.prazos import OrigemSaldo, TipoJanela, Trilha
from emendas.selectors import saldos_incisos
from tests.conftest import Fabrica, criar_usuario
from tests.navegador_util import (  # noqa: F401 (fixtures)
    TELAS, Vigia, confirmar_revisao, entrar, fotografar, navegador, passam_da_borda,
)
from tests.test_invariante_cadeia import conferir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASTA = TELAS / "ano"
M = Decimal


def _foto(page, nome):
    def nada_passa_da_borda(page, largura):
        assert passam_da_borda(page) == [], f"{nome} a {largura} px"

    fotografar(page, nome, pasta=PASTA, conferir=nada_passa_da_borda)


def _loa_ha(exercicio, dias):
    """O calendário do exercício como se a LOA tivesse saído há *dias* dias: as quatro datas voltam ao padrão e as
    janelas de operação que estavam no padrão seguem o novo calendário (``Exercicio.save``)."""
    ex = Exercicio.objects.get(pk=exercicio.pk)
    ex.data_publicacao_loa = timezone.localdate() - timedelta(days=dias)
    ex.data_liberacao = ex.fim_janela_livre = ex.fim_janela_obrigatoria = None
    ex.save()
    return ex


def _abrir_hoje(exercicio, *, trilha, tipos=None):
    janelas = JanelaOperacao.objects.filter(exercicio=exercicio, trilha=trilha)
    if tipos is not None:
        janelas = janelas.filter(tipo__in=tipos)
    hoje = timezone.localdate()
    assert janelas.update(inicio=hoje, fim=hoje) >= 1


def _dinheiro_confere(exercicio):
    """O invariante no banco: a conferência do teste hypothesis da cadeia (baldes ≥ 0, baldes = valor do inciso,
    Σ valor_inciso = Σ valor_inicial dos incisos base, liberado ≤ usado ≤ aprovado) hoje e daqui a 40 dias."""
    conferir(timezone.localdate())
    base = Inciso.objects.filter(exercicio=exercicio, inciso_origem__isnull=True).aggregate(t=Sum("valor_inicial"))
    assert base["t"] == M("1000000.00")  # o inciso P move dinheiro, nunca cria


def _baldes(inciso, dia) -> dict:
    """Os saldos do inciso no dia que não são zero (sem o valor inicial e a fase)."""
    s = saldos_incisos([Inciso.objects.select_related("exercicio").get(pk=inciso.pk)], dia)[inciso.pk]
    campos = ("valor_inciso", "remanejamento_solicitado", "indicado", "livre", "com_remanejamento",
              "sem_remanejamento", "nao_impositivo", "reservado_pl", "disponivel_remanejamento", "disponivel_indicacao")
    return {c: getattr(s, c) for c in campos if getattr(s, c)}


@pytest.fixture
def ano(parlamentar, segov, analista_orgao, acao_saude, grupo_inv):
    """A LOA: o exercício de hoje publicado há 20 dias (janela livre), um inciso S de Ana de R$ 1.000.000,00, a
    dotação de saúde elegível para o remanejamento constitucional, a lista de IOT e a Associação Vida Nova."""
    CategoriaImpedimento.objects.get_or_create(nome="Ausência de projeto de engenharia", exercicio=None)
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=acao_saude, grupo_despesa=grupo_inv)
    inciso = Fabrica(exercicio, acao_saude, grupo_inv).inciso(parlamentar, "1000000.00")
    convenente = Convenente.objects.create(cnpj=gerar_cnpj(93), razao_social="Associação Vida Nova",
                                           municipio="Mariana", tipo="OSC", situacao_cagec="REGULAR",
                                           siafi_bloqueado=False)
    cadastrador = criar_usuario("vida@nova.test", "Convenente", "Cadastro Vida Nova")
    convenente.usuarios.add(cadastrador)
    return {"exercicio": exercicio, "inciso": inciso, "convenente": convenente, "cadastrador": cadastrador}


def test_um_ano_inteiro_da_loa_a_liberacao(navegador, live_server, ano, parlamentar, analista_orgao, segov):
    from convenios import services as conv
    from emendas import services as em

    base, inciso, exercicio = live_server.url, ano["inciso"], ano["exercicio"]
    hoje = timezone.localdate()
    _dinheiro_confere(exercicio)

    # --- 1º ciclo: na janela livre, Ana indica R$ 300.000,00 (a tela da indicação S tem testes próprios).
    ind = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                              valor=M("300000.00"), objeto="Obra da policlínica")
    assert ind.numero == 1 and ind.origem_saldo == OrigemSaldo.LIVRE

    # --- As janelas: a LOA saiu há 100 dias; passou o D+60 (prazo constitucional), a reprovação ainda está aberta.
    exercicio = _loa_ha(exercicio, 100)
    v = Vigia(navegador)
    page = v.page
    entrar(page, base, "ana@almg.test")
    v.abrir(f"{base}/emendas/incisos/{inciso.pk}/")
    texto = page.locator("main").inner_text()
    fim = exercicio.fim_janela_obrigatoria.strftime("%d/%m/%Y")
    assert "Prazos de execução obrigatória encerrados" in texto
    assert f"Indicar: O prazo de indicação terminou em {fim}" in texto and "R$ 300.000,00" in texto
    page.context.clear_cookies()

    # --- IOT: o órgão reprova a indicação por impedimento técnico; depois do D+60 o valor fica reservado ao PL.
    entrar(page, base, "analista@saude.test")
    page.wait_for_url(base + "/**")
    v.abrir(f"{base}/emendas/indicacoes/{ind.pk}/")
    page.get_by_text("Reprovar por impedimento de ordem técnica").click()
    page.get_by_label("Categoria").select_option(index=1)
    page.locator("#reprovar_justificativa").fill("Projeto sem licença ambiental.")
    page.get_by_role("button", name="Reprovar", exact=True).click()
    confirmar_revisao(page, "Reprovar", "1 indicação, total R$ 300.000,00")
    page.get_by_text("reprovada por impedimento de ordem técnica").first.wait_for()
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.REPROVADA and ind.saldo_devolucao == OrigemSaldo.RESERVADO_PL
    page.context.clear_cookies()
    _dinheiro_confere(exercicio)

    # --- 2º ciclo: a LOA saiu há 200 dias; a escolha do saneamento e a programação abertas hoje (a janela P, no
    # padrão, só abre no D+225).
    exercicio = _loa_ha(exercicio, 200)
    _abrir_hoje(exercicio, trilha=Trilha.SR,
                tipos=[TipoJanela.ESCOLHA_SANEAMENTO, TipoJanela.REMANEJAMENTO_CONSTITUCIONAL])

    # Saneamento: R$ 100.000,00 saneados, R$ 150.000,00 para o remanejamento constitucional, R$ 50.000,00 perdem
    # a impositividade.
    entrar(page, base, "ana@almg.test")
    menu = page.get_by_role("button", name="Emendas")
    (menu if menu.count() else page.get_by_role("link", name="Emendas")).click()
    page.get_by_role("link", name="Saneamento (escolha)").click()
    assert "R$ 300.000,00" in page.locator("[data-total-iot]").inner_text()
    v.conferir("painel do saneamento")
    _foto(page, "saneamento-painel")
    page.get_by_role("link", name=inciso.numero).click()
    page.get_by_label("Valor a sanear (R$)").fill("100.000,00")
    page.get_by_label("Proposta saneadora").fill("Licença ambiental obtida")
    page.get_by_role("button", name="Salvar").first.click()
    page.get_by_text("Saneamento da indicação nº 1 salvo").wait_for()
    page.get_by_label("Remanejamento constitucional (R$)").fill("150.000,00")
    page.get_by_role("button", name="Salvar").last.click()
    page.get_by_text("Valor do remanejamento constitucional salvo").wait_for()
    assert "R$ 50.000,00" in page.locator("[data-figuras]").inner_text()  # a escolher
    page.get_by_role("button", name="Concluir saneamento").click()
    confirmar_revisao(page, f"Concluir o saneamento do inciso {inciso.numero}", "total R$ 300.000,00")
    page.get_by_text(f"Saneamento do inciso {inciso.numero} concluído").wait_for()
    assert MovimentoSaneamento.objects.exists()
    _dinheiro_confere(exercicio)

    # Remanejamento constitucional: R$ 120.000,00 para a dotação de saúde.
    page.get_by_role("link", name="Ir ao remanejamento constitucional").click()
    assert "R$ 150.000,00" in page.locator("[data-quatro-figuras]").inner_text()
    page.get_by_label("Dotação de destino (UO · ação · grupo de despesa)").select_option(index=1)
    page.get_by_label("Valor (R$)").fill("120.000,00")
    page.get_by_role("button", name="Salvar linha").click()
    page.get_by_text("Linha do remanejamento constitucional salva").wait_for()
    assert "R$ 30.000,00" in page.locator("[data-quatro-figuras]").inner_text()  # disponível
    page.get_by_role("button", name="Concluir remanejamento constitucional").click()
    confirmar_revisao(page, "Concluir o remanejamento constitucional", "1 linha, total R$ 120.000,00")
    page.get_by_text("Remanejamento constitucional concluído").first.wait_for()
    page.context.clear_cookies()
    _dinheiro_confere(exercicio)

    # --- A lei: a SEGOV registra a sanção; a linha programada vira o inciso P (o dinheiro sai do reservado ao PL).
    entrar(page, base, "segov@segov.test")
    page.wait_for_url(base + "/**")
    v.abrir(base + "/emendas/segov/lei-remanejamento/")
    page.get_by_label("Número da lei").fill("23.765")
    page.get_by_label("Data da sanção").fill(hoje.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Registrar a lei").click()
    confirmar_revisao(page, "Registrar a lei nº 23.765", "1 inciso P, total R$ 120.000,00")
    page.get_by_text("1 inciso(s) P criado(s)").wait_for()
    page.context.clear_cookies()
    inciso_p = Inciso.objects.get(tipo="P")
    assert inciso_p.valor_inicial == M("120000.00") and inciso_p.inciso_origem_id == inciso.pk
    _dinheiro_confere(exercicio)

    # --- Antes da janela P, o inciso P é só leitura; depois que ela abre (hoje), Ana indica R$ 100.000,00 dele
    # para um convênio com a Associação Vida Nova.
    entrar(page, base, "ana@almg.test")
    page.wait_for_url(base + "/**")
    v.abrir(f"{base}/emendas/incisos/{inciso_p.pk}/")
    abre = JanelaOperacao.objects.get(exercicio=exercicio, trilha=Trilha.P,
                                      tipo=TipoJanela.INDICACAO_CANCELAMENTO).inicio
    assert abre == exercicio.data_publicacao_loa + timedelta(days=225) > hoje
    assert f"as indicações abrem em {abre:%d/%m/%Y}" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Indicar", exact=True).count() == 0
    _abrir_hoje(exercicio, trilha=Trilha.P)
    v.abrir(f"{base}/emendas/incisos/{inciso_p.pk}/")
    page.get_by_role("link", name="Indicar", exact=True).click()
    page.wait_for_url(f"**/emendas/indicacoes/inciso/{inciso_p.pk}/nova/")
    page.locator("#id_forma_execucao").select_option(label="Celebração de convênio / parceria")
    page.get_by_label("Objeto / tipo de atendimento").fill("Reforma da creche")
    page.get_by_label("CNPJ, razão social, município").fill("Vida Nova")
    page.get_by_role("button", name="Usar este beneficiário").click()
    page.get_by_label("Valor 1 (R$)").fill("100.000,00")
    page.get_by_role("button", name="Revisar indicações").click()
    page.get_by_role("button", name="Confirmar e enviar 1 indicação").click()
    page.get_by_text("1 indicação(ões) enviada(s) ao órgão").wait_for()
    ind_p = Indicacao.objects.get(inciso=inciso_p)
    assert (ind_p.valor, ind_p.forma_execucao, ind_p.beneficiario_id) == (
        M("100000.00"), "CONVENIO", ano["convenente"].pk)
    v.abrir(f"{base}/emendas/incisos/{inciso_p.pk}/")
    _foto(page, "inciso-p-indicado")
    page.context.clear_cookies()
    _dinheiro_confere(exercicio)

    # --- Os R$ 20.000,00 restantes do inciso P, numa segunda indicação para o mesmo convênio; o órgão e a SEGOV
    # aprovam as duas e o convenente faz a proposta com ambas (telas com testes próprios): pelo serviço.
    outra_p = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso_p, forma_execucao="CONVENIO",
                                  valor=M("20000.00"), beneficiario=ano["convenente"], objeto="Equipamentos da creche")
    for i in (ind_p, outra_p):
        em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=i)
        em.aprovar_indicacao_segov(usuario=segov, indicacao=i)
        i.refresh_from_db()
    p = conv.gerar_proposta(usuario=ano["cadastrador"], convenente=ano["convenente"], objeto="Reforma da creche",
                            indicacoes={ind_p: ind_p.valor, outra_p: outra_p.valor})
    conv.enviar_proposta(usuario=ano["cadastrador"], proposta=p)
    conv.receber_proposta(usuario=analista_orgao, proposta=p)
    conv.aprovar_proposta(usuario=analista_orgao, proposta=p)
    p.refresh_from_db()
    assert p.status == Proposta.Status.APROVADA
    _dinheiro_confere(exercicio)
    url = f"{base}/convenios/propostas/{p.pk}/"
    resumo = "1 indicação, total R$ 100.000,00"

    # --- Formalização: a SEGOV autoriza o plano (o instrumento recebe o número).
    entrar(page, base, "segov@segov.test")
    page.wait_for_url(base + "/**")
    v.abrir(url)
    page.get_by_role("button", name="Autorizar o plano (SEGOV)").click()
    confirmar_revisao(page, "Autorizar o plano e numerar o instrumento", "2 indicações, total R$ 120.000,00")
    page.get_by_text("o instrumento tem número").first.wait_for()
    p.refresh_from_db()
    assert p.status == Proposta.Status.PLANO_AUTORIZADO and p.numero_instrumento.endswith(f"/{exercicio.ano}")
    page.context.clear_cookies()

    # O órgão dá um impedimento de ordem técnica à segunda indicação dentro da proposta (o canal obrigatório das
    # indicações de convênio): sai da proposta e é reprovada; na janela P o valor volta ao saldo livre do inciso P.
    entrar(page, base, "analista@saude.test")
    page.wait_for_url(base + "/**")
    v.abrir(url)
    page.locator("summary", has_text="Impedimento de ordem técnica").click()
    page.locator("#id_iot_indicacao").select_option(str(outra_p.pk))
    page.locator("#id_iot_categoria").select_option(index=1)
    page.locator("#id_iot_justificativa").fill("Sem orçamento detalhado dos equipamentos.")
    _foto(page, "iot-na-proposta")
    page.get_by_role("button", name="Reprovar a indicação").click()
    confirmar_revisao(page, "Reprovar a indicação", "1 indicação, total R$ 20.000,00")
    page.get_by_text("retirada da proposta").first.wait_for()
    outra_p.refresh_from_db()
    assert outra_p.status == Indicacao.Status.REPROVADA and p.usos.count() == 1
    assert outra_p.saldo_devolucao == OrigemSaldo.LIVRE
    page.context.clear_cookies()
    _dinheiro_confere(exercicio)

    # O representante legal do convenente assina com uma testemunha.
    entrar(page, base, "vida@nova.test")
    page.wait_for_url(base + "/**")
    v.abrir(url)
    page.get_by_label("Nome da testemunha").fill("Teresa Testemunha")
    page.get_by_label("CPF da testemunha").fill("529.982.247-25")
    page.get_by_role("button", name="Assinar (representante legal)").click()
    confirmar_revisao(page, "Assinar (representante legal do convenente)", resumo)
    page.get_by_text("assinada pelo convenente").first.wait_for()
    page.context.clear_cookies()

    # O concedente assina e registra a publicação: VIGENTE. Depois pede a primeira parcela.
    entrar(page, base, "analista@saude.test")
    page.wait_for_url(base + "/**")
    v.abrir(url)
    page.get_by_role("button", name="Assinar (concedente)").click()
    confirmar_revisao(page, "Assinar (concedente)", resumo)
    page.get_by_text("aguarda a publicação").first.wait_for()
    page.get_by_role("button", name="Registrar a publicação").click()
    confirmar_revisao(page, "Registrar a publicação", resumo)
    page.get_by_text("o instrumento está vigente").first.wait_for()
    v.conferir("proposta vigente")
    p.refresh_from_db()
    assert p.status == Proposta.Status.VIGENTE and p.data_publicacao is not None
    assert "Extrato do convênio de saída nº" in page.locator("main").inner_text()
    _foto(page, "convenio-vigente")
    _dinheiro_confere(exercicio)

    # --- Liberação: o concedente pede R$ 40.000,00; a SEGOV autoriza.
    page.get_by_label("Valor da parcela (R$)").fill("40.000,00")
    page.get_by_role("button", name="Solicitar liberação").click()
    confirmar_revisao(page, "Solicitar liberação", "1 parcela, total R$ 40.000,00")
    page.get_by_text("Parcela 1 solicitada").wait_for()
    page.context.clear_cookies()

    entrar(page, base, "segov@segov.test")
    page.wait_for_url(base + "/**")
    v.abrir(f"{base}/convenios/liberacoes/")
    page.get_by_role("button", name="Autorizar").click()
    confirmar_revisao(page, "Autorizar a liberação", "1 parcela, total R$ 40.000,00")
    page.get_by_text("autorizada").first.wait_for()
    assert p.liberacoes.get().status == "AUTORIZADA"
    assert conv.valor_a_liberar(p) == M("60000.00")
    v.fechar()

    # --- O fim do ano no banco: o invariante e para onde foi cada real do inciso S.
    _dinheiro_confere(exercicio)
    # Hoje (último dia da escolha e da janela P): do S, 120 mil viraram o P; 100 mil sanados voltaram a estar
    # indicados; os 30 mil guardados e não programados e os 700 mil nunca indicados já não são impositivos; os
    # 50 mil nem sanados nem guardados seguem reservados ao PL até o fim da escolha. Do P, 100 mil no convênio e os
    # 20 mil da indicação reprovada na proposta de volta ao saldo livre.
    assert _baldes(inciso, hoje) == {"valor_inciso": M("880000.00"), "indicado": M("100000.00"),
                                     "nao_impositivo": M("730000.00"), "reservado_pl": M("50000.00")}
    assert _baldes(inciso_p, hoje) == {"valor_inciso": M("120000.00"), "indicado": M("100000.00"),
                                       "livre": M("20000.00"), "disponivel_indicacao": M("20000.00")}
    # Amanhã, com a escolha e a janela P encerradas, o que sobrou perde a impositividade.
    amanha = hoje + timedelta(days=1)
    assert _baldes(inciso, amanha) == {"valor_inciso": M("880000.00"), "indicado": M("100000.00"),
                                       "nao_impositivo": M("780000.00")}
    assert _baldes(inciso_p, amanha) == {"valor_inciso": M("120000.00"), "indicado": M("100000.00"),
                                         "nao_impositivo": M("20000.00")}
