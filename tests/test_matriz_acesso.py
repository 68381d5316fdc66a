"""Matriz URL × papel: cada rota do sistema (admin incluído) × cada papel, GET e POST, sobre objetos de outra pessoa.

O que cada célula deve dar está declarado numa tabela só (``ROTAS`` aqui; no admin, ``contas.papeis``). Uma
rota nova sem linha em ``ROTAS`` derruba ``test_toda_rota_tem_linha_na_matriz``.

Resultados: ``ok`` (a tela abre ou a ação é aceita ou recusada com mensagem: nem 403/404/405, nem ida ao
login), ``negado`` (403 ou 404: não vê o que não é seu), ``405`` (método não aceito) e, para quem não entrou,
sempre o login. Cada POST roda num savepoint desfeito em seguida, então uma célula não muda a seguinte.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from contas import perfis
from contas.papeis import PERMISSOES_NO_ADMIN
from tests.conftest import com_token, criar_usuario
from tests.fabricas import convenio_vigente, proposta_aprovada

pytestmark = pytest.mark.django_db

PAPEIS = ["anonimo", "parlamentar", "assessor", "membro_bloco", "orgao_outra_uo", "segov", "convenente_outro",
          "visualizador", "admin"]
# "assessor": o assessor do parlamentar "Bruno Outro" (papel "parlamentar"), com vínculo ativo: vê e pode o que ele.

T = set(PAPEIS) - {"anonimo"}  # todos os que entraram
NENHUM: set[str] = set()
METODO = "405"


def _lista(texto: str) -> set[str]:
    return set(texto.split()) if texto not in ("*", "") else (T if texto == "*" else NENHUM)


# rota → (objeto usado em <pk>, quem recebe "ok" no GET, quem recebe "ok" no POST). ``METODO`` = 405 para todos.
# Os papéis testados não são donos de nada: o dono (responsável pelo bloco), o analista da UO do inciso e o
# convenente da proposta ficam fora da matriz, que é sobre quem NÃO deve entrar.
RELATORIOS = "parlamentar assessor membro_bloco orgao_outra_uo segov visualizador admin"
ROTAS: dict[str, tuple[str | None, object, object]] = {
    # Convênios: só o convenente da proposta, o órgão concedente e a SEGOV a veem.
    "convenios:painel": (None, "convenente_outro", METODO),  # o painel do próprio convenente (vazio)
    "convenios:propostas": (None, "orgao_outra_uo segov convenente_outro admin", METODO),  # listas filtradas
    "convenios:proposta": ("proposta", "segov", METODO),
    "convenios:gerar": (None, "", ""),  # <convenente_pk> do convenente X: nem o Y entra
    "convenios:agir": ("proposta", METODO, ""),
    "convenios:desvincular": ("proposta", METODO, ""),
    "convenios:cancelar": ("proposta", METODO, "segov"),
    "convenios:impedimento": ("proposta", METODO, ""),  # só o analista do concedente (fora da matriz)
    "convenios:atualizar_cagec": ("proposta", METODO, "segov"),
    "convenios:excecao": ("proposta", METODO, "segov"),
    "convenios:liberar": ("proposta", METODO, "segov"),  # a SEGOV vê a proposta; o serviço exige o concedente
    "convenios:liberacoes": (None, "segov", METODO),
    "convenios:autorizar": ("liberacao", METODO, "segov"),
    # Emendas: o inciso é de um bloco; o membro lê, não escreve; os outros nem veem.
    "emendas:inciso": ("inciso", "membro_bloco segov", METODO),
    "emendas:historico_do_inciso": ("inciso", "membro_bloco segov", METODO),  # quem vê o inciso
    "emendas:remanejamentos_do_inciso": ("inciso", "membro_bloco segov", METODO),  # quem vê o inciso
    "emendas:remanejamentos": (None, "parlamentar assessor membro_bloco", METODO),
    "emendas:remanejamento": ("remanejamento", "membro_bloco segov", METODO),
    "emendas:novo_remanejamento": ("inciso", "", ""),
    "emendas:grupos_remanejamento": ("inciso", "", METODO),
    "emendas:cancelar_remanejamento": ("remanejamento", "", ""),
    "emendas:analise_remanejamentos": (None, "segov", "segov"),
    "emendas:aprovar_remanejamento": ("remanejamento", METODO, "segov"),
    "emendas:reprovar_remanejamento": ("remanejamento", METODO, "segov"),
    "emendas:indicacoes": (None, "parlamentar assessor membro_bloco", METODO),
    "emendas:visualizar_indicacoes": (None, "*", METODO),  # cada um vê só as suas (lista filtrada)
    "emendas:indicacao": ("indicacao", "membro_bloco segov", METODO),
    "emendas:nova_indicacao": ("inciso", "", ""),
    "emendas:indicacoes_do_inciso": ("inciso", "membro_bloco segov", METODO),  # quem vê o inciso
    "emendas:cancelar_indicacao": ("indicacao", "", ""),
    "emendas:ajustar_indicacao": ("indicacao", "", ""),
    "emendas:agir_indicacao": ("indicacao", METODO, ""),
    # Segundo ciclo: cada titular vê o seu (listas do próprio titular); no inciso do bloco só a responsável age.
    "emendas:saneamento": (None, "parlamentar membro_bloco", METODO),
    "emendas:saneamento_inciso": ("inciso", "", ""),
    "emendas:concluir_saneamento": ("inciso", METODO, ""),
    "emendas:remanejamento_constitucional": (None, "parlamentar membro_bloco", "parlamentar membro_bloco"),
    "emendas:lei_remanejamento": (None, "segov", "segov"),
    # Diligência: quem vê a indicação vê a diligência e baixa o anexo (o membro do bloco lê); abrir e fechar só o
    # órgão da UO da indicação, responder só o responsável pelo bloco (ambos fora da matriz).
    "emendas:abrir_diligencia": ("indicacao", "", ""),
    "emendas:diligencias": (None, "parlamentar assessor membro_bloco orgao_outra_uo segov", METODO),  # listas filtradas
    "emendas:diligencia": ("diligencia", "membro_bloco segov", METODO),
    "emendas:responder_diligencia": ("diligencia", METODO, ""),
    "emendas:fechar_diligencia": ("diligencia", METODO, ""),
    "emendas:anexo_diligencia": ("anexo_diligencia", "membro_bloco segov", METODO),
    # Transferência especial (UO 1491): o órgão da UO gere (fora da matriz); a SEGOV, o visualizador e o TI veem; o
    # órgão de outra UO abre a lista (vazia) e não vê a transferência. A declaração de uma ainda não registrada no
    # SIAFI volta para a página com a mensagem ("ok" para quem a vê).
    "emendas:transferencias": (None, "orgao_outra_uo segov visualizador admin", METODO),  # lista filtrada
    "emendas:transferencias_cadastrar": (None, METODO, "orgao_outra_uo segov visualizador admin"),  # sem marcadas
    "emendas:transferencia": ("transferencia", "segov visualizador admin", METODO),
    "emendas:cadastrar_transferencia": ("transferencia", METODO, ""),
    "emendas:enviar_transferencia": ("transferencia", METODO, ""),
    "emendas:encerrar_transferencia": ("transferencia", METODO, ""),
    "emendas:declaracao_transferencia": ("transferencia", "segov visualizador admin", METODO),
    # Controle de execução: a lista e a planilha são do órgão (as suas UOs) e da SEGOV; registrar, só o órgão da UO
    # da indicação e a SEGOV (a do bloco é de convênio: a SEGOV vê a tela, o registro manual é recusado com mensagem).
    "emendas:execucoes": (None, "orgao_outra_uo segov", METODO),
    "emendas:importar_execucao": (None, "orgao_outra_uo segov", "orgao_outra_uo segov"),
    "emendas:registrar_execucao": ("indicacao", "segov", "segov"),
    "emendas:repriorizar_indicacao": ("indicacao", METODO, ""),  # só o titular (o responsável pelo bloco)
    "emendas:priorizacao": (None, "parlamentar assessor membro_bloco", METODO),  # cada um vê só as suas
    "emendas:cancelar_indicacoes": (None, METODO, "parlamentar assessor membro_bloco"),  # sem marcadas: mensagem e volta
    "emendas:buscar_beneficiarios": (None, "parlamentar assessor membro_bloco orgao_outra_uo segov", METODO),
    "emendas:beneficiario_por_cnpj": (None, "parlamentar assessor membro_bloco orgao_outra_uo segov", METODO),
    "emendas:analise_orgao": (None, "orgao_outra_uo", "orgao_outra_uo"),  # a fila da própria UO
    "emendas:analise_segov": (None, "segov", "segov"),
    "emendas:exercicio_editar": (None, "segov", "segov"),
    "emendas:corrigir_incisos": (None, "segov", METODO),
    "emendas:corrigir_inciso": ("inciso", "segov", "segov"),
    "emendas:importar": (None, "segov admin", "segov admin"),  # carga de dados: SEGOV e TI (contas.papeis)
    # Assessores: só o próprio parlamentar associa (o assessor não associa outros; a SEGOV vê no admin); o vínculo é
    # da dona do bloco (ninguém da matriz o desassocia); a lista de quem o assessor atende, só o assessor.
    "emendas:assessores": (None, "parlamentar membro_bloco", "parlamentar membro_bloco"),
    "emendas:desassociar_assessor": ("vinculo", "", ""),
    "emendas:parlamentares_atendidos": (None, "assessor", METODO),
    "emendas:catalogo": (None, "segov admin", METODO),  # os catálogos: quem carrega dados
    "emendas:carga_catalogo": (None, "segov admin", "segov admin"),
    "emendas:catalogo_opcoes": ("inciso", "membro_bloco segov", METODO),  # quem vê o inciso
    # Auditoria e vínculos (quem analisa cada UO, quem age por cada convenente): só a SEGOV.
    "auditoria:lista": (None, "segov admin", METODO),  # contas.papeis: ver_auditoria
    "auditoria:csv": (None, "segov admin", METODO),
    "vinculos:uos": (None, "segov", METODO),
    "vinculos:uo": ("uo", "segov", "segov"),
    "vinculos:convenentes": (None, "segov", METODO),
    "vinculos:convenente": ("convenente", "segov", "segov"),
    # Relatórios: cada um vê as suas linhas; saldos por janela só quem vê tudo; o PDF gerado só o dono.
    **{f"relatorio_{nome}{fmt}": (None, RELATORIOS, METODO)
       for nome in ("impedimentos", "incisos", "indicacoes", "parlamentares", "remanejamentos", "totalizacao",
                    "execucao", "utilizados")
       for fmt in ("", "_csv", "_pdf")},
    **{f"relatorio_{nome}{fmt}": (None, "segov visualizador admin", METODO)
       for nome in ("saldos", "saneamento") for fmt in ("", "_csv", "_pdf")},
    # O CSV (e o PDF) de cada fila de aprovação: quem abre a fila, e só ele (a "tela" é a própria fila).
    **{f"relatorio_{nome}{fmt}": (None, quem, METODO)
       for nome, quem in (("fila_remanejamentos", "segov"), ("fila_indicacoes_segov", "segov"),
                          ("fila_indicacoes_orgao", "orgao_outra_uo"), ("fila_liberacoes", "segov"))
       for fmt in ("", "_csv", "_pdf")},
    "relatorio_gerado": ("gerado", "", METODO),
    "relatorio_gerado_baixar": ("gerado", "", METODO),
    # Notificações: cada um vê e marca só as suas (a de outra pessoa dá 404); a ajuda abre para quem entrou.
    "notificacoes:lista": (None, "*", METODO),
    "notificacoes:aviso": ("aviso", "", METODO),
    "notificacoes:marcar_lida": ("aviso", METODO, ""),
    "notificacoes:marcar_todas": (None, METODO, "*"),
    "ajuda": (None, "*", METODO),
    # Calendário (motor de prazos): cada um gera, revoga e escolhe os lembretes só para si; a tela da SEGOV e a
    # prorrogação só a SEGOV (sem ?chave= a prorrogação é 404 até para ela: a célula fica "negado" para todos).
    "calendario:meu": (None, "*", METODO),
    "calendario:gerar_link": (None, METODO, "*"),
    "calendario:revogar_link": (None, METODO, "*"),
    "calendario:preferencias": (None, METODO, "*"),
    "calendario:segov_atual": (None, "segov", METODO),
    "calendario:segov": (None, "segov", METODO),
    "calendario:prorrogar": (None, "", ""),
    # O .ics abre sem login (o token é a credencial; o da matriz é errado: 404) e a API é dado aberto.
    "calendario:ics": (None, "publica", "405 até sem login"),
    "calendario:api": (None, "publica", "405 até sem login"),
    # A espera de um reenvio (envios.unico): cada um vê só os seus envios; a chave de outro diz "nada em andamento".
    "envios:andamento": ("envio", "*", METODO),
    # Conta.
    "inicio": (None, "*", METODO),
    "password_change": (None, "*", "*"),
    "password_change_done": (None, "*", METODO),
    "logout": (None, "405 até sem login", "login"),  # sair é só POST e leva ao login, para todos
    # Verificação de saúde do balanceador: aberta, sem login (tests/test_saude.py confere o conteúdo).
    "saude": (None, "publica", "publica"),
    # Transparência e dados abertos: sem login, para todos, só GET (POST dá 405 a todos, também sem login).
    **{f"transparencia:{nome}": (None, "publica", "publica") for nome in (
        "busca", "indicacao", "municipios", "municipio", "dados_abertos", "datapackage", "indicacoes_csv",
        "indicacoes_json", "instantaneo")},
    # Públicas: abrem para todos, nunca quebram (a lista está em PUBLICAS abaixo).
    **{nome: (None, "publica", "publica") for nome in (
        "login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete")},
}


def _observar(cliente, metodo, url, usuario=None):
    # O POST de quem entrou leva o token do envio único (o formulário que a tela daria): sem ele toda rota que cria
    # ou decide responderia 400 antes de conferir quem pode (tests/envios/test_unico.py).
    dados = com_token(usuario) if metodo == "post" and usuario is not None else None
    resposta = getattr(cliente, metodo)(url, dados)
    codigo = resposta.status_code
    destino = resposta.get("Location", "") if codigo in (301, 302) else ""
    if destino.startswith("/conta/entrar/"):
        return "login"
    if destino.startswith("/admin/login/"):
        return "negado"
    if codigo in (403, 404):
        return "negado"
    if codigo == 405:
        return METODO
    assert codigo < 500, (metodo, url, codigo)
    return "ok"


# --- cenário ---------------------------------------------------------------------------------------------------

@pytest.fixture
def cenario(db):
    from convenios import services as conv
    from convenios.cnpj import gerar_cnpj
    from convenios.models import Convenente
    from emendas import services as em
    from emendas.models import (
        Acao, Bloco, Emenda, Exercicio, GrupoDespesa, Inciso, Parlamentar, ProgramacaoElegivel, UnidadeOrcamentaria,
    )
    from relatorios.models import RelatorioGerado

    hoje = timezone.localdate()
    ex = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    uo = UnidadeOrcamentaria.objects.create(codigo="4291", nome="Fundo Estadual de Saúde")
    outra_uo = UnidadeOrcamentaria.objects.create(codigo="1261", nome="Educação")
    acao = Acao.objects.create(uo=uo, codigo="4470", nome="Atenção primária", area="SAUDE")
    acao2 = Acao.objects.create(uo=uo, codigo="4471", nome="Atenção hospitalar", area="SAUDE")
    grupo = GrupoDespesa.objects.create(codigo="4", nome="Investimentos")
    for a in (acao, acao2):
        ProgramacaoElegivel.objects.create(exercicio=ex, acao=a, grupo_despesa=grupo)

    u = {}
    dono = criar_usuario("dono@almg.test", perfis.PARLAMENTAR, "Ana Dona")
    ana = Parlamentar.objects.create(usuario=dono, nome="Ana Dona")
    u["parlamentar"] = criar_usuario("bruno@almg.test", perfis.PARLAMENTAR, "Bruno Outro")
    Parlamentar.objects.create(usuario=u["parlamentar"], nome="Bruno Outro")
    u["assessor"] = criar_usuario("davi@almg.test", perfis.ASSESSOR, "Davi Assessor")
    em.associar_assessor(usuario=u["parlamentar"], parlamentar=u["parlamentar"].parlamentar, email="davi@almg.test")
    u["membro_bloco"] = criar_usuario("carla@almg.test", perfis.PARLAMENTAR, "Carla Membro")
    carla = Parlamentar.objects.create(usuario=u["membro_bloco"], nome="Carla Membro")
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=ana)
    bloco.membros.add(ana, carla)
    orgao_dono = criar_usuario("orgao@saude.test", perfis.ORGAO, "Órgão Dono")
    uo.analistas.add(orgao_dono)
    u["orgao_outra_uo"] = criar_usuario("orgao@educacao.test", perfis.ORGAO, "Órgão Outro")
    outra_uo.analistas.add(u["orgao_outra_uo"])
    u["segov"] = criar_usuario("segov@segov.test", perfis.SEGOV, "SEGOV")
    u["visualizador"] = criar_usuario("ver@segov.test", perfis.VISUALIZADOR, "Visualizador")
    u["admin"] = criar_usuario("ti@sigcon.test", None, "TI")
    u["admin"].is_superuser = u["admin"].is_staff = True
    u["admin"].save()
    u["segov"].is_staff = True  # a SEGOV entra no admin (contas.papeis.ENTRAM_NO_ADMIN)
    u["segov"].save()

    emenda = Emenda.objects.create(exercicio=ex, numero=900, bloco=bloco)
    inciso = Inciso.objects.create(emenda=emenda, numero="S501", acao=acao, grupo_despesa=grupo,
                                   valor_inicial=Decimal("1000000.00"))
    rem = em.solicitar_remanejamento(usuario=dono, inciso=inciso, acao=acao2, grupo_despesa=grupo,
                                     valor=Decimal("1000.00"))
    conv_x = Convenente.objects.create(cnpj=gerar_cnpj(11), razao_social="Instituto X", municipio="Mariana",
                                       tipo="OSC")
    conv_dono = criar_usuario("x@conv.test", perfis.CONVENENTE, "Convenente X")
    conv_x.usuarios.add(conv_dono)
    conv_y = Convenente.objects.create(cnpj=gerar_cnpj(12), razao_social="Instituto Y", municipio="Sabará",
                                       tipo="OSC")
    u["convenente_outro"] = criar_usuario("y@conv.test", perfis.CONVENENTE, "Convenente Y")
    conv_y.usuarios.add(u["convenente_outro"])

    def indicacao_aprovada(valor):
        ind = em.enviar_indicacao(usuario=dono, inciso=inciso, forma_execucao="CONVENIO", valor=Decimal(valor),
                                  beneficiario=conv_x, objeto="Reforma")
        em.aprovar_indicacao_orgao(usuario=orgao_dono, indicacao=ind)
        return em.aprovar_indicacao_segov(usuario=u["segov"], indicacao=ind)

    ind = indicacao_aprovada("50000.00")
    proposta = conv.gerar_proposta(usuario=conv_dono, convenente=conv_x, indicacoes={ind: Decimal("10000.00")},
                                   objeto="Reforma")
    vigente = proposta_aprovada(cadastrador=conv_dono, convenente=conv_x, indicacao=ind, analista_orgao=orgao_dono,
                                valor=Decimal("20000.00"), objeto="Equipamentos")
    convenio_vigente(cadastrador=conv_dono, analista_orgao=orgao_dono, proposta=vigente)
    liberacao = conv.solicitar_liberacao(usuario=orgao_dono, proposta=vigente, valor=Decimal("5000.00"))
    gerado = RelatorioGerado.objects.create(usuario=dono, nome="incisos", status="PRONTO",
                                            arquivo=ContentFile(b"%PDF-1.4", name="incisos.pdf"))

    # Uma notificação do dono (fora da matriz): ninguém dos papéis testados a vê nem a marca.
    from notificacoes.models import EmailPendente
    from notificacoes.services import enfileirar_email
    aviso = enfileirar_email(assunto="Indicação devolvida", corpo="Ajuste", destinatarios=[dono.email],
                             tipo=EmailPendente.Tipo.INDICACAO).avisos.get()

    # Um envio do dono ainda em andamento (fora da matriz): a espera dele não mostra nada a mais ninguém.
    from envios.models import EnvioUnico
    envio = EnvioUnico.objects.create(chave="e" * 64, usuario=dono, caminho="/")

    # Uma diligência na indicação do bloco, respondida pela responsável com um anexo.
    from django.core.files.uploadedfile import SimpleUploadedFile
    diligencia = em.abrir_diligencia(usuario=orgao_dono, indicacao=ind, texto="Envie a declaração")
    resposta = em.responder_diligencia(usuario=dono, diligencia=diligencia, texto="Segue", anexos=[
        SimpleUploadedFile("declaracao.pdf", b"%PDF-1.4\n%%EOF\n")])

    # Uma transferência especial cadastrada (UO 1491), de Ana, geridas por um analista fora da matriz.
    from tests.fabricas import transferencias_aprovadas
    orgao_te = criar_usuario("orgao@governo.test", perfis.ORGAO, "Órgão da Transferência")
    (ind_te,) = transferencias_aprovadas(exercicio=ex, parlamentar=ana, segov=u["segov"], analista=orgao_te,
                                         grupo=grupo)
    em.cadastrar_transferencia_especial(usuario=orgao_te, indicacoes=[ind_te], numero_resolucao="RES 1/2026",
                                        data_publicacao=hoje, dotacao="")

    # A assessora da dona do bloco (fora da matriz): ninguém dos papéis testados a desassocia.
    criar_usuario("eva@almg.test", perfis.ASSESSOR, "Eva Assessora")
    vinculo = em.associar_assessor(usuario=dono, parlamentar=ana, email="eva@almg.test")

    objetos = {"vinculo": vinculo.pk, "envio": envio.chave, "transferencia": ind_te.pk, "aviso": aviso.pk, "diligencia": diligencia.pk,
               "anexo_diligencia": resposta.anexos.get().pk, "exercicio": ex.ano, "inciso": inciso.pk,
               "remanejamento": rem.pk, "indicacao": ind.pk,
               "proposta": proposta.pk, "liberacao": liberacao.pk, "convenente": conv_x.pk, "gerado": gerado.pk,
               "uo": uo.pk, "numero_indicacao": ind.numero, "municipio": conv_x.municipio}
    return {"usuarios": u, "objetos": objetos}


# --- rotas --------------------------------------------------------------------------------------------------------

PUBLICAS = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete", "saude"}
PUBLICAS_NAMESPACES = {"transparencia"}  # toda rota destes namespaces abre sem login
# Parâmetros que não são objeto: a ação de cada rota genérica.
ACAO_DA_ROTA = {"convenios:agir": "enviar", "emendas:agir_indicacao": "aprovar_orgao"}


def _padroes(resolver, ns=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue  # o admin é gerado do registro de modelos (abaixo)
            yield from _padroes(p, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name, p.pattern.converters.keys() if hasattr(p.pattern, "converters") else ()


def rotas_do_sistema() -> dict[str, list[str]]:
    return {nome: list(params) for nome, params in _padroes(get_resolver())}


def url_da_rota(nome: str, params, objetos) -> str:
    kwargs = {}
    for param in params:
        if param == "pk":
            kwargs["pk"] = objetos[ROTAS[nome][0]]
        elif param == "ano":
            kwargs["ano"] = objetos["exercicio"]
        elif param == "convenente_pk":
            kwargs["convenente_pk"] = objetos["convenente"]
        elif param == "indicacao_pk":
            kwargs["indicacao_pk"] = objetos["indicacao"]
        elif param == "acao":
            kwargs["acao"] = ACAO_DA_ROTA[nome]
        elif param == "chave":
            kwargs["chave"] = objetos["envio"]
        elif param == "numero":
            kwargs["numero"] = objetos["numero_indicacao"]
        elif param == "municipio":
            kwargs["municipio"] = objetos["municipio"]
        elif param == "dia":
            kwargs["dia"] = "2000-01-01"  # sem instantâneo nesse dia: 404 (a rota só não pode quebrar)
        elif param in ("uidb64", "token"):
            kwargs[param] = "x"
        else:
            raise AssertionError(f"parâmetro sem valor na matriz: {nome} <{param}>")
    return reverse(nome, kwargs=kwargs)




def _esperado(regra, papel: str) -> str:
    if regra == "405 até sem login":
        return METODO
    if regra == METODO:
        return METODO if papel != "anonimo" else "login"
    if regra == "login":
        return "login"
    if papel == "anonimo":
        return "login"
    return "ok" if papel in _lista(regra) else "negado"


def test_toda_rota_tem_linha_na_matriz():
    sem_linha = sorted(set(rotas_do_sistema()) - set(ROTAS))
    assert not sem_linha, f"rota nova sem linha em ROTAS (tests/test_matriz_acesso.py): {sem_linha}"
    sobrando = sorted(set(ROTAS) - set(rotas_do_sistema()))
    assert not sobrando, f"linhas de rotas que não existem mais: {sobrando}"


def _cliente(cenario, papel):
    cliente = Client()
    if papel != "anonimo":
        cliente.force_login(cenario["usuarios"][papel])
    return cliente


def _celula(cenario, papel, metodo, url):
    # Savepoint desfeito: o POST de uma célula (aprovar, cancelar...) não muda o cenário da seguinte.
    with transaction.atomic():
        resultado = _observar(_cliente(cenario, papel), metodo, url, cenario["usuarios"].get(papel))
        transaction.set_rollback(True)
    return resultado


@pytest.mark.parametrize("papel", PAPEIS)
def test_rotas_do_sistema_por_papel(cenario, papel):
    divergencias = []
    for nome, params in sorted(rotas_do_sistema().items()):
        _obj, regra_get, regra_post = ROTAS[nome]
        url = url_da_rota(nome, params, cenario["objetos"])
        for metodo, regra in (("get", regra_get), ("post", regra_post)):
            obtido = _celula(cenario, papel, metodo, url)
            if regra == "publica":
                continue  # só não pode quebrar (_observar já exige < 500)
            esperado = _esperado(regra, papel)
            if obtido != esperado:
                divergencias.append(f"{metodo.upper()} {url} ({nome}): esperado {esperado}, veio {obtido}")
    assert not divergencias, "\n".join(divergencias)


def _pode_no_admin(papel, acao, rotulo, model_admin, superusuario) -> bool:
    """A tabela de papéis (contas.papeis) decide o grupo; o ModelAdmin pode proibir até ao superusuário."""
    from django.test import RequestFactory

    requisicao = RequestFactory().get("/admin/")
    requisicao.user = superusuario
    estrutural = (model_admin.has_add_permission(requisicao) if acao == "add"
                  else model_admin.has_view_or_change_permission(requisicao))
    if papel == "admin":
        return estrutural
    if papel != "segov":
        return False  # só a SEGOV e o TI entram no admin
    concedidas = set(PERMISSOES_NO_ADMIN.get(rotulo, {}).get(perfis.SEGOV, ()))
    return estrutural and (acao in concedidas if acao == "add" else bool({"view", "change"} & concedidas))


@pytest.mark.parametrize("papel", PAPEIS)
def test_rotas_do_admin_por_papel(cenario, papel):
    superusuario = cenario["usuarios"]["admin"]
    divergencias = []
    for modelo, model_admin in site._registry.items():
        rotulo = f"{modelo._meta.app_label}.{modelo._meta.model_name}"
        base = f"admin:{modelo._meta.app_label}_{modelo._meta.model_name}"
        for acao, url in (("view", reverse(f"{base}_changelist")), ("add", reverse(f"{base}_add"))):
            esperado = "ok" if _pode_no_admin(papel, acao, rotulo, model_admin, superusuario) else "negado"
            for metodo in ("get", "post"):
                obtido = _celula(cenario, papel, metodo, url)
                if obtido != esperado:
                    divergencias.append(f"{metodo.upper()} {url} ({rotulo}, {acao}): esperado {esperado}, veio {obtido}")
    assert not divergencias, "\n".join(divergencias)
