from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from emendas.importacao import CABECALHO_LOA, ErroImportacao, importar_loa, importar_programacoes
from emendas.models import Acao, Bloco, Emenda, Exercicio, Inciso, Parlamentar, ProgramacaoElegivel
from notificacoes.models import EmailPendente

pytestmark = pytest.mark.django_db
PUB = date(2027, 1, 8)
CAB = ";".join(CABECALHO_LOA)


def loa(*linhas, cabecalho=CAB) -> bytes:
    return ("\n".join([cabecalho, *linhas]) + "\n").encode("utf-8")


BOA = loa(
    "175;Ana Lacerda;PARLAMENTAR;ana@almg.test;S530;4291;Fundo Estadual de Saúde;4470;Atenção primária;4;Investimentos;1.000.000,00",
    "175;Ana Lacerda;PARLAMENTAR;ana@almg.test;S531;1261;Secretaria de Educação;2041;Infraestrutura escolar;3;Outras Despesas Correntes;250.000,50",
    "176;Bruno Tavares;PARLAMENTAR;bruno@almg.test;S532;4291;Fundo Estadual de Saúde;4470;Atenção primária;3;Outras Despesas Correntes;99,99",
    "900;Bloco Minas;BLOCO;ana@almg.test;S533;1491;Secretaria de Governo;2090;Transferências especiais;4;Investimentos;500.000,00",
)


def estado_do_banco():
    return (
        sorted(Inciso.objects.values_list("numero", "valor_inicial", "acao__codigo", "grupo_despesa__codigo", "emenda__numero")),
        sorted(Emenda.objects.values_list("numero", "parlamentar__nome", "bloco__nome")),
        sorted(Parlamentar.objects.values_list("nome", "usuario__email")),
        list(Exercicio.objects.values_list("ano", "data_publicacao_loa", "data_liberacao")),
    )


def test_arquivo_bom_cria_tudo_com_valores_exatos():
    r = importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    assert r.criados["incisos"] == 4 and r.criados["parlamentares"] == 2 and r.criados["blocos"] == 1
    ex = Exercicio.objects.get(ano=2027)
    assert ex.data_liberacao == date(2027, 1, 24) and ex.fim_janela_obrigatoria == date(2027, 3, 9)
    assert Inciso.objects.get(numero="S531").valor_inicial == Decimal("250000.50")
    s533 = Inciso.objects.get(numero="S533")
    assert s533.emenda.bloco.responsavel.usuario.email == "ana@almg.test"
    assert s533.tipo == "S"
    ana = Parlamentar.objects.get(nome="Ana Lacerda")
    assert ana.usuario.groups.filter(name="Parlamentar").exists()
    assert not ana.usuario.has_usable_password()
    # Cada parlamentar novo recebe o link de definir senha pela caixa de saída.
    convites = EmailPendente.objects.filter(assunto__icontains="defina sua senha")
    assert sorted(e.destinatarios[0] for e in convites) == ["ana@almg.test", "bruno@almg.test"]
    # O link (com o token) só é montado no envio: gravado fica a marca e a conta a quem ele se destina.
    from notificacoes.models import MARCA_LINK_SENHA

    assert MARCA_LINK_SENHA in convites[0].corpo and "/conta/senha/definir/" not in convites[0].corpo
    assert {e.link_senha_de.email for e in convites} == {"ana@almg.test", "bruno@almg.test"}


def test_importar_o_mesmo_arquivo_duas_vezes_nao_muda_nada():
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    antes = estado_do_banco()
    emails_antes = EmailPendente.objects.count()
    r = importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    assert sum(r.criados.values()) == 0 and sum(r.atualizados.values()) == 0
    assert estado_do_banco() == antes
    assert EmailPendente.objects.count() == emails_antes


def test_reimportacao_atualiza_valor_de_inciso_sem_movimento():
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    novo = BOA.replace(b"99,99", b"199,99")
    r = importar_loa(conteudo=novo, ano=2027, publicacao=PUB)
    assert r.atualizados["incisos"] == 1
    assert Inciso.objects.get(numero="S532").valor_inicial == Decimal("199.99")


def test_valor_errado_nao_importa_nada_e_diz_linha_e_campo():
    ruim = BOA.replace(b"99,99", b"99,9x")
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=ruim, ano=2027, publicacao=PUB)
    assert [str(e) for e in erro.value.erros] == ["Linha 4, campo “valor”: Valor inválido: “99,9x”. Use o formato 1.234,56."]
    assert not Exercicio.objects.exists() and not Inciso.objects.exists()


@pytest.mark.parametrize("valor, trecho", [("-10,00", "negativo"), ("0,00", "maior que zero"), ("1,999", "duas casas")])
def test_valores_negativos_zero_ou_com_tres_casas_sao_recusados(valor, trecho):
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=BOA.replace(b"99,99", valor.encode()), ano=2027, publicacao=PUB)
    assert trecho in str(erro.value.erros[0])
    assert not Inciso.objects.exists()


def test_cabecalho_errado_lista_o_que_falta():
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=loa("1;2", cabecalho=CAB.replace("valor", "montante")), ano=2027, publicacao=PUB)
    msg = str(erro.value.erros[0])
    assert "cabeçalho inválido" in msg and "faltam valor" in msg and "montante" in msg


def test_codificacao_errada_aponta_a_linha():
    latin1 = BOA.decode("utf-8").encode("latin-1")
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=latin1, ano=2027, publicacao=PUB)
    assert erro.value.erros[0].linha == 2
    assert "UTF-8" in str(erro.value.erros[0])


def test_aceita_bom_do_excel():
    importar_loa(conteudo=b"\xef\xbb\xbf" + BOA, ano=2027, publicacao=PUB)
    assert Inciso.objects.count() == 4


def test_erros_de_varias_linhas_sao_todos_listados():
    ruim = loa(
        "175;Ana;PARLAMENTAR;ana@almg.test;S530;4291;FES;4470;AP;4;Inv;10,00",
        "175;Outro;PARLAMENTAR;outro@almg.test;S531;4291;FES;4470;AP;4;Inv;10,00",
        "176;Ana;CHEFE;nao-e-email;R9;4291;FES;4470;AP;4;Inv;10,00",
        "177;Ana;PARLAMENTAR;ana@almg.test;S530;4291;FES;4470;AP;4;Inv;10,00",
        "178;Ana;PARLAMENTAR;ana@almg.test;S540;4291;FES;4470;AP;4;Inv",
    )
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=ruim, ano=2027, publicacao=PUB)
    textos = [str(e) for e in erro.value.erros]
    assert textos == ["Linha 6: esperadas 12 colunas, encontradas 11."]
    sem_coluna = ruim.rsplit(b"\n", 2)[0] + b"\n"
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=sem_coluna, ano=2027, publicacao=PUB)
    textos = [str(e) for e in erro.value.erros]
    assert any(t.startswith("Linha 3, campo “titular”") for t in textos)
    assert any(t.startswith("Linha 4, campo “tipo_titular”") for t in textos)
    assert any(t.startswith("Linha 4, campo “email”") for t in textos)
    assert any(t.startswith("Linha 4, campo “inciso”") and "remanejamentos" in t for t in textos)
    assert any(t.startswith("Linha 5, campo “inciso”") and "repetido" in t for t in textos)


def test_bloco_sem_responsavel_cadastrado_e_recusado():
    so_bloco = loa("900;Bloco X;BLOCO;ninguem@almg.test;S1;1491;SEGOV;2090;TE;4;Inv;10,00")
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=so_bloco, ano=2027, publicacao=PUB)
    assert "responsável pelo bloco" in str(erro.value.erros[0])
    assert not Bloco.objects.exists()


def test_emenda_de_outro_titular_no_banco_e_recusada():
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    outro = loa("175;Carla;PARLAMENTAR;carla@almg.test;S900;4291;FES;4470;AP;4;Inv;10,00")
    with pytest.raises(ErroImportacao) as erro:
        importar_loa(conteudo=outro, ano=2027, publicacao=PUB)
    assert "já pertence a Ana Lacerda" in str(erro.value.erros[0])
    assert not Inciso.objects.filter(numero="S900").exists()


def test_nova_publicacao_recalcula_so_as_datas_que_estavam_no_padrao():
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    ex = Exercicio.objects.get()
    ex.fim_janela_obrigatoria = date(2027, 3, 31)
    ex.save()
    importar_loa(conteudo=BOA, ano=2027, publicacao=date(2027, 1, 10))
    ex.refresh_from_db()
    assert ex.data_liberacao == date(2027, 1, 26)
    assert ex.fim_janela_obrigatoria == date(2027, 3, 31)


def test_simulacao_nao_grava():
    r = importar_loa(conteudo=BOA, ano=2027, publicacao=PUB, simular=True)
    assert r.criados["incisos"] == 4
    assert not Inciso.objects.exists() and not EmailPendente.objects.exists()


PROG = (
    "uo;uo_nome;acao;acao_nome;grupo_despesa;grupo_nome;area;recebe_remanejamento;destino_livre\n"
    "4291;Fundo Estadual de Saúde;4470;Atenção primária;4;Investimentos;SAUDE;S;N\n"
    "1491;Secretaria de Governo;2090;Transferências especiais;4;Investimentos;IAG1;S;S\n"
    "1491;Secretaria de Governo;2090;Transferências especiais;3;Outras Despesas Correntes;IAG1;N;S\n"
).encode()


def test_programacoes_classificam_acoes_e_sao_idempotentes():
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    r = importar_programacoes(conteudo=PROG, ano=2027)
    assert r.criados["programações"] == 3
    te = Acao.objects.get(uo__codigo="1491", codigo="2090")
    assert te.area == Acao.Area.IAG1 and te.destino_livre
    assert not ProgramacaoElegivel.objects.get(acao=te, grupo_despesa__codigo="3").recebe_remanejamento
    r2 = importar_programacoes(conteudo=PROG, ano=2027)
    assert sum(r2.criados.values()) == sum(r2.atualizados.values()) == 0


def test_programacoes_com_flag_errada_ou_sem_exercicio():
    with pytest.raises(ErroImportacao) as erro:
        importar_programacoes(conteudo=PROG, ano=2030)
    assert "importe a LOA primeiro" in str(erro.value.erros[0])
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    with pytest.raises(ErroImportacao) as erro:
        importar_programacoes(conteudo=PROG.replace(b"SAUDE;S;N", b"SAUDE;talvez;N"), ano=2027)
    assert str(erro.value.erros[0]) == "Linha 2, campo “recebe_remanejamento”: use S ou N (veio “talvez”)."
    assert not ProgramacaoElegivel.objects.exists()


def test_comando_importar_loa(tmp_path):
    arquivo = tmp_path / "loa.csv"
    arquivo.write_bytes(BOA)
    call_command("importar_loa", str(arquivo), "--ano", "2027", "--publicacao", "2027-01-08")
    assert Inciso.objects.count() == 4
    arquivo.write_bytes(BOA.replace(b"99,99", b"abc"))
    with pytest.raises(CommandError, match="Linha 4, campo “valor”"):
        call_command("importar_loa", str(arquivo), "--ano", "2027", "--publicacao", "2027-01-08")
    with pytest.raises(CommandError, match="Data de publicação inválida"):
        call_command("importar_loa", str(arquivo), "--ano", "2027", "--publicacao", "08/01/2027")


def test_comando_criar_usuario_de_orgao_exige_uo(tmp_path):
    importar_loa(conteudo=BOA, ano=2027, publicacao=PUB)
    with pytest.raises(CommandError, match="UO 9999 não encontrada"):
        call_command("criar_usuario", "x@orgao.test", "--perfil", "orgao", "--uo", "9999")
    with pytest.raises(CommandError, match="Informe a UO"):
        call_command("criar_usuario", "x@orgao.test", "--perfil", "orgao")
    call_command("criar_usuario", "x@orgao.test", "--perfil", "orgao", "--uo", "4291", "--nome", "Xavier")
    from django.contrib.auth import get_user_model

    usuario = get_user_model().objects.get(email="x@orgao.test")
    assert usuario.uos_analisadas.get().codigo == "4291"
    assert usuario.groups.get().name == "Órgão"
