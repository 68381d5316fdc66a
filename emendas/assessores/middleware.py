"""O titular escolhido pelo assessor que atende mais de um parlamentar: ``?titular=<id do parlamentar>`` em
qualquer página troca a escolha, guardada na sessão; ``emendas.visibilidade.parlamentar_do_usuario`` a lê (e a
ignora se o vínculo já não existe). Sem consulta ao banco: o vínculo é conferido onde a escolha é usada."""

CHAVE = "titular_escolhido"


class TitularEscolhido:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        usuario = getattr(request, "user", None)
        if usuario is not None and usuario.is_authenticated:
            pedido = request.GET.get("titular", "")
            if pedido.isdigit() and len(pedido) < 12 and request.session.get(CHAVE) != int(pedido):
                request.session[CHAVE] = int(pedido)
            escolhido = request.session.get(CHAVE)
            if isinstance(escolhido, int):
                usuario.titular_escolhido_id = escolhido
        return self.get_response(request)
