"""Disjuntor (circuit breaker) por sistema, na memória do processo.

Sem ele, com o CAGEC fora do ar cada página que consulta prende um worker por até
três tentativas com tempo esgotado; com ele, depois de ``INTEGRACOES_CIRCUITO_FALHAS``
consultas seguidas que falharam, as próximas falham na hora, sem tocar na rede, por
``INTEGRACOES_CIRCUITO_SEGUNDOS``. Passada a pausa, UMA consulta de teste segue (meio
aberto): se der certo o circuito fecha, se falhar reabre por mais uma pausa.

É por processo (cada worker do gunicorn tem o seu): basta para não martelar o sistema
externo e não exige Redis nem banco. A abertura e o fechamento ficam no registro de
disponibilidade (``disponibilidade.services``), que a SEGOV lê para decidir uma prorrogação.
"""

import threading
import time

from django.conf import settings

from disponibilidade.services import registrar_queda, registrar_retorno

from .errors import NOMES, IntegracaoIndisponivel

FECHADO, ABERTO, MEIO_ABERTO = "FECHADO", "ABERTO", "MEIO_ABERTO"


class Circuito:
    def __init__(self, sistema: str):
        self.sistema = sistema
        self._trava = threading.Lock()
        self.reiniciar()

    def reiniciar(self) -> None:
        """Volta ao estado fechado e zera as falhas (testes e console)."""
        with self._trava:
            self._falhas = 0
            self._aberto_ate: float | None = None  # relógio monotônico
            self._em_teste = False

    @property
    def estado(self) -> str:
        with self._trava:
            if self._aberto_ate is None:
                return FECHADO
            return ABERTO if time.monotonic() < self._aberto_ate else MEIO_ABERTO

    def permitir(self) -> None:
        """Levanta ``IntegracaoIndisponivel`` se a chamada não deve ir à rede."""
        with self._trava:
            if self._aberto_ate is None:
                return
            restante = self._aberto_ate - time.monotonic()
            # Meio aberto: só uma consulta de teste por vez; as demais esperam o resultado dela.
            if restante > 0 or self._em_teste:
                raise IntegracaoIndisponivel(
                    self.sistema,
                    f"O {NOMES[self.sistema]} está indisponível (várias falhas seguidas). "
                    "Tente novamente em alguns minutos.",
                    detalhe=f"circuito aberto; nova tentativa em {max(restante, 0):.1f} s",
                )
            self._em_teste = True

    def registrar_sucesso(self) -> None:
        with self._trava:
            estava_aberto = self._aberto_ate is not None
            self._falhas = 0
            self._aberto_ate = None
            self._em_teste = False
        if estava_aberto:  # fora da trava: a gravação no banco não segura as outras threads
            registrar_retorno(sistema=self.sistema, disjuntor=True)

    def registrar_falha(self) -> None:
        limite = getattr(settings, "INTEGRACOES_CIRCUITO_FALHAS", 5)
        pausa = getattr(settings, "INTEGRACOES_CIRCUITO_SEGUNDOS", 30)
        with self._trava:
            self._falhas += 1
            estava_em_teste, self._em_teste = self._em_teste, False
            abriu = self._aberto_ate is None and (estava_em_teste or self._falhas >= limite)
            falhas = self._falhas
            if estava_em_teste or self._falhas >= limite:
                self._aberto_ate = time.monotonic() + pausa
        if abriu:
            registrar_queda(sistema=self.sistema, disjuntor=True,
                            detalhe=f"disjuntor aberto depois de {falhas} falhas seguidas")

    def liberar(self) -> None:
        """A chamada terminou sem resposta nem falha do sistema externo (erro nosso): não conta."""
        with self._trava:
            self._em_teste = False


CIRCUITOS = {sistema: Circuito(sistema) for sistema in NOMES}


def reiniciar_todos() -> None:
    for circuito in CIRCUITOS.values():
        circuito.reiniciar()
