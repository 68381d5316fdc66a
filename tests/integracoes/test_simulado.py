"""CAGEC e SIAFI-MG simulados: respondem o que o admin cadastrou em SituacaoSimulada."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from convenios.cnpj import formatar_cnpj
from convenios.models import Convenente
from integracoes import cagec, siafi
from integracoes.errors import IntegracaoIndisponivel
from integracoes.models import ServicoSimulado, SituacaoSimulada
from integracoes.tipos import Pendencia, RespostaCagec, RespostaSiafi

pytestmark = pytest.mark.django_db


def test_cnpj_sem_cadastro_e_regular_e_desbloqueado(cnpj):
    r = cagec.consultar(cnpj)
    assert isinstance(r, RespostaCagec)
    assert (r.cnpj, r.regular, r.situacao, r.pendencias) == (cnpj, True, "REGULAR", [])
    assert (r.razao_social, r.representante_legal, r.siafi_bloqueado) == ("", None, False)
    s = siafi.consultar(cnpj)
    assert isinstance(s, RespostaSiafi)
    assert (s.bloqueado, s.motivo) == (False, "")


def test_aceita_cnpj_com_mascara(cnpj):
    assert cagec.consultar(formatar_cnpj(cnpj)).cnpj == cnpj
    assert siafi.consultar(formatar_cnpj(cnpj)).cnpj == cnpj


def test_irregular_com_pendencias_e_validades(cnpj):
    SituacaoSimulada.objects.create(
        cnpj=cnpj, cagec_regular=False,
        pendencias="Certidão do FGTS vencida | 31/12/2026\n\n  Prestação de contas em atraso  \nCND | estadual | 01/02/2027",
    )
    r = cagec.consultar(cnpj)
    assert r.situacao == "IRREGULAR" and r.regular is False
    assert r.pendencias == [
        Pendencia("Certidão do FGTS vencida", date(2026, 12, 31)),
        Pendencia("Prestação de contas em atraso", None),
        Pendencia("CND | estadual", date(2027, 2, 1)),  # a validade é o que vem depois da ÚLTIMA barra
    ]


def test_bloqueado_no_siafi_aparece_nos_dois_sistemas(cnpj):
    SituacaoSimulada.objects.create(cnpj=cnpj, siafi_bloqueado=True, siafi_motivo="Inadimplência em convênio anterior")
    s = siafi.consultar(cnpj)
    assert (s.bloqueado, s.motivo) == (True, "Inadimplência em convênio anterior")
    r = cagec.consultar(cnpj)
    assert r.regular is True  # o bloqueio no SIAFI-MG não torna o convenente irregular no CAGEC
    assert (r.siafi_bloqueado, r.siafi_motivo) == (True, "Inadimplência em convênio anterior")


def test_dados_cadastrais_vem_do_convenente_e_representante_da_situacao(cnpj):
    Convenente.objects.create(cnpj=cnpj, razao_social="Prefeitura de Ouro Preto", municipio="Ouro Preto",
                              tipo=Convenente.Tipo.ADM_MUNICIPAL)
    SituacaoSimulada.objects.create(
        cnpj=cnpj, representante_nome="Maria Prefeita", representante_cpf="12345678909",
        representante_cargo="Prefeita", representante_email="maria@ouropreto.test",
        representante_fim_mandato=date(2028, 12, 31),
    )
    r = cagec.consultar(cnpj)
    assert (r.razao_social, r.municipio, r.tipo) == ("Prefeitura de Ouro Preto", "Ouro Preto", "ADM_MUNICIPAL")
    assert r.representante_legal == {
        "nome": "Maria Prefeita", "cpf": "12345678909", "cargo": "Prefeita",
        "email": "maria@ouropreto.test", "fim_mandato": date(2028, 12, 31),
    }


def test_fora_do_ar_levanta_indisponivel_so_para_o_sistema_desligado(cnpj):
    ServicoSimulado.objects.update_or_create(sistema="CAGEC", defaults={"fora_do_ar": True})
    with pytest.raises(IntegracaoIndisponivel) as exc:
        cagec.consultar(cnpj)
    assert exc.value.sistema == "CAGEC"
    assert "CAGEC" in str(exc.value) and "Tente novamente" in str(exc.value)
    assert siafi.consultar(cnpj).bloqueado is False

    ServicoSimulado.objects.update_or_create(sistema="SIAFI", defaults={"fora_do_ar": True})
    with pytest.raises(IntegracaoIndisponivel) as exc:
        siafi.consultar(cnpj)
    assert exc.value.sistema == "SIAFI" and "SIAFI-MG" in str(exc.value)


def test_cnpj_invalido_e_validation_error_e_nao_indisponivel():
    for texto in ("12.345.678/0001-00", "123", "", "00000000000000"):
        with pytest.raises(ValidationError):
            cagec.consultar(texto)
        with pytest.raises(ValidationError):
            siafi.consultar(texto)


def test_admin_valida_cnpj_e_formato_das_pendencias(cnpj):
    situacao = SituacaoSimulada(cnpj=formatar_cnpj(cnpj), pendencias="Certidão | 31/13/2026")
    with pytest.raises(ValidationError) as exc:
        situacao.full_clean()
    assert "pendencias" in exc.value.message_dict
    assert situacao.cnpj == cnpj  # a máscara sai antes de gravar
    situacao.pendencias = "Certidão | 31/12/2026"
    situacao.full_clean()
    with pytest.raises(ValidationError):
        SituacaoSimulada(cnpj="11.111.111/1111-11").full_clean()


def test_respostas_viram_json_e_voltam(cnpj):
    SituacaoSimulada.objects.create(
        cnpj=cnpj, cagec_regular=False, pendencias="FGTS | 31/12/2026", representante_nome="Maria",
        representante_fim_mandato=date(2028, 12, 31), siafi_bloqueado=True, siafi_motivo="x",
    )
    r = cagec.consultar(cnpj)
    dados = json.loads(json.dumps(r.como_dict()))
    assert dados["situacao"] == "IRREGULAR"
    assert dados["pendencias"] == [{"descricao": "FGTS", "validade": "2026-12-31"}]
    assert dados["representante_legal"]["fim_mandato"] == "2028-12-31"
    assert RespostaCagec.de_dict(dados) == r
    s = siafi.consultar(cnpj)
    assert RespostaSiafi.de_dict(json.loads(json.dumps(s.como_dict()))) == s


def test_migracao_cria_os_dois_servicos_no_ar():
    assert set(ServicoSimulado.objects.values_list("sistema", "fora_do_ar")) == {("CAGEC", False), ("SIAFI", False)}
