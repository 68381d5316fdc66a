"""Priorização das indicações impositivas (§7.7): ordem inicial, mover (não trocar), densa, prazo, P por último."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from auditoria.models import RegistroAuditoria
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import Bloco, CategoriaImpedimento, Indicacao, JanelaOperacao
from emendas.prazos import OrigemSaldo, TipoJanela, Trilha
from emendas.services import (
    aprovar_indicacao_orgao, cancelar_indicacao, enviar_indicacao, reprovar_indicacao, repriorizar_indicacao,
)
from tests.conftest import logado, meio_dia
from envios.unico import novo_token
from tests.fabricas import ler_csv

pytestmark = pytest.mark.django_db
M = Decimal
LIVRE, ENCERRADA = date(2019, 2, 1), date(2019, 3, 20)


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


@pytest.fixture
def p(fabrica, parlamentar, inciso, analista_orgao, segov):
    benef = Convenente.objects.create(cnpj=gerar_cnpj(3), razao_social="Prefeitura de Sabará", municipio="Sabará",
                                      tipo="ADM_MUNICIPAL")
    return {"parl": parlamentar.usuario, "parlamentar": parlamentar, "inciso": inciso, "benef": benef,
            "orgao": analista_orgao, "segov": segov, "fabrica": fabrica,
            "cat": CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()}


def indicar(p, inciso=None, valor="1000.00", **extra):
    with em(extra.pop("dia", LIVRE)):
        return enviar_indicacao(usuario=p["parl"], inciso=inciso or p["inciso"], forma_execucao="CONVENIO",
                                valor=M(valor), beneficiario=p["benef"], objeto="Reforma", **extra)


def ordem(p):
    """Os números das indicações do titular, na ordem de prioridade."""
    return list(Indicacao.objects.filter(prioridade__isnull=False, inciso__emenda__parlamentar=p["parlamentar"])
                .order_by("prioridade").values_list("numero", flat=True))


def prioridades(p):
    return sorted(Indicacao.objects.filter(prioridade__isnull=False, inciso__emenda__parlamentar=p["parlamentar"])
                  .values_list("prioridade", flat=True))


def mover(p, ind, posicao, dia=LIVRE, usuario=None):
    with em(dia):
        return repriorizar_indicacao(usuario=usuario or p["parl"], indicacao=ind, posicao=posicao)


def test_ordem_inicial_e_a_de_criacao(p):
    a, b, c = indicar(p), indicar(p), indicar(p)
    assert [a.prioridade, b.prioridade, c.prioridade] == [1, 2, 3]
    assert ordem(p) == [a.numero, b.numero, c.numero]


def test_repriorizar_move_e_nao_troca(p):
    a, b, c, d = (indicar(p) for _ in range(4))
    movida = mover(p, a, 3)
    assert movida.prioridade == 3
    assert ordem(p) == [b.numero, c.numero, a.numero, d.numero]  # a antiga 2ª virou 1ª, a 3ª virou 2ª
    mover(p, d, 1)
    assert ordem(p) == [d.numero, b.numero, c.numero, a.numero]


def test_mudanca_e_auditada_e_mesma_posicao_nao_registra(p):
    a, _ = indicar(p), indicar(p)
    mover(p, a, 1)
    assert not RegistroAuditoria.objects.filter(acao="indicacao.repriorizar").exists()
    mover(p, a, 2)
    registro = RegistroAuditoria.objects.get(acao="indicacao.repriorizar")
    assert registro.antes == {"prioridade": 1} and registro.usuario == p["parl"]
    assert registro.depois == {"prioridade": 2, "em_nome_de": p["parl"].parlamentar.pk}  # por quem agiu


def test_fica_densa_depois_de_cancelamento_e_reprovacao(p):
    a, b, c, d = (indicar(p) for _ in range(4))
    with em(LIVRE):
        cancelar_indicacao(usuario=p["parl"], indicacao=b, justificativa="Desisti")
        reprovar_indicacao(usuario=p["orgao"], indicacao=a, categoria=p["cat"], justificativa="IOT")
    assert ordem(p) == [c.numero, d.numero] and prioridades(p) == [1, 2]
    assert Indicacao.objects.get(pk=b.pk).prioridade is None and Indicacao.objects.get(pk=a.pk).prioridade is None
    e = indicar(p)
    assert e.prioridade == 3


def test_indicacoes_de_inciso_p_ficam_depois_das_outras(p, exercicio):
    inciso_p = p["fabrica"].inciso(p["parlamentar"], "500000.00", tipo="P")
    # A indicação e a priorização da trilha P têm as suas janelas (padrão: D0+225 a D0+250); aqui abertas junto com
    # a S/R.
    JanelaOperacao.objects.filter(exercicio=exercicio, trilha=Trilha.P, tipo__in=[
        TipoJanela.PRIORIZACAO, TipoJanela.INDICACAO_CANCELAMENTO]).update(inicio=date(2019, 1, 26))
    s1 = indicar(p)
    p1 = indicar(p, inciso=inciso_p)
    s2 = indicar(p)  # enviada depois da P, mas entra antes dela
    assert ordem(p) == [s1.numero, s2.numero, p1.numero]
    with pytest.raises(ValidationError, match=r"pode ir da posição 1 à 2. As indicações de inciso P ficam por último"):
        mover(p, s1, 3)
    with pytest.raises(ValidationError, match="pode ir da posição 3 à 3"):
        mover(p, Indicacao.objects.get(pk=p1.pk), 1)


def test_indicacao_do_saldo_nao_impositivo_nao_tem_prioridade(p, exercicio):
    exercicio.nao_impositivo_habilitado = True
    exercicio.save()
    indicar(p)
    Indicacao.objects.update(origem_saldo=OrigemSaldo.NAO_IMPOSITIVO, prioridade=None)  # dinheiro depois do prazo
    ni = Indicacao.objects.get()
    with pytest.raises(ValidationError, match="só as impositivas ativas"):
        mover(p, ni, 1)


def test_so_dentro_do_prazo_de_priorizacao(p, exercicio, segov):
    a, _ = indicar(p), indicar(p)
    with pytest.raises(ValidationError, match=r"\(Incisos S/R, de 26/01/2019 a 11/03/2019\) terminou em 11/03/2019"):
        mover(p, a, 2, dia=ENCERRADA)
    with pytest.raises(ValidationError, match="começa em 26/01/2019"):
        mover(p, a, 2, dia=date(2019, 1, 20))
    # A SEGOV estende o prazo no calendário: a mesma mudança passa a valer.
    JanelaOperacao.objects.filter(exercicio=exercicio, trilha=Trilha.SR, tipo=TipoJanela.PRIORIZACAO).update(
        fim=date(2019, 3, 31))
    a.inciso.exercicio.__dict__.pop("janelas", None)
    assert mover(p, a, 2, dia=ENCERRADA).prioridade == 2


def test_outro_parlamentar_e_membro_do_bloco_nao_repriorizam(p, outro_parlamentar, fabrica):
    a, _ = indicar(p), indicar(p)
    with pytest.raises(PermissionDenied):
        mover(p, a, 2, usuario=outro_parlamentar.usuario)
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=p["parlamentar"])
    bloco.membros.add(outro_parlamentar)
    do_bloco = fabrica.inciso(bloco, "100000.00")
    x, _ = indicar(p, inciso=do_bloco), indicar(p, inciso=do_bloco)
    with pytest.raises(PermissionDenied):
        mover(p, x, 2, usuario=outro_parlamentar.usuario)
    assert Indicacao.objects.get(pk=x.pk).prioridade == 1
    assert mover(p, x, 2).prioridade == 2  # o responsável pelo bloco prioriza; a ordem do bloco é só dele


@pytest.mark.parametrize("posicao, trecho", [("0", "fora da faixa"), ("3", "fora da faixa"),
                                             ("primeira", "número inteiro"), ("", "número inteiro")])
def test_posicao_invalida_e_recusada(p, posicao, trecho):
    a, _ = indicar(p), indicar(p)
    with pytest.raises(ValidationError, match=trecho):
        mover(p, a, posicao)
    assert Indicacao.objects.get(pk=a.pk).prioridade == 1


def test_cancelada_nao_e_repriorizada(p):
    a, _ = indicar(p), indicar(p)
    with em(LIVRE):
        cancelar_indicacao(usuario=p["parl"], indicacao=a, justificativa="Desisti")
    with pytest.raises(ValidationError, match="não entra na priorização"):
        mover(p, Indicacao.objects.get(pk=a.pk), 1)


def test_prioridade_na_aprovacao_nao_muda(p):
    a, b = indicar(p), indicar(p)
    with em(LIVRE):
        aprovar_indicacao_orgao(usuario=p["orgao"], indicacao=b)
    assert ordem(p) == [a.numero, b.numero]


# ---------------------------------------------------------------------------
# Telas

def test_tela_de_priorizacao_e_repriorizar_sem_javascript(p):
    a, b, c = indicar(p), indicar(p), indicar(p)
    cliente = logado(p["parl"])
    with em(LIVRE):
        html = cliente.get(reverse("emendas:priorizacao")).content.decode()
        assert "Priorização das Indicações Impositivas" in html and f'id="posicao-{a.pk}"' in html
        assert "aberto hoje" in html
        pagina = cliente.get(reverse("emendas:priorizacao"))
        token = pagina.context["csrf_token"]
        r = cliente.post(reverse("emendas:repriorizar_indicacao", args=[a.pk]),
                         {"posicao": "3", "envio_unico": _token(html, a)}, follow=True)
    assert token and r.status_code == 200
    assert f"Indicação nº {a.numero} agora é a 3ª na ordem de prioridade." in r.content.decode()
    assert ordem(p) == [b.numero, c.numero, a.numero]


def test_fora_do_prazo_a_tela_nao_oferece_repriorizar_e_o_post_e_recusado_com_mensagem(p):
    a, _ = indicar(p), indicar(p)
    cliente = logado(p["parl"])
    with em(ENCERRADA):
        fora = cliente.get(reverse("emendas:priorizacao")).content.decode()
        # Uma aba aberta antes do fim do prazo (o token é de hoje: o de ontem já teria expirado).
        r = cliente.post(reverse("emendas:repriorizar_indicacao", args=[a.pk]),
                         {"posicao": "2", "envio_unico": novo_token(p["parl"])}, follow=True)
    assert "fora do prazo" in fora and f'id="posicao-{a.pk}"' not in fora
    assert "terminou em 11/03/2019" in r.content.decode() and ordem(p)[0] == a.numero


def test_prioridade_aparece_na_indicacao_e_em_valores_indicados(p, django_assert_max_num_queries):
    a, b = indicar(p), indicar(p)
    cliente = logado(p["parl"])
    detalhe = cliente.get(reverse("emendas:indicacao", args=[b.pk])).content.decode()
    assert "2ª do titular no exercício" in detalhe
    r = cliente.get(reverse("relatorio_indicacoes"), {"ordem": "prioridade"})
    html = r.content.decode()
    assert "Prioridade" in html
    assert [i.prioridade for i in r.context["pagina"].object_list] == [1, 2]
    cabecalho, linhas = ler_csv(cliente.get(reverse("relatorio_indicacoes_csv")))
    coluna = cabecalho.index("Prioridade")
    assert sorted(linha["Prioridade"] for linha in linhas) == ["1", "2"] and coluna > 0


def _token(html, ind):
    """O token de envio único do formulário de repriorizar da indicação *ind* na página."""
    trecho = html.split(f'action="{reverse("emendas:repriorizar_indicacao", args=[ind.pk])}"', 1)[1]
    return trecho.split('name="envio_unico" value="', 1)[1].split('"', 1)[0]


def test_migracao_da_a_prioridade_inicial_as_indicacoes_existentes(p, exercicio):
    import importlib

    from django.apps import apps

    inciso_p = p["fabrica"].inciso(p["parlamentar"], "500000.00", tipo="P")
    # A indicação de inciso P só abre na janela da trilha P: aqui aberta junto com a S/R.
    JanelaOperacao.objects.filter(exercicio=exercicio, trilha=Trilha.P, tipo=TipoJanela.INDICACAO_CANCELAMENTO
                                  ).update(inicio=date(2019, 1, 26))
    a, x, b = indicar(p), indicar(p, inciso=inciso_p), indicar(p)
    c = indicar(p)
    with em(LIVRE):
        cancelar_indicacao(usuario=p["parl"], indicacao=c, justificativa="Desisti")
    Indicacao.objects.update(prioridade=None)  # como estavam antes da migração
    importlib.import_module("emendas.migrations.0014_janelas_e_prioridade").criar_janelas_e_prioridades(apps, None)
    assert ordem(p) == [a.numero, b.numero, x.numero]  # criação, a de inciso P por último, a cancelada fora
    assert Indicacao.objects.get(pk=c.pk).prioridade is None
