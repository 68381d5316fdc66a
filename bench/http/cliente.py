"""Clientes HTTP do bench: sessões de usuários reais, logadas pelo formulário de entrada (com CSRF).

O servidor é o de produção atrás de um "proxy" (``X-Forwarded-Proto: https``): os cookies vêm com ``Secure``,
então cada sessão guarda os seus à mão e os manda no cabeçalho ``Cookie``; os POSTs levam o ``Referer`` https
que o CSRF do Django confere. Um ``httpx.AsyncClient`` só (um conjunto de conexões) serve a todas as sessões.
"""

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import httpx

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENVIO_UNICO = re.compile(r'name="envio_unico" value="([^"]+)"')
TEMPO_LIMITE = httpx.Timeout(300.0, connect=30.0)
RECONEXOES: list[str] = []  # GETs refeitos porque o servidor fechou a conexão reaproveitada


@dataclass
class Medida:
    segundos: float
    status: int
    bytes: int = 0
    caminho: str = ""
    local: str = ""  # Location de um redirecionamento


class Sessao:
    def __init__(self, cliente: httpx.AsyncClient, base: str, login: str):
        self.cliente, self.base, self.login = cliente, base, login
        self.cookies: dict[str, str] = {}
        host = base.split("//", 1)[1]
        self.origem = f"https://{host}"

    def cabecalhos(self, extra: dict | None = None) -> dict:
        cab = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            cab["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        cab.update(extra or {})
        return cab

    def guardar(self, resposta: httpx.Response) -> None:
        for texto in resposta.headers.get_list("set-cookie"):
            biscoito = SimpleCookie()
            biscoito.load(texto)
            for nome, morsel in biscoito.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(nome, None)
                else:
                    self.cookies[nome] = morsel.value

    async def get(self, caminho: str, **kwargs) -> httpx.Response:
        """GET. Numa conexão reaproveitada que o servidor fechou (keep-alive vencido, worker reciclado por
        ``max_requests``) o GET é refeito uma vez numa conexão nova, como o navegador faz (``RECONEXOES``)."""
        cabecalhos = self.cabecalhos(kwargs.pop("headers", None))
        try:
            resposta = await self.cliente.get(self.base + caminho, headers=cabecalhos, **kwargs)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            RECONEXOES.append(caminho)
            resposta = await self.cliente.get(self.base + caminho, headers=cabecalhos, **kwargs)
        self.guardar(resposta)
        return resposta

    async def post(self, caminho: str, dados, *, referer: str = "", **kwargs) -> httpx.Response:
        cab = {"Referer": self.origem + (referer or caminho), "Origin": self.origem}
        resposta = await self.cliente.post(self.base + caminho, data=dados, headers=self.cabecalhos(cab), **kwargs)
        self.guardar(resposta)
        return resposta

    async def entrar(self, senha: str) -> "Sessao":
        pagina = await self.get("/conta/entrar/")
        dados = {"username": self.login, "password": senha, "next": "/",
                 "csrfmiddlewaretoken": token(pagina.text)}
        resposta = await self.post("/conta/entrar/", dados)
        if resposta.status_code != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login de {self.login} falhou: HTTP {resposta.status_code}")
        return self

    async def medir(self, caminho: str) -> Medida:
        inicio = time.perf_counter()
        try:
            resposta = await self.get(caminho)
        except httpx.HTTPError as exc:
            return Medida(time.perf_counter() - inicio, 599, 0, caminho, repr(exc))
        return Medida(time.perf_counter() - inicio, resposta.status_code, len(resposta.content), caminho,
                      resposta.headers.get("location", ""))


def token(html: str) -> str:
    achado = CSRF.search(html)
    if not achado:
        raise RuntimeError("página sem csrfmiddlewaretoken")
    return achado.group(1)


def campos_do_formulario(html: str) -> dict:
    """O CSRF da página e, se ela tiver um formulário que cria ou decide algo, o token de envio único dele
    (``{% envio_unico %}``): sem ele a aplicação responde 400 sem agir. Os pisos não têm o token."""
    campos = {"csrfmiddlewaretoken": token(html)}
    if achado := ENVIO_UNICO.search(html):
        campos["envio_unico"] = achado.group(1)
    return campos


def novo_cliente() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TEMPO_LIMITE, follow_redirects=False,
                             limits=httpx.Limits(max_connections=200, max_keepalive_connections=200))


async def entrar_todos(cliente, base, logins, senha, *, simultaneos: int = 4) -> list[Sessao]:
    """Uma sessão por login (o hash da senha custa caro: poucos logins ao mesmo tempo)."""
    trava = asyncio.Semaphore(simultaneos)

    async def um(login):
        async with trava:
            return await Sessao(cliente, base, login).entrar(senha)

    return list(await asyncio.gather(*(um(login) for login in logins)))


@dataclass
class Serie:
    """As rodadas de uma página num nível de concorrência: a mediana de cada rodada e os erros."""

    rodadas: list[float] = field(default_factory=list)
    todas: list[float] = field(default_factory=list)
    erros: list[Medida] = field(default_factory=list)

    @property
    def mediana(self) -> float:
        return statistics.median(self.rodadas) if self.rodadas else float("nan")

    def resumo(self) -> str:
        if not self.rodadas:
            return "—"
        return f"{min(self.rodadas) * 1000:.0f}/{self.mediana * 1000:.0f}/{max(self.rodadas) * 1000:.0f}"

    def anotar(self, medidas: list[Medida], ok=(200,)):
        self.todas += [m.segundos for m in medidas]
        self.erros += [m for m in medidas if m.status not in ok]
        self.rodadas.append(statistics.median(m.segundos for m in medidas))


async def rodada(sessoes: list[Sessao], caminho_de, concorrencia: int, serie: Serie, *, repeticoes_c1: int = 3):
    """c=1: *repeticoes_c1* pedidos em sequência; c>1: um pedido de cada cliente, todos ao mesmo tempo."""
    if concorrencia == 1:
        s = sessoes[0]
        medidas = [await s.medir(caminho_de(s)) for _ in range(repeticoes_c1)]
    else:
        clientes = [sessoes[k % len(sessoes)] for k in range(concorrencia)]
        medidas = await asyncio.gather(*(s.medir(caminho_de(s)) for s in clientes))
    serie.anotar(list(medidas))


def percentil(valores: list[float], p: float) -> float:
    if not valores:
        return float("nan")
    ordenados = sorted(valores)
    k = min(len(ordenados) - 1, max(0, round(p / 100 * (len(ordenados) - 1))))
    return ordenados[k]
