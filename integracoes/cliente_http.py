"""Base dos clientes HTTP (httpx) do CAGEC e do SIAFI-MG: tempo limite, novas tentativas, circuito.

Política, igual para os dois sistemas:

- tempo limite de conexão ``INTEGRACOES_TIMEOUT_CONEXAO`` (2 s) e de leitura
  ``INTEGRACOES_TIMEOUT_LEITURA`` (5 s);
- até ``INTEGRACOES_TENTATIVAS`` (3) tentativas no total, com espera exponencial
  ``INTEGRACOES_BACKOFF`` × 2^(n-1) entre elas, só quando a falha pode ser passageira:
  tempo esgotado, conexão recusada/derrubada e HTTP 5xx;
- sem nova tentativa em 4xx (a resposta seria a mesma) nem em JSON malformado ou fora do
  contrato (o sistema respondeu; repetir só multiplicaria a carga);
- falha fechada: só uma resposta que cumpre o contrato vale como resposta. 200 e 404 precisam vir
  com ``Content-Type: application/json`` e um objeto JSON; o 404 só quer dizer "CNPJ não
  cadastrado" quando o corpo diz isso (``{"erro": <codigo_nao_cadastrado>, "cnpj": <o consultado>}``).
  Um 404 vazio ou em HTML (de um proxy, de uma URL errada) é ``IntegracaoIndisponivel``, nunca
  "nada consta";
- toda falha vira ``IntegracaoIndisponivel`` e conta no circuito do sistema.

Pior caso com os valores padrão: 3 × (2 s + 5 s) + 0,5 s + 1 s ≈ 22,5 s.
"""

import json
import time
from datetime import date

import httpx
from django.conf import settings

from .circuito import CIRCUITOS
from .errors import NOMES, IntegracaoIndisponivel

# Falhas de transporte que podem passar sozinhas; outros erros do httpx (URL inválida etc.) não passam.
_PASSAGEIRAS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class ContratoInvalido(ValueError):
    """O JSON veio, mas sem os campos ou tipos do contrato."""


class ClienteHttp:
    sistema: str = ""
    caminho: str = ""  # ex.: "convenentes" → {base}/convenentes/{cnpj}
    setting_url: str = ""
    setting_token: str = ""
    # Valor do campo "erro" no corpo do 404 que significa "este CNPJ não está cadastrado aqui".
    codigo_nao_cadastrado: str = ""

    def _base(self) -> str:
        base = (getattr(settings, self.setting_url, "") or "").rstrip("/")
        if not base:
            # Configuração faltando não é falha do sistema externo: não conta no circuito.
            raise IntegracaoIndisponivel(self.sistema, detalhe=f"{self.setting_url} não configurado")
        return base

    def _no_circuito(self, chamar):
        """Roda *chamar* (rede + leitura do contrato) pelo circuito do sistema: falha conta, erro nosso não."""
        circuito = CIRCUITOS[self.sistema]
        circuito.permitir()
        try:
            resposta = chamar()
        except IntegracaoIndisponivel:
            circuito.registrar_falha()
            raise
        except BaseException:
            circuito.liberar()
            raise
        circuito.registrar_sucesso()
        return resposta

    def consultar(self, cnpj: str):
        base = self._base()

        def chamar():
            codigo, dados = self._buscar(f"{base}/{self.caminho}/{cnpj}")
            try:
                if codigo == 404:
                    self._exigir_nao_cadastrado(cnpj, dados)
                    return self.nao_encontrado(cnpj)
                return self.interpretar(cnpj, dados)
            except (ContratoInvalido, KeyError, TypeError, ValueError) as erro:
                raise IntegracaoIndisponivel(
                    self.sistema, detalhe=f"HTTP {codigo} fora do contrato: {erro}"
                ) from erro

        return self._no_circuito(chamar)

    def enviar(self, caminho: str, corpo: dict, *, chave: str, aceitos: tuple[int, ...], interpretar):
        """POST de *corpo* (JSON) em ``{base}/{caminho}``, com ``Idempotency-Key: chave``; *interpretar(codigo,
        dados)* lê a resposta (um dos códigos *aceitos*). As novas tentativas (5xx, tempo esgotado, conexão caída)
        são seguras porque o sistema externo reconhece a chave e devolve o que já fez, sem fazer de novo."""
        base = self._base()

        def chamar():
            codigo, dados = self._requisitar("POST", f"{base}/{caminho}", corpo=corpo, aceitos=aceitos,
                                             extras={"Idempotency-Key": chave})
            try:
                return interpretar(codigo, dados)
            except (ContratoInvalido, KeyError, TypeError, ValueError) as erro:
                raise IntegracaoIndisponivel(
                    self.sistema, detalhe=f"HTTP {codigo} fora do contrato: {erro}"
                ) from erro

        return self._no_circuito(chamar)

    def interpretar(self, cnpj: str, dados: dict):
        raise NotImplementedError

    def nao_encontrado(self, cnpj: str):
        raise NotImplementedError

    def _exigir_nao_cadastrado(self, cnpj: str, dados: dict) -> None:
        """Um 404 só é "não cadastrado" se o corpo disser isso, com o CNPJ consultado."""
        if exigir(dados, "erro", str) != self.codigo_nao_cadastrado:
            raise ContratoInvalido(f"404 sem o código “{self.codigo_nao_cadastrado}”")
        if exigir(dados, "cnpj", str) != cnpj:
            raise ContratoInvalido("o CNPJ do 404 não é o consultado")

    def _buscar(self, url: str) -> tuple[int, dict]:
        """GET com novas tentativas. Devolve (200 ou 404, objeto JSON do corpo)."""
        return self._requisitar("GET", url, aceitos=(200, 404))

    def _requisitar(self, metodo: str, url: str, *, aceitos: tuple[int, ...], corpo: dict | None = None,
                    extras: dict | None = None) -> tuple[int, dict]:
        """A requisição com novas tentativas. Devolve (um dos códigos *aceitos*, objeto JSON do corpo)."""
        tentativas = max(1, int(getattr(settings, "INTEGRACOES_TENTATIVAS", 3)))
        backoff = float(getattr(settings, "INTEGRACOES_BACKOFF", 0.5))
        tempo_limite = httpx.Timeout(
            float(getattr(settings, "INTEGRACOES_TIMEOUT_LEITURA", 5)),
            connect=float(getattr(settings, "INTEGRACOES_TIMEOUT_CONEXAO", 2)),
        )
        cabecalhos = {"Accept": "application/json", **(extras or {})}
        token = getattr(settings, self.setting_token, "")
        if token:
            cabecalhos["Authorization"] = f"Bearer {token}"
        nome = NOMES[self.sistema]
        problema = ""
        with httpx.Client(timeout=tempo_limite, headers=cabecalhos) as cliente:
            for tentativa in range(1, tentativas + 1):
                if tentativa > 1:
                    time.sleep(backoff * 2 ** (tentativa - 2))
                try:
                    r = cliente.request(metodo, url, json=corpo)
                except _PASSAGEIRAS as erro:
                    problema = f"{type(erro).__name__}: {erro}"
                    continue
                except httpx.HTTPError as erro:
                    raise IntegracaoIndisponivel(self.sistema, detalhe=f"{type(erro).__name__}: {erro}") from erro
                if r.status_code >= 500:
                    problema = f"HTTP {r.status_code}"
                    continue
                if r.status_code not in aceitos:
                    mensagem = ""
                    if r.status_code in (401, 403):
                        mensagem = f"O SIGCON não está autorizado a consultar o {nome}. Avise a equipe de suporte."
                    raise IntegracaoIndisponivel(self.sistema, mensagem, detalhe=f"HTTP {r.status_code}")
                prefixo = f"HTTP {r.status_code}"
                if not _e_json(r.headers.get("Content-Type", "")):
                    tipo = r.headers.get("Content-Type") or "sem Content-Type"
                    raise IntegracaoIndisponivel(self.sistema, detalhe=f"{prefixo} não é JSON ({tipo})")
                try:
                    dados = json.loads(r.content)
                except ValueError as erro:  # inclui UnicodeDecodeError e corpo vazio
                    raise IntegracaoIndisponivel(self.sistema, detalhe=f"{prefixo} JSON malformado: {erro}") from erro
                if not isinstance(dados, dict):
                    raise IntegracaoIndisponivel(self.sistema, detalhe=f"{prefixo} JSON não é um objeto")
                return r.status_code, dados
        raise IntegracaoIndisponivel(
            self.sistema, f"O {nome} não respondeu. Tente novamente em alguns minutos.",
            detalhe=f"{tentativas} tentativa(s); última: {problema}",
        )


def _e_json(content_type: str) -> bool:
    tipo = content_type.split(";", 1)[0].strip().lower()
    return tipo == "application/json" or (tipo.startswith("application/") and tipo.endswith("+json"))


# Leitores de campos do contrato: levantam ContratoInvalido com o nome do campo.

def exigir(dados: dict, campo: str, tipo: type | tuple, *, opcional: bool = False, padrao=None):
    if campo not in dados or dados[campo] is None:
        if opcional:
            return padrao
        raise ContratoInvalido(f"campo “{campo}” ausente")
    valor = dados[campo]
    # bool é subclasse de int em Python; aqui só aceitamos true/false de verdade onde se pede bool.
    if not isinstance(valor, tipo) or (tipo is not bool and isinstance(valor, bool)):
        raise ContratoInvalido(f"campo “{campo}” com tipo inválido")
    return valor


def ler_data(dados: dict, campo: str) -> date | None:
    texto = exigir(dados, campo, str, opcional=True)
    if not texto:
        return None
    try:
        return date.fromisoformat(texto)
    except ValueError as erro:
        raise ContratoInvalido(f"campo “{campo}” não é uma data AAAA-MM-DD") from erro
