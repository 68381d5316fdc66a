"""Importações: campos longos, nulos e números fora da faixa viram erro com linha e campo, nunca erro de banco."""

from datetime import date

import pytest

from convenios.cnpj import gerar_cnpj
from convenios.importacao import importar_convenentes, importar_escolas
from convenios.models import Convenente
from emendas.importacao import (
    CABECALHO_LOA, CABECALHO_PROGRAMACOES, ErroImportacao, importar_loa, importar_programacoes,
)
from emendas.models import Acao, Emenda, Exercicio, GrupoDespesa, Inciso, Parlamentar, UnidadeOrcamentaria

pytestmark = pytest.mark.django_db
PUB = date(2027, 1, 8)
BOA = {
    "emenda": "175", "titular": "Ana Lacerda", "tipo_titular": "PARLAMENTAR", "email": "ana@almg.test",
    "inciso": "S530", "uo": "4291", "uo_nome": "Fundo Estadual de Saúde", "acao": "4470",
    "acao_nome": "Atenção primária", "grupo_despesa": "4", "grupo_nome": "Investimentos", "valor": "1.000,00",
}


def _csv(cabecalho, *linhas) -> bytes:
    return ("\n".join([";".join(cabecalho), *(";".join(l[c] for c in cabecalho) for l in linhas)]) + "\n").encode()


def _nada_gravado():
    return not any(m.objects.exists() for m in (Inciso, Emenda, Parlamentar, UnidadeOrcamentaria, Acao, GrupoDespesa))


@pytest.mark.parametrize("campo, valor, trecho", [
    ("titular", "A" * 201, "no máximo 200 caracteres (veio com 201)"),
    ("email", "a" * 250 + "@almg.test", "no máximo 254 caracteres"),
    ("uo", "12345678901", "no máximo 10 caracteres"),
    ("uo_nome", "U" * 201, "no máximo 200 caracteres"),
    ("acao", "A" * 11, "no máximo 10 caracteres"),
    ("acao_nome", "N" * 251, "no máximo 250 caracteres"),
    ("grupo_despesa", "9" * 11, "no máximo 10 caracteres"),
    ("grupo_nome", "G" * 121, "no máximo 120 caracteres"),
    ("inciso", "S123456789", "no máximo 8 caracteres"),
    ("emenda", "99999999999", "passa do maior aceito (2147483647)"),
    ("emenda", "١٧٥", "não é um número de emenda"),
    ("inciso", "S٥٣٠", "Número de inciso inválido"),
    ("uo_nome", "Fundo\x00Saúde", "caracteres inválidos"),
    ("titular", "Ana\x1bLacerda", "caracteres inválidos"),
])
def test_loa_com_campo_hostil_da_erro_com_linha_e_campo_sem_gravar(campo, valor, trecho):
    conteudo = _csv(CABECALHO_LOA, BOA, {**BOA, "inciso": "S531", campo: valor})
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=conteudo, ano=2027, publicacao=PUB)
    assert any(e.linha == 3 and e.campo == campo and trecho in e.mensagem for e in erro.value.erros), erro.value.erros
    assert _nada_gravado() and not Exercicio.objects.exists()


def test_loa_com_limites_exatos_e_aceita():
    linha = {**BOA, "titular": "A" * 200, "uo_nome": "U" * 200, "acao_nome": "N" * 250, "grupo_nome": "G" * 120,
             "emenda": "2147483647"}
    importar_loa(conteudo=_csv(CABECALHO_LOA, linha), ano=2027, publicacao=PUB)
    assert Emenda.objects.get().numero == 2147483647
    assert Parlamentar.objects.get().nome == "A" * 200


def test_celula_gigante_entre_aspas_vira_erro_de_importacao():
    # Uma aspa que não fecha engole o resto do arquivo num campo só, maior que o limite do leitor de CSV.
    conteudo = _csv(CABECALHO_LOA, BOA) + b'176;"' + b"x" * 200_000 + b"\n"
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=conteudo, ano=2027, publicacao=PUB)
    assert "linha ilegível como CSV" in str(erro.value)


@pytest.mark.parametrize("importar", [
    lambda c: importar_loa(conteudo=c, ano=2027, publicacao=PUB), lambda c: importar_programacoes(conteudo=c, ano=2027),
])
def test_cabecalho_gigante_vira_erro_de_importacao_na_linha_1(importar):
    # Um arquivo que é uma "célula" só, maior que o limite do leitor de CSV, já no cabeçalho.
    with pytest.raises(ErroImportacao) as erro:
        importar(b"x" * 200_000)
    assert [(e.linha, e.campo) for e in erro.value.erros] == [(1, "")]
    assert "cabeçalho ilegível como CSV" in str(erro.value)


PROG = {"uo": "4291", "uo_nome": "Fundo Estadual de Saúde", "acao": "4470", "acao_nome": "Atenção primária",
        "grupo_despesa": "4", "grupo_nome": "Investimentos", "area": "SAUDE", "recebe_remanejamento": "S",
        "destino_livre": "N"}


@pytest.mark.parametrize("campo, valor, trecho", [
    ("grupo_nome", "G" * 121, "no máximo 120 caracteres"),
    ("acao", "A" * 11, "no máximo 10 caracteres"),
    ("uo_nome", "\x00", "caracteres inválidos"),
])
def test_programacoes_com_campo_hostil_da_erro_com_linha_e_campo(campo, valor, trecho):
    Exercicio.objects.create(ano=2027, data_publicacao_loa=PUB)
    with pytest.raises(ErroImportacao) as erro:
        importar_programacoes(conteudo=_csv(CABECALHO_PROGRAMACOES, {**PROG, campo: valor}), ano=2027)
    assert any(e.linha == 2 and e.campo == campo and trecho in e.mensagem for e in erro.value.erros), erro.value.erros
    assert not Acao.objects.exists()


def test_convenentes_e_escolas_com_byte_nulo_dao_erro_com_linha_e_campo():
    cnpj = gerar_cnpj(77)
    with pytest.raises(ErroImportacao) as erro:
        importar_convenentes(
            conteudo=f"cnpj;razao_social;municipio;tipo\n{cnpj};Instituto\x00;Ouro Preto;OSC\n".encode())
    assert [(e.linha, e.campo) for e in erro.value.erros] == [(2, "razao_social")]
    with pytest.raises(ErroImportacao) as erro:
        importar_escolas(conteudo=f"codigo_escola;cnpj;razao_social;municipio\n12\x00;{cnpj};Caixa;Mariana\n".encode())
    assert [(e.linha, e.campo) for e in erro.value.erros] == [(2, "codigo_escola")]
    assert not Convenente.objects.exists()


def test_importacao_pela_tela_com_campo_longo_mostra_o_erro_sem_500(segov):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import logado

    conteudo = _csv(CABECALHO_LOA, {**BOA, "uo_nome": "U" * 300})
    resposta = logado(segov).enviar("/emendas/importacoes/", {
        "tipo": "loa", "ano": "2027", "publicacao": "2027-01-08",
        "arquivo": SimpleUploadedFile("loa.csv", conteudo, content_type="text/csv")})
    assert resposta.status_code == 200
    assert "Linha 2, campo “uo_nome”: no máximo 200 caracteres (veio com 300)." in resposta.content.decode()
    assert _nada_gravado()
