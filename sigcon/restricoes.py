"""Conferência das linhas existentes antes de uma migração que cria restrições no banco.

Uma migração que acrescenta CheckConstraint/UniqueConstraint chama ``conferir_restricoes`` num RunPython
antes dos AddConstraint: se alguma linha já gravada viola uma restrição nova, a migração para com uma
mensagem que lista as linhas (modelo, id, situação), em vez do erro cru do banco ou de uma aplicação pela
metade. Nenhuma correção é automática: uma linha que viola estas regras diz que o dinheiro ou a trilha
de auditoria discordam, e só uma pessoa decide qual dos dois está certo.
"""

from django.db.models import CheckConstraint, Count, UniqueConstraint

# Quantos ids listar por restrição na mensagem (o total vem sempre).
LIMITE_IDS = 20


class LinhasInvalidas(Exception):
    """Há linhas que violam as restrições novas; a migração não foi aplicada."""

    def __init__(self, mensagem, *, violacoes):
        super().__init__(mensagem)
        self.violacoes = violacoes


def linhas_que_violam(modelo, restricao) -> list[str]:
    """Descrição de cada linha (ou grupo de linhas repetidas) de *modelo* que *restricao* recusaria."""
    gerente = modelo._base_manager
    if isinstance(restricao, CheckConstraint):
        # exclude(Q) devolve as linhas em que a condição é falsa (NULL passa, como no CHECK do banco).
        campos = ["pk"] + (["status"] if _tem_campo(modelo, "status") else [])
        return [_descrever(linha) for linha in gerente.exclude(restricao.condition).order_by("pk").values(*campos)]
    if isinstance(restricao, UniqueConstraint) and restricao.fields:
        linhas = gerente.all()
        if restricao.condition is not None:
            linhas = linhas.filter(restricao.condition)
        repetidas = (
            linhas.values(*restricao.fields).order_by().annotate(quantas=Count("pk")).filter(quantas__gt=1)
        )
        descricoes = []
        for grupo in repetidas:
            chave = {campo: grupo[campo] for campo in restricao.fields}
            ids = list(linhas.filter(**chave).order_by("pk").values_list("pk", flat=True))
            valores = ", ".join(f"{campo}={valor!r}" for campo, valor in chave.items())
            descricoes.append(f"{valores} repetido nos ids {', '.join(map(str, ids))}")
        return descricoes
    raise TypeError(f"Restrição sem conferência prévia: {restricao!r}")


def conferir_restricoes(apps, app_label: str, restricoes, *, migracao: str) -> None:
    """*restricoes*: pares (nome do modelo, restrição). Recusa a migração se alguma linha as viola."""
    violacoes = {}
    for nome_modelo, restricao in restricoes:
        modelo = apps.get_model(app_label, nome_modelo)
        linhas = linhas_que_violam(modelo, restricao)
        if linhas:
            violacoes[restricao.name] = (modelo._meta.verbose_name, linhas)
    if not violacoes:
        return
    partes = []
    for nome, (modelo, linhas) in violacoes.items():
        mostradas = "; ".join(linhas[:LIMITE_IDS])
        resto = f"; e mais {len(linhas) - LIMITE_IDS}" if len(linhas) > LIMITE_IDS else ""
        partes.append(f"- {nome} ({modelo}, {len(linhas)} linha(s)): {mostradas}{resto}")
    raise LinhasInvalidas(
        f"A migração {migracao} não foi aplicada: há linhas gravadas que violam as novas restrições do banco. "
        "Corrija cada uma (pelos serviços, ou por um script revisado que registre a correção) e rode a "
        "migração de novo. Nada foi alterado.\n" + "\n".join(partes),
        violacoes=violacoes,
    )


def _tem_campo(modelo, nome) -> bool:
    return any(campo.name == nome for campo in modelo._meta.get_fields())


def _descrever(linha) -> str:
    return f"id {linha['pk']}" + (f" ({linha['status']})" if "status" in linha else "")
