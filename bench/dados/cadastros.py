"""Cadastros do bench: escalas, UOs e ações, exercícios, convenentes e usuários (com os perfis de ``contas``)."""

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from contas.services import criar_usuario
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import (
    Acao, Bloco, Exercicio, GrupoDespesa, Parlamentar, ProgramacaoElegivel, UnidadeOrcamentaria,
)

SENHA = "bench-sigcon-2026"


@dataclass(frozen=True)
class Escala:
    anos: int
    parlamentares: int
    incisos_por_parlamentar: int
    blocos: int
    incisos_por_bloco: int
    remanejamentos_por_ano: int  # todas as situações
    aprovados_por_ano: int  # viram incisos R
    indicacoes_por_ano: int
    fila_remanejamentos: int  # SOLICITADO no exercício corrente
    fila_indicacoes: int  # EM_ANALISE_SEGOV no exercício corrente
    em_analise_orgao: int
    municipios: int
    analistas_por_uo: int
    segov: int
    usuarios_convenente: int


ESCALAS = {
    # DOMAIN/issue 13: 10 exercícios, 77 × 100 incisos S, ~34 mil R, ~50 mil remanejamentos, ~200 mil indicações.
    "estado": Escala(anos=10, parlamentares=77, incisos_por_parlamentar=100, blocos=6, incisos_por_bloco=20,
                     remanejamentos_por_ano=5000, aprovados_por_ano=3400, indicacoes_por_ano=20000,
                     fila_remanejamentos=1000, fila_indicacoes=1000, em_analise_orgao=300, municipios=853,
                     analistas_por_uo=2, segov=5, usuarios_convenente=20),
    # As mesmas proporções por inciso, em segundos (testes).
    "pequena": Escala(anos=2, parlamentares=6, incisos_por_parlamentar=10, blocos=2, incisos_por_bloco=5,
                      remanejamentos_por_ano=46, aprovados_por_ano=31, indicacoes_por_ano=180,
                      fila_remanejamentos=9, fila_indicacoes=9, em_analise_orgao=5, municipios=12,
                      analistas_por_uo=1, segov=3, usuarios_convenente=4),
}

# (código, nome, secretaria, [(ação, nome, área, destino livre)])
UOS = [
    ("4291", "Fundo Estadual de Saúde", "SAUDE", [
        ("4470", "Atenção primária à saúde", "SAUDE", False), ("4471", "Atenção hospitalar e ambulatorial", "SAUDE", False),
        ("4472", "Vigilância em saúde", "SAUDE", False), ("4473", "Assistência farmacêutica", "SAUDE", False)]),
    ("1321", "Secretaria de Estado de Saúde", "SAUDE", [
        ("4480", "Rede de urgência e emergência", "SAUDE", False), ("4481", "Saúde mental", "SAUDE", False)]),
    ("1261", "Secretaria de Estado de Educação", "EDUCACAO", [
        ("2041", "Infraestrutura da rede escolar", "EDUCACAO", False), ("2042", "Transporte escolar", "EDUCACAO", False),
        ("2043", "Alimentação escolar", "EDUCACAO", False)]),
    ("1491", "Secretaria de Estado de Governo", "OUTRA", [
        ("2090", "Transferências especiais aos municípios", "IAG1", True), ("4601", "Apoio à gestão municipal", "OUTRA", False),
        ("4602", "Fortalecimento institucional", "OUTRA", False)]),
    ("1301", "Secretaria de Estado de Desenvolvimento Social", "OUTRA", [
        ("4159", "Proteção social básica", "OUTRA", False), ("4160", "Proteção social especial", "OUTRA", False)]),
    ("1451", "Secretaria de Estado de Infraestrutura", "OUTRA", [
        ("1023", "Pavimentação de vias urbanas", "IAG1", False), ("1024", "Obras de arte especiais", "IAG1", False)]),
    ("1231", "Secretaria de Estado de Agricultura", "OUTRA", [
        ("4301", "Apoio à agricultura familiar", "OUTRA", False), ("4302", "Máquinas e equipamentos", "OUTRA", False)]),
    ("1271", "Secretaria de Estado de Cultura e Turismo", "OUTRA", [
        ("4401", "Eventos culturais", "OUTRA", False), ("4402", "Patrimônio histórico", "OUTRA", False)]),
    ("1551", "Secretaria de Estado de Esportes", "OUTRA", [
        ("4501", "Infraestrutura esportiva", "OUTRA", False), ("4502", "Esporte comunitário", "OUTRA", False)]),
    ("1251", "Secretaria de Estado de Justiça e Segurança Pública", "OUTRA", [
        ("4201", "Equipamentos de segurança", "OUTRA", False), ("4202", "Prevenção à criminalidade", "OUTRA", False)]),
    ("1371", "Secretaria de Estado de Meio Ambiente", "OUTRA", [
        ("4701", "Saneamento básico", "OUTRA", False), ("4702", "Recuperação ambiental", "OUTRA", False)]),
    ("2301", "Departamento de Estradas de Rodagem", "OUTRA", [
        ("1101", "Conservação de rodovias", "IAG1", False), ("1102", "Acessos rodoviários", "IAG1", False)]),
]
GRUPOS = [("3", "Outras Despesas Correntes"), ("4", "Investimentos")]

PRENOMES = ["Ana", "Bruno", "Carla", "Diego", "Elisa", "Fábio", "Gabriela", "Henrique", "Isabela", "João", "Karina",
            "Lucas", "Marina", "Nelson", "Olívia"]
SOBRENOMES = ["Lacerda", "Tavares", "Mendonça", "Assunção", "Furtado", "Quintão", "Ourives", "Vasconcelos",
              "Drummond", "Caldeira", "Salles", "Bittencourt"]


def email_parlamentar(i: int) -> str:
    return f"dep{i + 1:03d}@almg.bench"


def criar_estrutura():
    """UOs, ações e grupos (comuns a todos os exercícios). Devolve (ações, grupos)."""
    grupos = GrupoDespesa.objects.bulk_create([GrupoDespesa(codigo=c, nome=n) for c, n in GRUPOS])
    acoes = []
    for codigo, nome, secretaria, lista in UOS:
        uo = UnidadeOrcamentaria.objects.create(codigo=codigo, nome=nome, secretaria=secretaria)
        for acao, acao_nome, area, livre in lista:
            a = Acao.objects.create(uo=uo, codigo=acao, nome=acao_nome, area=area, destino_livre=livre)
            a.uo = uo
            acoes.append(a)
    return acoes, grupos


def criar_exercicio(ano: int, publicacao: date, acoes, grupos) -> Exercicio:
    """Exercício com o calendário padrão (a partir de D0) e o anexo de programações elegíveis."""
    ex = Exercicio(ano=ano, data_publicacao_loa=publicacao)
    ex.save()  # cria também as sequências do exercício
    ProgramacaoElegivel.objects.bulk_create(
        [ProgramacaoElegivel(exercicio=ex, acao=a, grupo_despesa=g) for a in acoes for g in grupos]
    )
    return ex


def criar_convenentes(rng: random.Random, escala: Escala, consultado_em) -> dict[str, list[Convenente]]:
    """Municípios, fundos de saúde, caixas escolares, OSCs e outros: os tipos que ``TIPOS_POR_FORMA`` aceita."""
    T = Convenente.Tipo
    n = escala.municipios
    quantos = {T.ADM_MUNICIPAL: n, T.FUNDO_MUNICIPAL_SAUDE: n, T.CAIXA_ESCOLAR: n, T.OSC: max(3, n // 2),
               T.CONSORCIO_PUBLICO: max(2, n // 20), T.ENTIDADE_PUBLICA: max(2, n // 20), T.OUTRO: max(2, n // 20)}
    rotulo = {T.ADM_MUNICIPAL: "Prefeitura Municipal de", T.FUNDO_MUNICIPAL_SAUDE: "Fundo Municipal de Saúde de",
              T.CAIXA_ESCOLAR: "Caixa Escolar da Escola Estadual", T.OSC: "Associação Comunitária",
              T.CONSORCIO_PUBLICO: "Consórcio Intermunicipal", T.ENTIDADE_PUBLICA: "Autarquia",
              T.OUTRO: "Cooperativa"}
    linhas, base = [], 10_000
    for tipo, total in quantos.items():
        for k in range(total):
            base += 1
            municipio = f"Município {k % n + 1:03d}"
            linhas.append(Convenente(
                cnpj=gerar_cnpj(base), razao_social=f"{rotulo[tipo]} {municipio if tipo != T.CAIXA_ESCOLAR else k + 1}",
                municipio=municipio, tipo=tipo, codigo_escola=str(310_000 + k) if tipo == T.CAIXA_ESCOLAR else "",
                situacao_cagec=rng.choice(["REGULAR", "REGULAR", "REGULAR", "IRREGULAR"]), siafi_bloqueado=False,
                situacao_consultada_em=consultado_em,
            ))
    por_tipo: dict[str, list[Convenente]] = {}
    for c in Convenente.objects.bulk_create(linhas, batch_size=2000):
        por_tipo.setdefault(c.tipo, []).append(c)
    return por_tipo


def _usuarios_em_lote(linhas: list[tuple[str, str]]):
    """Cria as contas de uma vez com o mesmo hash de senha (um PBKDF2 só, não um por usuário)."""
    Usuario = get_user_model()
    senha = make_password(SENHA)
    Usuario.objects.bulk_create([Usuario(email=e, nome=n, password=senha, is_active=True) for e, n in linhas],
                                batch_size=1000)


def criar_usuarios(rng: random.Random, escala: Escala, convenentes) -> dict:
    """Parlamentares, SEGOV, analistas de cada UO e usuários de convenentes.

    A conta nasce em lote (hash único); o perfil vem de ``contas.services.criar_usuario``, que com a conta já
    existente e sem senha só põe o grupo, o ``Parlamentar``, o vínculo com a UO (e não manda convite).
    """
    nomes = [f"{PRENOMES[i % len(PRENOMES)]} {SOBRENOMES[(i // len(PRENOMES)) % len(SOBRENOMES)]}"
             f"{'' if i < len(PRENOMES) * len(SOBRENOMES) else f' {i}'}" for i in range(escala.parlamentares)]
    parlamentares = [(email_parlamentar(i), f"Dep. {nomes[i]}") for i in range(escala.parlamentares)]
    segov = [(f"segov{i + 1:02d}@segov.bench", f"Servidor SEGOV {i + 1}") for i in range(escala.segov)]
    uos = list(UnidadeOrcamentaria.objects.order_by("codigo"))
    analistas = [(f"orgao{uo.codigo}-{k + 1}@orgao.bench", f"Analista {uo.codigo} {k + 1}", uo)
                 for uo in uos for k in range(escala.analistas_por_uo)]
    todos_conv = [c for tipo in sorted(convenentes) for c in convenentes[tipo]]
    escolhidos = rng.sample(todos_conv, escala.usuarios_convenente)
    conv_usuarios = [(f"conv{i + 1:02d}@convenente.bench", f"Usuário {c.razao_social}"[:200], c)
                     for i, c in enumerate(escolhidos)]
    _usuarios_em_lote([*parlamentares, *segov, *[(e, n) for e, n, _ in analistas],
                       *[(e, n) for e, n, _ in conv_usuarios]])
    for email, nome in parlamentares:
        criar_usuario(email=email, perfil="parlamentar", nome=nome)
    for email, nome in segov:
        criar_usuario(email=email, perfil="segov", nome=nome)
    for email, nome, uo in analistas:
        criar_usuario(email=email, perfil="orgao", nome=nome, uo=uo)
    for email, nome, conv in conv_usuarios:
        conv.usuarios.add(criar_usuario(email=email, perfil="convenente", nome=nome))
    parl = list(Parlamentar.objects.select_related("usuario").order_by("usuario__email"))
    return {
        "parlamentares": parl,
        "segov": list(get_user_model().objects.filter(email__endswith="@segov.bench").order_by("email")),
        "analistas": {uo.pk: list(uo.analistas.order_by("email")) for uo in uos},
    }


def criar_blocos(rng: random.Random, escala: Escala, parlamentares) -> list[Bloco]:
    """Blocos e bancadas: responsável e 4 a 9 membros cada, para o filtro "parlamentar OU bloco de que é membro"."""
    blocos = []
    for b in range(escala.blocos):
        responsavel = parlamentares[(b * 7) % len(parlamentares)]
        bloco = Bloco.objects.create(nome=f"Bancada Bench {b + 1}", responsavel=responsavel)
        outros = [p for p in parlamentares if p.pk != responsavel.pk]
        bloco.membros.add(responsavel, *rng.sample(outros, min(len(outros), rng.randint(4, 9))))
        blocos.append(bloco)
    return blocos
