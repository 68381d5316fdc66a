"""Textos livres digitados pelo usuário: limite de tamanho sem corte silencioso."""

from django.core.exceptions import ValidationError

# Justificativas, objetos e detalhamentos: o mesmo limite do campo do formulário.
LIMITE_TEXTO_LONGO = 4000


def texto_limitado(texto, *, obrigatorio: str = "", rotulo: str = "O texto", maximo: int = LIMITE_TEXTO_LONGO) -> str:
    """*texto* sem espaços nas pontas; recusa (nunca corta) o que passa de *maximo* caracteres.

    *obrigatorio*, quando dado, é a mensagem para o texto vazio. Os formulários já limitam o tamanho;
    esta conferência protege quem chama o serviço por outro caminho (lote, comando, shell).
    """
    texto = (texto or "").strip()
    if not texto and obrigatorio:
        raise ValidationError(obrigatorio)
    if len(texto) > maximo:
        raise ValidationError(
            f"{rotulo} tem {len(texto)} caracteres; o máximo é {maximo}. Resuma o texto e envie de novo."
        )
    if "\x00" in texto:
        raise ValidationError(f"{rotulo} contém caracteres inválidos.")
    return texto


def numero_pt(n: int) -> str:
    """Inteiro com o ponto do milhar: ``1234`` → ``1.234``."""
    return f"{n:,}".replace(",", ".")


def plural(n: int, singular: str, plural_: str) -> str:
    """A quantidade com o substantivo na forma certa: ``1 indicação``, ``2 indicações``, ``0 indicações``.

    Em português o singular vale só para 1 (e para −1); zero leva o plural ("nenhuma" é coisa do texto em volta).
    Nada de "indicação(ões)": quem lê não precisa decifrar.
    """
    return f"{numero_pt(n)} {singular if abs(n) == 1 else plural_}"
