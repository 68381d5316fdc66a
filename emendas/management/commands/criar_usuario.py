from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from contas import perfis
from contas.services import criar_usuario
from emendas.models import UnidadeOrcamentaria


class Command(BaseCommand):
    help = "Cria um usuário com um perfil; sem --senha ele recebe por e-mail o link para definir a senha."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--perfil", required=True, choices=sorted(perfis.POR_CHAVE))
        parser.add_argument("--uo", help="Código da UO cujas indicações o analista do órgão analisa.")
        parser.add_argument("--nome", default="")
        parser.add_argument("--senha", default=None, help=("Senha inicial (só para ambientes de teste)."))

    def handle(self, email, perfil, uo, nome, senha, **_):
        unidade = None
        if uo:
            unidade = UnidadeOrcamentaria.objects.filter(codigo=uo).first()
            if unidade is None:
                raise CommandError(f"UO {uo} não encontrada. Importe a LOA ou as programações antes.")
        try:
            usuario = criar_usuario(email=email, perfil=perfil, nome=nome, uo=unidade, senha=senha)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Usuário {usuario.email} com perfil {perfis.POR_CHAVE[perfil]}."))
