"""Health check da imagem e do compose: ``python -m sigcon.verificar_saude`` sai com 0 se ``/saude/`` deu 200.

Não carrega o Django (roda a cada poucos segundos): pergunta ao gunicorn desta réplica, na porta ``$PORT``, com o
primeiro nome de ``DJANGO_ALLOWED_HOSTS`` no Host (senão o Django recusa o pedido com 400).
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    porta = os.environ.get("PORT", "8000")
    host = (os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost").lstrip(".")
    pedido = urllib.request.Request(f"http://127.0.0.1:{porta}/saude/", headers={"Host": host})
    try:
        with urllib.request.urlopen(pedido, timeout=4) as resposta:
            corpo = resposta.read(2000).decode(errors="replace")
            codigo = resposta.status
    except urllib.error.HTTPError as erro:
        corpo, codigo = erro.read(2000).decode(errors="replace"), erro.code
    except OSError as erro:
        print(f"sem resposta de /saude/ na porta {porta}: {erro}", file=sys.stderr)
        return 1
    print(corpo)
    return 0 if codigo == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
