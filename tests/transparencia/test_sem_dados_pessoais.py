"""Nenhuma resposta pública mostra e-mail nem CPF: o teste percorre todas as páginas e arquivos públicos a partir da
busca (seguindo cada link de /transparencia/ e /dados-abertos/, com cada filtro) e procura, em cada resposta, e-mails
e CPFs por expressão regular, além dos e-mails e nomes dos usuários do cenário (analistas, SEGOV, cadastrador)."""

import re
from collections import deque
from html import unescape
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from transparencia.instantaneos import gerar_instantaneo
from transparencia.privacidade import cpf_valido
from tests.transparencia.cenario import NOMES_DE_USUARIOS

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
CPF_FORMATADO = re.compile(r"\d{3}\.\d{3}\.\d{3}-\d{2}")
ONZE_ALGARISMOS = re.compile(r"(?<!\d)\d{11}(?!\d)")
PUBLICOS = ("/transparencia/", "/dados-abertos/")
LIMITE_DE_PAGINAS = 400


def _corpo(resposta) -> str:
    bruto = b"".join(resposta.streaming_content) if resposta.streaming else resposta.content
    return unescape(bruto.decode("utf-8"))


def _achados(texto: str, proibidos: list[str]) -> list[str]:
    achados = EMAIL.findall(texto) + CPF_FORMATADO.findall(texto)
    achados += [n for n in ONZE_ALGARISMOS.findall(texto) if cpf_valido(n)]
    return achados + [p for p in proibidos if p in texto]


def _links(url: str, texto: str) -> set[str]:
    saida = set()
    for href in re.findall(r'href="([^"#]+)', texto):
        destino = urljoin(url, href)
        partes = urlsplit(destino)
        if partes.path.startswith(PUBLICOS):
            saida.add(partes.path + (f"?{partes.query}" if partes.query else ""))
    return saida


# O teste faz centenas de pedidos do mesmo IP: o limite fica alto (o limite é conferido em test_limite.py).
@override_settings(SIGCON_TRANSPARENCIA_LIMITES={"paginas": 10_000, "arquivos": 10_000})
def test_nenhuma_resposta_publica_tem_email_nem_cpf(client, publico):
    inst = gerar_instantaneo(exercicio=publico["exercicio"])
    proibidos = [e for e in get_user_model().objects.values_list("email", flat=True)] + list(NOMES_DE_USUARIOS)
    ano = publico["exercicio"].ano
    inicio = {reverse("transparencia:busca"), reverse("transparencia:municipios"),
              reverse("transparencia:dados_abertos"), reverse("transparencia:datapackage"),
              reverse("transparencia:indicacoes_json", args=[ano]),
              reverse("transparencia:instantaneo", args=[ano, inst.dia.isoformat()]),
              reverse("transparencia:indicacao", args=[ano, 9999])}  # também a página de erro
    for filtro in ({"situacao": s} for s in ("APROVADA", "REPROVADA", "EM_ANALISE_SEGOV", "EM_ANALISE_ORGAO")):
        inicio.add(reverse("transparencia:busca") + "?" + urlencode(filtro))
    inicio.add(reverse("transparencia:busca") + "?" + urlencode({"q": "Reforma"}))
    inicio.add(reverse("transparencia:busca") + "?" + urlencode({"ano": "1900"}))  # filtro inválido
    fila, vistos, vazamentos, tipos = deque(sorted(inicio)), set(), [], set()
    while fila and len(vistos) < LIMITE_DE_PAGINAS:
        url = fila.popleft()
        if url in vistos:
            continue
        vistos.add(url)
        resposta = client.get(url)
        assert resposta.status_code in (200, 404), (url, resposta.status_code)
        tipos.add(resposta["Content-Type"].split(";")[0])
        texto = _corpo(resposta)
        vazamentos += [f"{url}: {a}" for a in _achados(texto, proibidos)]
        if resposta["Content-Type"].startswith("text/html"):
            fila.extend(sorted(_links(url, texto) - vistos))
    print(f"{len(vistos)} respostas públicas percorridas")
    assert not vazamentos, "\n".join(vazamentos)
    # O percurso passou por tudo: cada indicação, cada município, o CSV e o JSON, e os dados estavam lá (ocultos).
    numeros = {i.numero for i in (publico["aprovada"], publico["direta"], publico["reprovada"], publico["do_mei"])}
    assert {f"/transparencia/indicacoes/{ano}/{n}/" for n in numeros} <= vistos
    assert {"/transparencia/municipios/Mariana/", "/transparencia/municipios/Ouro%20Preto/"} <= vistos
    assert reverse("transparencia:indicacoes_csv", args=[ano]) in vistos
    assert {"text/html", "text/csv", "application/json"} <= tipos


def test_o_percurso_acharia_um_email_ou_cpf_se_ele_vazasse():
    # O mesmo detector sobre o texto cru do cenário: ele vê o que procura (o teste acima não passa por cegueira).
    from tests.transparencia import cenario as c

    texto = f"{c.EMAIL_NO_OBJETO} {c.CPF_NO_OBJETO} JOAO {c.CPF_DO_MEI} {c.CPF_NA_JUSTIFICATIVA}"
    assert len(_achados(texto, [])) == 4
    assert _achados("CNPJ 12.345.678/0001-95 00007101000194 R$ 1.234,56", []) == []
