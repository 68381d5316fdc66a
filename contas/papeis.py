"""Quem pode o quê: o menor privilégio de cada perfil, declarado num lugar só.

``PERMISSOES_NO_ADMIN`` é a única fonte das permissões dos grupos no admin do Django: ``aplicar_papeis``
(chamada a cada ``migrate``) troca as permissões de cada grupo pelas desta tabela, e
``tests/contas/test_papeis.py`` confere a tabela contra o banco e contra os modelos registrados no admin
(um modelo novo no admin sem linha aqui derruba o teste).

Regras que a tabela segue:

* Usuários, grupos e permissões (``contas.usuario``, ``auth.*``) só o superusuário mexe: nenhum grupo tem
  permissão nenhuma neles, nem de ver.
* A caixa de saída (``notificacoes.emailpendente``) é só leitura para todos, superusuário incluído (o
  ``ModelAdmin`` recusa incluir, alterar e excluir); o corpo guardado nunca leva o link de senha, que só é
  montado na hora do envio (``notificacoes.services``).
* Dinheiro, situações e históricos só mudam pelos serviços: no admin a SEGOV só os vê.
* Só a SEGOV e o superusuário entram no admin (``is_staff``); os outros grupos não têm permissão nenhuma lá.
* Notificações (``notificacoes.Aviso``) e a ajuda: todo usuário que entrou, sem grupo; cada um vê e marca só as
  suas notificações (``notificacoes.selectors.aviso_do_usuario``: a de outra pessoa é 404). Fora do admin.

O superusuário é o administrador de TI (perfil "Administrador"), não a SEGOV: no admin do Django ele pode
tudo o que o ``ModelAdmin`` permite (é a saída de emergência de TI); nas telas do sistema, ``NO_SISTEMA``
diz o que ele faz. Quem precisa aprovar, autorizar ou corrigir dinheiro entra também no grupo SEGOV.
"""

from .grupos import ADMINISTRADOR, ASSESSOR, ORGAO, PARLAMENTAR, SEGOV, TODOS, VISUALIZADOR

VER = ("view",)
VER_E_ALTERAR = ("view", "change")
CADASTRAR = ("view", "add", "change")
TUDO = ("view", "add", "change", "delete")

# modelo ("app.modelo") → {grupo: ações}. Grupo ausente = nenhuma permissão. Modelos sem admin próprio
# aparecem quando um admin os mostra em linha (os históricos), porque a linha pede a permissão de ver.
PERMISSOES_NO_ADMIN: dict[str, dict[str, tuple[str, ...]]] = {
    # Contas: só o superusuário.
    "contas.usuario": {},
    "auth.group": {},
    "auth.permission": {},
    # Cadastros que a SEGOV mantém (calendário e política do exercício, UOs e seus analistas, ações...).
    "emendas.exercicio": {SEGOV: CADASTRAR},
    "emendas.janelaoperacao": {SEGOV: VER_E_ALTERAR},  # nascem com o exercício; a edição é auditada
    # Calendário: o link do .ics (só o hash) e as escolhas de lembretes são de cada usuário, pela tela "Meu
    # calendário"; as prorrogações nascem da ação auditada da SEGOV. No admin, só leitura.
    "emendas.linkcalendario": {},
    "emendas.preferencialembretes": {},
    "emendas.prorrogacaojanela": {SEGOV: VER},
    # Disponibilidade (batimentos do app, quedas do CAGEC/SIAFI): prova para prorrogar, só leitura.
    "disponibilidade.periodonoar": {SEGOV: VER},
    "disponibilidade.quedaintegracao": {SEGOV: VER},
    "emendas.unidadeorcamentaria": {SEGOV: CADASTRAR},
    "emendas.acao": {SEGOV: CADASTRAR},
    "emendas.grupodespesa": {SEGOV: CADASTRAR},
    "emendas.programacaoelegivel": {SEGOV: TUDO},  # anexo da Resolução: corrigir uma carga errada
    # Parlamentares nascem da carga da LOA (ou do criar_usuario); a conta ligada a um deles só o superusuário troca.
    "emendas.parlamentar": {SEGOV: VER_E_ALTERAR},
    "emendas.bloco": {SEGOV: CADASTRAR},
    "emendas.categoriaimpedimento": {SEGOV: CADASTRAR},
    # Catálogos da indicação: carga por CSV (emendas.catalogo.carga) e correção de um item; nada se apaga (PROTECT).
    "emendas.generoatendimento": {SEGOV: CADASTRAR},
    "emendas.categoriaatendimento": {SEGOV: CADASTRAR},
    "emendas.especificacaoatendimento": {SEGOV: CADASTRAR},
    "emendas.tipoaplicacao": {SEGOV: CADASTRAR},
    "emendas.emenda": {SEGOV: VER_E_ALTERAR},  # titular somente leitura; emendas nascem da carga da LOA
    # Dinheiro e situações: só pelos serviços (SEGOV › Corrigir inciso, análises); no admin, só leitura.
    "emendas.inciso": {SEGOV: VER},
    "emendas.registrocorrecaoinciso": {SEGOV: VER},
    "emendas.remanejamento": {SEGOV: VER},
    "emendas.registroremanejamento": {SEGOV: VER},
    "emendas.indicacao": {SEGOV: VER},
    "emendas.registroindicacao": {SEGOV: VER},
    # Diligências: abrem, respondem e fecham só pelas telas (serviços); no admin, só leitura, sem o arquivo dos
    # anexos (nome, tamanho e tipo; o download confere quem vê a indicação).
    "emendas.execucaoindicacao": {SEGOV: VER},  # o controle de execução: só pelos serviços (órgão, importação)
    "emendas.registroexecucao": {SEGOV: VER},
    "emendas.diligencia": {SEGOV: VER},
    "emendas.respostadiligencia": {SEGOV: VER},
    "emendas.anexodiligencia": {SEGOV: VER},
    # Transferência especial: cadastro e envio ao SIAFI só pelas telas do órgão (serviços); no admin, só leitura.
    "emendas.transferenciaespecial": {SEGOV: VER},
    "emendas.registrotransferenciaespecial": {SEGOV: VER},
    # Vínculos de assessores: só o próprio parlamentar associa e desassocia (Emendas › Meus assessores, auditado);
    # no admin a SEGOV só os vê (o histórico inteiro, com quem associou e quem encerrou).
    "emendas.vinculoassessor": {SEGOV: VER},
    "convenios.convenente": {SEGOV: CADASTRAR},  # inclui quem age pelo convenente
    # Integrações: o simulador (treinamento) a SEGOV ajusta; as consultas são prova, só leitura.
    "integracoes.situacaosimulada": {SEGOV: CADASTRAR},
    "integracoes.servicosimulado": {SEGOV: VER_E_ALTERAR},
    "integracoes.consultaintegracao": {SEGOV: VER},
    # Caixa de saída: só leitura para todos.
    "notificacoes.emailpendente": {SEGOV: VER},
    # Fila de PDFs: acompanhamento técnico, só o superusuário.
    "relatorios.relatoriogerado": {},
    # Trilha de auditoria: só leitura para todos (o ModelAdmin recusa incluir, alterar e excluir).
    "auditoria.registroauditoria": {SEGOV: VER},
    # Tentativas de login e bloqueios (django-axes): segurança de TI, só o superusuário.
    "axes.accessattempt": {},
    "axes.accesslog": {},
    "axes.accessfailurelog": {},
}

# Grupos que entram no admin (is_staff). Os demais não têm nenhuma permissão nele.
ENTRAM_NO_ADMIN = {SEGOV, ADMINISTRADOR}

# Ações das telas do sistema que não são da SEGOV sozinha (as da SEGOV usam ``perfis.e_segov``).
# Perfil → o que faz; ``perfis`` lê daqui.
NO_SISTEMA: dict[str, set[str]] = {
    # Aprovar/reprovar remanejamento, analisar indicação (2º nível), autorizar liberação, registrar exceção de
    # consulta, corrigir inciso, editar calendário e política: só o grupo SEGOV (nunca o superusuário por ser).
    "decidir_como_segov": {SEGOV},
    # Carga de dados (LOA, programações) no período fechado: a SEGOV e o administrador de TI.
    "carregar_dados": {SEGOV, ADMINISTRADOR},
    # Relatórios com os dados de todos (só leitura): o administrador já lê tudo pelo admin.
    "ver_todos_os_relatorios": {SEGOV, VISUALIZADOR, ADMINISTRADOR},
    # Trilha de auditoria (telas, seção por objeto, CSV e o admin somente leitura): a SEGOV e o TI.
    "ver_auditoria": {SEGOV, ADMINISTRADOR},
    # Diligência (DOMAIN.md §1.8): o analista do órgão informa e fecha, nas indicações das UOs que analisa; o
    # titular (o responsável, num bloco) responde. Quem vê cada uma é quem vê a indicação (emendas.visibilidade):
    # a SEGOV todas, o órgão as das suas UOs, o parlamentar as dos incisos que vê (o membro do bloco só lê).
    "informar_diligencia": {ORGAO},
    # O assessor age como o titular nos parlamentares com vínculo ativo (emendas.visibilidade), diligência incluída.
    "responder_diligencia": {PARLAMENTAR, ASSESSOR},
    # Transferência especial (DOMAIN.md §3.4): o órgão da UO da indicação cadastra, envia ao SIAFI-MG e encerra; a
    # SEGOV, o visualizador de relatórios e o TI só veem (todas); o órgão vê as das UOs que analisa.
    "gerir_transferencia_especial": {ORGAO},
    "ver_transferencias_especiais": {SEGOV, VISUALIZADOR, ADMINISTRADOR, ORGAO},
    # Controle de execução (§7.15): o analista do órgão registra nas indicações das UOs que analisa (o serviço
    # confere a UO), a SEGOV em todas; é a tela "Controle de execução" e a importação da planilha.
    "registrar_execucao": {ORGAO, SEGOV},
}


def permissoes_esperadas(grupo: str) -> set[tuple[str, str]]:
    """(app_label, codename) que o grupo deve ter, pela tabela."""
    esperadas = set()
    for rotulo, por_grupo in PERMISSOES_NO_ADMIN.items():
        app_label, modelo = rotulo.split(".")
        for acao in por_grupo.get(grupo, ()):
            esperadas.add((app_label, f"{acao}_{modelo}"))
    return esperadas


def aplicar_papeis(**kwargs) -> None:
    """Deixa cada grupo com exatamente as permissões da tabela (cria os grupos que faltarem).

    Idempotente. Roda no ``post_migrate`` de cada app: as permissões de um app só existem depois do migrate
    dele, e a última chamada (com todas criadas) deixa tudo como a tabela manda.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for grupo_nome in TODOS:
        grupo, _ = Group.objects.get_or_create(name=grupo_nome)
        esperadas = permissoes_esperadas(grupo_nome)
        filtro = Q(pk__in=[])
        for app_label, codename in esperadas:
            filtro |= Q(content_type__app_label=app_label, codename=codename)
        grupo.permissions.set(Permission.objects.filter(filtro) if esperadas else [])
