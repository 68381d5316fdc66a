"""Quem pode ser beneficiário de cada forma de execução (DOMAIN.md §7.1–7.3): uma tabela só.

O serviço recusa os outros tipos e a tela só oferece estes; os dois leem daqui.
"""

from convenios.models import Convenente

from ..models import Indicacao

Forma = Indicacao.FormaExecucao
Tipo = Convenente.Tipo

# Convênio / parceria MROSC e outros instrumentos: o §7.1 não restringe o beneficiário (município, consórcio,
# entidade pública, OSC; "Outro" cobre cooperativas e organizações religiosas, que a Lei 13.019 também chama
# de OSC). Caixa escolar e fundo municipal de saúde ficam de fora: cada um tem a sua forma própria
# (Caixa Escolar, Resolução SES), e o convênio com o município é assinado pela prefeitura, não pelo fundo.
_INSTRUMENTO = (Tipo.ADM_MUNICIPAL, Tipo.CONSORCIO_PUBLICO, Tipo.ENTIDADE_PUBLICA, Tipo.OSC, Tipo.OUTRO)

TIPOS_POR_FORMA: dict[str, tuple[str, ...]] = {
    Forma.CONVENIO: _INSTRUMENTO,
    Forma.OUTROS_INSTRUMENTOS: _INSTRUMENTO,
    # §7.1: Transferência Especial (EC 101/2019) só para municípios.
    Forma.TRANSFERENCIA_ESPECIAL: (Tipo.ADM_MUNICIPAL,),
    # §7.1/§7.2: Caixa Escolar vai para a caixa escolar da escola (escolhida pelo código).
    Forma.CAIXA_ESCOLAR: (Tipo.CAIXA_ESCOLAR,),
    # §7.2: Resolução SES (fundo a fundo) vai para o fundo municipal de saúde.
    Forma.RESOLUCAO_SES: (Tipo.FUNDO_MUNICIPAL_SAUDE,),
    # §7.1/§7.2: doação de bens não pode ir para órgão ou entidade do Estado. "Entidade pública" no espelho do
    # CAGEC não separa a esfera (estadual, federal, municipal), então o tipo inteiro fica de fora até o cadastro
    # distinguir; caixa escolar (escola estadual) e fundo de saúde também não recebem bens.
    Forma.DOACAO_BENS: (Tipo.ADM_MUNICIPAL, Tipo.CONSORCIO_PUBLICO, Tipo.OSC, Tipo.OUTRO),
    # §2.11/§7.2: execução direta é do próprio órgão (unidade administrativa), sem convenente beneficiário.
    Forma.EXECUCAO_DIRETA: (),
}


def tipos_aceitos(forma: str) -> tuple[str, ...]:
    """Tipos de convenente que a *forma* aceita como beneficiário (vazio: forma sem beneficiário)."""
    return TIPOS_POR_FORMA.get(forma, ())


def nomes_dos_tipos(forma: str) -> str:
    """"Administração municipal, Consórcio público ..." para as mensagens."""
    return ", ".join(Tipo(t).label for t in tipos_aceitos(forma))


def exige_beneficiario(forma: str) -> bool:
    return bool(tipos_aceitos(forma))


def conferir_beneficiario(forma: str, tipo_beneficiario: str | None) -> str | None:
    """Mensagem de recusa (pt-BR) quando o beneficiário não serve para a forma; None quando serve."""
    rotulo = Forma(forma).label if forma in Forma.values else forma
    aceitos = tipos_aceitos(forma)
    if tipo_beneficiario is None:
        return f"Informe o beneficiário da indicação ({nomes_dos_tipos(forma)})." if aceitos else None
    if not aceitos:
        return f"A forma “{rotulo}” não tem beneficiário convenente: deixe o beneficiário em branco."
    if tipo_beneficiario not in aceitos:
        tipo = Tipo(tipo_beneficiario).label if tipo_beneficiario in Tipo.values else tipo_beneficiario
        return (f"A forma “{rotulo}” não aceita beneficiário do tipo “{tipo}”. "
                f"Tipos aceitos: {nomes_dos_tipos(forma)}.")
    return None
