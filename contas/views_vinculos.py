"""Telas da SEGOV: analistas de cada UO e usuários de cada convenente."""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from envios.unico import envio_unico

from convenios.models import Convenente
from emendas.models import UnidadeOrcamentaria

from . import perfis
from .vinculos import definir_analistas_da_uo, definir_usuarios_do_convenente

POR_PAGINA = 50


def _exigir_segov(usuario):
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV acessa esta tela.")


class VinculosForm(forms.Form):
    remover = forms.ModelMultipleChoiceField(
        label="Retirar", queryset=get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    adicionar = forms.EmailField(label="Incluir (e-mail do usuário)", required=False, max_length=254,
                                 widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"}))

    def __init__(self, *args, atuais, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remover"].queryset = atuais.order_by("email")
        self.fields["remover"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.email})"

    def clean_adicionar(self):
        email = (self.cleaned_data.get("adicionar") or "").strip()
        if not email:
            return None
        usuario = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
        if usuario is None:
            raise ValidationError(f"Nenhum usuário com o e-mail {email}.")
        return usuario

    def clean(self):
        dados = super().clean()
        if not self.errors and not dados.get("adicionar") and not dados.get("remover"):
            raise ValidationError("Informe um e-mail para incluir ou marque quem retirar.")
        return dados


def _busca(request) -> str:
    return (request.GET.get("q") or "").strip()[:100]


@login_required
@require_GET
def uos(request):
    _exigir_segov(request.user)
    q = _busca(request)
    qs = UnidadeOrcamentaria.objects.prefetch_related("analistas").order_by("codigo")
    if q:
        qs = qs.filter(Q(codigo__icontains=q) | Q(nome__icontains=q))
    pagina = Paginator(qs, POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "contas/vinculos_uos.html", {"pagina": pagina, "q": q, "querystring": urlencode({"q": q})})


@login_required
@require_GET
def convenentes(request):
    _exigir_segov(request.user)
    q = _busca(request)
    qs = Convenente.objects.prefetch_related("usuarios").order_by("razao_social")
    if q:
        digitos = re.sub(r"\D", "", q)
        filtro = Q(razao_social__icontains=q) | Q(municipio__icontains=q)
        if digitos:
            filtro |= Q(cnpj__contains=digitos)
        qs = qs.filter(filtro)
    pagina = Paginator(qs, POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "contas/vinculos_convenentes.html", {"pagina": pagina, "q": q, "querystring": urlencode({"q": q})})


def _editar(request, objeto, *, relacao, servico, chave, titulo, voltar, perfil):
    form = VinculosForm(request.POST or None, atuais=getattr(objeto, relacao).all())
    if request.method == "POST" and form.is_valid():
        adicionar = [form.cleaned_data["adicionar"]] if form.cleaned_data["adicionar"] else []
        try:
            servico(usuario=request.user, **{chave: objeto}, adicionar=adicionar,
                    remover=list(form.cleaned_data["remover"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{titulo}: alteração salva e registrada na auditoria.")
            return redirect(request.path)
    return render(request, "contas/vinculos_editar.html", {
        "form": form, "objeto": objeto, "titulo": titulo, "voltar": voltar, "perfil": perfil,
        "vinculados": getattr(objeto, relacao).order_by("email"),
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def uo(request, pk: int):
    _exigir_segov(request.user)
    objeto = get_object_or_404(UnidadeOrcamentaria, pk=pk)
    return _editar(request, objeto, relacao="analistas", servico=definir_analistas_da_uo, chave="uo",
                   titulo=f"Analistas da UO {objeto.codigo} – {objeto.nome}", voltar="vinculos:uos",
                   perfil=perfis.ORGAO)


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def convenente(request, pk: int):
    _exigir_segov(request.user)
    objeto = get_object_or_404(Convenente, pk=pk)
    return _editar(request, objeto, relacao="usuarios", servico=definir_usuarios_do_convenente, chave="convenente",
                   titulo=f"Usuários de {objeto}", voltar="vinculos:convenentes", perfil=perfis.CONVENENTE)
