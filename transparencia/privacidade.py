"""O que nunca sai numa página ou arquivo público: e-mails e CPFs, mesmo digitados num texto livre.

As páginas públicas mostram só o que a lei torna público (autor, beneficiário com CNPJ e nome, objeto, valores,
situações, impedimento com categoria e justificativa). Nenhum campo de usuário é lido (e-mail, nome de analista),
mas os textos livres (objeto, justificativa, razão social de um MEI, que costuma levar o CPF do titular) podem
trazer um e-mail ou um CPF: ``ocultar`` os troca por um aviso antes de qualquer saída, tela, CSV ou JSON.
"""

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# 11 algarismos, com ou sem os pontos e o hífen; não pega pedaço de um número maior (um CNPJ de 14 algarismos, um
# CNPJ formatado, um valor) porque não pode ter algarismo nem ponto antes nem algarismo depois.
CPF = re.compile(r"(?<![\d.])(\d{3})(\.?)(\d{3})\2(\d{3})(-?)(\d{2})(?!\d)")
EMAIL_OCULTO = "[e-mail omitido]"
CPF_OCULTO = "[CPF omitido]"


def cpf_valido(digitos: str) -> bool:
    """Os dois dígitos verificadores do CPF conferem (e não são 11 algarismos iguais)."""
    if len(digitos) != 11 or not digitos.isdigit() or len(set(digitos)) == 1:
        return False
    for tamanho in (9, 10):
        soma = sum(int(d) * (tamanho + 1 - k) for k, d in enumerate(digitos[:tamanho]))
        if (soma * 10 % 11) % 10 != int(digitos[tamanho]):
            return False
    return True


def _trocar_cpf(casado: re.Match) -> str:
    formatado = bool(casado.group(2) or casado.group(5))
    digitos = "".join(casado.group(k) for k in (1, 3, 4, 6))
    # Formatado como CPF: sempre omitido. Só algarismos: omitido quando os verificadores conferem (um número de
    # processo de 11 algarismos qualquer continua visível).
    return CPF_OCULTO if formatado or cpf_valido(digitos) else casado.group(0)


def ocultar(texto: str | None) -> str:
    """*texto* sem e-mails nem CPFs."""
    if not texto:
        return texto or ""
    return CPF.sub(_trocar_cpf, EMAIL.sub(EMAIL_OCULTO, texto))
