"""PDFs grandes (acima de LIMITE_PDF_NA_HORA linhas): pedido, tarefa Celery, acompanhamento e download só do dono."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contas import perfis
from relatorios import services
from relatorios.base import LIMITE_PDF_NA_HORA
from relatorios.models import RelatorioGerado
from relatorios.tasks import gerar_pdf
from tests.relatorios.conftest import logado
from tests.fabricas import lote_incisos, texto_de_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def grande(cenario):
    lote_incisos(cenario, LIMITE_PDF_NA_HORA, indicacoes_por_inciso=1)  # Ana passa a ver LIMITE + 4 incisos
    return cenario


def _conteudo(gerado) -> bytes:
    with gerado.arquivo.open("rb") as arquivo:
        return arquivo.read()


def _pedir(cliente, nome="relatorio_incisos_pdf", **filtros):
    r = cliente.get(reverse(nome), filtros)
    assert r.status_code == 302
    gerado = RelatorioGerado.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))
    assert r["Location"] == reverse("relatorio_gerado", args=[gerado.pk])
    return gerado


@pytest.mark.pdf
def test_ate_o_limite_o_pdf_sai_na_hora(cenario):
    lote_incisos(cenario, LIMITE_PDF_NA_HORA - 5, indicacoes_por_inciso=0)  # SEGOV: exatamente o limite
    r = logado(cenario["segov"]).get(reverse("relatorio_incisos_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert not RelatorioGerado.objects.exists()


@pytest.mark.pdf
def test_pdf_grande_vai_para_a_fila_e_o_dono_baixa(grande, tmp_path, celery_na_hora,
                                                   django_capture_on_commit_callbacks):
    ana = logado(grande["ana"])
    with django_capture_on_commit_callbacks(execute=True):
        gerado = _pedir(ana, ordem="inciso")
    gerado.refresh_from_db()
    # A tarefa (na hora, celery_na_hora) gerou o arquivo depois do commit.
    assert gerado.status == RelatorioGerado.Status.PRONTO and gerado.progresso == 100
    assert gerado.usuario == grande["ana"] and gerado.nome == "incisos" and gerado.linhas == LIMITE_PDF_NA_HORA + 4
    assert gerado.parametros == {"ordem": "inciso"} and gerado.nome_arquivo == "incisos-2019.pdf"
    assert _conteudo(gerado).startswith(b"%PDF")

    pagina = ana.get(reverse("relatorio_gerado", args=[gerado.pk]))
    html = pagina.content.decode()
    assert pagina.status_code == 200 and reverse("relatorio_gerado_baixar", args=[gerado.pk]) in html
    assert "hx-trigger" not in html and "http-equiv" not in html  # pronto: nada mais a atualizar

    baixado = ana.get(reverse("relatorio_gerado_baixar", args=[gerado.pk]))
    assert baixado.status_code == 200 and baixado["Content-Type"] == "application/pdf"
    assert baixado["Content-Disposition"] == 'attachment; filename="incisos-2019.pdf"'
    texto = texto_de_pdf(b"".join(baixado.streaming_content), tmp_path)
    # Mesmo PDF da requisição direta: cabeçalho, visibilidade da Ana, total e páginas.
    assert "SIGCON Saída – Incisos" in texto and "Emitido por Ana Lacerda" in texto
    assert f"Total ({LIMITE_PDF_NA_HORA + 4} incisos)" in texto and "Página 1 de" in texto and "S503" not in texto


@pytest.mark.parametrize("outro", ["bruno", "segov", "visualizador"])
def test_so_o_dono_ve_e_baixa(grande, outro):
    gerado = _pedir(logado(grande["ana"]))
    # Pronto sem gerar (mais rápido): o que se confere aqui é só o dono.
    gerado.arquivo.save("incisos.pdf", ContentFile(b"%PDF-1.7"), save=False)
    gerado.status = RelatorioGerado.Status.PRONTO
    gerado.save()
    assert logado(grande["ana"]).get(reverse("relatorio_gerado_baixar", args=[gerado.pk])).status_code == 200
    c = logado(grande[outro])
    assert c.get(reverse("relatorio_gerado", args=[gerado.pk])).status_code == 404
    assert c.get(reverse("relatorio_gerado_baixar", args=[gerado.pk])).status_code == 404


@pytest.mark.pdf
def test_pagina_de_acompanhamento_atualiza_com_htmx_e_sem_js(grande, celery_na_hora):
    ana = logado(grande["ana"])
    gerado = _pedir(ana, uo="4291")  # sem executar os callbacks: continua pendente
    gerado.refresh_from_db()
    assert gerado.status == RelatorioGerado.Status.PENDENTE
    url = reverse("relatorio_gerado", args=[gerado.pk])
    html = ana.get(url).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert f"Preparando o PDF ({LIMITE_PDF_NA_HORA + 3} linhas)" in html
    assert '<progress class="andamento" value="0" max="100" aria-label="Andamento">0%</progress>' in html
    # Ainda não pronto: nada para baixar.
    assert ana.get(reverse("relatorio_gerado_baixar", args=[gerado.pk])).status_code == 404
    # Um segundo clique com os mesmos filtros reaproveita o pedido.
    assert _pedir(ana, uo="4291").pk == gerado.pk

    assert gerar_pdf.delay(gerado.pk).get() is True
    fragmento = ana.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragmento.lstrip().startswith('<div id="relatorio-gerado"') and "<html" not in fragmento
    assert "hx-trigger" not in fragmento and "Baixar PDF" in fragmento


@pytest.mark.pdf
def test_tarefa_e_idempotente(grande):
    gerado = _pedir(logado(grande["segov"]), "relatorio_parlamentares_pdf")
    assert services.gerar(relatorio_id=gerado.pk) is True
    gerado.refresh_from_db()
    arquivo, concluido = _conteudo(gerado), gerado.concluido_em
    assert services.gerar(relatorio_id=gerado.pk) is False  # segunda vez: nada muda
    gerado.refresh_from_db()
    assert _conteudo(gerado) == arquivo and gerado.concluido_em == concluido
    assert gerado.nome_arquivo == "parlamentares-2019.pdf"
    assert services.gerar(relatorio_id=999999) is False


def test_usuario_que_perdeu_o_acesso_recebe_erro(grande):
    gerado = _pedir(logado(grande["ana"]))
    grande["ana"].groups.remove(Group.objects.get(name=perfis.PARLAMENTAR))
    assert services.gerar(relatorio_id=gerado.pk) is False
    gerado.refresh_from_db()
    assert gerado.status == RelatorioGerado.Status.ERRO and "Relatório disponível para" in gerado.erro
    assert not gerado.arquivo
    grande["ana"].groups.add(Group.objects.get(name=perfis.PARLAMENTAR))
    html = logado(grande["ana"]).get(reverse("relatorio_gerado", args=[gerado.pk])).content.decode()
    assert "Não foi possível gerar o PDF" in html and "hx-trigger" not in html


def test_fila_fora_do_ar_vira_erro_visivel(grande, broker_fora_do_ar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        gerado = _pedir(logado(grande["segov"]))
    gerado.refresh_from_db()
    assert gerado.status == RelatorioGerado.Status.ERRO and "fila de processamento está indisponível" in gerado.erro


def test_limpeza_apaga_os_antigos(cenario):
    antigo = RelatorioGerado.objects.create(usuario=cenario["ana"], nome="incisos",
                                            criado_em=timezone.now() - timedelta(days=8))
    recente = RelatorioGerado.objects.create(usuario=cenario["ana"], nome="incisos")
    assert services.apagar_antigos() == 1
    assert list(RelatorioGerado.objects.values_list("pk", flat=True)) == [recente.pk]
    assert not RelatorioGerado.objects.filter(pk=antigo.pk).exists()


@pytest.mark.parametrize("nome", ["remanejamentos", "indicacoes"])
@pytest.mark.pdf
def test_pdf_grande_dos_relatorios_de_remanejamento_e_indicacao_vai_para_a_fila(
        nome, programacoes, inciso, parlamentar, segov, acao_saude_2, grupo_inv, celery_na_hora,
        django_capture_on_commit_callbacks):
    from datetime import date
    from decimal import Decimal

    import time_machine
    from django.test import Client
    from django.urls import reverse

    from emendas.models import Indicacao, Remanejamento
    from relatorios.base import LIMITE_PDF_NA_HORA
    from relatorios.models import RelatorioGerado
    from tests.conftest import meio_dia

    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        comum = {"valor": Decimal("1.00"), "solicitado_por": parlamentar.usuario}
        if nome == "remanejamentos":
            Remanejamento.objects.bulk_create([
                Remanejamento(inciso_origem=inciso, acao=acao_saude_2, grupo_despesa=grupo_inv, saldo_origem="LIVRE",
                              **comum) for _ in range(LIMITE_PDF_NA_HORA + 1)])
        else:
            Indicacao.objects.bulk_create([
                Indicacao(exercicio=inciso.exercicio, numero=k + 1, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                          objeto="x", valor=Decimal("1.00"), origem_saldo="LIVRE", enviada_por=parlamentar.usuario)
                for k in range(LIMITE_PDF_NA_HORA + 1)])
    c = Client()
    c.force_login(segov)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.get(reverse(f"relatorio_{nome}_pdf"))
    gerado = RelatorioGerado.objects.get()
    assert r.status_code == 302 and r.url == reverse("relatorio_gerado", args=[gerado.pk])
    gerado.refresh_from_db()
    assert gerado.status == RelatorioGerado.Status.PRONTO and _conteudo(gerado).startswith(b"%PDF")
    assert c.get(reverse("relatorio_gerado_baixar", args=[gerado.pk]))["Content-Type"] == "application/pdf"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="cursor_tuple_fraction é uma configuração do PostgreSQL")
def test_o_csv_do_celery_le_com_o_plano_para_todas_as_linhas_e_depois_volta_ao_padrao():
    def fracao():
        with connection.cursor() as cursor:
            cursor.execute("SHOW cursor_tuple_fraction")
            return cursor.fetchone()[0]

    padrao = fracao()
    with services.plano_para_ler_tudo():
        assert fracao() == "1"
    assert fracao() == padrao
    with pytest.raises(RuntimeError), services.plano_para_ler_tudo():
        raise RuntimeError("falhou no meio")
    assert fracao() == padrao
