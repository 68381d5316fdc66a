"""O que nunca sai numa página pública: e-mails e CPFs dos textos livres viram aviso; CNPJ, valores e datas ficam."""

from hypothesis import given, strategies as st

from convenios.cnpj import formatar_cnpj, gerar_cnpj
from transparencia.privacidade import CPF_OCULTO, EMAIL_OCULTO, cpf_valido, ocultar


def test_email_no_texto_vira_aviso():
    assert ocultar("contato: maria.souza@institutovida.org.br.") == f"contato: {EMAIL_OCULTO}."


def test_cpf_formatado_vira_aviso_mesmo_com_digito_errado():
    assert ocultar("CPF 529.982.247-25") == f"CPF {CPF_OCULTO}"
    assert ocultar("CPF 529.982.247-26") == f"CPF {CPF_OCULTO}"
    assert ocultar("CPF 529982247-25") == f"CPF {CPF_OCULTO}"


def test_cpf_so_com_algarismos_vira_aviso_quando_os_verificadores_conferem():
    assert ocultar("JOAO DA SILVA 39053344705") == f"JOAO DA SILVA {CPF_OCULTO}"
    assert ocultar("processo 12345678901") == "processo 12345678901"  # 11 algarismos que não são CPF


def test_cnpj_valor_e_data_ficam():
    texto = "CNPJ 12.345.678/0001-95, 12345678000195, R$ 1.234.567,89, 1234567.89, 2026-02-01, (31) 99999-8888"
    assert ocultar(texto) == texto


def test_verificadores_do_cpf():
    assert cpf_valido("52998224725") and cpf_valido("11144477735")
    assert not cpf_valido("52998224724") and not cpf_valido("11111111111") and not cpf_valido("123")


@given(st.integers(min_value=1, max_value=10**8))
def test_cnpj_nunca_e_ocultado(n):
    cnpj = gerar_cnpj(n)
    assert ocultar(f"beneficiário {cnpj} / {formatar_cnpj(cnpj)}") == f"beneficiário {cnpj} / {formatar_cnpj(cnpj)}"


@given(st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,5})?@[a-z]{2,8}\.(com|org|gov\.br|mg\.gov\.br)", fullmatch=True),
       st.text(alphabet="abc ,.;", max_size=10))
def test_nenhum_email_sobra(email, resto):
    assert "@" not in ocultar(f"{resto}{email} {resto}")
