"""Catálogos da indicação (DOMAIN.md §2.12): tipo de atendimento (gênero → categoria → especificação) e tipo de
aplicação, cada opção válida para um ou mais grupos de despesa.

Carregados pela SEGOV por CSV (``emendas.catalogo.services.carregar_catalogo``) e editáveis no admin. Uma opção que
sai do arquivo fica inativa, nunca é apagada: indicações antigas continuam apontando para ela (PROTECT).
"""

from django.db import models

from .nucleo import GrupoDespesa

NOME = 200


class GeneroAtendimento(models.Model):
    nome = models.CharField("gênero", max_length=NOME, unique=True)

    class Meta:
        verbose_name = "gênero do tipo de atendimento"
        verbose_name_plural = "gêneros do tipo de atendimento"
        ordering = ["nome"]

    def __str__(self):
        return self.nome


class CategoriaAtendimento(models.Model):
    # PROTECT: a especificação escolhida numa indicação diz gênero e categoria; nenhum dos dois some.
    genero = models.ForeignKey(GeneroAtendimento, on_delete=models.PROTECT, related_name="categorias",
                               verbose_name="gênero")
    nome = models.CharField("categoria", max_length=NOME)

    class Meta:
        verbose_name = "categoria do tipo de atendimento"
        verbose_name_plural = "categorias do tipo de atendimento"
        ordering = ["genero__nome", "nome"]
        constraints = [models.UniqueConstraint(fields=["genero", "nome"], name="categoria_atendimento_unica")]

    def __str__(self):
        return f"{self.genero.nome} – {self.nome}"


class EspecificacaoAtendimento(models.Model):
    """O último nível do tipo de atendimento: é o que a indicação guarda (gênero e categoria vêm dele).

    A validade por grupo de despesa fica aqui, uma linha do CSV por (grupo, gênero, categoria, especificação):
    "AQUISIÇÃO DE BENS – Consumo" pode valer para custeio e não para investimento.
    """

    categoria = models.ForeignKey(CategoriaAtendimento, on_delete=models.PROTECT, related_name="especificacoes",
                                  verbose_name="categoria")
    nome = models.CharField("especificação", max_length=NOME)
    grupos_despesa = models.ManyToManyField(GrupoDespesa, related_name="especificacoes_atendimento",
                                            verbose_name="grupos de despesa em que vale")
    ativa = models.BooleanField("ativa", default=True,
                                help_text="Inativa: não é mais oferecida; as indicações que a usam continuam.")

    class Meta:
        verbose_name = "tipo de atendimento (especificação)"
        verbose_name_plural = "tipos de atendimento (especificações)"
        ordering = ["categoria__genero__nome", "categoria__nome", "nome"]
        constraints = [models.UniqueConstraint(fields=["categoria", "nome"], name="especificacao_atendimento_unica")]

    def __str__(self):
        return f"{self.categoria.genero.nome} – {self.categoria.nome} – {self.nome}"


class TipoAplicacao(models.Model):
    """Tipo de aplicação (execução direta, doação de bens, Caixa Escolar, Resolução SES, outros instrumentos):
    lista plana, cada um de um grupo de despesa (um de investimento não serve a um inciso de custeio)."""

    # PROTECT: o grupo de despesa é a regra do tipo; um grupo com tipos não se apaga.
    grupo_despesa = models.ForeignKey(GrupoDespesa, on_delete=models.PROTECT, related_name="tipos_aplicacao",
                                      verbose_name="grupo de despesa")
    nome = models.CharField("tipo de aplicação", max_length=NOME)
    ativo = models.BooleanField("ativo", default=True,
                                help_text="Inativo: não é mais oferecido; as indicações que o usam continuam.")

    class Meta:
        verbose_name = "tipo de aplicação"
        verbose_name_plural = "tipos de aplicação"
        ordering = ["grupo_despesa__codigo", "nome"]
        constraints = [models.UniqueConstraint(fields=["grupo_despesa", "nome"], name="tipo_aplicacao_unico")]

    def __str__(self):
        return self.nome
