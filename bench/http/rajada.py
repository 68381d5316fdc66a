"""A rajada do dia do prazo: 100 usuários ao mesmo tempo postando remanejamentos e indicações pelos formulários
de verdade, mais a SEGOV aprovando 50 itens em lote em cada fila; ao lado, 100 POSTs crus (``/bench/piso/post/``).

Cada cliente primeiro abre o formulário (CSRF da página) e só então todos postam juntos. Os ids vêm do banco pelo
ORM e são conferidos antes (destino elegível que passa nas regras; beneficiário do tipo que a forma aceita), para
que uma recusa durante a rajada seja da concorrência e não de um formulário mal escolhido.
"""

import asyncio
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

import httpx
from django.core.exceptions import ValidationError
from django.urls import reverse

from contas.models import Usuario
from convenios.cnpj import formatar_cnpj
from convenios.models import Convenente
from emendas import selectors, services
from emendas.indicacoes import regras
from emendas.models import Inciso, Indicacao

from .cliente import RECONEXOES, Medida, Sessao, campos_do_formulario

SELECIONADOS = re.compile(r'name="selecionados" value="(\d+)"')
ESCONDIDO = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
VALOR = Decimal("1.00")
NAO_FEITO = "Não processad"


@dataclass
class Alvo:
    tipo: str  # "remanejamento" ou "indicacao"
    formulario: str
    dados: dict


def alvos_do_parlamentar(login: str, ano: int) -> dict[str, Alvo]:
    """Um remanejamento e uma indicação válidos para *login* (conferidos pelas regras da aplicação)."""
    usuario = Usuario.objects.get(email=login)
    incisos = list(selectors.incisos_com_detalhes().filter(
        exercicio__ano=ano, tipo=Inciso.Tipo.S, emenda__parlamentar__usuario=usuario).order_by("pk")[:40])
    alvos = {}
    for inciso in incisos:
        if "remanejamento" in alvos:
            break
        for destino in selectors.destinos_possiveis(inciso)[:5]:
            try:
                services.conferir_pedido(usuario=usuario, inciso=inciso, acao=destino.acao,
                                         grupo_despesa=destino.grupo_despesa, valor=VALOR)
            except ValidationError:
                continue
            alvos["remanejamento"] = Alvo("remanejamento", reverse("emendas:novo_remanejamento", args=[inciso.pk]), {
                "acao": destino.acao_id, "grupo_despesa": destino.grupo_despesa_id, "valor": "1,00",
                "detalhamento": "Rajada do bench", "confirmar": "1"})
            break
    for inciso in reversed(incisos):
        forma = Indicacao.FormaExecucao.CONVENIO
        if forma not in services.formas_permitidas(inciso):
            continue
        beneficiario = Convenente.objects.filter(tipo__in=regras.tipos_aceitos(forma)).order_by("pk").first()
        if beneficiario is None:
            continue
        alvos["indicacao"] = Alvo("indicacao", reverse("emendas:nova_indicacao", args=[inciso.pk]), {
            "forma_execucao": forma, "objeto": "Rajada do bench", "cnpj_1": formatar_cnpj(beneficiario.cnpj),
            "valor_1": "1,00", "acao": "confirmar"})
        break
    return alvos


def sucesso(medida: Medida, tipo: str) -> bool:
    destinos = {"remanejamento": reverse("emendas:remanejamentos"), "indicacao": reverse("emendas:indicacoes"),
                "piso": "/", "lote": "/"}
    return medida.status == 302 and medida.local.startswith(destinos[tipo]) and "/conta/entrar" not in medida.local


async def postar(sessao: Sessao, caminho: str, dados: dict, inicio: asyncio.Event, prontos: list,
                 pagina: str = "") -> Medida:
    """Abre a página do formulário (o CSRF e o token de envio único dela), avisa que está pronto e posta quando todos
    estiverem."""
    try:
        html = (await sessao.get(pagina or caminho)).text
        formulario = {**dados, **campos_do_formulario(html)}
    except (httpx.HTTPError, RuntimeError) as exc:
        prontos.append(sessao.login)  # não segura a rajada dos outros; conta como erro
        return Medida(0.0, 599, 0, caminho, f"abrindo o formulário: {exc!r}")
    prontos.append(sessao.login)
    await inicio.wait()
    t0 = time.perf_counter()
    for tentativa in (1, 2):
        try:
            resposta = await sessao.post(caminho, formulario, referer=caminho)
            break
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            # A conexão que esperou a rajada passou do keep-alive e o servidor a fechou antes de ler o pedido:
            # o navegador refaz numa conexão nova (nada foi processado). Uma segunda falha conta como erro.
            if tentativa == 2:
                return Medida(time.perf_counter() - t0, 599, 0, caminho, repr(exc))
            RECONEXOES.append(caminho)
        except httpx.HTTPError as exc:
            return Medida(time.perf_counter() - t0, 599, 0, caminho, repr(exc))
    return Medida(time.perf_counter() - t0, resposta.status_code, len(resposta.content), caminho,
                  resposta.headers.get("location", ""))


async def enviar(sessao: Sessao, caminho: str, dados) -> httpx.Response:
    """O POST de um formulário. Se a conexão reaproveitada foi fechada pelo servidor antes da resposta (keep-alive
    vencido no mesmo instante, worker reciclado), refaz uma vez numa conexão nova, como o navegador, e conta em
    ``RECONEXOES``: com o token de envio único do formulário, o reenvio nunca age duas vezes (o servidor mostra o
    resultado do primeiro). Uma segunda falha sobe."""
    try:
        return await sessao.post(caminho, dados, referer=caminho)
    except (httpx.RemoteProtocolError, httpx.ReadError):
        RECONEXOES.append(caminho)
        return await sessao.post(caminho, dados, referer=caminho)


def campos_da_revisao(html: str) -> dict[str, list[str]]:
    """Os campos escondidos do formulário de revisão (os mesmos do primeiro POST, o token novo e ``confirmado``)."""
    confirmar = html.index('name="confirmado"')
    formulario = html[html.rindex("<form", 0, confirmar):html.index("</form>", confirmar)]
    campos: dict[str, list[str]] = {}
    for nome, valor in ESCONDIDO.findall(formulario):
        campos.setdefault(nome, []).append(unescape(valor))
    return campos


async def lote(sessao: Sessao, fila: str, acao: str, inicio: asyncio.Event, prontos: list,
               n: int = 50) -> tuple[Medida, str]:
    """A SEGOV marca *n* itens da primeira página da fila e aplica *acao* como no navegador: o POST da fila (com o
    token de envio único dela) responde com a revisão (itens e total), e o POST da revisão, com o token novo e
    ``confirmado``, age. Devolve a medida (da revisão até o redirecionamento final) e as falhas da tela."""
    try:
        pagina = await sessao.get(fila)
        ids = SELECIONADOS.findall(pagina.text)[:n]
        dados = {**campos_do_formulario(pagina.text), "acao_lote": acao, "selecionados": ids}
    except (httpx.HTTPError, RuntimeError) as exc:
        prontos.append(sessao.login)
        return Medida(0.0, 599, 0, fila, f"abrindo a fila: {exc!r}"), ""
    prontos.append(sessao.login)
    await inicio.wait()
    t0 = time.perf_counter()
    try:
        revisao = await enviar(sessao, fila, dados)
        if revisao.status_code != 200 or 'name="confirmado"' not in revisao.text:
            return Medida(time.perf_counter() - t0, revisao.status_code, len(ids), fila,
                          f"a fila não respondeu com a revisão: {revisao.headers.get('location', '')}"), ""
        resposta = await enviar(sessao, fila, campos_da_revisao(revisao.text))
    except httpx.HTTPError as exc:
        return Medida(time.perf_counter() - t0, 599, len(ids), fila, repr(exc)), ""
    medida = Medida(time.perf_counter() - t0, resposta.status_code, len(ids), fila,
                    resposta.headers.get("location", ""))
    falhas = ""
    if medida.status == 302:
        try:
            depois = await sessao.get(medida.local)
        except httpx.HTTPError as exc:
            return medida, f"{acao}: a fila depois do lote não abriu: {exc!r}"
        if NAO_FEITO in depois.text:
            falhas = f"{acao}: a tela diz que itens não foram processados"
    return medida, falhas


async def soltar(inicio: asyncio.Event, prontos: list, total: int, prazo: float = 600) -> None:
    """Espera todos os clientes terem o formulário na mão e solta a rajada."""
    limite = time.monotonic() + prazo
    while len(prontos) < total and time.monotonic() < limite:
        await asyncio.sleep(0.05)
    inicio.set()


async def rajada_app(parlamentares: list[Sessao], segov: list[Sessao], alvos: dict, n: int = 100) -> dict:
    inicio, prontos = asyncio.Event(), []
    tarefas, tipos = [], []
    for k in range(n):
        s = parlamentares[k % len(parlamentares)]
        opcoes = alvos[s.login]
        tipo = "remanejamento" if k % 2 == 0 and "remanejamento" in opcoes else "indicacao"
        alvo = opcoes.get(tipo) or next(iter(opcoes.values()))
        tipos.append(alvo.tipo)
        tarefas.append(asyncio.create_task(postar(s, alvo.formulario, alvo.dados, inicio, prontos)))
    lotes = [asyncio.create_task(lote(segov[0], reverse("emendas:analise_segov"), "aprovar_segov", inicio, prontos))]
    if len(segov) > 1:
        lotes.append(asyncio.create_task(
            lote(segov[1], reverse("emendas:analise_remanejamentos"), "aprovar", inicio, prontos)))
    await soltar(inicio, prontos, len(tarefas) + len(lotes))
    medidas = await asyncio.gather(*tarefas)
    resultados_lote = await asyncio.gather(*lotes)
    erros = [f"{t} HTTP {m.status} {m.caminho} em {m.segundos:.1f} s → {m.local[:200]}"
             for m, t in zip(medidas, tipos) if not sucesso(m, t)]
    for m, falhas in resultados_lote:
        if not sucesso(m, "lote"):
            erros.append(f"lote HTTP {m.status} {m.caminho} em {m.segundos:.1f} s {m.local[:200]}")
        elif falhas:
            erros.append(falhas)
    return {"posts": [m.segundos for m in medidas], "lotes": [m for m, _ in resultados_lote], "erros": erros,
            "status": [m.status for m in medidas]}


async def rajada_piso(parlamentares: list[Sessao], n: int = 100) -> dict:
    inicio, prontos = asyncio.Event(), []
    tarefas = [asyncio.create_task(postar(parlamentares[k % len(parlamentares)], "/bench/piso/post/", {}, inicio,
                                          prontos, pagina="/bench/piso/inicio/")) for k in range(n)]
    await soltar(inicio, prontos, n)
    medidas = await asyncio.gather(*tarefas)
    erros = [f"piso HTTP {m.status}" for m in medidas if not sucesso(m, "piso")]
    return {"posts": [m.segundos for m in medidas], "erros": erros, "status": [m.status for m in medidas]}
