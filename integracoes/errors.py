"""A única exceção que os adaptadores levantam quando o sistema externo não responde direito."""

NOMES = {"CAGEC": "CAGEC", "SIAFI": "SIAFI-MG"}


class IntegracaoIndisponivel(Exception):
    """O CAGEC ou o SIAFI-MG não deu uma resposta utilizável.

    Cobre tempo esgotado, conexão recusada ou derrubada, HTTP 5xx depois das novas tentativas,
    JSON malformado, circuito aberto e o simulador "fora do ar". Quem chama trata tudo igual:
    avisa o usuário e deixa tentar de novo mais tarde. ``mensagem`` vai para a tela; ``detalhe``
    (técnico) vai só para o registro da consulta.
    """

    def __init__(self, sistema: str, mensagem: str = "", *, detalhe: str = ""):
        self.sistema = sistema
        self.mensagem = mensagem or (
            f"O {NOMES.get(sistema, sistema)} não respondeu no momento. Tente novamente em alguns minutos."
        )
        self.detalhe = detalhe
        super().__init__(self.mensagem)

    def para_registro(self) -> str:
        return f"{self.mensagem} [{self.detalhe}]" if self.detalhe else self.mensagem
