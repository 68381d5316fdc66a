"""CNPJ: 14 dígitos guardados sem máscara, dígitos verificadores conferidos."""

import re

from django.core.exceptions import ValidationError

_PESOS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
_PESOS_2 = [6] + _PESOS_1


def _digito(numeros: str, pesos: list[int]) -> str:
    resto = sum(int(n) * p for n, p in zip(numeros, pesos)) % 11
    return "0" if resto < 2 else str(11 - resto)


def normalizar_cnpj(texto: str) -> str:
    """Tira a máscara e confere os dígitos; ``ValidationError`` se inválido."""
    numeros = re.sub(r"[^0-9]", "", texto or "")  # [0-9]: \D deixaria passar algarismos de outras escritas
    if len(numeros) != 14 or numeros == numeros[0] * 14:
        raise ValidationError(f"CNPJ inválido: “{texto}”.")
    if numeros[12] != _digito(numeros[:12], _PESOS_1) or numeros[13] != _digito(numeros[:13], _PESOS_2):
        raise ValidationError(f"CNPJ inválido (dígito verificador): “{texto}”.")
    return numeros


def formatar_cnpj(numeros: str) -> str:
    n = numeros or ""
    if len(n) != 14:
        return n
    return f"{n[:2]}.{n[2:5]}.{n[5:8]}/{n[8:12]}-{n[12:]}"


def gerar_cnpj(base: int) -> str:
    """CNPJ válido a partir de um número (dados de demonstração e testes)."""
    raiz = f"{base % 10**8:08d}0001"
    d1 = _digito(raiz, _PESOS_1)
    d2 = _digito(raiz + d1, _PESOS_2)
    return raiz + d1 + d2


def normalizar_cpf(texto: str) -> str:
    """CPF (da testemunha da assinatura): tira a máscara e confere os dígitos; ``ValidationError`` se inválido."""
    numeros = re.sub(r"[^0-9]", "", texto or "")
    if len(numeros) != 11 or numeros == numeros[0] * 11:
        raise ValidationError(f"CPF inválido: “{texto}”.")
    for tamanho in (9, 10):
        soma = sum(int(n) * p for n, p in zip(numeros[:tamanho], range(tamanho + 1, 1, -1)))
        if numeros[tamanho] != str((soma * 10) % 11 % 10):
            raise ValidationError(f"CPF inválido (dígito verificador): “{texto}”.")
    return numeros
