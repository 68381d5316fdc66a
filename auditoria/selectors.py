"""Leituras do registro de auditoria: a tela da SEGOV, o CSV e a seção "Auditoria" de cada objeto."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from sigcon.datas import CampoData

from .models import RegistroAuditoria

APPS_AUDITADOS = ("auth", "contas", "emendas", "convenios", "integracoes", "notificacoes", "relatorios")


def _tipos():
    tipos = ContentType.objects.filter(app_label__in=APPS_AUDITADOS).order_by("app_label", "model")
    return [("", "todos")] + [(str(t.pk), f"{t.app_label}.{t.model}") for t in tipos]


class FiltroAuditoria(forms.Form):
    de = CampoData(label="De", required=False)
    ate = CampoData(label="Até", required=False)
    acao = forms.CharField(label="Ação (começa com)", required=False, max_length=60,
                           help_text="ex.: remanejamento, conta.login_falhou")
    usuario = forms.CharField(label="Usuário (e-mail)", required=False, max_length=254)
    tipo = forms.ChoiceField(label="Tipo de objeto", required=False)
    id_objeto = forms.CharField(label="Id do objeto", required=False, max_length=64)
    texto = forms.CharField(label="Objeto (contém)", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tipo"].choices = _tipos()
        for campo in self.fields.values():
            campo.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(campo, forms.ChoiceField)
                                          else "form-control form-control-sm")


def registros(filtro: FiltroAuditoria):
    """Os registros que o filtro pede, do mais novo ao mais antigo (nenhum, se o filtro for inválido)."""
    qs = RegistroAuditoria.objects.select_related("usuario", "tipo_objeto").order_by("-pk")
    if not filtro.is_valid():
        return qs.none()
    d = filtro.cleaned_data
    if d["de"]:
        qs = qs.filter(momento__date__gte=d["de"])
    if d["ate"]:
        qs = qs.filter(momento__date__lte=d["ate"])
    if d["acao"]:
        qs = qs.filter(acao__startswith=d["acao"].strip())
    if d["usuario"]:
        qs = qs.filter(Q(usuario__email__icontains=d["usuario"].strip()) | Q(depois__email=d["usuario"].strip()))
    if d["tipo"]:
        qs = qs.filter(tipo_objeto_id=int(d["tipo"]))
    if d["id_objeto"]:
        qs = qs.filter(id_objeto=d["id_objeto"].strip())
    if d["texto"]:
        qs = qs.filter(repr_objeto__icontains=d["texto"].strip())
    return qs


def registros_do_objeto(objeto, limite: int = 50):
    tipo = ContentType.objects.get_for_model(objeto, for_concrete_model=False)
    return (RegistroAuditoria.objects.filter(tipo_objeto=tipo, id_objeto=str(objeto.pk))
            .select_related("usuario").order_by("-pk")[:limite])
