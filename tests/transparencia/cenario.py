"""O cenário das páginas públicas: um exercício de hoje (janela livre) com indicações em várias situações, e dados
pessoais espalhados pelos modelos (e-mails dos usuários, nomes de analistas, e-mails e CPFs digitados no objeto, na
justificativa do impedimento e na razão social de um MEI) que nenhuma resposta pública pode mostrar."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contas import perfis
from convenios import services as conv
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import services as em
from emendas.models import CategoriaImpedimento, Exercicio
from tests.conftest import Fabrica, criar_usuario
from tests.fabricas import convenio_vigente, proposta_aprovada

# CPFs válidos (dígitos verificadores conferem) e e-mails que aparecem em textos livres do cenário.
CPF_NO_OBJETO = "529.982.247-25"
CPF_NA_JUSTIFICATIVA = "11144477735"
CPF_DO_MEI = "39053344705"
EMAIL_NO_OBJETO = "maria.souza@institutovida.org.br"
EMAIL_NA_JUSTIFICATIVA = "responsavel@prefeitura.mg.gov.br"
NOMES_DE_USUARIOS = ("Otávio Órgão", "Sílvia SEGOV", "Cadastro Vida")


def montar_cenario_publico(*, parlamentar, outro_parlamentar, segov, analista_orgao, acao_saude, grupo_inv) -> dict:
    """O cenário (também o do navegador, tests/test_navegador_transparencia.py)."""
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    fab = Fabrica(exercicio, acao_saude, grupo_inv)
    inciso_ana = fab.inciso(parlamentar, "2000000.00")
    inciso_bruno = fab.inciso(outro_parlamentar, "500000.00")
    vida = Convenente.objects.create(cnpj=gerar_cnpj(7101), razao_social="Instituto Vida Nova", municipio="Mariana",
                                     tipo="OSC")
    mei = Convenente.objects.create(cnpj=gerar_cnpj(7102), razao_social=f"JOAO DA SILVA {CPF_DO_MEI}",
                                    municipio="Ouro Preto", tipo="OSC")
    prefeitura = Convenente.objects.create(cnpj=gerar_cnpj(7103), razao_social="Prefeitura Municipal de Itabira",
                                           municipio="Itabira", tipo="ADM_MUNICIPAL")
    cadastrador = criar_usuario("cadastro@institutovida.test", perfis.CONVENENTE, "Cadastro Vida")
    vida.usuarios.add(cadastrador)
    ana = parlamentar.usuario

    aprovada = em.enviar_indicacao(
        usuario=ana, inciso=inciso_ana, forma_execucao="CONVENIO", valor=Decimal("300000.00"), beneficiario=vida,
        objeto=f"Reforma da sede; contato {EMAIL_NO_OBJETO}, CPF {CPF_NO_OBJETO}")
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=aprovada)
    em.aprovar_indicacao_segov(usuario=segov, indicacao=aprovada)
    proposta = proposta_aprovada(cadastrador=cadastrador, convenente=vida, indicacao=aprovada,
                                 analista_orgao=analista_orgao, valor=Decimal("200000.00"))
    convenio_vigente(cadastrador=cadastrador, analista_orgao=analista_orgao, proposta=proposta)
    liberacao = conv.solicitar_liberacao(usuario=analista_orgao, proposta=proposta, valor=Decimal("50000.00"))
    conv.autorizar_liberacao(usuario=segov, liberacao=liberacao)

    direta = em.enviar_indicacao(usuario=ana, inciso=inciso_ana, forma_execucao="EXECUCAO_DIRETA",
                                 valor=Decimal("1234.56"), beneficiario=None, objeto="Compra de ambulância")

    categoria, _ = CategoriaImpedimento.objects.get_or_create(nome="Ausência de projeto de engenharia",
                                                               exercicio=None)
    reprovada = em.enviar_indicacao(usuario=ana, inciso=inciso_ana, forma_execucao="CONVENIO",
                                    valor=Decimal("80000.00"), beneficiario=prefeitura, objeto="Pavimentação")
    em.reprovar_indicacao(
        usuario=analista_orgao, indicacao=reprovada, categoria=categoria,
        justificativa=f"Sem projeto; responsável CPF {CPF_NA_JUSTIFICATIVA}, e-mail {EMAIL_NA_JUSTIFICATIVA}")

    do_mei = em.enviar_indicacao(usuario=outro_parlamentar.usuario, inciso=inciso_bruno, forma_execucao="CONVENIO",
                                 valor=Decimal("45000.00"), beneficiario=mei, objeto="Equipamentos de oficina")
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=do_mei)
    return {"exercicio": exercicio, "aprovada": aprovada, "direta": direta, "reprovada": reprovada,
            "do_mei": do_mei, "proposta": proposta, "vida": vida, "mei": mei, "categoria": categoria,
            "segov": segov, "analista": analista_orgao, "ana": ana}
