"""O calendário em iCalendar (RFC 5545), pela biblioteca ``icalendar``: um evento de dia inteiro por prazo."""

from datetime import timedelta

import icalendar
from django.conf import settings

from .agenda import Prazo

PRODID = "-//SIGCON Saida//Calendario de prazos//PT-BR"


def _dominio() -> str:
    base = getattr(settings, "SIGCON_URL_BASE", "") or "sigcon.local"
    return base.split("://")[-1].split("/")[0].split(":")[0] or "sigcon.local"


def calendario_ics(*, nome: str, exercicios: list[tuple[object, list[Prazo]]], gerado_em) -> bytes:
    """O .ics com os *exercicios* (pares exercício, prazos). UID estável por ano e prazo: o aplicativo de calendário
    atualiza o evento (uma prorrogação muda o fim) em vez de duplicá-lo."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", nome)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    dominio = _dominio()
    for exercicio, prazos in exercicios:
        for p in prazos:
            evento = icalendar.Event()
            evento.add("uid", f"{exercicio.ano}-{p.chave.replace(':', '-')}@{dominio}")
            evento.add("dtstamp", gerado_em)
            evento.add("summary", f"{p.titulo} ({exercicio.ano})")
            evento.add("dtstart", p.inicio)
            evento.add("dtend", p.fim + timedelta(days=1))  # de dia inteiro: o fim do iCalendar é exclusivo
            evento.add("description", p.descricao())
            evento.add("categories", [f"SIGCON {exercicio.ano}"])
            evento.add("transp", "TRANSPARENT")
            cal.add_component(evento)
    return cal.to_ical()
