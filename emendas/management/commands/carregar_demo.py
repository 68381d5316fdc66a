import sys
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from contas.services import criar_usuario
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import demo, prazos
from emendas.importacao import importar_loa, importar_programacoes
from emendas.models import Bloco, Exercicio, Parlamentar, UnidadeOrcamentaria

SENHA_DEMO = "sigcon-demo-2026"
ASSESSOR_DEMO = "assessor@almg.demo"


def logins_de_demonstracao(exercicio) -> str:
    """Os logins por papel, quem tem indicações, quem só lê o bloco e as janelas (que dependem da data de hoje)."""
    from emendas.models import Indicacao

    hoje = timezone.localdate()
    bloco = Bloco.objects.select_related("responsavel__usuario").get(nome="Bloco Minas em Frente")
    membros = sorted(bloco.membros.exclude(pk=bloco.responsavel_id).values_list("usuario__email", flat=True))
    com_indicacoes = sorted(set(Indicacao.objects.filter(exercicio=exercicio).values_list(
        "inciso__emenda__parlamentar__usuario__email", flat=True)) - {None})
    fase = prazos.fase(exercicio, hoje)
    return (
        f"\nLogins de demonstração (senha para todos: {SENHA_DEMO}):\n"
        f"  Parlamentar: {demo.email_parlamentar(0)} … {demo.email_parlamentar(9)}\n"
        f"               {bloco.responsavel.usuario.email} é o responsável pelo {bloco.nome} (escreve nos incisos do bloco);\n"
        f"               {', '.join(membros) or 'nenhum'}: membros do bloco, só leitura nos incisos do bloco\n"
        f"               com indicações de exemplo: {', '.join(com_indicacoes) or 'nenhum (fora da janela livre)'}\n"
        "  SEGOV:       segov@segov.demo\n"
        "  Órgão:       saude@ses.demo (UO 4291), educacao@see.demo (UO 1261), governo@segov.demo (UO 1491)\n"
        "  Convenente:  convenente1@convenente.demo … convenente5@convenente.demo\n"
        "  Admin:       admin@sigcon.demo (também em /admin/)\n"
        f"  Assessor:    {ASSESSOR_DEMO} (assessor de {demo.email_parlamentar(1)} e {demo.email_parlamentar(2)}: "
        "escolhe no topo em nome de quem age)\n"
        f"Janelas do exercício {exercicio.ano} (contadas a partir de hoje, {hoje:%d/%m/%Y}): LOA publicada em "
        f"{exercicio.data_publicacao_loa:%d/%m/%Y}, liberação em {exercicio.data_liberacao:%d/%m/%Y}, janela livre até "
        f"{exercicio.fim_janela_livre:%d/%m/%Y}, execução obrigatória até {exercicio.fim_janela_obrigatoria:%d/%m/%Y}; "
        f"hoje: {fase.rotulo}.\n"
    )


class Command(BaseCommand):
    help = "Carrega um exercício de demonstração com as janelas abertas hoje. Pode rodar de novo sem duplicar."

    def add_arguments(self, parser):
        parser.add_argument("--dias-desde-publicacao", type=int, default=25,
                            help="Há quantos dias a LOA foi publicada (25 = janela livre aberta).")

    def handle(self, dias_desde_publicacao, **_):
        hoje = timezone.localdate()
        ano = hoje.year
        publicacao = hoje - timedelta(days=dias_desde_publicacao)
        existente = Exercicio.objects.filter(ano=ano).first()
        if existente:
            publicacao = existente.data_publicacao_loa  # não mexe no calendário já carregado
        with transaction.atomic():
            loa = importar_loa(conteudo=demo.csv_loa(), ano=ano, publicacao=publicacao)
            prog = importar_programacoes(conteudo=demo.csv_programacoes(), ano=ano)
            for i in range(10):
                criar_usuario(email=demo.email_parlamentar(i), perfil="parlamentar", senha=SENHA_DEMO)
            bloco = Bloco.objects.get(nome="Bloco Minas em Frente")
            bloco.membros.add(*Parlamentar.objects.filter(usuario__email__in=[demo.email_parlamentar(i) for i in (1, 2, 3)]))
            criar_usuario(email="segov@segov.demo", perfil="segov", nome="Analista SEGOV", senha=SENHA_DEMO)
            criar_usuario(email="admin@sigcon.demo", perfil="admin", nome="Administrador", senha=SENHA_DEMO)
            self._assessor_de_exemplo()
            UnidadeOrcamentaria.objects.filter(codigo="4291").update(secretaria=UnidadeOrcamentaria.Secretaria.SAUDE)
            UnidadeOrcamentaria.objects.filter(codigo="1261").update(secretaria=UnidadeOrcamentaria.Secretaria.EDUCACAO)
            for codigo, email, nome in [
                ("4291", "saude@ses.demo", "Analista – Saúde"),
                ("1261", "educacao@see.demo", "Analista – Educação"),
                ("1491", "governo@segov.demo", "Analista – Governo"),
            ]:
                uo = UnidadeOrcamentaria.objects.get(codigo=codigo)
                criar_usuario(email=email, perfil="orgao", nome=nome, uo=uo, senha=SENHA_DEMO)
            municipios = ["Belo Horizonte", "Montes Claros", "Uberlândia", "Juiz de Fora", "Governador Valadares"]
            for n, municipio in enumerate(municipios, start=1):
                tipo = Convenente.Tipo.ADM_MUNICIPAL if n % 2 else Convenente.Tipo.OSC
                nome = f"Prefeitura Municipal de {municipio}" if n % 2 else f"Associação Comunitária de {municipio}"
                conv, _ = Convenente.objects.update_or_create(
                    cnpj=gerar_cnpj(17_000_000 + n), defaults={"razao_social": nome, "municipio": municipio, "tipo": tipo}
                )
                usuario = criar_usuario(email=f"convenente{n}@convenente.demo", perfil="convenente", nome=nome,
                                        senha=SENHA_DEMO)
                conv.usuarios.add(usuario)
            # Beneficiários das formas que só aceitam um tipo (emendas/indicacoes/regras.py): escola e fundo de saúde.
            for n, dados in [
                (11, {"razao_social": "Caixa Escolar da E. E. Professor Caldeira", "municipio": "Montes Claros",
                      "tipo": Convenente.Tipo.CAIXA_ESCOLAR, "codigo_escola": "31000011"}),
                (12, {"razao_social": "Fundo Municipal de Saúde de Juiz de Fora", "municipio": "Juiz de Fora",
                      "tipo": Convenente.Tipo.FUNDO_MUNICIPAL_SAUDE}),
            ]:
                Convenente.objects.update_or_create(cnpj=gerar_cnpj(17_000_000 + n), defaults=dados)
            self._movimentos_de_exemplo(ano)
        self.stdout.write(self.style.SUCCESS(f"Demonstração do exercício {ano} carregada. LOA: {loa.resumo()}. "
                                             f"Programações: {prog.resumo()}."))
        # Por último, depois dos e-mails que o console já escreveu (enviados no commit acima): quem abre a
        # demonstração acha os logins no fim da saída, sem rolar a tela.
        sys.stdout.flush()
        self.stdout.write(logins_de_demonstracao(Exercicio.objects.get(ano=ano)))

    def _assessor_de_exemplo(self):
        """Um assessor de dois parlamentares, associado por eles (o serviço; numa segunda carga, nada muda)."""
        from emendas.models import VinculoAssessor
        from emendas.services import associar_assessor

        assessor = criar_usuario(email=ASSESSOR_DEMO, perfil="assessor", nome="Assessor de Demonstração",
                                 senha=SENHA_DEMO)
        for i in (1, 2):
            parlamentar = Parlamentar.objects.select_related("usuario").get(usuario__email=demo.email_parlamentar(i))
            if not VinculoAssessor.objects.filter(parlamentar=parlamentar, assessor=assessor, ativo=True).exists():
                associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, email=ASSESSOR_DEMO)

    def _movimentos_de_exemplo(self, ano):
        """Algumas indicações em situações diferentes, para as telas não começarem vazias (só na primeira carga)."""
        from decimal import Decimal

        from django.contrib.auth import get_user_model

        from emendas import prazos
        from emendas.models import Indicacao, Inciso
        from emendas.services import aprovar_indicacao_orgao, aprovar_indicacao_segov, enviar_indicacao

        exercicio = Exercicio.objects.get(ano=ano)
        if Indicacao.objects.filter(exercicio=exercicio).exists():
            return
        if prazos.fase(exercicio, timezone.localdate()) is not prazos.Fase.LIVRE:
            return  # fora da janela livre os envios seriam recusados; a demonstração fica só com os incisos
        Usuario = get_user_model()
        parlamentar = Usuario.objects.get(email=demo.email_parlamentar(1))
        orgao = Usuario.objects.get(email="saude@ses.demo")
        segov = Usuario.objects.get(email="segov@segov.demo")
        inciso = Inciso.objects.filter(exercicio=exercicio, emenda__parlamentar__usuario=parlamentar,
                                       acao__uo__codigo="4291").order_by("pk").first()
        if inciso is None:
            return
        conv_pm = Convenente.objects.get(cnpj=gerar_cnpj(17_000_001))
        conv_osc = Convenente.objects.get(cnpj=gerar_cnpj(17_000_002))
        for beneficiario, valor, aprovar in [(conv_pm, "120000.00", True), (conv_osc, "80000.00", True),
                                             (conv_osc, "15000.00", False)]:
            ind = enviar_indicacao(usuario=parlamentar, inciso=inciso, forma_execucao="CONVENIO", valor=Decimal(valor),
                                   beneficiario=beneficiario, objeto="Reforma e ampliação de unidade de saúde")
            if aprovar:
                aprovar_indicacao_orgao(usuario=orgao, indicacao=ind)
                aprovar_indicacao_segov(usuario=segov, indicacao=ind)
        enviar_indicacao(usuario=parlamentar, inciso=inciso, forma_execucao="RESOLUCAO_SES", valor=Decimal("50000.00"),
                         beneficiario=Convenente.objects.get(cnpj=gerar_cnpj(17_000_012)),
                         objeto="Custeio da atenção primária (fundo a fundo)")
