"""Fábricas e leitores compartilhados pelos testes: um lugar só para montar cenários e ler CSV e PDF.

As fixtures de cada pacote (``tests/conftest.py``, ``tests/relatorios/conftest.py``...) montam os seus cenários
com estas funções; nenhum módulo de teste copia outro nem importa nomes privados de outro.
"""

import csv
import io
import subprocess
from datetime import date
from decimal import Decimal
from shutil import which

import pytest
import time_machine
from django.utils import timezone

from convenios import services as conv
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import CategoriaImpedimento, Emenda, Exercicio, Indicacao, Inciso, Remanejamento
from emendas.prazos import OrigemSaldo
from emendas.services import aprovar_indicacao_orgao, aprovar_indicacao_segov, enviar_indicacao
from tests.conftest import criar_usuario, meio_dia

M = Decimal
Forma = Indicacao.FormaExecucao
LIVRE = date(2019, 2, 1)  # janela livre do exercício de teste (LOA de 10/01/2019)


def em(dia):
    """Viagem no tempo para o meio-dia de *dia* em Brasília, sem o relógio andar."""
    return time_machine.travel(meio_dia(dia), tick=False)


# --- leitores de CSV e PDF -------------------------------------------------------------------------------------

def linhas_csv(resposta) -> list[list[str]]:
    """As linhas de um CSV em fluxo do sistema (UTF-8 com BOM, ``;``), cabeçalho incluído."""
    assert resposta.status_code == 200 and resposta.streaming
    corpo = b"".join(resposta.streaming_content)
    assert corpo.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(corpo.decode("utf-8-sig")), delimiter=";"))


def ler_csv(resposta):
    """Cabeçalho e linhas como dicionários (coluna → valor)."""
    linhas = linhas_csv(resposta)
    return linhas[0], [dict(zip(linhas[0], l)) for l in linhas[1:]]


def texto_do_pdf(resposta, tmp_path):
    assert resposta.status_code == 200 and resposta["Content-Type"] == "application/pdf"
    return texto_de_pdf(resposta.content, tmp_path)


def texto_de_pdf(conteudo, tmp_path):
    if which("pdftotext") is None:
        print("pdftotext (poppler-utils) não instalado: conteúdo do PDF não conferido")
        pytest.skip("pdftotext (poppler-utils) não instalado")
    arquivo = tmp_path / "r.pdf"
    arquivo.write_bytes(conteudo)
    return subprocess.run(["pdftotext", "-layout", str(arquivo), "-"], capture_output=True, text=True,
                          check=True).stdout


def numeros_da_pagina(resposta):
    """Números dos incisos na página (relatórios por inciso)."""
    assert resposta.status_code == 200
    return [l.inciso.numero for l in resposta.context["pagina"].object_list]


def por_coluna(linhas, coluna):
    return {l[coluna]: l for l in linhas}


def lote_incisos(c, n, indicacoes_por_inciso=2):
    """*n* incisos de Ana (UO 4291) com indicações, direto no banco: rápido e sem regras."""
    ex, s501 = c["exercicio"], c["s501"]
    emenda = Emenda.objects.create(exercicio=ex, numero=9000 + Emenda.objects.count(),
                                   parlamentar=c["parlamentar"])
    base = Inciso.objects.filter(exercicio=ex).count()
    novos = Inciso.objects.bulk_create([
        Inciso(exercicio=ex, emenda=emenda, numero=f"S{7000 + base + k}", tipo="S", acao=s501.acao,
               grupo_despesa=s501.grupo_despesa, valor_inicial=M("1000.00"))
        for k in range(n)
    ])
    ultimo = Indicacao.objects.filter(exercicio=ex).order_by("-numero").values_list("numero", flat=True).first() or 0
    status = [Indicacao.Status.APROVADA, Indicacao.Status.REPROVADA]
    categoria = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    # Metade aprovada (pelo órgão e pela SEGOV), metade reprovada por impedimento: coerentes com a situação.
    Indicacao.objects.bulk_create([
        Indicacao(exercicio=ex, numero=ultimo + 1 + k * indicacoes_por_inciso + j, inciso=i,
                  forma_execucao=Forma.EXECUCAO_DIRETA, objeto="Lote", valor=M("10.00"), status=status[j % 2],
                  origem_saldo=OrigemSaldo.LIVRE, saldo_devolucao=OrigemSaldo.LIVRE if j % 2 else "",
                  enviada_por=c["ana"], aprovada_orgao_em=meio_dia(LIVRE), aprovada_segov_em=meio_dia(LIVRE),
                  encerrada_em=meio_dia(LIVRE) if j % 2 else None,
                  categoria_impedimento=categoria if j % 2 else None, justificativa="Lote" if j % 2 else "")
        for k, i in enumerate(novos) for j in range(indicacoes_por_inciso)
    ])
    return novos


def lote_das_paginas(*, exercicio, parlamentar, bloco, acoes, grupo, usuario, beneficiario, n, dia=LIVRE):
    """*n* incisos (4 de cada 5 do *parlamentar*, 1 do *bloco*), nas *acoes* em rodízio, cada um com uma indicação em
    cada fila (órgão e SEGOV) e um remanejamento pedido; de 10 em 10, um inciso R nascido de um remanejamento
    aprovado. Direto no banco (bulk): o cenário das contagens de consultas das telas, pequeno ou grande."""
    n_emendas = Emenda.objects.count()
    proprias = Emenda.objects.create(exercicio=exercicio, numero=20000 + n_emendas, parlamentar=parlamentar)
    do_bloco = Emenda.objects.create(exercicio=exercicio, numero=20001 + n_emendas, bloco=bloco)
    base = Inciso.objects.filter(exercicio=exercicio).count()
    quando = meio_dia(dia)
    incisos = Inciso.objects.bulk_create([
        Inciso(exercicio=exercicio, emenda=do_bloco if k % 5 == 4 else proprias, numero=f"S{30000 + base + k}",
               tipo="S", acao=acoes[k % len(acoes)], grupo_despesa=grupo, valor_inicial=M("1000.00"))
        for k in range(n)
    ])
    origens = incisos[::10]
    gerados = Inciso.objects.bulk_create([
        Inciso(exercicio=exercicio, emenda=i.emenda, numero=f"R{30000 + base + k}", tipo="R", acao=i.acao,
               grupo_despesa=grupo, valor_inicial=M("50.00"), inciso_origem=i, criado_em=quando)
        for k, i in enumerate(origens)
    ])
    destino = acoes[-1]
    # Os aprovados por último: os mais recentes de cada lote (a lista de pedidos mostra os 200 últimos).
    Remanejamento.objects.bulk_create([
        Remanejamento(inciso_origem=i, acao=destino, grupo_despesa=grupo, valor=M("5.00"), detalhamento="Lote",
                      saldo_origem=OrigemSaldo.LIVRE, solicitado_por=usuario, solicitado_em=quando)
        for i in incisos
    ] + [
        Remanejamento(inciso_origem=i, acao=destino, grupo_despesa=grupo, valor=M("50.00"),
                      status=Remanejamento.Status.APROVADO, saldo_origem=OrigemSaldo.LIVRE, solicitado_por=usuario,
                      solicitado_em=quando, decidido_por=usuario, decidido_em=quando, inciso_gerado=r)
        for i, r in zip(origens, gerados)
    ])
    ultimo = Indicacao.objects.filter(exercicio=exercicio).order_by("-numero").values_list("numero", flat=True).first()
    ultimo = ultimo or 0
    Status = Indicacao.Status
    Indicacao.objects.bulk_create([
        Indicacao(exercicio=exercicio, numero=ultimo + 1 + 2 * k + j, inciso=i,
                  forma_execucao=Forma.CONVENIO if k % 2 else Forma.EXECUCAO_DIRETA,
                  beneficiario=beneficiario if k % 2 else None, objeto="Lote", valor=M("10.00"),
                  status=Status.EM_ANALISE_SEGOV if j else Status.EM_ANALISE_ORGAO, origem_saldo=OrigemSaldo.LIVRE,
                  enviada_por=usuario, enviada_em=quando, aprovada_orgao_em=quando if j else None)
        for k, i in enumerate(incisos) for j in range(2)
    ])
    return incisos


# --- convênios ---------------------------------------------------------------------------------------------------

def convenente(n: int, nome: str, municipio: str, tipo: str = "OUTRO") -> Convenente:
    return Convenente.objects.create(cnpj=gerar_cnpj(n), razao_social=nome, municipio=municipio, tipo=tipo)


def cenario_convenio(*, inciso, parlamentar, analista_orgao, segov, tipo="OSC", valor="300000.00", n=1):
    convenente = Convenente.objects.create(cnpj=gerar_cnpj(4000 + n), razao_social=f"Instituto Esperança {n}",
                                           municipio="Ouro Preto", tipo=tipo)
    usuario = criar_usuario(f"cadastrador{n}@instituto.test", "Convenente", "Cadastrador do Instituto")
    convenente.usuarios.add(usuario)
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                               valor=Decimal(valor), beneficiario=convenente, objeto="Reforma da sede")
        aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=ind)
        aprovar_indicacao_segov(usuario=segov, indicacao=ind)
    ind.refresh_from_db()
    return convenente, usuario, ind


def definir_regime_cagec(indicacao, regime):
    """O regime do CAGEC é do exercício (SEGOV define), não da proposta."""
    Exercicio.objects.filter(pk=indicacao.exercicio_id).update(regime_cagec=regime)


def proposta_aprovada(*, cadastrador, convenente, indicacao, analista_orgao, valor=None, objeto="Reforma da creche"):
    """Proposta gerada pelo *cadastrador* com a *indicacao* inteira, enviada, recebida e aprovada pelo órgão."""
    valor = indicacao.valor if valor is None else valor
    p = conv.gerar_proposta(usuario=cadastrador, convenente=convenente, indicacoes={indicacao: valor}, objeto=objeto)
    conv.enviar_proposta(usuario=cadastrador, proposta=p)
    conv.receber_proposta(usuario=analista_orgao, proposta=p)
    conv.aprovar_proposta(usuario=analista_orgao, proposta=p)
    return p


# A testemunha da assinatura do convenente (CPF válido, de exemplo).
TESTEMUNHA = {"testemunha_nome": "Teresa Testemunha", "testemunha_cpf": "529.982.247-25"}


def usuario_segov():
    """Um analista da SEGOV para os passos que só ela dá (a autorização do plano), reaproveitado no teste."""
    from django.contrib.auth import get_user_model

    from contas import perfis

    existente = get_user_model().objects.filter(groups__name=perfis.SEGOV, is_active=True).order_by("pk").first()
    return existente or criar_usuario("segov-fabrica@segov.test", perfis.SEGOV, "SEGOV da fábrica")


def formalizar(*, cadastrador, analista_orgao, proposta, segov=None, ate="VIGENTE"):
    """Leva a proposta aprovada pelos passos da formalização (DOMAIN.md §3.5) até a situação *ate*."""
    passos = [
        ("PLANO_AUTORIZADO", lambda p: conv.autorizar_plano(usuario=segov or usuario_segov(), proposta=p)),
        ("ASSINADA", lambda p: conv.assinar_convenente(usuario=cadastrador, proposta=p, **TESTEMUNHA)),
        ("EM_PUBLICACAO", lambda p: conv.assinar_concedente(usuario=analista_orgao, proposta=p)),
        ("VIGENTE", lambda p: conv.publicar(usuario=analista_orgao, proposta=p, data_publicacao=timezone.localdate())),
    ]
    p = proposta
    for situacao, passo in passos:
        p = passo(p)
        if situacao == ate:
            break
    proposta.refresh_from_db()
    return proposta


def convenio_vigente(*, cadastrador, analista_orgao, proposta, segov=None):
    """Autorização da SEGOV, as duas assinaturas e a publicação: a proposta aprovada passa a convênio vigente."""
    return formalizar(cadastrador=cadastrador, analista_orgao=analista_orgao, proposta=proposta, segov=segov)


# --- transferência especial --------------------------------------------------------------------------------------

def transferencias_aprovadas(*, exercicio, parlamentar, segov, analista, grupo, valores=("100000.00",), n=1):
    """Indicações de transferência especial aprovadas (UO 1491 / ação 2090), uma por valor, cada uma para um
    município; *analista* passa a analisar a UO 1491. Chame com a janela de indicação aberta."""
    from emendas.models import Acao, UnidadeOrcamentaria

    uo, _ = UnidadeOrcamentaria.objects.get_or_create(codigo="1491", defaults={"nome": "Secretaria de Estado de Governo"})
    uo.analistas.add(analista)
    acao, _ = Acao.objects.get_or_create(uo=uo, codigo="2090", defaults={
        "nome": "Transferências especiais aos municípios", "destino_livre": True})
    numero = 100 + parlamentar.pk * 10 + 7
    emenda, _ = Emenda.objects.get_or_create(exercicio=exercicio, numero=numero, defaults={"parlamentar": parlamentar})
    inciso = Inciso.objects.create(emenda=emenda, numero=f"S{900 + n}", acao=acao, grupo_despesa=grupo,
                                   valor_inicial=sum((M(v) for v in valores), M("0.00")) + M("1000.00"))
    municipios = ("Itabira", "Mariana", "Sabará", "Betim", "Contagem", "Ouro Preto")
    feitas = []
    for k, valor in enumerate(valores):
        nome = municipios[k % len(municipios)]
        municipio = Convenente.objects.create(cnpj=gerar_cnpj(8800 + n * 50 + k), razao_social=f"Município de {nome}",
                                              municipio=nome, tipo="ADM_MUNICIPAL")
        ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao=Forma.TRANSFERENCIA_ESPECIAL,
                               valor=M(valor), beneficiario=municipio, objeto="Transferência especial")
        aprovar_indicacao_orgao(usuario=analista, indicacao=ind)
        aprovar_indicacao_segov(usuario=segov, indicacao=ind)
        ind.refresh_from_db()
        feitas.append(ind)
    return feitas
