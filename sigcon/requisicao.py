"""Id de cada requisição e usuário em atendimento, para os logs (sigcon.logs.FormatoJSON) e o log de acesso.

O id vem do proxy (cabeçalho ``X-Request-ID``, se tiver a forma de um id) ou é criado aqui; volta na resposta,
então quem relata um erro pode citar o id e a equipe acha a linha do log. O usuário vai para o ``environ`` do
WSGI (``sigcon.usuario_id``), que o gunicorn lê ao escrever a linha de acesso.
"""

import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

from sigcon import logs

_ID_VALIDO = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class IdDaRequisicao:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        recebido = request.headers.get("X-Request-ID", "")
        request.id_requisicao = recebido if _ID_VALIDO.match(recebido) else uuid.uuid4().hex
        # Sem reset no fim desta chamada: o Django escreve o aviso de um 404/500 ("Not Found: ...") depois que a
        # cadeia de middlewares volta; os valores são limpos no request_finished (abaixo) e trocados na próxima.
        logs.id_requisicao.set(request.id_requisicao)
        logs.usuario_id.set("")
        response = self.get_response(request)
        self._anotar_usuario(request)
        response["X-Request-ID"] = request.id_requisicao
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Depois de todos os middlewares de entrada: request.user já existe (sessão lida).
        self._anotar_usuario(request)

    @staticmethod
    def _anotar_usuario(request) -> None:
        usuario = getattr(request, "user", None)
        if usuario is not None and usuario.is_authenticated:
            logs.usuario_id.set(str(usuario.pk))
            request.META["sigcon.usuario_id"] = str(usuario.pk)


@receiver(request_finished, dispatch_uid="sigcon.requisicao.limpar")
def _limpar(**kwargs) -> None:
    # Fim da resposta (já enviada): o que esta thread registrar depois não é desta requisição.
    logs.id_requisicao.set("")
    logs.usuario_id.set("")
