from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import CategoriaImpedimento, Indicacao
from emendas.services import aprovar_indicacao_orgao, devolver_para_ajuste, enviar_indicacao
from notificacoes.models import EmailPendente
from tests.conftest import logado, meio_dia

pytestmark = pytest.mark.django_db
LIVRE, RESTRITA = date(2019, 2, 1), date(2019, 3, 1)


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def c(inciso, parlamentar, analista_orgao, segov):
    p1 = Convenente.objects.create(cnpj=gerar_cnpj(11), razao_social="Prefeitura de Betim", municipio="Betim",
                                   tipo="ADM_MUNICIPAL", situacao_cagec="IRREGULAR", siafi_bloqueado=True,
                                   siafi_motivo="Omissão na prestação de contas")
    p2 = Convenente.objects.create(cnpj=gerar_cnpj(12), razao_social="APAE de Contagem", municipio="Contagem", tipo="OSC")
    return {"inciso": inciso, "parl": parlamentar.usuario, "orgao": analista_orgao, "segov": segov, "p1": p1, "p2": p2}


def nova(c, **dados):
    base = {"forma_execucao": "CONVENIO", "objeto": "Reforma da UBS", "cnpj_1": c["p1"].cnpj_formatado,
            "valor_1": "100.000,00", "acao": "confirmar"}
    return logado(c["parl"]).enviar(reverse("emendas:nova_indicacao", args=[c["inciso"].pk]), {**base, **dados})


def ind(c, valor="1000.00"):
    return enviar_indicacao(usuario=c["parl"], inciso=c["inciso"], forma_execucao="CONVENIO", valor=Decimal(valor),
                            beneficiario=c["p1"], objeto="Obra")


def test_lista_de_incisos_com_busca_e_expandir(c):
    i = ind(c, "123.45")
    r = logado(c["parl"]).get(reverse("emendas:indicacoes"))
    html = r.content.decode()
    assert "S501" in html and "R$ 999.876,55" in html and "Expandir inciso S501: 1 indicação" in html
    r = logado(c["parl"]).get(reverse("emendas:indicacoes"), {"busca": str(i.numero)})
    assert len(r.context["linhas"]) == 1 and r.context["linhas"][0]["expandido"]
    r = logado(c["parl"]).get(reverse("emendas:indicacoes"), {"busca": "S999"})
    assert r.context["linhas"] == []


def test_linhas_das_indicacoes_na_lista_de_incisos(c):
    """As linhas das indicações saem da tag (não do laço do template): link, forma, beneficiário (escapado), valor,
    saldo e o selo da situação, e "a definir pelo órgão" sem beneficiário."""
    c["p1"].razao_social = "Prefeitura <Betim> & Cia"
    c["p1"].save()
    com = ind(c, "123.45")
    sem = ind(c, "10.00")
    Indicacao.objects.filter(pk=sem.pk).update(beneficiario=None, forma_execucao="EXECUCAO_DIRETA")
    html = logado(c["parl"]).get(reverse("emendas:indicacoes")).content.decode()
    url = reverse("emendas:indicacao", args=[com.pk])
    marcar = (f'<td data-label="Marcar"><input class="form-check-input" type="checkbox" name="selecionados" '
              f'value="{com.pk}" form="form-cancelar-varias" id="marcar-{com.pk}">')
    assert (f'<tr>{marcar}') in html
    assert (f'<td data-label="Nº"><a href="{url}">{com.numero}</a></td>'
            '<td data-label="Forma">Celebração de convênio / parceria</td>'
            '<td data-label="Beneficiário">Prefeitura &lt;Betim&gt; &amp; Cia (Betim)</td>'
            '<td data-label="Valor" class="valor">R$ 123,45</td>') in html
    assert (f'<a href="{url}"><span class="badge situacao situacao-azul" data-situacao="EM_ANALISE_ORGAO">'
            f'{com.get_status_display()}</span></a>') in html
    assert ('<td data-label="Forma">Aplicação direta – execução direta</td>'
            '<td data-label="Beneficiário">a definir pelo órgão</td>') in html
    assert f'<a href="{reverse("emendas:indicacao", args=[sem.pk])}"><span class="badge situacao situacao-azul"' in html


def test_envio_com_dois_beneficiarios(c):
    r = nova(c, cnpj_2=c["p2"].cnpj, valor_2="50,50")
    assert r.status_code == 302
    assert list(Indicacao.objects.order_by("numero").values_list("beneficiario__razao_social", "valor")) == [
        ("Prefeitura de Betim", Decimal("100000.00")), ("APAE de Contagem", Decimal("50.50"))]


@pytest.mark.parametrize("dados, trecho", [
    ({"cnpj_1": "11.111.111/1111-11"}, "CNPJ inválido"),
    ({"cnpj_1": gerar_cnpj(999)}, "Convenente não cadastrado"),
    ({"valor_1": "-5,00"}, "negativo"),
    ({"valor_1": ""}, "Informe o valor"),
    ({"cnpj_1": "", "valor_1": ""}, "Inclua ao menos um beneficiário"),
    ({"objeto": ""}, "obrigatório"),
    ({"forma_execucao": "CAIXA_ESCOLAR"}, "Faça uma escolha válida"),
    ({"valor_1": "2.000.000,00"}, "O total das linhas, R$ 2.000.000,00, passa o saldo livre disponível"),
])
def test_envio_invalido_mostra_mensagem_e_nao_grava(c, dados, trecho):
    r = nova(c, **dados)
    assert r.status_code == 200 and trecho in r.content.decode()
    assert not Indicacao.objects.exists()


def test_uma_linha_errada_nao_grava_nenhuma(c):
    r = nova(c, cnpj_2=c["p2"].cnpj, valor_2="900.000,01")
    assert "valor_2" in r.context["form"].errors and not Indicacao.objects.exists()


def test_na_janela_restrita_a_escolha_do_saldo_e_obrigatoria(c):
    with time_machine.travel(meio_dia(RESTRITA), tick=False):
        r = nova(c)
        assert "Este campo é obrigatório" in r.content.decode()
        r = nova(c, origem_saldo="SEM_REMANEJAMENTO")
        assert r.status_code == 302
    assert Indicacao.objects.get().origem_saldo == "SEM_REMANEJAMENTO"


def test_busca_de_beneficiario_mostra_situacao_cagec_e_siafi(c):
    r = logado(c["parl"]).get(reverse("emendas:buscar_beneficiarios"), {"q": "betim"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "Prefeitura de Betim" in html and "Irregular" in html and "bloqueado" in html
    # O motivo do bloqueio é dado fiscal do convenente: só o órgão e a SEGOV o leem.
    assert "Omissão na prestação de contas" not in html and "<html" not in html
    r = logado(c["orgao"]).get(reverse("emendas:buscar_beneficiarios"), {"q": "betim"}, HTTP_HX_REQUEST="true")
    assert "Omissão na prestação de contas" in r.content.decode()
    r = logado(c["parl"]).get(reverse("emendas:buscar_beneficiarios"), {"q": c["p2"].cnpj[:8]})
    assert "APAE de Contagem" in r.content.decode() and "<html" in r.content.decode()


def test_outro_parlamentar_nao_ve_nem_indica(c, outro_parlamentar):
    i = ind(c)
    outro = logado(outro_parlamentar.usuario)
    assert outro.get(reverse("emendas:nova_indicacao", args=[c["inciso"].pk])).status_code == 404
    assert outro.get(reverse("emendas:indicacao", args=[i.pk])).status_code == 404
    assert outro.enviar(reverse("emendas:cancelar_indicacao", args=[i.pk]), {"justificativa": "x"}).status_code == 404


def test_cancelar_pede_justificativa_e_confirma(c):
    i = ind(c)
    url = reverse("emendas:cancelar_indicacao", args=[i.pk])
    cli = logado(c["parl"])
    assert "volta para o saldo <strong>livre</strong>" in cli.get(url).content.decode()
    r = cli.enviar(url, {"justificativa": ""})
    assert r.status_code == 200
    i.refresh_from_db()
    assert i.status == "EM_ANALISE_ORGAO"
    assert cli.enviar(url, {"justificativa": "Beneficiário desistiu."}).status_code == 302
    i.refresh_from_db()
    assert i.status == "CANCELADA" and i.justificativa == "Beneficiário desistiu."


def test_orgao_aprova_e_segov_aprova_pela_tela(c):
    i = ind(c)
    r = logado(c["orgao"]).enviar(reverse("emendas:agir_indicacao", args=[i.pk, "aprovar_orgao"]), follow=True)
    assert "aprovada e enviada à SEGOV" in r.content.decode()
    r = logado(c["segov"]).enviar(reverse("emendas:agir_indicacao", args=[i.pk, "aprovar_segov"]), follow=True)
    i.refresh_from_db()
    assert i.status == "APROVADA"


def test_acoes_de_outros_papeis_sao_recusadas(c):
    i = ind(c)
    assert logado(c["parl"]).enviar(reverse("emendas:agir_indicacao", args=[i.pk, "aprovar_orgao"])).status_code == 403
    assert logado(c["orgao"]).enviar(reverse("emendas:agir_indicacao", args=[i.pk, "aprovar_segov"])).status_code == 403
    assert logado(c["segov"]).enviar(reverse("emendas:agir_indicacao", args=[i.pk, "inexistente"])).status_code == 404
    assert logado(c["orgao"]).get(reverse("emendas:agir_indicacao", args=[i.pk, "aprovar_orgao"])).status_code == 405
    assert logado(c["parl"]).get(reverse("emendas:analise_orgao")).status_code == 403
    assert logado(c["orgao"]).get(reverse("emendas:analise_segov")).status_code == 403
    i.refresh_from_db()
    assert i.status == "EM_ANALISE_ORGAO"


def test_orgao_reprova_pela_tela_com_categoria(c):
    i = ind(c)
    cat = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    cli = logado(c["orgao"])
    r = cli.enviar(reverse("emendas:agir_indicacao", args=[i.pk, "reprovar"]), {"justificativa": "x"}, follow=True)
    assert "Escolha a categoria" in r.content.decode()
    cli.enviar(reverse("emendas:agir_indicacao", args=[i.pk, "reprovar"]), {"categoria": cat.pk, "justificativa": "Sem projeto.",
                                                                       "confirmado": "1"})
    i.refresh_from_db()
    assert i.status == "REPROVADA" and i.categoria_impedimento == cat
    r = logado(c["parl"]).get(reverse("emendas:indicacao", args=[i.pk]))
    assert cat.nome in r.content.decode() and "Sem projeto." in r.content.decode()


def test_fila_do_orgao_em_lote(c, fabrica, outro_parlamentar):
    from emendas.models import Acao, UnidadeOrcamentaria

    a, b_ = ind(c, "1.00"), ind(c, "2.00")
    outra_uo = UnidadeOrcamentaria.objects.create(codigo="1261", nome="SEE")
    acao = Acao.objects.create(uo=outra_uo, codigo="2041", nome="Escolas")
    inciso_dele = fabrica.inciso(outro_parlamentar, "10.00", acao=acao)
    de_outra_uo = enviar_indicacao(usuario=outro_parlamentar.usuario, inciso=inciso_dele, forma_execucao="CONVENIO",
                                   valor=Decimal("1.00"), beneficiario=c["p2"], objeto="x")
    cli = logado(c["orgao"])
    r = cli.get(reverse("emendas:analise_orgao"))
    assert {i.pk for i in r.context["pagina"].object_list} == {a.pk, b_.pk}
    r = cli.enviar(reverse("emendas:analise_orgao"), {"selecionados": [a.pk, b_.pk, de_outra_uo.pk], "acao_lote": "devolver",
                                                    "justificativa": "Detalhar o objeto.", "confirmado": "1"}, follow=True)
    assert "2 indicações devolvidas ao parlamentar para ajuste" in r.content.decode()
    assert set(Indicacao.objects.filter(status="AGUARDANDO_AJUSTE").values_list("pk", flat=True)) == {a.pk, b_.pk}
    assert Indicacao.objects.get(pk=de_outra_uo.pk).status == "EM_ANALISE_ORGAO"
    assert EmailPendente.objects.filter(assunto__contains="devolvida para ajuste").count() == 2


def test_fila_da_segov_em_lote_e_consultas_constantes(c):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    primeiras = [ind(c, "1.00") for _ in range(2)]
    for i in primeiras:
        aprovar_indicacao_orgao(usuario=c["orgao"], indicacao=i)
    cli = logado(c["segov"])
    with CaptureQueriesContext(connection) as poucos:
        cli.get(reverse("emendas:analise_segov"))
    for _ in range(20):
        aprovar_indicacao_orgao(usuario=c["orgao"], indicacao=ind(c, "1.00"))
    with CaptureQueriesContext(connection) as muitos:
        r = cli.get(reverse("emendas:analise_segov"))
    assert len(muitos) == len(poucos) and r.context["pagina"].paginator.count == 22
    ids = [i.pk for i in r.context["pagina"].object_list]
    r = cli.enviar(reverse("emendas:analise_segov"), {"selecionados": ids[:3], "acao_lote": "retornar"}, follow=True)
    assert "Informe a justificativa" in r.content.decode()
    cli.enviar(reverse("emendas:analise_segov"), {"selecionados": ids[:3], "acao_lote": "aprovar_segov", "confirmado": "1"})
    assert Indicacao.objects.filter(status="APROVADA").count() == 3


def test_linhas_da_fila_com_a_selecao_o_selo_e_o_texto_escapado(c):
    """As linhas da fila saem do template tag ``linhas_da_fila`` (não do laço do template): o mesmo conteúdo."""
    c["p1"].razao_social, c["p1"].municipio = "Prefeitura <b>de</b> Betim", "Betim & Região"
    c["p1"].save(update_fields=["razao_social", "municipio"])
    a = ind(c, "1234.50")
    html = logado(c["orgao"]).get(reverse("emendas:analise_orgao")).content.decode()
    assert (f'<input class="form-check-input" type="checkbox" name="selecionados" value="{a.pk}" '
            f'aria-label="Selecionar a indicação {a.numero}">') in html
    assert f'<a href="{reverse("emendas:indicacao", args=[a.pk])}">{a.numero}</a>' in html
    assert ("Prefeitura &lt;b&gt;de&lt;/b&gt; Betim <span class=\"text-body-secondary small\">(Betim &amp; Região)"
            "</span>") in html
    assert "R$ 1.234,50" in html and 'data-situacao="EM_ANALISE_ORGAO"' in html and "01/02/2019 12:00" in html
    assert "Nenhuma indicação encontrada." in logado(c["segov"]).get(reverse("emendas:analise_segov")).content.decode()


def test_ajuste_pela_tela(c):
    i = ind(c)
    devolver_para_ajuste(usuario=c["orgao"], indicacao=i, justificativa="Mude para reforma.")
    cli = logado(c["parl"])
    url = reverse("emendas:ajustar_indicacao", args=[i.pk])
    assert "Mude para reforma." in cli.get(url).content.decode()
    cli.enviar(url, {"objeto": "Reforma do Mercado Municipal", "valor": "1,00"})  # valor forjado é ignorado
    i.refresh_from_db()
    assert i.status == "EM_ANALISE_ORGAO" and i.objeto == "Reforma do Mercado Municipal" and i.valor == Decimal("1000")


def test_visualizar_indicacoes_com_filtros_e_historico(c):
    i = ind(c)
    ind(c, "5.00")
    cli = logado(c["parl"])
    r = cli.get(reverse("emendas:visualizar_indicacoes"), {"beneficiario": "betim", "status": "EM_ANALISE_ORGAO"})
    assert r.context["pagina"].paginator.count == 2
    r = cli.get(reverse("emendas:visualizar_indicacoes"), {"municipio": "Contagem"})
    assert r.context["pagina"].paginator.count == 0
    r = cli.get(reverse("emendas:indicacao", args=[i.pk]))
    assert "Enviada usando o saldo livre" in r.content.decode()
    assert logado(c["orgao"]).get(reverse("emendas:visualizar_indicacoes")).context["pagina"].paginator.count == 2


def test_importar_convenentes(tmp_path):
    arquivo = tmp_path / "c.csv"
    arquivo.write_text(f"cnpj;razao_social;municipio;tipo\n{gerar_cnpj(5)};Prefeitura de Sabará;Sabará;ADM_MUNICIPAL\n",
                       encoding="utf-8")
    call_command("importar_convenentes", str(arquivo))
    call_command("importar_convenentes", str(arquivo))
    assert Convenente.objects.get().municipio == "Sabará"
    arquivo.write_text("cnpj;razao_social;municipio;tipo\n12.345.678/0001-00;X;Y;OSC\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Linha 2, campo “cnpj”: CNPJ inválido"):
        call_command("importar_convenentes", str(arquivo))
    arquivo.write_text(f"cnpj;razao_social;municipio;tipo\n{gerar_cnpj(6)};X;Y;ONG\n", encoding="utf-8")
    with pytest.raises(CommandError, match="campo “tipo”"):
        call_command("importar_convenentes", str(arquivo))
    assert Convenente.objects.count() == 1
