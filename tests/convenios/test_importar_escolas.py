"""Carga de escolas (caixas escolares) e os tipos novos na carga de convenentes."""

import pytest
from django.core.management import CommandError, call_command

from convenios.cnpj import gerar_cnpj
from convenios.importacao import importar_escolas
from convenios.models import Convenente
from emendas.importacao import ErroImportacao

pytestmark = pytest.mark.django_db
CAB = "codigo_escola;cnpj;razao_social;municipio"


def csv(*linhas, cabecalho=CAB) -> bytes:
    return ("\n".join([cabecalho, *linhas]) + "\n").encode("utf-8")


BOA = csv(
    f"0031001;{gerar_cnpj(901)};Caixa Escolar da E. E. Tiradentes;Uberaba",
    f"0031002;{gerar_cnpj(902)};Caixa Escolar da E. E. Afonso Pena;Betim",
)


def _estado():
    return sorted(Convenente.objects.values_list("cnpj", "codigo_escola", "razao_social", "municipio", "tipo"))


def test_escolas_sao_criadas_como_caixa_escolar_com_o_codigo(tmp_path):
    arquivo = tmp_path / "escolas.csv"
    arquivo.write_bytes(BOA)
    call_command("importar_escolas", str(arquivo))
    assert _estado() == [
        (gerar_cnpj(901), "0031001", "Caixa Escolar da E. E. Tiradentes", "Uberaba", "CAIXA_ESCOLAR"),
        (gerar_cnpj(902), "0031002", "Caixa Escolar da E. E. Afonso Pena", "Betim", "CAIXA_ESCOLAR"),
    ]


def test_carga_de_escolas_e_idempotente_e_atualiza_pelo_cnpj():
    assert importar_escolas(conteudo=BOA).criados["escolas"] == 2
    antes = _estado()
    de_novo = importar_escolas(conteudo=BOA)
    assert (sum(de_novo.criados.values()), sum(de_novo.atualizados.values())) == (0, 0)
    assert _estado() == antes
    mudou = importar_escolas(conteudo=csv(f"0031001;{gerar_cnpj(901)};Caixa Escolar Tiradentes;Uberaba"))
    assert mudou.atualizados["escolas"] == 1
    assert Convenente.objects.get(cnpj=gerar_cnpj(901)).razao_social == "Caixa Escolar Tiradentes"
    assert Convenente.objects.count() == 2


@pytest.mark.parametrize("linha, trecho", [
    (f"0031003;12.345.678/0001-00;Escola X;Betim", "Linha 3, campo “cnpj”: CNPJ inválido"),
    (f"0031003;{gerar_cnpj(903)};;Betim", "Linha 3, campo “razao_social”: campo obrigatório vazio"),
    (f";{gerar_cnpj(903)};Escola X;Betim", "Linha 3, campo “codigo_escola”: campo obrigatório vazio"),
    (f"{'9' * 21};{gerar_cnpj(903)};Escola X;Betim", "Linha 3, campo “codigo_escola”: no máximo 20 caracteres"),
    (f"0031003;{gerar_cnpj(903)};{'X' * 251};Betim", "Linha 3, campo “razao_social”: no máximo 250 caracteres"),
    (f"0031001;{gerar_cnpj(903)};Escola X;Betim", "Linha 3, campo “codigo_escola”: código repetido (já na linha 2)"),
    (f"0031003;{gerar_cnpj(901)};Escola X;Betim", "Linha 3, campo “cnpj”: CNPJ repetido (já na linha 2)"),
    (f"0031003;{gerar_cnpj(903)};Escola X", "Linha 3: esperadas 4 colunas"),
])
def test_linha_mal_formada_nao_importa_nada(tmp_path, linha, trecho):
    arquivo = tmp_path / "escolas.csv"
    arquivo.write_bytes(csv(f"0031001;{gerar_cnpj(901)};Caixa Escolar Tiradentes;Uberaba", linha))
    with pytest.raises(CommandError) as erro:
        call_command("importar_escolas", str(arquivo))
    assert "Nada foi importado" in str(erro.value) and trecho in str(erro.value)
    assert not Convenente.objects.exists()


def test_cabecalho_errado_e_recusado():
    with pytest.raises(ErroImportacao, match="Esperado: codigo_escola;cnpj;razao_social;municipio"):
        importar_escolas(conteudo=csv(f"1;{gerar_cnpj(901)};X;Y", cabecalho="cnpj;razao_social;municipio;tipo"))


def test_conflitos_com_o_cadastro_sao_recusados_inteiros():
    Convenente.objects.create(cnpj=gerar_cnpj(901), razao_social="Prefeitura de Uberaba", municipio="Uberaba",
                              tipo="ADM_MUNICIPAL")
    Convenente.objects.create(cnpj=gerar_cnpj(950), razao_social="Caixa Escolar Antiga", municipio="Betim",
                              tipo="CAIXA_ESCOLAR", codigo_escola="0031002")
    antes = _estado()
    with pytest.raises(ErroImportacao) as erro:
        importar_escolas(conteudo=BOA)
    textos = [str(e) for e in erro.value.erros]
    assert textos == [
        "Linha 2, campo “cnpj”: o CNPJ já está cadastrado como “Administração municipal” (Prefeitura de Uberaba); "
        "corrija o cadastro do convenente antes de importá-lo como caixa escolar.",
        f"Linha 3, campo “codigo_escola”: o código 0031002 já pertence a Caixa Escolar Antiga "
        f"(CNPJ {Convenente.objects.get(cnpj=gerar_cnpj(950)).cnpj_formatado}).",
    ]
    assert _estado() == antes


def test_convenente_de_tipo_ainda_nao_informado_vira_caixa_escolar():
    Convenente.objects.create(cnpj=gerar_cnpj(901), razao_social="CX ESC TIRADENTES", municipio="Uberaba")
    assert importar_escolas(conteudo=BOA).atualizados["escolas"] == 1
    escola = Convenente.objects.get(cnpj=gerar_cnpj(901))
    assert (escola.tipo, escola.codigo_escola) == ("CAIXA_ESCOLAR", "0031001")


def test_carga_de_convenentes_aceita_os_tipos_novos_e_confere_tamanhos(tmp_path):
    arquivo = tmp_path / "c.csv"
    arquivo.write_text(
        "cnpj;razao_social;municipio;tipo\n"
        f"{gerar_cnpj(5)};Fundo Municipal de Saúde de Sabará;Sabará;FUNDO_MUNICIPAL_SAUDE\n"
        f"{gerar_cnpj(6)};Caixa Escolar Sabará;Sabará;caixa_escolar\n", encoding="utf-8")
    call_command("importar_convenentes", str(arquivo))
    assert dict(Convenente.objects.values_list("cnpj", "tipo")) == {
        gerar_cnpj(5): "FUNDO_MUNICIPAL_SAUDE", gerar_cnpj(6): "CAIXA_ESCOLAR"}
    arquivo.write_text(f"cnpj;razao_social;municipio;tipo\n{gerar_cnpj(7)};X;{'M' * 121};OSC\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Linha 2, campo “municipio”: no máximo 120 caracteres"):
        call_command("importar_convenentes", str(arquivo))
    assert Convenente.objects.count() == 2


def test_codigo_de_escola_e_unico_so_quando_preenchido():
    from django.db import IntegrityError, transaction

    Convenente.objects.create(cnpj=gerar_cnpj(1), razao_social="A", municipio="B")
    Convenente.objects.create(cnpj=gerar_cnpj(2), razao_social="C", municipio="D")  # dois vazios convivem
    Convenente.objects.create(cnpj=gerar_cnpj(3), razao_social="E", municipio="F", codigo_escola="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Convenente.objects.create(cnpj=gerar_cnpj(4), razao_social="G", municipio="H", codigo_escola="1")
