"""As regras da diligência nos serviços (``emendas.services``): quem abre, responde e fecha; o que é recusado."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from auditoria.models import RegistroAuditoria
from emendas.models import AnexoDiligencia, Bloco, Diligencia, Emenda, Indicacao
from emendas.services import (
    abrir_diligencia, aprovar_indicacao_orgao, aprovar_indicacao_segov, cancelar_indicacao, enviar_indicacao,
    fechar_diligencia, responder_diligencia,
)
from notificacoes.models import Aviso, EmailPendente
from tests.emendas.diligencias.conftest import LIVRE, docx, pdf
from tests.fabricas import cenario_convenio, convenio_vigente, em, proposta_aprovada

pytestmark = pytest.mark.django_db
Status = Diligencia.Status


def abrir(c, texto="Envie a declaração de contrapartida com o valor.", **extra):
    return abrir_diligencia(usuario=c["orgao"], indicacao=c["ind"], texto=texto, **extra)


def emails_para(email):
    return [e for e in EmailPendente.objects.order_by("pk") if email in e.destinatarios]


def test_orgao_abre_com_numero_de_controle_auditoria_e_email_ao_titular(c):
    dil = abrir(c)
    assert dil.status == Status.ABERTA and dil.numero == 1 and dil.orgao.codigo == "4291"
    assert dil.responsavel == c["orgao"] and dil.exercicio_id == c["ind"].exercicio_id
    segunda = abrir(c, texto="Outra dúvida")
    assert segunda.numero == 2  # a sequência do exercício, sem buracos
    email = emails_para(c["ana"].email)[0]
    assert email.tipo == EmailPendente.Tipo.DILIGENCIA
    assert "diligência nº 1 aberta na indicação nº" in email.assunto
    assert "Envie a declaração de contrapartida com o valor." in email.corpo
    assert f"/emendas/diligencias/{dil.pk}/" in email.corpo
    # Também na lista de notificações do sistema.
    assert Aviso.objects.filter(usuario=c["ana"], email=email).exists()
    registro = RegistroAuditoria.objects.get(acao="diligencia.abrir", id_objeto=str(dil.pk))
    assert registro.usuario == c["orgao"] and registro.depois["numero"] == 1


def test_texto_com_apostrofo_vai_ao_email_como_foi_escrito(c):
    abrir(c, texto="Falta a d'água & luz <anexo>")
    assert "Falta a d'água & luz <anexo>" in emails_para(c["ana"].email)[0].corpo


@pytest.mark.parametrize("quem", ["orgao_outro", "ana", "segov", "bruno"])
def test_so_o_analista_da_uo_da_indicacao_abre(c, quem):
    with pytest.raises(PermissionDenied):
        abrir_diligencia(usuario=c[quem], indicacao=c["ind"], texto="Dúvida")
    assert not Diligencia.objects.exists() and not EmailPendente.objects.exists()


def test_texto_vazio_e_recusado(c):
    with pytest.raises(ValidationError, match="Escreva o texto da diligência"):
        abrir(c, texto="   ")


def test_indicacao_cancelada_nao_recebe_diligencia(c):
    with em(LIVRE):
        cancelar_indicacao(usuario=c["ana"], indicacao=c["ind"], justificativa="Desisti")
    with pytest.raises(ValidationError, match="encerrada"):
        abrir(c)


def _indicacao_com_proposta(c, parlamentar, segov):
    conv, cadastrador, ind = cenario_convenio(inciso=c["inciso"], parlamentar=parlamentar, analista_orgao=c["orgao"],
                                              segov=segov, valor="300000.00", n=7)
    proposta = proposta_aprovada(cadastrador=cadastrador, convenente=conv, indicacao=ind, analista_orgao=c["orgao"])
    return ind, proposta, cadastrador


def test_diligencia_na_proposta_ate_as_assinaturas_e_nunca_no_convenio_vigente(c, parlamentar, segov):
    ind, proposta, cadastrador = _indicacao_com_proposta(c, parlamentar, segov)
    dil = abrir_diligencia(usuario=c["orgao"], indicacao=ind, texto="Falta a planilha", proposta=proposta)
    assert dil.proposta == proposta and proposta.diligencias.get() == dil
    assert f"Proposta de plano de trabalho: nº {proposta.pk}" in emails_para(c["ana"].email)[-1].corpo
    convenio_vigente(cadastrador=cadastrador, analista_orgao=c["orgao"], proposta=proposta)
    with pytest.raises(ValidationError, match="só cabe até o processo de assinatura"):
        abrir_diligencia(usuario=c["orgao"], indicacao=ind, texto="Tarde demais", proposta=proposta)
    # Na indicação (sem a proposta) ainda cabe: ela continua aprovada.
    assert abrir_diligencia(usuario=c["orgao"], indicacao=ind, texto="Dúvida na indicação").proposta is None


def test_proposta_que_nao_usa_a_indicacao_e_recusada(c, parlamentar, segov):
    _ind, proposta, _ = _indicacao_com_proposta(c, parlamentar, segov)
    with pytest.raises(ValidationError, match="não usa a indicação"):
        abrir(c, proposta=proposta)


def test_titular_responde_com_anexos_guardados_no_armazenamento(c):
    dil = abrir(c)
    resposta = responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Segue a declaração.",
                                    anexos=[pdf("../../etc/Declaração\x07 final.pdf"), docx()])
    anexos = list(resposta.anexos.order_by("pk"))
    assert [a.nome for a in anexos] == ["Declaração_ final.pdf", "plano.docx"]
    assert anexos[0].tipo == "application/pdf" and anexos[0].tamanho == len(pdf().read())
    # O nome no armazenamento é aleatório: nada do que o navegador mandou vira caminho.
    assert anexos[0].arquivo.name.startswith("diligencias/") and "Declara" not in anexos[0].arquivo.name
    with default_storage.open(anexos[0].arquivo.name, "rb") as f:
        assert f.read().startswith(b"%PDF-")
    # E-mail ao órgão que abriu (é ele quem lê para fechar), com a resposta.
    email = emails_para(c["orgao"].email)[-1]
    assert "respondida" in email.assunto and "Segue a declaração." in email.corpo
    registro = RegistroAuditoria.objects.get(acao="diligencia.responder")
    assert [a["nome"] for a in registro.depois["anexos"]] == ["Declaração_ final.pdf", "plano.docx"]


@pytest.mark.parametrize("quem", ["bruno", "orgao", "segov"])
def test_resposta_de_quem_nao_e_o_titular_e_recusada_sem_gravar_arquivo(c, quem):
    dil = abrir(c)
    with pytest.raises(PermissionDenied):
        responder_diligencia(usuario=c[quem], diligencia=dil, texto="Eu respondo", anexos=[pdf()])
    assert not AnexoDiligencia.objects.exists() and not dil.respostas.exists()


def test_membro_do_bloco_le_mas_so_o_responsavel_responde(c, fabrica, parlamentar, outro_parlamentar):
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=parlamentar)
    bloco.membros.add(parlamentar, outro_parlamentar)
    inciso = fabrica.inciso(bloco, "50000.00")
    with em(LIVRE):
        ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                               valor=Decimal("10.00"), objeto="Bloco")
    dil = abrir_diligencia(usuario=c["orgao"], indicacao=ind, texto="Dúvida do bloco")
    assert Emenda.objects.get(pk=inciso.emenda_id).bloco == bloco
    # O e-mail vai ao responsável pelo bloco, não aos membros.
    assert EmailPendente.objects.order_by("-pk").first().destinatarios == [parlamentar.usuario.email]
    with pytest.raises(PermissionDenied):
        responder_diligencia(usuario=outro_parlamentar.usuario, diligencia=dil, texto="Sou membro")
    assert responder_diligencia(usuario=parlamentar.usuario, diligencia=dil, texto="Sou o responsável").pk


@pytest.mark.parametrize(("arquivo", "mensagem"), [
    (lambda: pdf("planilha.exe", b"MZ\x90\x00"), "não é de um tipo aceito"),
    (lambda: pdf("falso.pdf", b"MZ\x90\x00 executavel"), "não é PDF"),
    (lambda: pdf("zip.docx", b"PK\x03\x04 nao e docx"), "não é DOCX"),
    (lambda: pdf("vazio.pdf", b""), "está vazio"),
])
def test_anexo_de_tipo_proibido_e_recusado(c, arquivo, mensagem):
    dil = abrir(c)
    with pytest.raises(ValidationError, match=mensagem):
        responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Segue", anexos=[arquivo()])
    assert not dil.respostas.exists()


def test_anexo_como_par_nome_e_bytes_fora_das_telas(c):
    dil = abrir(c)
    resposta = responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Pelo shell",
                                    anexos=[("ofício.pdf", b"%PDF-1.7\n%%EOF\n")])
    assert [(a.nome, a.tamanho) for a in resposta.anexos.all()] == [("ofício.pdf", 15)]


def test_anexo_grande_e_recusado(c, settings):
    settings.SIGCON_UPLOAD_MAXIMO = 1024
    dil = abrir(c)
    with pytest.raises(ValidationError, match="o limite de cada anexo é"):
        responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Segue",
                             anexos=[pdf(conteudo=b"%PDF-1.4\n" + b"0" * 2000)])
    # Cada um cabe, a soma não.
    with pytest.raises(ValidationError, match="somam"):
        responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Segue",
                             anexos=[pdf(conteudo=b"%PDF-1.4\n" + b"0" * 600) for _ in range(2)])
    with pytest.raises(ValidationError, match="no máximo 5 anexos"):
        responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Segue", anexos=[pdf() for _ in range(6)])
    assert not AnexoDiligencia.objects.exists()


def test_orgao_fecha_com_email_e_auditoria_e_nao_fecha_duas_vezes(c):
    dil = abrir(c)
    fechada = fechar_diligencia(usuario=c["orgao"], diligencia=dil)
    assert fechada.status == Status.FECHADA and fechada.fechada_por == c["orgao"] and fechada.fechada_em
    assert "diligência nº 1 fechada" in emails_para(c["ana"].email)[-1].assunto
    assert RegistroAuditoria.objects.filter(acao="diligencia.fechar", id_objeto=str(dil.pk)).count() == 1
    with pytest.raises(ValidationError, match="já está fechada"):
        fechar_diligencia(usuario=c["orgao"], diligencia=dil)
    assert len([e for e in emails_para(c["ana"].email) if "fechada" in e.assunto]) == 1


def test_diligencia_fechada_nao_recebe_resposta(c):
    dil = abrir(c)
    fechar_diligencia(usuario=c["orgao"], diligencia=dil)
    with pytest.raises(ValidationError, match="já foi fechada"):
        responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Atrasado", anexos=[pdf()])
    assert not AnexoDiligencia.objects.exists()


@pytest.mark.parametrize("quem", ["orgao_outro", "ana", "segov"])
def test_so_o_orgao_da_diligencia_fecha(c, quem):
    dil = abrir(c)
    with pytest.raises(PermissionDenied):
        fechar_diligencia(usuario=c[quem], diligencia=dil)
    dil.refresh_from_db()
    assert dil.status == Status.ABERTA


def test_diligencia_em_indicacao_aprovada(c, segov):
    aprovar_indicacao_orgao(usuario=c["orgao"], indicacao=c["ind"])
    aprovar_indicacao_segov(usuario=segov, indicacao=c["ind"])
    assert Indicacao.objects.get(pk=c["ind"].pk).status == "APROVADA"
    assert abrir(c).numero == 1
