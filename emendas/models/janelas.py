"""Janelas de operação do exercício (DOMAIN.md §5.6): uma linha por trilha e tipo de operação, com início e fim."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from .. import prazos
from .nucleo import Exercicio


class JanelaOperacao(models.Model):
    """Período em que uma operação (indicar, priorizar, ajustar...) vale para uma trilha de incisos.

    Nasce com os padrões do calendário (``prazos.janelas_padrao``) quando o exercício é gravado; a SEGOV ajusta na
    tela do calendário. A de indicação e cancelamento S/R espelha as quatro datas do exercício (Decisões).
    """

    Trilha = prazos.Trilha
    Tipo = prazos.TipoJanela

    # Parte do próprio exercício (como as numerações): vai junto se um exercício vazio for apagado.
    exercicio = models.ForeignKey(Exercicio, on_delete=models.CASCADE, related_name="janelas_operacao",
                                  verbose_name="exercício")
    trilha = models.CharField("trilha", max_length=10, choices=prazos.Trilha.choices)
    tipo = models.CharField("operação", max_length=30, choices=prazos.TipoJanela.choices)
    inicio = models.DateField("início")
    fim = models.DateField("fim (inclusive)")

    class Meta:
        verbose_name = "janela de operação"
        verbose_name_plural = "janelas de operação"
        ordering = ["exercicio", "trilha", "inicio", "tipo"]
        constraints = [
            models.UniqueConstraint(fields=["exercicio", "trilha", "tipo"], name="janela_operacao_unica"),
            models.CheckConstraint(condition=Q(fim__gte=F("inicio")), name="janela_operacao_fim_apos_inicio",
                                   violation_error_message="O fim da janela não pode ser anterior ao início."),
        ]

    def __str__(self):
        return f"{self.exercicio_id} · {self.get_trilha_display()} · {self.get_tipo_display()}"

    def clean(self):
        erro = prazos.erros_janela(self.inicio, self.fim)
        if erro:
            raise ValidationError({"fim": erro})

    @property
    def do_calendario(self) -> bool:
        """A janela que as quatro datas do exercício definem (não se edita aqui: muda com o calendário)."""
        return (self.trilha, self.tipo) == prazos.JANELA_DO_CALENDARIO

    @classmethod
    def sincronizar(cls, exercicio, anterior=None) -> None:
        """Grava as janelas do exercício depois de o calendário ser gravado: cria as que faltam, mantém a de
        indicação S/R igual às datas e, se o calendário mudou (*anterior*), leva ao padrão novo as que estavam no
        padrão antigo (as ajustadas pela SEGOV ficam)."""
        linhas = {(j.trilha, j.tipo): j for j in cls.objects.filter(exercicio=exercicio)}
        atuais = {chave: (j.inicio, j.fim) for chave, j in linhas.items()}
        novas = prazos.janelas_rederivadas(atuais, anterior, exercicio)
        criar, mudar = [], []
        for (trilha, tipo), (inicio, fim) in novas.items():
            linha = linhas.get((trilha, tipo))
            if linha is None:
                criar.append(cls(exercicio=exercicio, trilha=trilha, tipo=tipo, inicio=inicio, fim=fim))
            elif (linha.inicio, linha.fim) != (inicio, fim):
                linha.inicio, linha.fim = inicio, fim
                mudar.append(linha)
        if criar:
            cls.objects.bulk_create(criar, ignore_conflicts=True)
        if mudar:
            cls.objects.bulk_update(mudar, ["inicio", "fim"])
        exercicio.__dict__.pop("janelas", None)
