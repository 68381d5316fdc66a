from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from .models import Usuario, normalizar_email


class _EmailNormalizadoMixin:
    def clean_email(self):
        email = normalizar_email(self.cleaned_data.get("email"))
        outros = Usuario.objects.filter(email__iexact=email)
        if self.instance.pk:
            outros = outros.exclude(pk=self.instance.pk)
        if email and outros.exists():
            raise forms.ValidationError("Já existe um usuário com este e-mail (maiúsculas e minúsculas não contam).")
        return email


class UsuarioCreationForm(_EmailNormalizadoMixin, UserCreationForm):
    class Meta:
        model = Usuario
        fields = ("email", "nome")


class UsuarioChangeForm(_EmailNormalizadoMixin, UserChangeForm):
    class Meta:
        model = Usuario
        fields = "__all__"


@admin.register(Usuario)
class UsuarioAdmin(UserAdmin):
    form = UsuarioChangeForm
    add_form = UsuarioCreationForm
    ordering = ("email",)
    list_display = ("email", "nome", "perfis", "is_active", "is_staff", "last_login")
    list_filter = ("groups", "is_active", "is_staff", "is_superuser")
    search_fields = ("email", "nome")
    readonly_fields = ("last_login", "criado_em")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Dados pessoais", {"fields": ("nome",)}),
        ("Perfis e permissões", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Registro", {"fields": ("last_login", "criado_em")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "nome", "password1", "password2")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="perfis")
    def perfis(self, obj):
        return ", ".join(g.name for g in obj.groups.all())
