"""Servidor HTTP falso de verdade (socket local) para exercitar os clientes httpx sem mocks."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from convenios.cnpj import gerar_cnpj
from integracoes.circuito import reiniciar_todos


@pytest.fixture(autouse=True)
def _circuitos_fechados():
    # O circuito vive na memória do processo: sem isso a falha de um teste abriria o do seguinte.
    reiniciar_todos()
    yield
    reiniciar_todos()


@pytest.fixture
def cnpj():
    return gerar_cnpj(12345678)


# Ações do roteiro: cada uma recebe o handler e decide o que o "sistema externo" faz.

def json_(corpo, status=200):
    return lambda h: h.enviar(status, json.dumps(corpo).encode())


def bruto(texto: str, status=200, tipo="application/json"):
    """Corpo qualquer, com o Content-Type dado (``None``: sem o cabeçalho)."""
    return lambda h: h.enviar(status, texto.encode(), tipo)


def status(codigo: int):
    return lambda h: h.enviar(codigo, b'{"erro": "x"}')


def lento(segundos: float, corpo=None):
    def acao(h):
        time.sleep(segundos)
        h.enviar(200, json.dumps(corpo or {}).encode())
    return acao


def derrubar():
    # Fecha o socket sem escrever um byte: o cliente vê "Server disconnected without sending a response".
    def acao(h):
        h.close_connection = True
    return acao


class ServidorFalso:
    def __init__(self):
        self._trava = threading.Lock()
        self.pedidos: list[dict] = []
        # Os POSTs, com o corpo e a chave de idempotência (os GETs só em ``pedidos``, como sempre).
        self.envios: list[dict] = []
        self._roteiro = [status(500)]

    def responder(self, *acoes):
        """Uma ação por pedido, em ordem; a última se repete para os pedidos seguintes."""
        with self._trava:
            self._roteiro = list(acoes)

    def _proxima(self, handler):
        with self._trava:
            self.pedidos.append({"caminho": handler.path, "autorizacao": handler.headers.get("Authorization")})
            return self._roteiro.pop(0) if len(self._roteiro) > 1 else self._roteiro[0]

    @property
    def total(self) -> int:
        with self._trava:
            return len(self.pedidos)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # cabeçalho e corpo saem em duas escritas: sem isso, +40 ms por pedido

    def do_POST(self):
        corpo = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.falso._trava:
            self.server.falso.envios.append({
                "caminho": self.path, "chave": self.headers.get("Idempotency-Key"), "corpo": json.loads(corpo or b"{}"),
            })
        self.do_GET()

    def do_GET(self):
        acao = self.server.falso._proxima(self)
        try:
            acao(self)
        except OSError:
            pass  # o cliente desistiu (tempo esgotado) antes da resposta lenta

    def enviar(self, codigo: int, corpo: bytes, tipo: str | None = "application/json"):
        self.send_response(codigo)
        if tipo:
            self.send_header("Content-Type", tipo)
        self.send_header("Content-Length", str(len(corpo)))
        self.end_headers()
        self.wfile.write(corpo)

    def log_message(self, *args):
        pass


class _Http(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # conexões cortadas de propósito não são erro do teste


@pytest.fixture
def servidor(settings, monkeypatch):
    for variavel in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variavel, raising=False)
    http = _Http(("127.0.0.1", 0), _Handler)
    http.falso = ServidorFalso()
    thread = threading.Thread(target=http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{http.server_address[1]}"
    settings.INTEGRACOES = {"CAGEC": "integracoes.cagec.CagecHttp", "SIAFI": "integracoes.siafi.SiafiHttp"}
    settings.CAGEC_URL, settings.CAGEC_TOKEN = f"{base}/cagec/", "segredo-cagec"
    settings.SIAFI_URL, settings.SIAFI_TOKEN = f"{base}/siafi", "segredo-siafi"
    # Valores minúsculos: a suíte inteira de HTTP roda em poucos segundos.
    settings.INTEGRACOES_TIMEOUT_CONEXAO = 0.5
    settings.INTEGRACOES_TIMEOUT_LEITURA = 0.2
    settings.INTEGRACOES_TENTATIVAS = 3
    settings.INTEGRACOES_BACKOFF = 0.01
    settings.INTEGRACOES_CIRCUITO_FALHAS = 5
    settings.INTEGRACOES_CIRCUITO_SEGUNDOS = 30
    yield http.falso
    http.shutdown()
    http.server_close()
    thread.join(timeout=2)


@pytest.fixture
def porta_fechada():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
