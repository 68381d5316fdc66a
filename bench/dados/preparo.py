"""Preparo do banco do bench: modelo, cópia, migrate, calendário e o cenário (ver ``bench/dados/__init__.py``)."""

import json
import os
import random
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import bancos, cadastros
from .bancos import VERSAO_DADOS, url_do_banco
from .calendario import deslocar_para_hoje

CENARIO = Path(__file__).resolve().parent.parent / ".cenario.json"  # ignorado pelo git


def _impressao(escala: str, semente: int, ano: int) -> str:
    return f"sigcon-bench escala={escala} semente={semente} versao={VERSAO_DADOS} ano={ano}"


def preparar(*, escala: str = "estado", semente: int = 2026, refazer: bool = False) -> dict:
    """Deixa o banco de trabalho pronto (cópia do modelo, migrado, hoje = fim da janela livre) e devolve o
    cenário: logins, senha, ano e contagens. Grava o mesmo em ``bench/.cenario.json``."""
    if escala not in cadastros.ESCALAS:
        raise ValueError(f"Escala desconhecida: {escala!r}. Use: {', '.join(cadastros.ESCALAS)}.")
    if connection.vendor != "postgresql":
        raise RuntimeError("O bench precisa do PostgreSQL: configure o Django com DATABASE_URL=postgres://… "
                           "(o banco de trabalho é BENCH_DATABASE_URL, ou sigcon_bench no mesmo servidor).")
    url = url_do_banco()
    trabalho = bancos.nome_do_banco(url)
    # Um modelo só pode servir a vários bancos de trabalho (BENCH_MODELO); padrão: <trabalho>_modelo.
    modelo = os.environ.get("BENCH_MODELO") or f"{trabalho}_modelo"
    ano = timezone.localdate().year
    impressao = _impressao(escala, semente, ano)
    inicio = time.perf_counter()
    with bancos.travado(url, modelo):
        gerou = refazer or bancos.impressao_digital(url, modelo) != impressao
        if gerou:
            bancos.apagar(url, modelo)
            bancos.criar(url, modelo)
            bancos.apontar(modelo, url)
            call_command("migrate", verbosity=0, interactive=False)
            gerar(cadastros.ESCALAS[escala], semente=semente, ano=ano)
            connection.close()
            bancos.gravar_impressao_digital(url, modelo, impressao)
        tempo_geracao = time.perf_counter() - inicio
        connection.close()
        bancos.apagar(url, trabalho)
        bancos.criar(url, trabalho, modelo=modelo)
    bancos.apontar(trabalho, url)
    call_command("migrate", verbosity=0, interactive=False)
    deslocamento = deslocar_para_hoje()
    cenario = montar_cenario(url)
    cenario.update(gerou_modelo=gerou, segundos_geracao=round(tempo_geracao, 1),
                   segundos_total=round(time.perf_counter() - inicio, 1), deslocamento_dias=deslocamento,
                   escala=escala, semente=semente, modelo=bancos.com_nome(url, modelo),
                   tamanho_modelo_mb=round(bancos.tamanho(url, modelo) / 2**20, 1))
    Path(os.environ.get("BENCH_CENARIO", CENARIO)).write_text(json.dumps(cenario, ensure_ascii=False, indent=2))
    return cenario


def gerar(escala: cadastros.Escala, *, semente: int, ano: int) -> dict:
    """Gera tudo no banco para onde o Django aponta (vazio e migrado)."""
    from datetime import date, datetime

    from emendas.models import CategoriaImpedimento

    from .avisos import gerar_avisos
    from .movimentos import Contexto, gerar_exercicio

    rng = random.Random(semente)
    with transaction.atomic():
        acoes, grupos = cadastros.criar_estrutura()
        consultado = timezone.make_aware(datetime(ano, 1, 20, 9, 0))  # última consulta ao CAGEC/SIAFI, antes da LOA
        convenentes = cadastros.criar_convenentes(rng, escala, consultado)
        usuarios = cadastros.criar_usuarios(rng, escala, convenentes)
        blocos = cadastros.criar_blocos(rng, escala, usuarios["parlamentares"])
        ctx = Contexto(rng=rng, acoes=acoes, grupos=grupos, parlamentares=usuarios["parlamentares"], blocos=blocos,
                       segov=usuarios["segov"], analistas=usuarios["analistas"], convenentes=convenentes,
                       categorias=list(CategoriaImpedimento.objects.filter(exercicio__isnull=True)))
        for k in range(escala.anos - 1, -1, -1):
            # D0 em 1º de fevereiro; o corrente é deslocado depois para que hoje seja o fim da janela livre.
            ex = cadastros.criar_exercicio(ano - k, date(ano - k, 2, 1), acoes, grupos)
            gerar_exercicio(ctx, ex, escala, corrente=(k == 0))
        gerar_avisos(ctx, ano)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return ctx.contagens


def montar_cenario(url: str) -> dict:
    """Logins e contagens lidos do banco de trabalho (o mesmo resultado a cada cópia do modelo)."""
    from contas import perfis
    from contas.models import Usuario
    from emendas.models import Bloco, Exercicio, Inciso, Indicacao, Parlamentar, Remanejamento

    ex = Exercicio.objects.order_by("-ano").first()
    contagens = {
        "exercicios": Exercicio.objects.count(),
        "incisos_s": Inciso.objects.filter(tipo="S").count(),
        "incisos_r": Inciso.objects.filter(tipo="R").count(),
        "remanejamentos": Remanejamento.objects.count(),
        "indicacoes": Indicacao.objects.count(),
        "usuarios": Usuario.objects.count(),
    }
    for modelo, nome in ((Remanejamento, "remanejamentos"), (Indicacao, "indicacoes")):
        por_situacao = (modelo.objects.filter(**{"inciso_origem__exercicio" if modelo is Remanejamento
                                                 else "exercicio": ex})
                        .values_list("status").annotate(n=Count("pk")).order_by("status"))
        contagens[f"{nome}_corrente"] = dict(por_situacao)
    parlamentares = (Parlamentar.objects.filter(emendas__exercicio=ex)
                     .annotate(n=Count("emendas__incisos", filter=Q(emendas__incisos__tipo="S")))
                     .filter(n__gte=1).order_by("usuario__email").values_list("usuario__email", "n"))
    analistas = Usuario.objects.filter(groups__name=perfis.ORGAO).order_by("email").prefetch_related("uos_analisadas")
    return {
        "senha": cadastros.SENHA,
        "ano": ex.ano,
        "banco": url,
        "hoje": timezone.localdate().isoformat(),
        "fim_janela_livre": ex.fim_janela_livre.isoformat(),
        "parlamentares": [email for email, _ in parlamentares],
        "incisos_por_parlamentar": sorted({n for _, n in parlamentares}),
        "segov": list(Usuario.objects.filter(groups__name=perfis.SEGOV).order_by("email").values_list("email", flat=True)),
        "analistas": [{"email": u.email, "uos": [uo.codigo for uo in u.uos_analisadas.all()]} for u in analistas],
        # Membros só leem os incisos do bloco; o responsável escreve (o filtro "parlamentar OU bloco").
        "blocos": [{"nome": b.nome, "responsavel": b.responsavel.usuario.email,
                    "membros": sorted(m.usuario.email for m in b.membros.all())}
                   for b in Bloco.objects.select_related("responsavel__usuario").prefetch_related("membros__usuario")],
        "convenentes": list(Usuario.objects.filter(groups__name=perfis.CONVENENTE).order_by("email")
                            .values_list("email", flat=True)),
        "contagens": contagens,
    }

