"""Ajuda: o glossário (baldes, janelas, situações, formas de execução) e os links das telas para os seus termos."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from convenios.models import PropostaPlanoTrabalho
from emendas.models import Indicacao, Remanejamento
from emendas.prazos import Fase
from tests.conftest import logado

pytestmark = pytest.mark.django_db

LINK_DA_AJUDA = re.compile(r"""\{% url 'ajuda' %\}#([\w-]+)(?=["'])""")  # âncoras fixas (as calculadas: abaixo)


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_ajuda_tem_os_termos_das_telas(parlamentar):
    html = logado(parlamentar.usuario).get("/ajuda/").content.decode()
    for termo in ("Livre", "Com possibilidade de remanejamento (CPR)", "Sem possibilidade de remanejamento (SPR)",
                  "Não impositivo", "Reservado para projeto de lei", "Remanejamento solicitado", "Indicado",
                  *(f.rotulo for f in Fase),
                  *Remanejamento.Status.labels, *Indicacao.Status.labels, *PropostaPlanoTrabalho.Status.labels,
                  *Indicacao.FormaExecucao.labels):
        assert f"{termo}</dt>" in html or f"{termo} (" in html, termo
    ids = _ids(html)
    assert {"balde-cpr", "balde-spr", "fase-livre", "fase-restrita", "situacao-indicacao-aguardando-ajuste",
            "situacao-remanejamento-solicitado", "forma-resolucao-ses", "inciso-r"} <= ids
    assert len(ids) == len(re.findall(r'\sid="', html)), "âncora repetida na ajuda"


def test_todo_link_das_telas_para_a_ajuda_aponta_para_uma_ancora_que_existe(parlamentar):
    ids = _ids(logado(parlamentar.usuario).get("/ajuda/").content.decode())
    achados = {}
    for arquivo in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for ancora in LINK_DA_AJUDA.findall(arquivo.read_text(encoding="utf-8")):
            achados.setdefault(ancora, arquivo.name)
    assert {"balde-cpr", "balde-spr", "inciso-s", "inciso-r", "inciso-p"} <= set(achados)  # os tooltips de hoje
    sem_ancora = {a: nome for a, nome in achados.items() if a not in ids}
    assert not sem_ancora, f"links para âncoras que a ajuda não tem: {sem_ancora}"


def test_painel_da_segov_liga_cpr_e_spr_a_ajuda(segov):
    from datetime import timedelta

    from django.utils import timezone

    from emendas.models import Exercicio

    Exercicio.objects.create(ano=timezone.localdate().year, data_publicacao_loa=timezone.localdate() - timedelta(days=20))
    html = logado(segov).get("/").content.decode()
    assert '<a href="/ajuda/#balde-cpr"><abbr title="com possibilidade de remanejamento">CPR</abbr></a>' in html
    assert '<a href="/ajuda/#balde-spr"><abbr title="sem possibilidade de remanejamento">SPR</abbr></a>' in html


def test_siglas_dos_baldes_do_painel_do_parlamentar_tem_ancora_na_ajuda(parlamentar):
    # O painel liga cada sigla (CPR, SPR) a "#balde-<sigla>"; a âncora é calculada no template.
    from emendas.graficos import BALDES

    modelo = (Path(settings.BASE_DIR) / "templates" / "emendas" / "painel_parlamentar.html").read_text(encoding="utf-8")
    assert "{% url 'ajuda' %}#balde-{{ b.curto|lower }}" in modelo
    ids = _ids(logado(parlamentar.usuario).get("/ajuda/").content.decode())
    siglas = [b.curto for b in BALDES if len(b.curto) <= 3]
    assert siglas and all(f"balde-{sigla.lower()}" in ids for sigla in siglas), siglas


def test_ajuda_pede_login(client):
    resposta = client.get("/ajuda/")
    assert resposta.status_code == 302 and resposta["Location"].startswith("/conta/entrar/")
