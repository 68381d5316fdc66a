"""Cenário das diligências: uma indicação da Ana (UO 4291) em análise no órgão, o analista dessa UO, o de outra UO,
a SEGOV e outro parlamentar; arquivos pequenos de cada tipo aceito (e um de cada jeito errado)."""

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contas import perfis
from emendas.models import UnidadeOrcamentaria
from emendas.services import enviar_indicacao
from envios import unico
from tests.conftest import criar_usuario
from tests.fabricas import em

LIVRE = date(2019, 2, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(nome="declaracao.pdf", conteudo=PDF):
    return SimpleUploadedFile(nome, conteudo, content_type="application/pdf")


def docx(nome="plano.docx"):
    corpo = io.BytesIO()
    with zipfile.ZipFile(corpo, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(nome, corpo.getvalue(), content_type="application/octet-stream")


def token(cliente, url) -> str:
    """O token de envio único do formulário da página *url* (como o navegador o mandaria)."""
    resposta = cliente.get(url)
    assert resposta.status_code == 200
    achados = re.findall(r'name="envio_unico" value="([^"]+)"', resposta.content.decode())
    assert achados, f"sem formulário com envio único em {url}"
    return achados[0]


def token_de(usuario) -> str:
    return unico.novo_token(usuario)


@pytest.fixture
def c(inciso, parlamentar, outro_parlamentar, analista_orgao, segov):
    with em(LIVRE):
        ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                               valor=Decimal("1000.00"), objeto="Compra de ambulância")
    outra_uo = UnidadeOrcamentaria.objects.create(codigo="1261", nome="Secretaria de Educação")
    orgao_outro = criar_usuario("analista@educacao.test", perfis.ORGAO, "Olga Educação")
    outra_uo.analistas.add(orgao_outro)
    return {"ind": ind, "ana": parlamentar.usuario, "bruno": outro_parlamentar.usuario, "orgao": analista_orgao,
            "orgao_outro": orgao_outro, "segov": segov, "inciso": inciso}
