"""E-mails da diligência (caixa de saída, na transação de quem chama; enviados depois do commit).

Aberta e fechada → o titular (num bloco, o responsável) e os assessores ativos dele (``visibilidade.emails_do_titular``),
como manda a matriz de e-mails (DOMAIN.md §3.6).
Respondida → quem abriu a diligência no órgão: é ele quem precisa ler a resposta para fechá-la.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notificacoes.models import EmailPendente
from notificacoes.services import enfileirar_email

from ..models import Diligencia
from ..visibilidade import emails_do_titular

ASSUNTOS = {
    "aberta": "SIGCON Saída – diligência nº {numero} aberta na indicação nº {indicacao}",
    "respondida": "SIGCON Saída – diligência nº {numero} respondida (indicação nº {indicacao})",
    "fechada": "SIGCON Saída – diligência nº {numero} fechada (indicação nº {indicacao})",
}


def _emails_do_titular(inciso) -> list[str]:
    """O titular (num bloco, o responsável) e os assessores ativos dele."""
    emenda = inciso.emenda
    return emails_do_titular(emenda.bloco.responsavel if emenda.bloco_id else emenda.parlamentar)


def email_da_diligencia(dil: Diligencia, evento: str, *, usuario, resposta=None) -> None:
    """*evento*: "aberta", "respondida" ou "fechada"; *usuario* é quem agiu (o "Responsável" do e-mail)."""
    ind = dil.indicacao
    inciso = ind.inciso
    destinos = [dil.responsavel.email] if evento == "respondida" else _emails_do_titular(inciso)
    corpo = render_to_string("emails/diligencia.txt", {
        "dil": dil, "ind": ind, "inciso": inciso, "evento": evento, "usuario": usuario, "resposta": resposta,
        "agora": timezone.localtime(), "endereco": settings.SIGCON_URL_BASE + reverse("emendas:diligencia",
                                                                                      args=[dil.pk]),
    })
    enfileirar_email(assunto=ASSUNTOS[evento].format(numero=dil.numero, indicacao=ind.numero), corpo=corpo,
                     destinatarios=destinos, tipo=EmailPendente.Tipo.DILIGENCIA)
