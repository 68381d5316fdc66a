"""Uma nova carga da LOA nunca quebra o invariante: nada abaixo do comprometido, nada muda de dono ou de
programação num inciso com movimentos. A recusa é do arquivo inteiro, pelo comando e pela tela."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emendas import selectors
from emendas.importacao import ErroImportacao, importar_loa
from emendas.models import Inciso, Parlamentar
from emendas.services import aprovar_remanejamento, enviar_indicacao, solicitar_remanejamento
from tests.conftest import logado, meio_dia
from tests.emendas.test_importacao import BOA, PUB, estado_do_banco

pytestmark = pytest.mark.django_db
LIVRE = date(2027, 2, 1)


def _com_indicacao(valor="4000.00", numero="S530"):
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    inciso = Inciso.objects.get(numero=numero)
    titular = inciso.emenda.parlamentar.usuario
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        enviar_indicacao(usuario=titular, inciso=inciso, forma_execucao="EXECUCAO_DIRETA", valor=Decimal(valor),
                         objeto="Obra")
    return inciso


def _boa_com(valor_s530):
    return BOA.replace(b"4470;Aten\xc3\xa7\xc3\xa3o prim\xc3\xa1ria;4;Investimentos;1.000.000,00",
                       f"4470;Atenção primária;4;Investimentos;{valor_s530}".encode())


def test_carga_que_baixaria_inciso_indicado_abaixo_do_comprometido_e_recusada_inteira():
    _com_indicacao("4000.00")
    antes = estado_do_banco()
    ruim = _boa_com("1,00").replace(b"99,99", b"199,99")  # outra linha válida também não entra
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=ruim, ano=2027, publicacao=PUB)
    assert [str(e) for e in erro.value.erros] == [
        "Linha 2, campo “valor”: o inciso S530 tem R$ 4.000,00 comprometidos (indicações ativas, remanejamentos "
        "pedidos ou aprovados); o novo valor R$ 1,00 deixaria o saldo negativo."
    ]
    assert estado_do_banco() == antes


def test_carga_pode_baixar_ate_exatamente_o_comprometido_e_subir():
    inciso = _com_indicacao("4000.00")
    importar_loa(conteudo=_boa_com("4.000,00"), ano=2027, publicacao=PUB)
    inciso.refresh_from_db()
    assert inciso.valor_inicial == Decimal("4000.00")
    s = selectors.saldos_inciso(inciso, LIVRE)
    assert s.livre == 0 and s.indicado == Decimal("4000.00")
    with pytest.raises(ErroImportacao, match="R\\$ 3.999,99 deixaria"):
        importar_loa(conteudo=_boa_com("3.999,99"), ano=2027, publicacao=PUB)
    importar_loa(conteudo=_boa_com("2.000.000,00"), ano=2027, publicacao=PUB)
    inciso.refresh_from_db()
    assert inciso.valor_inicial == Decimal("2000000.00")


def test_remanejamento_pedido_e_aprovado_tambem_conta_como_comprometido(programacao_2027, segov):
    inciso = Inciso.objects.get(numero="S532")
    bruno = Parlamentar.objects.get(nome="Bruno Tavares").usuario
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        rem = solicitar_remanejamento(usuario=bruno, inciso=inciso, acao=programacao_2027.acao,
                                      grupo_despesa=programacao_2027.grupo_despesa, valor=Decimal("50.00"))
        assert selectors.valor_comprometido(inciso) == Decimal("50.00")
        aprovar_remanejamento(usuario=segov, remanejamento=rem)
    # Aprovado: o valor saiu para o inciso R, que continua dependendo da origem.
    assert selectors.valor_comprometido(inciso) == Decimal("50.00")
    with pytest.raises(ErroImportacao, match="S532 tem R\\$ 50,00 comprometidos"):
        importar_loa(conteudo=BOA.replace(b"99,99", b"49,99"), ano=2027, publicacao=PUB)
    importar_loa(conteudo=BOA.replace(b"99,99", b"50,00"), ano=2027, publicacao=PUB)
    assert Inciso.objects.get(numero="S532").valor_inicial == Decimal("50.00")
    assert selectors.saldos_inciso(Inciso.objects.get(numero="S532"), LIVRE).livre == 0


@pytest.fixture
def programacao_2027():
    from emendas.importacao import importar_programacoes
    from emendas.models import ProgramacaoElegivel

    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    importar_programacoes(conteudo=(
        "uo;uo_nome;acao;acao_nome;grupo_despesa;grupo_nome;area;recebe_remanejamento;destino_livre\n"
        "4291;Fundo Estadual de Saúde;4470;Atenção primária;4;Investimentos;SAUDE;S;N\n"
    ).encode(), ano=2027)
    return ProgramacaoElegivel.objects.get()


def test_carga_nao_muda_acao_grupo_nem_emenda_de_inciso_com_indicacao_mesmo_cancelada():
    from emendas.services import cancelar_indicacao

    inciso = _com_indicacao("10.00")
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        cancelar_indicacao(usuario=inciso.emenda.parlamentar.usuario, indicacao=inciso.indicacoes.get(),
                           justificativa="desisti")
    antes = estado_do_banco()
    outra_acao = BOA.replace(b"S530;4291;Fundo Estadual de Sa\xc3\xbade;4470", b"S530;4291;Fundo Estadual de Sa\xc3\xbade;4471")
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=outra_acao, ano=2027, publicacao=PUB)
    assert str(erro.value.erros[0]).startswith(
        "Linha 2, campo “acao”: o inciso S530 tem indicações ou remanejamentos e não pode mudar de ação pela carga"
    )
    outro_grupo = _boa_com("1.000.000,00").replace(b"4470;Aten\xc3\xa7\xc3\xa3o prim\xc3\xa1ria;4;Investimentos;1.000.000,00",
                                                   b"4470;Aten\xc3\xa7\xc3\xa3o prim\xc3\xa1ria;3;ODC;1.000.000,00")
    with pytest.raises(ErroImportacao, match="campo “grupo_despesa”: o inciso S530"):
        importar_loa(conteudo=outro_grupo, ano=2027, publicacao=PUB)
    outra_emenda = BOA.replace(b"175;Ana Lacerda;PARLAMENTAR;ana@almg.test;S530", b"177;Ana Lacerda;PARLAMENTAR;ana@almg.test;S530")
    with pytest.raises(ErroImportacao, match="campo “emenda”: o inciso S530 .* emenda \\(titular\\)"):
        importar_loa(conteudo=outra_emenda, ano=2027, publicacao=PUB)
    assert estado_do_banco() == antes


def test_inciso_sem_movimento_ainda_muda_de_acao_pela_carga():
    _com_indicacao("10.00", numero="S531")
    outra_acao = BOA.replace(b"S530;4291;Fundo Estadual de Sa\xc3\xbade;4470", b"S530;4291;Fundo Estadual de Sa\xc3\xbade;4471")
    importar_loa(conteudo=outra_acao, ano=2027, publicacao=PUB)
    assert Inciso.objects.get(numero="S530").acao.codigo == "4471"


def test_carga_conta_consultas_constantes(django_assert_max_num_queries):
    _com_indicacao("10.00")
    with django_assert_max_num_queries(40):
        importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)


def test_comando_recusa_baixar_abaixo_do_comprometido(tmp_path):
    _com_indicacao("4000.00")
    arquivo = tmp_path / "loa.csv"
    arquivo.write_bytes(_boa_com("1,00"))
    with pytest.raises(CommandError, match="o inciso S530 tem R\\$ 4.000,00 comprometidos"):
        call_command("importar_loa", str(arquivo), "--ano", "2027", "--publicacao", "2027-01-08")
    assert Inciso.objects.get(numero="S530").valor_inicial == Decimal("1000000.00")


def test_tela_de_importacao_recusa_na_previa(segov):
    from emendas.models import ArquivoImportacao

    _com_indicacao("4000.00")
    c = logado(segov)
    url = reverse("emendas:importar")
    ruim = _boa_com("1,00")
    r = c.enviar(url, {"tipo": "loa", "ano": 2027, "publicacao": "2027-01-08",
                     "arquivo": SimpleUploadedFile("loa.csv", ruim, content_type="text/csv")})
    html = r.content.decode()
    assert "Nada foi importado" in html and "o inciso S530 tem R$ 4.000,00 comprometidos" in html
    assert "Confirmar importação" not in html
    assert not ArquivoImportacao.objects.exists()  # prévia recusada: nada guardado para confirmar


def test_confirmacao_valida_de_novo_o_arquivo_guardado(segov, django_capture_on_commit_callbacks):
    # Entre a prévia e a confirmação o banco muda (uma indicação compromete o inciso): o arquivo aceito na
    # prévia é recusado na confirmação, com linha e números, e nada muda.
    from django.core.files.storage import default_storage

    from emendas.models import ArquivoImportacao

    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    c = logado(segov)
    url = reverse("emendas:importar")
    r = c.enviar(url, {"tipo": "loa", "ano": 2027, "publicacao": "2027-01-08",
                     "arquivo": SimpleUploadedFile("loa.csv", _boa_com("1,00"), content_type="text/csv")})
    previa = r.context["previa"]
    inciso = Inciso.objects.get(numero="S530")
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        enviar_indicacao(usuario=inciso.emenda.parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                         valor=Decimal("4000.00"), objeto="Obra")
    antes = estado_do_banco()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.enviar(url, {"confirmar": "1", "previa": str(previa.pk)})
    assert r.status_code == 200 and "o novo valor R$ 1,00 deixaria o saldo negativo" in r.content.decode()
    assert estado_do_banco() == antes
    assert Inciso.objects.get(numero="S530").valor_inicial == Decimal("1000000.00")
    # O mesmo conteúdo seria recusado de novo: a prévia é descartada, arquivo e registro.
    assert not ArquivoImportacao.objects.exists() and not default_storage.exists(previa.caminho)